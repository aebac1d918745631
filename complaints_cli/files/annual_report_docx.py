"""A :class:`~complaints_cli.domain.report_document.ReportDocument` as a Word file (python-docx).

Headings in Word's own heading styles, tables in "Table Grid" with a bold header row repeated
on each printed page, instructions highlighted yellow (so none is published by mistake), every
text through :func:`complaints_cli.domain.text.xml_safe` (a control character stored in a case
never breaks the file). Saved like every report
(:func:`complaints_cli.files.safe_save.save_atomically`): whole or not at all, an existing file
replaced only with ``force``, a file open in Word left alone. Imports python-docx (and lxml) at
module level: only ``report annual --docx`` imports it.
"""

from __future__ import annotations

import io
import re
from pathlib import Path
from typing import IO, Any

from docx import Document
from docx.enum.section import WD_ORIENT
from docx.enum.text import WD_COLOR_INDEX
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Cm, Pt

from complaints_cli.domain.report_document import ReportDocument, is_instruction
from complaints_cli.domain.text import xml_safe
from complaints_cli.files.exporter import check_xlsx
from complaints_cli.files.safe_save import Saved, save_atomically

__all__ = ["document_docx", "save_document"]


#: A ``[bracketed instruction]`` inside a text.
_BRACKETED = re.compile(r"(\[[^\]]*\])")


def _text(paragraph: Any, text: str, *, bold: bool = False) -> None:
    """``text`` as runs, each ``[bracketed instruction]`` in it highlighted."""
    parts = [text] if is_instruction(text) else [p for p in _BRACKETED.split(text) if p]
    for part in parts:
        run = paragraph.add_run(xml_safe(part))
        run.bold = bold
        if is_instruction(part):
            run.font.highlight_color = WD_COLOR_INDEX.YELLOW


def _repeat_header(row: Any) -> None:
    """Word repeats this row at the top of each page the table runs onto."""
    properties = row._tr.get_or_add_trPr()
    header = OxmlElement("w:tblHeader")
    header.set(qn("w:val"), "true")
    properties.append(header)


def document_docx(document: ReportDocument) -> bytes:
    """The document as .docx bytes (A4 landscape: the tables are wide)."""
    doc = Document()
    normal = doc.styles["Normal"]
    normal.font.name = "Arial"
    normal.font.size = Pt(10)
    section = doc.sections[0]
    section.orientation = WD_ORIENT.LANDSCAPE
    section.page_width, section.page_height = Cm(29.7), Cm(21.0)  # A4 landscape
    for side in ("left_margin", "right_margin", "top_margin", "bottom_margin"):
        setattr(section, side, Cm(1.8))
    usable = 29.7 - 2 * 1.8
    doc.core_properties.title = xml_safe(document.title)
    doc.add_heading(xml_safe(document.title), level=0)
    for block in document.blocks:
        if block.kind == "heading":
            doc.add_heading(xml_safe(block.text), level=block.level)
        elif block.kind in ("paragraph", "instruction", "bullet"):
            style = "List Bullet" if block.kind == "bullet" else None
            _text(doc.add_paragraph(style=style), block.text)
        else:
            if block.text:
                _text(doc.add_paragraph(), block.text, bold=True)
            table = doc.add_table(rows=1, cols=len(block.header))
            table.style = "Table Grid"
            _repeat_header(table.rows[0])
            for cell, text in zip(table.rows[0].cells, block.header, strict=True):
                _text(cell.paragraphs[0], text, bold=True)
            for values in block.rows:
                for cell, text in zip(table.add_row().cells, values, strict=True):
                    _text(cell.paragraphs[0], text)
            if block.widths:
                table.autofit = False
                scale = usable / sum(block.widths)
                for column, weight in zip(table.columns, block.widths, strict=True):
                    column.width = Cm(weight * scale)  # the grid LibreOffice reads
                    for cell in column.cells:
                        cell.width = Cm(weight * scale)  # the cells Word reads
    buffer = io.BytesIO()
    doc.save(buffer)
    return buffer.getvalue()


def save_document(document: ReportDocument, target: Path, *, force: bool) -> Saved:
    """Write the .docx atomically (a .docx is a zip: its parts' CRCs are checked)."""
    data = document_docx(document)

    def write(stream: IO[bytes]) -> None:
        stream.write(data)

    return save_atomically(target, write, force=force, check=check_xlsx)
