"""A report as a document: headings, paragraphs, instructions and tables, as plain data.

The reports build one (:mod:`complaints_cli.reports.annual_document`), the files layer writes it
as Word (:mod:`complaints_cli.files.annual_report_docx`): neither knows the other. A
``[bracketed instruction]`` (a whole paragraph of kind ``instruction``, or a table cell that
starts with ``[``) is something the log cannot give and a person must write: the writer
highlights it so that none is published by mistake. Nothing in a document is invented.
"""

from __future__ import annotations

from typing import Literal, NamedTuple

__all__ = ["Block", "ReportDocument", "is_instruction"]

BlockKind = Literal["heading", "paragraph", "instruction", "bullet", "table"]


class Block(NamedTuple):
    """One part of a document."""

    kind: BlockKind
    text: str = ""  #: a heading's, paragraph's or instruction's text; a table's caption
    level: int = 1  #: a heading's level (1 or 2)
    header: tuple[str, ...] = ()  #: a table's header row
    rows: tuple[tuple[str, ...], ...] = ()  #: a table's rows (text cells)
    #: a table's relative column widths (None: equal)
    widths: tuple[float, ...] | None = None


class ReportDocument(NamedTuple):
    """A titled document."""

    title: str
    blocks: tuple[Block, ...]

    def tables(self) -> list[Block]:
        return [b for b in self.blocks if b.kind == "table"]


def is_instruction(text: str) -> bool:
    """Text a person must replace: ``[Add ...]``."""
    return text.lstrip().startswith("[")
