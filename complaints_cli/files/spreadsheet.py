"""Reading an untrusted spreadsheet (.xlsx, .xls, .ods) safely, cell values only.

A workbook someone attaches to an email is untrusted input. Before any parser sees it, this
module checks it so that a bad file gets one clear sentence, never a crash, a hang or memory
exhaustion:

* its size (:data:`MAX_FILE_BYTES`) and its kind, from its first bytes rather than its name
  (a CSV renamed ``.xlsx``, an HTML page saved as ``.xls``, a password-protected workbook);
* for the zip-based formats, the archive itself: number of parts, declared sizes, compression
  ratio, then every XML part is decompressed as a stream and its real size and CRC checked (a
  zip bomb that lies about its sizes is caught here, by Python's bounded reader, before the
  Rust reader sees it);
* no XML part may declare a DTD (``<!DOCTYPE``/``<!ENTITY``): Excel and LibreOffice never
  write one, and entity expansion ("billion laughs", external entities) needs one. The small
  parts we parse ourselves go through :mod:`defusedxml`;
* the cell grid the reader will build: python-calamine stores a sheet as a dense grid, so one
  cell at ``XFD1048576`` in a 2 KB file would need hundreds of gigabytes. Cell references past
  :data:`MAX_ROWS` / :data:`MAX_COLUMNS` are refused before the sheet is loaded;
* formulas are read as the values Excel cached when it last saved; a formula with no cached
  value, and a cell holding an error value (``#N/A``, ``#REF!``), are reported per cell rather
  than read as empty (calamine gives ``""`` for both).

The values come from python-calamine (Rust): it reads 100k rows of 30 columns in about 1.8 s,
where openpyxl's read-only mode takes about 24 s. Sheet rows are returned with Excel's
geometry: ``rows[i][j]`` is the cell at row ``i + 1``, column ``j`` (``A`` is 0).
"""

from __future__ import annotations

import hashlib
import re
import zipfile
import zlib
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from pathlib import Path, PurePosixPath
from typing import Any, Final

from complaints_cli.errors import ComplaintsError
from complaints_cli.files.headers import column_letter

#: A Complaints Log of 100k cases is about 9 MB as .xlsx; anything far past that is refused.
MAX_FILE_BYTES: Final = 200 * 1024 * 1024
#: Total uncompressed size of a zip-based workbook's parts.
MAX_UNZIPPED_BYTES: Final = 2 * 1024 * 1024 * 1024
#: A part larger than this must not be compressed more than :data:`MAX_RATIO` times.
RATIO_CHECK_FROM: Final = 10 * 1024 * 1024
#: Sheet XML compresses 10-20x, very repetitive sheets up to ~100x; zip bombs ~1000x.
MAX_RATIO: Final = 250
MAX_PARTS: Final = 10_000
#: The largest sheet read: more rows than any housing association's complaints log.
MAX_ROWS: Final = 500_000
MAX_COLUMNS: Final = 512
#: The dense grid calamine allocates (rows x columns) must stay below this many cells.
MAX_CELLS: Final = 40_000_000

_CHUNK = 4 * 1024 * 1024
_OVERLAP = 64

Cell = str | int | float | bool | date | datetime | time | timedelta | None


class SpreadsheetError(ComplaintsError):
    """The file cannot be read as a workbook; the message says why and what to do."""


@dataclass(frozen=True)
class Sheet:
    """One sheet's cell values, in Excel's geometry."""

    name: str
    #: ``rows[i][j]`` is the cell at row ``i + 1``, column ``j``; empty cells are ``""``.
    rows: list[list[Any]]
    #: Merged ranges as ``((first_row, first_col), (last_row, last_col))``, 0-based.
    merged: list[tuple[tuple[int, int], tuple[int, int]]] = field(default_factory=list)
    #: ``(row, col)`` (0-based) -> why the cell has no usable value (uncached formula, error).
    unreadable: dict[tuple[int, int], str] = field(default_factory=dict)


def cell_name(row: int, col: int) -> str:
    """``(0, 0)`` -> ``A1``."""
    return f"{column_letter(col)}{row + 1}"


def _letters_to_index(letters: str) -> int:
    n = 0
    for ch in letters:
        n = n * 26 + (ord(ch) - 64)
    return n - 1


# --- what kind of file -----------------------------------------------------------------------

_OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
_ZIP_MAGIC = b"PK\x03\x04"
_ENCRYPTED = "EncryptedPackage".encode("utf-16-le")


