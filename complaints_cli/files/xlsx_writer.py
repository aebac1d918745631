"""Writing one sheet as an .xlsx that opens right in Excel and LibreOffice, and prints right.

The sheet XML is generated here rather than by openpyxl, for two reasons. Safety: every text
cell is an inline string (``t="inlineStr"``), so no text from a user can ever become a formula,
whatever it starts with (``=HYPERLINK(...)``, ``+44...``, ``@user``, ``#N/A``); there is no code
path that writes ``<f>``. Speed: 100k cases take a fraction of the time openpyxl's write-only
mode needs for the same rows (see BENCHMARKS.md). Characters XML cannot hold (control
characters) are written with Excel's own ``_xHHHH_`` escape, which Excel, LibreOffice and the
importer decode; a text longer than a cell's 32,767 characters is cut and reported.

How it looks when opened
    Text cells wrap and every cell sits at the top of its row. Each column is as wide as its
    content (its longest line, and at least its header's longest word), up to a cap per
    column (:attr:`SheetColumn.width`: a summary wraps at 50 characters rather than running
    on). Each row is as tall as its tallest cell once wrapped at those widths (15 points a
    line, Calibri 11's line, at most Excel's 409 points), so a cell of several lines never
    overprints the row above; the header row is as tall as its longest header, wrapped at
    word boundaries, so every header is fully visible. Heights are written as the row's
    height without marking them set by hand, so LibreOffice (whose fonts may differ) fits
    them again on opening. The header row is frozen and filtered.
How it prints
    Landscape A4, fitted to one page wide (as many pages down as the log needs), the header
    row repeated on every page, gridlines printed, the sheet's name and "Page n of m" in the
    footer.

The column widths are known only once every row is written, and Excel wants them before the
rows, so the rows are kept compressed in memory (zlib, ~10x) until :meth:`XlsxWriter.close`.
"""

from __future__ import annotations

import contextlib
import math
import zipfile
import zlib
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import UTC, date, datetime
from decimal import Decimal
from typing import IO, Final, Protocol

from complaints_cli.domain.text import xml_safe
from complaints_cli.errors import ComplaintsError
from complaints_cli.files.headers import column_letter

#: The most characters an Excel cell holds.
MAX_CELL_TEXT: Final = 32_767
#: Excel's last row.
MAX_SHEET_ROWS: Final = 1_048_576
SHEET_NAME: Final = "Complaints Log"
#: One line of Calibri 11, in points (Excel's default row height), and Excel's tallest row.
LINE_HEIGHT: Final = 15.0
MAX_ROW_HEIGHT: Final = 409.0


class SheetColumn(Protocol):
    """What the writer needs of a column: its header, the kind of its values (``text``,
    ``date``, ``datetime``, ``money`` or ``any``) and the widest it may grow, in characters."""

    @property
    def header(self) -> str: ...
    @property
    def kind(self) -> str: ...
    @property
    def width(self) -> float: ...


# --- cell text --------------------------------------------------------------------------------


def xml_text(text: str) -> str:
    """Text for an XML element: :func:`complaints_cli.domain.text.xml_safe` (Excel's
    ``_xHHHH_`` for what XML cannot hold), then the markup characters escaped."""
    return xml_safe(text).replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def xml_attr(text: str) -> str:
    return xml_text(text).replace('"', "&quot;")


@dataclass
class Warnings:
    """What the export had to change, said at the end rather than silently."""

    cut: list[str] = field(default_factory=list)

    def lines(self) -> list[str]:
        if not self.cut:
            return []
        shown = ", ".join(self.cut[:10]) + (" ..." if len(self.cut) > 10 else "")
        return [
            f"{len(self.cut)} cell(s) longer than Excel's {MAX_CELL_TEXT:,} characters were cut "
            f"in the workbook (the log keeps the whole text): {shown}"
        ]


def fit_text(text: str, where: str, warnings: Warnings) -> str:
    """``text`` cut to a cell's 32,767 characters, saying so in ``warnings``."""
    if len(text) <= MAX_CELL_TEXT:
        return text
    warnings.cut.append(where)
    marker = " [...cut: the whole text is in the log]"
    return text[: MAX_CELL_TEXT - len(marker)] + marker


