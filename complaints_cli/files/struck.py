"""Cells struck through: on a shared log, a line through a row means "deleted".

A complaints officer strikes a row through instead of deleting it (it was logged twice, or by
mistake), so the log keeps a visible trace. The reader gives the struck cells' values like any
others, and such a row would come back as a live, open case (in ``due``, in the EMT counts). So
a row with a struck-through cell is refused, naming its first struck cell: the officer deletes
the row (or the value) from the file, or clears the strike-through, and imports again. The rule
comes from the fresh-user trial of shared-drive logs; nothing here guesses which it is.

Where each format keeps a cell's strike-through (the font of the cell's style, not rich text
inside it):

* OOXML: ``xl/styles.xml``, a ``<font>`` with ``<strike/>`` (``val`` not ``0``/``false``),
  used by a ``<cellXfs>`` entry's ``fontId``; a cell's ``s`` attribute is that entry's index
  (none: entry 0). :func:`xlsx_struck_styles` gives those indices, and
  :func:`~.sheet_xml.parse_xlsx_sheet` the cells with content that use them.
* BIFF (.xls): a ``FONT`` record's option bit ``0x0008`` (fStrikeOut, [MS-XLS] 2.4.122), an
  ``XF`` record's font index (index 4 is never written: 5 is the fifth record), a cell
  record's XF index (:mod:`.xls_file`).
* OpenDocument: an automatic cell style whose text properties have a
  ``style:text-line-through-style`` other than ``none`` (:mod:`.ods_content`).
"""

from __future__ import annotations

from typing import Any, Final

#: Why a row with a struck-through cell is refused (said of its first struck cell).
STRUCK: Final = (
    "is struck through, as if deleted: delete the row (or the value) from the file if it is, "
    "or clear the strike-through if it is not, and import again"
)

_OFF: Final = frozenset({"0", "false", "off"})


def _local(tag: str) -> str:
    return tag.rsplit("}", 1)[-1]


def xlsx_struck_styles(styles: Any) -> frozenset[str]:
    """The ``s`` values (``cellXfs`` indices, as text) whose font is struck through, from the
    parsed ``xl/styles.xml`` root (an ElementTree element); empty when no font strikes."""
    fonts: list[bool] = []
    xfs: list[str] = []
    for part in styles:
        name = _local(part.tag)
        if name == "fonts":
            for font in part:
                fonts.append(
                    any(
                        _local(el.tag) == "strike"
                        and el.get("val", "1").strip().lower() not in _OFF
                        for el in font
                    )
                )
        elif name == "cellXfs":
            xfs = [xf.get("fontId", "0") for xf in part]
    if not any(fonts):
        return frozenset()
    struck = set()
    for index, font_id in enumerate(xfs):
        if font_id.isdigit() and int(font_id) < len(fonts) and fonts[int(font_id)]:
            struck.add(str(index))
    return frozenset(struck)


def first_struck(cells: set[tuple[int, int]], columns: set[int]) -> dict[int, int]:
    """Each row's first struck-through cell among ``columns``: ``{row: column}`` (0-based)."""
    out: dict[int, int] = {}
    for row, col in sorted(cells):
        if col in columns and row not in out:
            out[row] = col
    return out


__all__ = ["STRUCK", "first_struck", "xlsx_struck_styles"]