def _sniff(head: bytes, data: bytes, shown: str) -> str:
    """The container kind (``zip`` or ``ole``), or a :class:`SpreadsheetError` saying what it is."""
    if head.startswith(_ZIP_MAGIC):
        return "zip"
    if head.startswith(_OLE_MAGIC):
        if _ENCRYPTED in data:
            raise SpreadsheetError(
                f"{shown} is password-protected (encrypted): open it in Excel, remove the "
                "password (File > Info > Protect Workbook) and save a copy to import"
            )
        return "ole"
    if head.startswith(b"PK"):
        raise SpreadsheetError(f"{shown} is a damaged or unsupported zip archive, not a workbook")
    text = head.lstrip(b"\xef\xbb\xbf \t\r\n").lower()
    if text.startswith((b"<html", b"<!doctype html", b"<?xml", b"<table")):
        raise SpreadsheetError(
            f"{shown} is a web page or XML file, not a workbook: open it in Excel and save it "
            "as an Excel Workbook (.xlsx)"
        )
    if head.startswith(b"%PDF"):
        raise SpreadsheetError(f"{shown} is a PDF, not a workbook")
    try:
        head[:-4].decode("utf-8")
        looks_text = b"\x00" not in head
    except UnicodeDecodeError:
        looks_text = False
    if looks_text:
        raise SpreadsheetError(
            f"{shown} is a text file (CSV?), not a workbook: open it in Excel and save it as "
            "an Excel Workbook (.xlsx), then import that"
        )
    raise SpreadsheetError(
        f"{shown} is not a spreadsheet: import reads Excel (.xlsx, .xls) and "
        "OpenDocument (.ods) workbooks"
    )


# --- zip checks -------------------------------------------------------------------------------

# XML keywords are upper case only, so these two searches find every DTD a parser would read.
_DTD_MARKS = (b"<!DOCTYPE", b"<!ENTITY")
# Plain byte searches first (memchr-fast); the regexes only run where those hit. The patterns
# are written to fail fast: ~0.1 s each over the 108 MB sheet of a 100k-case log.
# A sheet with formulas has at least one formula element with text, ending "f>" (``</f>``,
# ``</x:f>``; a shared formula's ``<f si="0"/>`` always has such a master); an error value is
# ``t="e"``. A false hit only costs a closer look at that sheet.
_FORMULA_MARKS = (b"f>", b't="e"')
# One pass finds the cell references that matter for the grid's size: columns of two or more
# letters (AA onwards) and rows of six or more digits (100000 onwards).
_FAR_CELL = re.compile(rb' r="(?:([A-Z]{2,})[0-9]|[A-Z]*([0-9]{6,})")')
_ODS_WIDE = re.compile(
    rb"<table:table-cell\b[^>]*?number-columns-repeated=\"([0-9]+)\"[^>]*>", re.S
)
_ODS_TALL = re.compile(rb"<table:table-row\b[^>]*?number-rows-repeated=\"([0-9]{4,})\"[^>]*>")


@dataclass
class _PartScan:
    """What streaming through one XML part found."""

    size: int = 0
    formulas_or_errors: bool = False
    max_row: int = 0  # the highest row number seen if it has 6+ digits, else 0
    max_col: int = 0  # the highest 0-based column index seen if it has 2+ letters, else 0
    ods_columns: int = 0  # the largest repeat of a valued cell across columns (ODS)
    ods_rows: int = 0  # the largest repeat of a row holding a value (ODS)


def _scan_part(zf: zipfile.ZipFile, info: zipfile.ZipInfo, shown: str, budget: int) -> _PartScan:
    """Decompress one part as a stream (never more than ``budget`` bytes), checking it."""
    scan = _PartScan()
    sheet = info.filename.startswith("xl/worksheets/")
    ods = info.filename == "content.xml"
    tail = b""
    try:
        with zf.open(info) as fh:
            while chunk := fh.read(_CHUNK):
                scan.size += len(chunk)
                if scan.size > budget:
                    raise SpreadsheetError(
                        f"{shown} unpacks to more than {MAX_UNZIPPED_BYTES // 2**20} MB "
                        "(a zip bomb?): refused"
                    )
                # Searches run on the chunk, and on the few bytes either side of its start so
                # that nothing split between two chunks is missed.
                edge = tail + chunk[:_OVERLAP]
                if any(m in chunk or m in edge for m in _DTD_MARKS):
                    raise SpreadsheetError(
                        f"{shown} has an XML document type declaration in {info.filename}, "
                        "which Excel never writes: refused as a possible XML entity attack"
                    )
                if sheet:
                    if not scan.formulas_or_errors:
                        scan.formulas_or_errors = any(
                            m in chunk or m in edge for m in _FORMULA_MARKS
                        )
                    for part in (chunk, edge):
                        for letters, row_number in set(_FAR_CELL.findall(part)):
                            if letters:
                                scan.max_col = max(
                                    scan.max_col, _letters_to_index(letters.decode())
                                )
                            else:
                                scan.max_row = max(scan.max_row, int(row_number))
                if ods:
                    _scan_ods(tail + chunk, scan)
                tail = chunk[-_OVERLAP:]
    except zipfile.BadZipFile as exc:
        raise SpreadsheetError(f"{shown} is damaged ({info.filename}: {exc})") from None
    except (zlib.error, EOFError, OSError) as exc:
        raise SpreadsheetError(
            f"{shown} is damaged: {info.filename} cannot be unpacked ({exc})"
        ) from None
    except NotImplementedError as exc:
        raise SpreadsheetError(f"{shown} uses an unsupported compression ({exc})") from None
    return scan