def wrapped_lines(text: str, width: float) -> int:
    """How many lines ``text`` takes in a column ``width`` characters wide, wrapped at word
    boundaries as a spreadsheet does (a word longer than the width is broken)."""
    limit = max(int(width), 1)
    total = 0
    for line in text.split("\n"):
        if len(line) <= limit:
            total += 1
            continue
        used = 0
        lines = 1
        for word in line.split(" "):
            size = len(word)
            if used and used + 1 + size > limit:
                lines += 1
                used = 0
            if size > limit:
                lines += (size - 1) // limit
                size = size % limit or limit
            used = size if not used else used + 1 + size
        total += lines
    return total


# --- styles -----------------------------------------------------------------------------------

_EXCEL_EPOCH: Final = date(1899, 12, 30)
_EPOCH_ORDINAL: Final = _EXCEL_EPOCH.toordinal()
_DATE, _DATETIME, _POUNDS = 164, 165, 166
_FORMATS: Final = {"general": 0, "text": 0, "date": _DATE, "datetime": _DATETIME, "money": _POUNDS}
_HEADER_FILL = "FFD9E1F2"  # light blue-grey
_OVERDUE_FILL = "FFFFC7CE"  # Excel's own "light red fill" for bad values
_FONT = '<sz val="11"/><name val="Calibri"/><family val="2"/>'


def _xf(fmt: int, *, font: int = 0, fill: int = 0, border: int = 0, wrap: bool = False) -> str:
    applied = (
        (' applyNumberFormat="1"' if fmt else "")
        + (' applyFont="1"' if font else "")
        + (' applyFill="1"' if fill else "")
        + (' applyBorder="1"' if border else "")
        + ' applyAlignment="1"'
    )
    alignment = '<alignment vertical="top"' + (' wrapText="1"' if wrap else "") + "/>"
    return (
        f'<xf numFmtId="{fmt}" fontId="{font}" fillId="{fill}" borderId="{border}" xfId="0"'
        f"{applied}>{alignment}</xf>"
    )


def _styles() -> tuple[dict[tuple[str, bool], int], str]:
    """``{(kind, overdue): cellXfs index}`` and the styles part. Index 0 is the default."""
    xfs = ['<xf numFmtId="0" fontId="0" fillId="0" borderId="0" xfId="0"/>']
    index: dict[tuple[str, bool], int] = {}
    xfs.append(_xf(0, font=1, fill=2, border=1, wrap=True))
    index[("header", False)] = 1
    for overdue in (False, True):
        for kind, fmt in _FORMATS.items():
            index[(kind, overdue)] = len(xfs)
            xfs.append(_xf(fmt, fill=3 if overdue else 0, wrap=kind == "text"))
    part = "".join(
        (
            '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n',
            '<styleSheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">',
            '<numFmts count="3">',
            f'<numFmt numFmtId="{_DATE}" formatCode="dd\\/mm\\/yyyy"/>',
            f'<numFmt numFmtId="{_DATETIME}" formatCode="dd\\/mm\\/yyyy\\ hh:mm"/>',
            f'<numFmt numFmtId="{_POUNDS}" formatCode="&quot;£&quot;#,##0.00"/>',
            "</numFmts>",
            f'<fonts count="2"><font>{_FONT}</font><font><b/>{_FONT}</font></fonts>',
            '<fills count="4"><fill><patternFill patternType="none"/></fill>',
            '<fill><patternFill patternType="gray125"/></fill>',
            f'<fill><patternFill patternType="solid"><fgColor rgb="{_HEADER_FILL}"/>',
            '<bgColor indexed="64"/></patternFill></fill>',
            f'<fill><patternFill patternType="solid"><fgColor rgb="{_OVERDUE_FILL}"/>',
            '<bgColor indexed="64"/></patternFill></fill>',
            "</fills>",
            '<borders count="2"><border><left/><right/><top/><bottom/><diagonal/></border>',
            '<border><left/><right/><top/><bottom style="thin"><color auto="1"/></bottom>',
            "<diagonal/></border></borders>",
            '<cellStyleXfs count="1">',
            '<xf numFmtId="0" fontId="0" fillId="0" borderId="0"/></cellStyleXfs>',
            f'<cellXfs count="{len(xfs)}">',
            *xfs,
            "</cellXfs>",
            '<cellStyles count="1"><cellStyle name="Normal" xfId="0" builtinId="0"/>',
            "</cellStyles></styleSheet>",
        )
    )
    return index, part


