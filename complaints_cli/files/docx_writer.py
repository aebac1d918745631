"""Word documents for the case folder, and saving a new file there without replacing anything.

Imports python-docx (and lxml, ~0.1 s) at module level, so only ``letter`` and ``pack`` import
this module, inside their command functions.

A draft in a case folder is evidence: once saved it is never replaced. :func:`save_new` writes
the document to a temporary file in the folder, flushes it to disk and then gives it its name in
one step that fails if the name is taken, trying ``NAME (2).docx``, ``NAME (3).docx``, ... So a
handler editing yesterday's draft in Word, or a colleague drafting at the same moment, never
loses their file, and nobody ever opens a half-written one.
"""

from __future__ import annotations

import io
import os
import tempfile
from collections.abc import Sequence
from pathlib import Path

from docx import Document
from docx.enum.text import WD_COLOR_INDEX
from docx.shared import Pt

from complaints_cli.domain.letters import Letter
from complaints_cli.errors import ComplaintsError
from complaints_cli.files.exporter import current_umask

#: How many numbered names to try beside a taken one.
MAX_COPIES = 999


def letter_docx(letter: Letter) -> bytes:
    """The letter as a .docx: headings, paragraphs and bullets in Word's own styles, so the
    handler can restyle it with the team's letter template. ``[Instructions]`` are highlighted
    so none is sent by mistake."""
    doc = Document()
    _base_font(doc)
    doc.core_properties.title = f"{letter.reference} {letter.title} (draft)"
    for block in letter.blocks:
        if block.kind == "heading":
            doc.add_heading(block.text, level=2)
            continue
        style = "List Bullet" if block.kind == "bullet" else None
        paragraph = doc.add_paragraph(style=style)
        run = paragraph.add_run(block.text)
        if "[" in block.text or block.text.startswith("DRAFT"):
            run.font.highlight_color = WD_COLOR_INDEX.YELLOW
    return _to_bytes(doc)


def table_docx(
    title: str,
    intro: Sequence[str],
    tables: Sequence[tuple[str, Sequence[str], Sequence[Sequence[str]]]],
) -> bytes:
    """A document of a title, some lines, and titled tables (heading, header row, rows)."""
    doc = Document()
    _base_font(doc)
    doc.core_properties.title = title
    doc.add_heading(title, level=1)
    for line in intro:
        doc.add_paragraph(line)
    for heading, header, rows in tables:
        doc.add_heading(heading, level=2)
        if not rows:
            doc.add_paragraph("(none)")
            continue
        table = doc.add_table(rows=1, cols=len(header))
        table.style = "Table Grid"
        for cell, text in zip(table.rows[0].cells, header, strict=True):
            cell.text = text
            for run in cell.paragraphs[0].runs:
                run.bold = True
        for row in rows:
            for cell, text in zip(table.add_row().cells, row, strict=True):
                cell.text = text
    return _to_bytes(doc)


def _base_font(doc: object) -> None:
    style = doc.styles["Normal"]  # type: ignore[attr-defined]
    style.font.name = "Arial"
    style.font.size = Pt(11)


def _to_bytes(doc: object) -> bytes:
    buffer = io.BytesIO()
    doc.save(buffer)  # type: ignore[attr-defined]
    return buffer.getvalue()


def _claim(tmp: Path, target: Path) -> bool:
    """Give ``tmp`` the name ``target`` unless it is taken; ``False`` when it is."""
    try:
        os.link(tmp, target)
        return True
    except FileExistsError:
        return False
    except OSError:
        pass  # no hard links here (some network shares): reserve the name, then fill it
    try:
        fd = os.open(target, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o666)
    except FileExistsError:
        return False
    os.close(fd)
    os.replace(tmp, target)
    return True


def save_new(folder: Path, stem: str, suffix: str, data: bytes) -> Path:
    """Save ``data`` as ``folder/stem+suffix``, or ``stem (2)+suffix``, ... never replacing a
    file; return where it went (see the module docstring)."""
    if not folder.is_dir():
        raise ComplaintsError(f"the folder {str(folder)!r} does not exist")
    try:
        fd, name = tempfile.mkstemp(dir=folder, prefix=".~", suffix=".tmp")
    except OSError as exc:
        raise ComplaintsError(f"cannot write in {str(folder)!r}: {exc.strerror or exc}") from None
    tmp = Path(name)
    try:
        with os.fdopen(fd, "wb") as fh:
            fh.write(data)
            fh.flush()
            os.fsync(fh.fileno())
        os.chmod(tmp, 0o666 & ~current_umask())
        for n in range(1, MAX_COPIES + 1):
            target = folder / (f"{stem}{suffix}" if n == 1 else f"{stem} ({n}){suffix}")
            if not target.exists() and _claim(tmp, target):
                return target
        raise ComplaintsError(f"cannot find a free name for {stem}{suffix} in {str(folder)!r}")
    except OSError as exc:
        raise ComplaintsError(
            f"cannot write {stem}{suffix} in {str(folder)!r}: {exc.strerror or exc}; "
            "nothing was written"
        ) from None
    finally:
        if tmp.exists():
            tmp.unlink()