def _scan_ods(window: bytes, scan: _PartScan) -> None:
    """LibreOffice repeats empty cells/rows to the sheet's end (harmless); repeated *valued*
    cells are expanded by the reader, so a huge repeat of a value is a grid bomb."""
    for m in _ODS_WIDE.finditer(window):
        if b"office:value-type" in m[0] or b"office:value=" in m[0]:
            scan.ods_columns = max(scan.ods_columns, int(m[1]))
    for m in _ODS_TALL.finditer(window):
        end = window.find(b"</table:table-row>", m.end())
        body = window[m.end() : end if end >= 0 else len(window)]
        if b"office:value-type" in body:
            scan.ods_rows = max(scan.ods_rows, int(m[1]))


def _check_zip(path: Path, shown: str) -> tuple[str, dict[str, _PartScan], zipfile.ZipFile]:
    """Check the archive; return its kind (``xlsx``/``ods``), each XML part's scan, the zip."""
    try:
        zf = zipfile.ZipFile(path)
    except zipfile.BadZipFile as exc:
        raise SpreadsheetError(f"{shown} is damaged: not a valid zip archive ({exc})") from None
    infos = zf.infolist()
    if len(infos) > MAX_PARTS:
        raise SpreadsheetError(f"{shown} has {len(infos)} parts, too many for a workbook")
    names = {i.filename for i in infos}
    if "xl/workbook.bin" in names:
        raise SpreadsheetError(
            f"{shown} is an Excel Binary Workbook (.xlsb): save it as .xlsx to import"
        )
    if "xl/workbook.xml" in names:
        kind = "xlsx"
    elif "content.xml" in names and "mimetype" in names:
        mimetype = zf.read("mimetype")[:100]
        if b"opendocument.spreadsheet" not in mimetype:
            raise SpreadsheetError(
                f"{shown} is an OpenDocument file but not a spreadsheet "
                f"({mimetype.decode('ascii', 'replace')})"
            )
        kind = "ods"
    elif "word/document.xml" in names:
        raise SpreadsheetError(f"{shown} is a Word document, not a workbook")
    else:
        raise SpreadsheetError(f"{shown} is a zip archive, not a workbook")
    declared = 0
    for info in infos:
        declared += info.file_size
        if info.file_size > RATIO_CHECK_FROM and info.file_size > MAX_RATIO * max(
            info.compress_size, 1
        ):
            ratio = info.file_size // max(info.compress_size, 1)
            raise SpreadsheetError(
                f"{shown}: {info.filename} is compressed {ratio} times (a zip bomb?): refused"
            )
    if declared > MAX_UNZIPPED_BYTES:
        raise SpreadsheetError(
            f"{shown} unpacks to {declared // 2**20} MB, more than the "
            f"{MAX_UNZIPPED_BYTES // 2**20} MB a workbook may: refused"
        )
    scans: dict[str, _PartScan] = {}
    budget = MAX_UNZIPPED_BYTES
    for info in infos:
        if info.is_dir() or not info.filename.lower().endswith((".xml", ".rels")):
            continue
        scan = _scan_part(zf, info, shown, budget)
        budget -= scan.size
        scans[info.filename] = scan
    return kind, scans, zf


# --- xlsx structure (small parts, parsed with defusedxml) --------------------------------------

_MAIN_NS = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
_STRICT_NS = "http://purl.oclc.org/ooxml/spreadsheetml/main"
_REL_NS = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
_STRICT_REL_NS = "http://purl.oclc.org/ooxml/officeDocument/relationships"