_STYLE, _STYLES_XML = _styles()
#: The style of the header row (kept for callers naming it).
HEADER_STYLE: Final = _STYLE[("header", False)]

# --- the package's fixed parts ------------------------------------------------------------------

_CONTENT_TYPES = """<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">\
<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>\
<Default Extension="xml" ContentType="application/xml"/>\
<Override PartName="/xl/workbook.xml" \
ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/>\
<Override PartName="/xl/worksheets/sheet1.xml" \
ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/>\
<Override PartName="/xl/styles.xml" \
ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.styles+xml"/>\
<Override PartName="/docProps/core.xml" \
ContentType="application/vnd.openxmlformats-package.core-properties+xml"/>\
<Override PartName="/docProps/app.xml" \
ContentType="application/vnd.openxmlformats-officedocument.extended-properties+xml"/>\
</Types>"""

_ROOT_RELS = """<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">\
<Relationship Id="rId1" \
Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" \
Target="xl/workbook.xml"/>\
<Relationship Id="rId2" \
Type="http://schemas.openxmlformats.org/package/2006/relationships/metadata/core-properties" \
Target="docProps/core.xml"/>\
<Relationship Id="rId3" \
Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/extended-properties" \
Target="docProps/app.xml"/>\
</Relationships>"""

_BOOK_RELS = """<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">\
<Relationship Id="rId1" \
Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet" \
Target="worksheets/sheet1.xml"/>\
<Relationship Id="rId2" \
Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/styles" \
Target="styles.xml"/>\
</Relationships>"""

_APP = """<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<Properties xmlns="http://schemas.openxmlformats.org/officeDocument/2006/extended-properties">\
<Application>complaints</Application></Properties>"""


def _core(now: datetime) -> str:
    stamp = now.strftime("%Y-%m-%dT%H:%M:%SZ")
    return (
        '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
        '<cp:coreProperties xmlns:cp="http://schemas.openxmlformats.org/package/2006/'
        'metadata/core-properties" xmlns:dc="http://purl.org/dc/elements/1.1/" '
        'xmlns:dcterms="http://purl.org/dc/terms/" '
        'xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance">'
        "<dc:title>Spruce Complaints Log</dc:title><dc:creator>complaints</dc:creator>"
        f'<dcterms:created xsi:type="dcterms:W3CDTF">{stamp}</dcterms:created>'
        f'<dcterms:modified xsi:type="dcterms:W3CDTF">{stamp}</dcterms:modified>'
        "</cp:coreProperties>"
    )


def _workbook(sheet: str, last_col: str, last_row: int) -> str:
    name = xml_attr(sheet)
    quoted = xml_text(sheet.replace("'", "''"))
    return (
        '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
        '<workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" '
        'xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships">'
        '<workbookPr date1904="false"/>'
        '<bookViews><workbookView activeTab="0"/></bookViews>'
        f'<sheets><sheet name="{name}" sheetId="1" r:id="rId1"/></sheets>'
        "<definedNames>"
        '<definedName name="_xlnm._FilterDatabase" localSheetId="0" hidden="1">'
        f"'{quoted}'!$A$1:${last_col}${last_row}</definedName>"
        f'<definedName name="_xlnm.Print_Titles" localSheetId="0">\'{quoted}\'!$1:$1'
        "</definedName></definedNames></workbook>"
    )


# --- the writer ---------------------------------------------------------------------------------


