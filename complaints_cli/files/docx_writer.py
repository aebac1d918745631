"""Word documents for the case folder, and saving a new file there without replacing anything.

Every text goes through :func:`complaints_cli.domain.text.xml_safe`: a control character
stored in a case (XML cannot hold it) is written as ``_xHHHH_``, never a crash.

Imports python-docx (and lxml, ~0.1 s) at module level, so only ``letter`` and ``pack`` import
this module, inside their command functions.

A draft in a case folder is evidence: once saved it is never replaced (it is saved with
:func:`complaints_cli.files.safe_save.save_new`, trying ``NAME (2).docx``, ``NAME (3).docx``,
...), so a handler editing yesterday's draft in Word, or a colleague drafting at the same
moment, never loses their file, and nobody ever opens a half-written one.
"""

from __future__ import annotations

import io
from collections.abc import Sequence

from docx import Document
from docx.enum.text import WD_COLOR_INDEX
from docx.shared import Pt

from complaints_cli.domain.letters import Letter
from complaints_cli.domain.text import xml_safe
from complaints_cli.files.safe_save import save_new

__all__ = ["letter_docx", "save_new", "table_docx"]


def letter_docx(letter: Letter) -> bytes:
    """The letter as a .docx: headings, paragraphs and bullets in Word's own styles, so the
    handler can restyle it with the team's letter template. ``[Instructions]`` are highlighted
    so none is sent by mistake."""
    doc = Document()
    _base_font(doc)
    doc.core_properties.title = xml_safe(f"{letter.reference} {letter.title} (draft)")
    for block in letter.blocks:
        text = xml_safe(block.text)
        if block.kind == "heading":
            doc.add_heading(text, level=2)
            continue
        style = "List Bullet" if block.kind == "bullet" else None
        paragraph = doc.add_paragraph(style=style)
        run = paragraph.add_run(text)
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
    doc.core_properties.title = xml_safe(title)
    doc.add_heading(xml_safe(title), level=1)
    for line in intro:
        doc.add_paragraph(xml_safe(line))
    for heading, header, rows in tables:
        doc.add_heading(xml_safe(heading), level=2)
        if not rows:
            doc.add_paragraph("(none)")
            continue
        table = doc.add_table(rows=1, cols=len(header))
        table.style = "Table Grid"
        for cell, text in zip(table.rows[0].cells, header, strict=True):
            cell.text = xml_safe(text)
            for run in cell.paragraphs[0].runs:
                run.bold = True
        for row in rows:
            for cell, text in zip(table.add_row().cells, row, strict=True):
                cell.text = xml_safe(text)
    return _to_bytes(doc)


def _base_font(doc: object) -> None:
    style = doc.styles["Normal"]  # type: ignore[attr-defined]
    style.font.name = "Arial"
    style.font.size = Pt(11)


def _to_bytes(doc: object) -> bytes:
    buffer = io.BytesIO()
    doc.save(buffer)  # type: ignore[attr-defined]
    return buffer.getvalue()