def _xml(zf: zipfile.ZipFile, name: str, shown: str) -> Any:
    from defusedxml import DefusedXmlException
    from defusedxml.ElementTree import fromstring

    try:
        return fromstring(zf.read(name))
    except DefusedXmlException as exc:
        raise SpreadsheetError(f"{shown}: {name} refused ({exc})") from None
    except Exception as exc:  # ParseError and friends
        raise SpreadsheetError(f"{shown} is damaged: {name} is not well-formed XML") from exc


def _xlsx_layout(zf: zipfile.ZipFile, shown: str) -> tuple[bool, dict[str, str]]:
    """``(date1904, {sheet name: part path})`` from the workbook part and its relationships."""
    book = _xml(zf, "xl/workbook.xml", shown)
    epoch_1904 = False
    sheets: list[tuple[str, str]] = []
    for el in book.iter():
        tag = el.tag.rsplit("}", 1)[-1]
        if tag == "workbookPr":
            epoch_1904 = el.get("date1904", "0").lower() in ("1", "true")
        elif tag == "sheet":
            rid = el.get(f"{{{_REL_NS}}}id") or el.get(f"{{{_STRICT_REL_NS}}}id") or ""
            sheets.append((el.get("name", ""), rid))
    targets: dict[str, str] = {}
    if "xl/_rels/workbook.xml.rels" in zf.namelist():
        for rel in _xml(zf, "xl/_rels/workbook.xml.rels", shown).iter():
            if rel.get("Id") and rel.get("Target"):
                target = rel.get("Target", "")
                if target.startswith("/"):
                    path = target.lstrip("/")
                else:
                    path = str(PurePosixPath("xl") / target)
                targets[rel.get("Id", "")] = _normpath(path)
    return epoch_1904, {name: targets.get(rid, "") for name, rid in sheets}


def _normpath(path: str) -> str:
    parts: list[str] = []
    for part in path.split("/"):
        if part == "..":
            if parts:
                parts.pop()
        elif part and part != ".":
            parts.append(part)
    return "/".join(parts)


_CELL = re.compile(
    rb"<(?:\w+:)?c\b([^>]*?)(?:/>|>(.*?)</(?:\w+:)?c>)",
    re.S,
)
_REF_ATTR = re.compile(rb'\br="([A-Z]+)([0-9]+)"')
_ERROR_TYPE = re.compile(rb'\bt="e"')
_FORMULA = re.compile(rb"<(?:\w+:)?f[\s>/]")
_VALUE = re.compile(rb"<(?:\w+:)?v>([^<]*)</(?:\w+:)?v>")


def unreadable_cells(sheet_xml: bytes) -> dict[tuple[int, int], str]:
    """Cells whose value the reader cannot give: formulas without a cached value, error values.

    Only called for a sheet whose stream scan found a formula or an error cell.
    """
    out: dict[tuple[int, int], str] = {}
    for m in _CELL.finditer(sheet_xml):
        attrs, body = m[1], m[2] or b""
        ref = _REF_ATTR.search(attrs)
        if ref is None:
            continue
        where = (int(ref[2]) - 1, _letters_to_index(ref[1].decode()))
        value = _VALUE.search(body)
        if _ERROR_TYPE.search(attrs):
            shown = value[1].decode("utf-8", "replace") if value else "an error"
            out[where] = f"holds the error value {shown}: correct the cell in Excel"
        elif _FORMULA.search(body) and (value is None or not value[1]):
            out[where] = (
                "is a formula with no saved result: open the file in Excel, let it "
                "calculate, save, and import again"
            )
    return out


# --- the workbook ------------------------------------------------------------------------------