class XlsxWriter:
    """One sheet, rows added one by one, written into a zip on :meth:`close`: text as inline
    strings, never a formula (see the module docstring for the layout and print set-up)."""

    def __init__(
        self,
        stream: IO[bytes],
        columns: Sequence[SheetColumn],
        *,
        sheet: str = SHEET_NAME,
        compresslevel: int = 1,
    ) -> None:
        self._zip = zipfile.ZipFile(
            stream, "w", compression=zipfile.ZIP_DEFLATED, compresslevel=compresslevel
        )
        self.columns = list(columns)
        self.sheet_name = sheet
        self.letters = [column_letter(i) for i in range(len(self.columns))]
        self.rows = 1  # the header row, written on close once the widths are known
        self._caps = [max(float(c.width), 4.0) for c in self.columns]
        #: per column, the longest line written so far, in characters
        self._widest = [0] * len(self.columns)
        self._buffer: list[str] = []
        self._packed: list[bytes] = []
        self._packer = zlib.compressobj(1)

    def add_row(
        self,
        values: Sequence[object],
        *,
        style: int | None = None,
        overdue: bool = False,
        height: float | None = None,
        label: str = "",
        warnings: Warnings | None = None,
    ) -> None:
        """Append one row; ``values`` line up with the columns (``None`` leaves a cell empty)."""
        if self.rows >= MAX_SHEET_ROWS:
            raise ComplaintsError(f"more than {MAX_SHEET_ROWS:,} rows: too many for one sheet")
        self.rows += 1
        n = self.rows
        parts: list[str] = []
        lines = 1
        widest, caps, columns = self._widest, self._caps, self.columns
        for i, value in enumerate(values):
            kind = columns[i].kind if i < len(columns) else "any"
            if value is None or value == "":
                if overdue:
                    parts.append(f'<c r="{self.letters[i]}{n}" s="{_STYLE["text", True]}"/>')
                continue
            ref = f"{self.letters[i] if i < len(self.letters) else column_letter(i)}{n}"
            if isinstance(value, str):
                if len(value) > MAX_CELL_TEXT:
                    header = columns[i].header if i < len(columns) else ""
                    value = fit_text(value, f"{label or ref} {header!r}", warnings or Warnings())
                shown = len(value)
                if shown > 8 or "\n" in value:
                    if "\n" in value:
                        shown = max(map(len, value.split("\n")))
                    if i < len(caps) and (shown > caps[i] or "\n" in value):
                        lines = max(lines, wrapped_lines(value, caps[i]))
                cell_kind = "text"
            elif isinstance(value, bool):
                shown, cell_kind = 5, "general"
            elif isinstance(value, datetime):
                shown, cell_kind = 16, "datetime" if value.time() != datetime.min.time() else "date"
            elif isinstance(value, date):
                shown, cell_kind = 10, "date"
            elif isinstance(value, Decimal):
                shown, cell_kind = len(f"£{value:,.2f}"), "money"
            else:
                shown, cell_kind = len(str(value)), "money" if kind == "money" else "general"
            if i < len(widest) and shown > widest[i]:
                widest[i] = shown
            s = style if style is not None else _STYLE[cell_kind, overdue]
            parts.append(self._cell(ref, value, s))
        rows = height or (min(LINE_HEIGHT * lines, MAX_ROW_HEIGHT) if lines > 1 else None)
        extra = f' ht="{rows:g}"' if rows else ""
        self._buffer.append(f'<row r="{n}"{extra}>{"".join(parts)}</row>')
        if len(self._buffer) >= 500:
            self.flush()

    def _cell(self, ref: str, value: object, s: int) -> str:
        style = f' s="{s}"' if s else ""
        if isinstance(value, str):
            return (
                f'<c r="{ref}"{style} t="inlineStr"><is><t xml:space="preserve">'
                f"{xml_text(value)}</t></is></c>"
            )
        if isinstance(value, bool):
            return f'<c r="{ref}"{style} t="b"><v>{int(value)}</v></c>'
        if isinstance(value, datetime):
            serial = value.toordinal() - _EPOCH_ORDINAL
            fraction = (value.hour * 3600 + value.minute * 60 + value.second) / 86400
            return f'<c r="{ref}"{style}><v>{serial + fraction!r}</v></c>'
        if isinstance(value, date):
            return f'<c r="{ref}"{style}><v>{value.toordinal() - _EPOCH_ORDINAL}</v></c>'
        if isinstance(value, Decimal):
            return f'<c r="{ref}"{style}><v>{value}</v></c>'
        if isinstance(value, int | float):
            return f'<c r="{ref}"{style}><v>{value!r}</v></c>'
        return self._cell(ref, str(value), s)

    def flush(self) -> None:
        """Pack the rows added so far (kept compressed until :meth:`close`)."""
        if self._buffer:
            self._packed.append(self._packer.compress("".join(self._buffer).encode("utf-8")))
            self._buffer.clear()

    def abort(self) -> None:
        """Let go of the half-written file after a failure (the caller deletes it)."""
        with contextlib.suppress(Exception):
            self._zip.close()

    def widths(self) -> list[float]:
        """Each column's width, in characters: its content and its header's longest word,
        plus a margin, up to the column's cap (see the module docstring)."""
        out = []
        for column, widest, cap in zip(self.columns, self._widest, self._caps, strict=True):
            word = max((len(w) for w in str(column.header).split()), default=0) + 2
            out.append(float(min(max(math.ceil(widest * 1.1) + 2, word, 8), max(cap, word))))
        return out

    def close(self, now: datetime | None = None) -> None:
        """Write the sheet (its widths now known) and the workbook parts around it; ``now``
        (aware UTC) stamps the document's properties."""
        self.flush()
        self._packed.append(self._packer.flush())
        widths = self.widths()
        headers = [c.header for c in self.columns]
        header_lines = max(
            (wrapped_lines(str(h), w - 1) for h, w in zip(headers, widths, strict=True)),
            default=1,
        )
        last_col = self.letters[-1] if self.letters else "A"
        last_row = max(self.rows, 1)
        cols = "".join(
            f'<col min="{i}" max="{i}" width="{w:g}" customWidth="1"/>'
            for i, w in enumerate(widths, start=1)
        )
        head = "".join(
            self._cell(f"{self.letters[i]}1", str(h), HEADER_STYLE) for i, h in enumerate(headers)
        )
        height = min(LINE_HEIGHT * header_lines + 3, MAX_ROW_HEIGHT)
        with self._zip.open("xl/worksheets/sheet1.xml", "w", force_zip64=True) as part:
            part.write(
                (
                    '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
                    '<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" '
                    'xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships">'
                    '<sheetPr><pageSetUpPr fitToPage="1"/></sheetPr>'
                    f'<dimension ref="A1:{last_col}{last_row}"/>'
                    '<sheetViews><sheetView workbookViewId="0">'
                    '<pane ySplit="1" topLeftCell="A2" activePane="bottomLeft" state="frozen"/>'
                    '<selection pane="bottomLeft" activeCell="A2" sqref="A2"/>'
                    "</sheetView></sheetViews>"
                    f'<sheetFormatPr defaultRowHeight="{LINE_HEIGHT:g}"/>'
                    f"<cols>{cols}</cols><sheetData>"
                    f'<row r="1" ht="{height:g}" customHeight="1">{head}</row>'
                ).encode()
            )
            unpacker = zlib.decompressobj()
            for chunk in self._packed:
                part.write(unpacker.decompress(chunk))
            part.write(unpacker.flush())
            self._packed.clear()
            part.write(
                (
                    f'</sheetData><autoFilter ref="A1:{last_col}{last_row}"/>'
                    '<printOptions gridLines="1"/>'
                    '<pageMargins left="0.4" right="0.4" top="0.5" bottom="0.5" header="0.3" '
                    'footer="0.3"/>'
                    '<pageSetup paperSize="9" orientation="landscape" fitToWidth="1" '
                    'fitToHeight="0"/>'
                    "<headerFooter><oddFooter>&amp;L&amp;A&amp;RPage &amp;P of &amp;N"
                    "</oddFooter></headerFooter></worksheet>"
                ).encode()
            )
        z = self._zip
        z.writestr("[Content_Types].xml", _CONTENT_TYPES)
        z.writestr("_rels/.rels", _ROOT_RELS)
        z.writestr("docProps/app.xml", _APP)
        z.writestr("docProps/core.xml", _core(now or datetime.now(UTC)))
        z.writestr("xl/workbook.xml", _workbook(self.sheet_name, last_col, last_row))
        z.writestr("xl/_rels/workbook.xml.rels", _BOOK_RELS)
        z.writestr("xl/styles.xml", _STYLES_XML)
        z.close()


__all__ = [
    "HEADER_STYLE",
    "LINE_HEIGHT",
    "MAX_CELL_TEXT",
    "MAX_SHEET_ROWS",
    "SHEET_NAME",
    "SheetColumn",
    "Warnings",
    "XlsxWriter",
    "fit_text",
    "wrapped_lines",
    "xml_attr",
    "xml_text",
]