class Workbook:
    """An untrusted workbook, checked; sheets are read on demand with :meth:`sheet`."""

    def __init__(self, path: Path | str) -> None:
        self.path = Path(path)
        shown = repr(self.path.name)
        try:
            size = self.path.stat().st_size
        except FileNotFoundError:
            raise SpreadsheetError(f"{str(self.path)!r} does not exist") from None
        except OSError as exc:
            raise SpreadsheetError(f"cannot read {str(self.path)!r}: {exc.strerror}") from None
        if self.path.is_dir():
            raise SpreadsheetError(f"{str(self.path)!r} is a folder, not a workbook")
        if size == 0:
            raise SpreadsheetError(f"{shown} is empty (0 bytes)")
        if size > MAX_FILE_BYTES:
            raise SpreadsheetError(
                f"{shown} is {size // 2**20} MB, more than the {MAX_FILE_BYTES // 2**20} MB "
                "an import reads: split the log or remove images and other sheets"
            )
        try:
            data = self.path.read_bytes()
        except OSError as exc:
            raise SpreadsheetError(f"cannot read {str(self.path)!r}: {exc.strerror}") from None
        #: The file's SHA-256, named in each imported case's history.
        self.sha256 = hashlib.sha256(data).hexdigest()
        container = _sniff(data[:4096], data, shown)
        self.epoch_1904 = False
        self._parts: dict[str, str] = {}
        self._scans: dict[str, _PartScan] = {}
        self._zip: zipfile.ZipFile | None = None
        if container == "zip":
            self.format, self._scans, self._zip = _check_zip(self.path, shown)
            if self.format == "xlsx":
                self.epoch_1904, self._parts = _xlsx_layout(self._zip, shown)
            elif any(
                s.ods_columns > MAX_COLUMNS or s.ods_rows > MAX_ROWS // 5
                for s in self._scans.values()
            ):
                raise SpreadsheetError(
                    f"{shown} repeats a value over a huge area (a grid bomb?): refused"
                )
        else:
            self.format = "xls"
        self._shown = shown
        self._book = self._open_reader()

    def _open_reader(self) -> Any:
        from python_calamine import CalamineWorkbook

        try:
            return CalamineWorkbook.from_path(str(self.path))
        except Exception as exc:  # calamine raises its own error types for any bad input
            raise SpreadsheetError(
                f"{self._shown} cannot be read as a {self.format} workbook: {_first_line(exc)}"
            ) from None

    def close(self) -> None:
        if self._zip is not None:
            self._zip.close()
        close = getattr(self._book, "close", None)
        if close is not None:
            close()

    def __enter__(self) -> Workbook:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    @property
    def sheet_names(self) -> list[str]:
        """The worksheets, in workbook order (chart sheets and macro sheets left out)."""
        from python_calamine import SheetTypeEnum

        return [m.name for m in self._book.sheets_metadata if m.typ == SheetTypeEnum.WorkSheet]

    def _check_grid(self, name: str) -> None:
        part = self._parts.get(name)
        scan = self._scans.get(part or "")
        if scan is None:
            return
        if scan.max_col >= MAX_COLUMNS:
            raise SpreadsheetError(
                f"{self._shown}: sheet {name!r} uses column {column_letter(scan.max_col)}, past "
                f"the {MAX_COLUMNS} columns an import reads: delete the stray cells far to the "
                "right"
            )
        if scan.max_row > MAX_ROWS:
            raise SpreadsheetError(
                f"{self._shown}: sheet {name!r} uses row {scan.max_row}, past the {MAX_ROWS} "
                "rows an import reads: delete the stray cells far below the log"
            )
        rows = scan.max_row or 99_999
        cols = (scan.max_col + 1) if scan.max_col else 26
        if rows * cols > MAX_CELLS:
            raise SpreadsheetError(
                f"{self._shown}: sheet {name!r} spans {rows} rows by {cols} columns, too large "
                "a grid to read: delete stray cells far below or to the right of the log"
            )

    def sheet(self, name: str) -> Sheet:
        """Read one sheet's values (after checking its grid size)."""
        self._check_grid(name)
        try:
            raw = self._book.get_sheet_by_name(name)
            rows = raw.to_python(skip_empty_area=False)
            merged = list(raw.merged_cell_ranges or [])
        except Exception as exc:
            raise SpreadsheetError(
                f"{self._shown}: sheet {name!r} cannot be read: {_first_line(exc)}"
            ) from None
        unreadable: dict[tuple[int, int], str] = {}
        part = self._parts.get(name)
        scan = self._scans.get(part or "")
        if self._zip is not None and part and scan is not None and scan.formulas_or_errors:
            unreadable = unreadable_cells(self._zip.read(part))
        return Sheet(name=name, rows=rows, merged=merged, unreadable=unreadable)


def _first_line(exc: BaseException) -> str:
    text = str(exc).strip()
    return text.splitlines()[0][:300] if text else type(exc).__name__


def iter_nonblank(rows: list[list[Any]]) -> Iterator[tuple[int, list[Any]]]:
    """``(row index, row)`` for each row with at least one non-blank cell."""
    for index, row in enumerate(rows):
        for value in row:
            if (
                value is not None
                and value != ""
                and not (isinstance(value, str) and not value.strip())
            ):
                yield index, row
                break


__all__ = [
    "MAX_FILE_BYTES",
    "Sheet",
    "SpreadsheetError",
    "Workbook",
    "cell_name",
    "iter_nonblank",
    "unreadable_cells",
]
