"""Reading an untrusted spreadsheet (.xlsx, .xls, .ods) safely, cell values only.

A workbook someone attaches to an email is untrusted input. Before any parser sees it, this
module checks it so that a bad file gets one clear sentence, never a crash, a hang or memory
exhaustion:

* its size (:data:`MAX_FILE_BYTES`) and its kind, from its bytes rather than its name
  (:mod:`.sniff`: a CSV renamed ``.xlsx``, a web page or MHTML saved as ``.xls``, UTF-16 text,
  SpreadsheetML 2003, a password-protected workbook, a Numbers file, a Google Drive link);
* for the zip-based formats, the archive itself: number of parts, no two parts with one name,
  declared sizes, compression ratio, then every part is decompressed as a stream and its real
  size and CRC checked (a zip bomb that lies about its sizes is caught here, by Python's
  bounded reader, before the Rust reader sees it);
* no XML part the readers parse may declare a DTD (``<!DOCTYPE``/``<!ENTITY``) or use an
  encoding other than UTF-8: Excel and LibreOffice never write either, and entity expansion
  ("billion laughs", external entities) needs a DTD. The small parts we parse ourselves go
  through :mod:`defusedxml`, the large ones through expat with DTDs refused;
* the cell grid the reader will build: python-calamine stores a sheet as a dense grid from A1,
  so one cell at ``XFD1048576`` in a 2 KB file would need hundreds of gigabytes. Every
  worksheet part (any part holding ``sheetData``, whatever its name), every OpenDocument table
  and every BIFF worksheet is measured first (:mod:`.sheet_xml`, :mod:`.xls_file`), on the
  same bytes the reader reads, and a grid past :data:`MAX_ROWS`, :data:`MAX_COLUMNS` or the
  memory budget (:data:`MEMORY_BUDGET`, at :data:`CELL_BYTES` a cell) is refused before any
  memory is allocated for it;
* formulas are read as the values the spreadsheet saved; a formula with no saved result and a
  cell holding an error value (``#N/A``, ``#REF!``) are reported per cell, in the same words
  for .xlsx, .xls and .ods (the reader gives ``""`` for both); a formula whose saved result is
  the empty string is an empty cell;
* the workbook's date system: ``date1904`` (.xlsx), ``DATEMODE`` (.xls) or
  ``table:null-date`` (.ods), as :attr:`Workbook.epoch`.

The values come from python-calamine (Rust): it reads 100k rows of 30 columns in about 1.8 s,
where openpyxl's read-only mode takes about 24 s. Sheet rows are returned with Excel's
geometry: ``rows[i][j]`` is the cell at row ``i + 1``, column ``j`` (``A`` is 0).
"""

from __future__ import annotations

import hashlib
import io
import re
import zipfile
import zlib
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from pathlib import Path, PurePosixPath
from typing import Any, Final

from complaints_cli.files.date_cells import EPOCH_1900, EPOCH_1904
from complaints_cli.files.headers import column_letter
from complaints_cli.files.ods_content import parse_ods_content
from complaints_cli.files.sheet_xml import (
    PartScan,
    SheetFacts,
    XmlProblem,
    parse_xlsx_sheet,
    unreadable_cells,
)
from complaints_cli.files.sniff import SpreadsheetError, container, zip_kind
from complaints_cli.files.struck import xlsx_struck_styles
from complaints_cli.files.xls_file import Compound, CompoundError, scan_xls

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
#: The memory the reader may use for one sheet's grid, and what one cell costs there: the
#: Rust grid's cell (32 bytes), the Python list's slot (8) and the value object it holds
#: (measured: a 100k-case log of 26 columns peaks at ~380 MB for its 2.6M cells).
MEMORY_BUDGET: Final = 3 * 1024**3
CELL_BYTES: Final = 100
#: The dense grid (rows x columns) must stay below this many cells.
MAX_CELLS: Final = MEMORY_BUDGET // CELL_BYTES

_CHUNK = 4 * 1024 * 1024

Cell = str | int | float | bool | date | datetime | time | timedelta | None


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
    #: ``(row, col)`` (0-based) of the cells with content struck through (:mod:`.struck`).
    struck: set[tuple[int, int]] = field(default_factory=set)


def cell_name(row: int, col: int) -> str:
    """``(0, 0)`` -> ``A1``."""
    return f"{column_letter(col)}{row + 1}"


# --- zip checks -------------------------------------------------------------------------------

#: Parts the readers parse as XML are named so, or are a sheet (found by their content).
_XML_NAMES: Final = (".xml", ".rels")
_ENCODING = re.compile(rb"""^\s*<\?xml[^>]*?encoding\s*=\s*["']([A-Za-z0-9._-]+)["']""")
_ASCII_SAFE: Final = frozenset(
    {"utf-8", "utf8", "us-ascii", "ascii", "iso-8859-1", "latin1", "latin-1", "windows-1252"}
)


def _stream(zf: zipfile.ZipFile, info: zipfile.ZipInfo, shown: str, budget: int) -> Iterator[bytes]:
    """A part's bytes in chunks, never more than ``budget`` in all; damage is one line."""
    size = 0
    try:
        with zf.open(info) as fh:
            while chunk := fh.read(_CHUNK):
                size += len(chunk)
                if size > budget:
                    raise SpreadsheetError(
                        f"{shown} unpacks to more than {MAX_UNZIPPED_BYTES // 2**20} MB "
                        "(a zip bomb?): refused"
                    )
                yield chunk
    except zipfile.BadZipFile as exc:
        raise SpreadsheetError(f"{shown} is damaged ({info.filename}: {exc})") from None
    except (zlib.error, EOFError, OSError) as exc:
        raise SpreadsheetError(
            f"{shown} is damaged: {info.filename} cannot be unpacked ({exc})"
        ) from None
    except NotImplementedError as exc:
        raise SpreadsheetError(f"{shown} uses an unsupported compression ({exc})") from None
    except RuntimeError as exc:  # a zip-level password ("File is encrypted")
        raise SpreadsheetError(
            f"{shown} has password-protected parts ({info.filename}: {exc}), which is not how "
            "Excel protects a workbook: unzip it with its password, or save it again in Excel"
        ) from None


def _first_bytes(chunk: bytes, name: str, shown: str) -> None:
    """Refuse a part in an encoding the byte checks cannot read (UTF-16, ...)."""
    head = chunk[:256]
    if head.startswith((b"\xff\xfe", b"\xfe\xff")) or b"\x00" in head:
        raise SpreadsheetError(
            f"{shown}: {name} is written in UTF-16, which Excel and LibreOffice never write: "
            "refused (save the file again in Excel)"
        )
    m = _ENCODING.match(head.removeprefix(b"\xef\xbb\xbf"))
    if m and m[1].decode("ascii").lower() not in _ASCII_SAFE:
        raise SpreadsheetError(
            f"{shown}: {name} declares the encoding {m[1].decode('ascii')!r}, which Excel and "
            "LibreOffice never write: refused (save the file again in Excel)"
        )


@dataclass
class _Zip:
    """A checked zip workbook: its kind and what the checks found in each part."""

    kind: str
    zf: zipfile.ZipFile
    scans: dict[str, PartScan]
    ods: Any = None  # the OpenDocument content's facts (OdsFacts)


def _check_zip(data: bytes, shown: str) -> _Zip:
    """Check the archive (the file's bytes, as read once) and stream every part through the
    checks (module docstring)."""
    try:
        zf = zipfile.ZipFile(io.BytesIO(data))
    except (zipfile.BadZipFile, OSError, ValueError) as exc:
        raise SpreadsheetError(f"{shown} is damaged: not a valid zip archive ({exc})") from None
    infos = zf.infolist()
    if len(infos) > MAX_PARTS:
        raise SpreadsheetError(f"{shown} has {len(infos)} parts, too many for a workbook")
    seen: set[str] = set()
    for info in infos:
        if info.filename in seen:
            raise SpreadsheetError(
                f"{shown} has two parts named {info.filename}: damaged or tampered with, refused"
            )
        seen.add(info.filename)
    kind = zip_kind(zf, shown)
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
    checked = _Zip(kind, zf, {})
    budget = MAX_UNZIPPED_BYTES
    for info in infos:
        if info.is_dir():
            continue
        if kind == "ods" and info.filename == "content.xml":
            budget -= _check_ods_content(checked, info, shown, budget)
            continue
        scan = PartScan()
        for n, chunk in enumerate(_stream(zf, info, shown, budget)):
            if n == 0 and (info.filename.endswith(_XML_NAMES) or b"sheetData" in chunk):
                _first_bytes(chunk, info.filename, shown)
            scan.feed(chunk)
        scan.finish()
        budget -= scan.size
        if scan.dtd and (info.filename.endswith(_XML_NAMES) or scan.sheet):
            raise SpreadsheetError(
                f"{shown} has an XML document type declaration in {info.filename}, which "
                "Excel never writes: refused as a possible XML entity attack"
            )
        checked.scans[info.filename] = scan
    return checked


def _check_ods_content(checked: _Zip, info: zipfile.ZipInfo, shown: str, budget: int) -> int:
    """Parse ``content.xml`` as it streams (its facts go to ``checked.ods``); its size."""
    size = 0

    def chunks() -> Iterator[bytes]:
        nonlocal size
        for n, chunk in enumerate(_stream(checked.zf, info, shown, budget)):
            if n == 0:
                _first_bytes(chunk, info.filename, shown)
            size += len(chunk)
            yield chunk

    try:
        checked.ods = parse_ods_content(chunks(), empty_results=_by_libreoffice(checked.zf))
    except XmlProblem as exc:
        raise SpreadsheetError(f"{shown}: content.xml refused: {exc}") from None
    return size


_GENERATOR = re.compile(rb"<meta:generator>([^<]{0,200})</meta:generator>")


def _by_libreoffice(zf: zipfile.ZipFile) -> bool:
    """Whether an OpenDocument file says LibreOffice (or OpenOffice) wrote it (meta.xml)."""
    try:
        info = zf.getinfo("meta.xml")
    except KeyError:
        return False
    if info.file_size > 1_000_000:
        return False
    try:
        m = _GENERATOR.search(zf.read(info))
    except (zipfile.BadZipFile, zlib.error, OSError, RuntimeError, NotImplementedError):
        return False
    return m is not None and re.search(rb"LibreOffice|OpenOffice|StarOffice", m[1]) is not None


# --- xlsx structure (small parts, parsed with defusedxml) --------------------------------------

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
            epoch_1904 = el.get("date1904", "0").strip().lower() in ("1", "true", "on")
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


# --- the workbook ------------------------------------------------------------------------------


class Workbook:
    """An untrusted workbook, checked; sheets are read on demand with :meth:`sheet`."""

    def __init__(self, path: Path | str) -> None:
        self.path = Path(path)
        shown = repr(self.path.name)
        self._shown = shown
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
        # The file is read once: the checks, calamine and the hash all see these bytes, so a
        # handler saving the workbook meanwhile (on the share, in Excel) cannot make the
        # import read a file other than the one it checked and names.
        self._data = data
        kind, compound = container(data, shown)
        #: Day 0 of the workbook's serial numbers (its date system).
        self.epoch: date = EPOCH_1900
        self._parts: dict[str, str] = {}  # sheet name -> part (xlsx)
        self._facts: dict[str, SheetFacts] = {}  # sheet name -> facts (xls, ods)
        self._part_facts: dict[str, SheetFacts] = {}  # part -> exact facts (xlsx, parsed)
        self._zip: _Zip | None = None
        if kind == "zip":
            self._zip = _check_zip(data, shown)
            self.format = self._zip.kind
            if self.format == "xlsx":
                epoch_1904, self._parts = _xlsx_layout(self._zip.zf, shown)
                self.epoch = EPOCH_1904 if epoch_1904 else EPOCH_1900
                self._check_xlsx_sheets()
            else:
                self.epoch = self._zip.ods.null_date
                self._facts = self._zip.ods.tables
        else:
            assert compound is not None
            self.format = "xls"
            self._check_xls(compound)
        for name, facts in self._facts.items():
            self._check_extent(name, facts.rows, facts.cols)
        self._book = self._open_reader()

    @property
    def epoch_1904(self) -> bool:
        """Whether the workbook uses the 1904 date system."""
        return self.epoch == EPOCH_1904

    def _check_xls(self, compound: Compound) -> None:
        name = "workbook" if "workbook" in compound.names() else "book"
        try:
            facts = scan_xls(compound.read(name))
        except CompoundError as exc:
            raise SpreadsheetError(f"{self._shown} is damaged: {exc}") from None
        if facts.encrypted:
            raise SpreadsheetError(
                f"{self._shown} is password-protected (an encrypted Excel 97-2003 workbook): "
                "open it in Excel with its password, choose File > Info > Protect Workbook > "
                "Encrypt with Password, clear the password, save it as an Excel Workbook "
                "(.xlsx), and import that"
            )
        self.epoch = EPOCH_1904 if facts.epoch_1904 else EPOCH_1900
        self._facts = facts.sheets

    def _sheet_of(self, part: str) -> str:
        """The sheet name a part holds, for messages (the part's name if none)."""
        for name, found in self._parts.items():
            if found == part:
                return name
        return part

    def _check_xlsx_sheets(self) -> None:
        """Measure every worksheet part (see the module docstring); parse it exactly when the
        fast scan found it unusual or cannot bound it within the budget."""
        assert self._zip is not None
        zf = self._zip.zf
        budget = MAX_UNZIPPED_BYTES
        # A font struck through (rare): each sheet is parsed to find the cells using it.
        styles = "xl/styles.xml"
        has_styles = styles in zf.namelist()
        struck = xlsx_struck_styles(_xml(zf, styles, self._shown)) if has_styles else frozenset()
        for part, scan in self._zip.scans.items():
            if not scan.sheet:
                continue
            where = self._sheet_of(part)
            rows, cols = scan.bound()
            fits = rows <= MAX_ROWS and cols <= MAX_COLUMNS and rows * cols <= MAX_CELLS
            if fits and not scan.unusual and not struck:
                continue
            # The far r attributes the scan saw may be cells with no content: Excel writes
            # <c r="A1048576" s="3"/> for every cell formatted down to the sheet's last row,
            # and <row r="1048576" customFormat="1">, which the reader never places in its
            # grid. Only the exact parse tells them from a far cell holding a value.
            info = zf.getinfo(part)
            try:
                facts = parse_xlsx_sheet(_stream(zf, info, self._shown, budget), struck)
            except XmlProblem as exc:
                raise SpreadsheetError(f"{self._shown}: sheet {where!r} refused: {exc}") from None
            self._check_extent(where, facts.rows, facts.cols)
            self._part_facts[part] = facts

    def _check_extent(self, where: str, rows: int, cols: int) -> None:
        """Refuse a grid past the limits: rows, columns, the memory budget."""
        shown = self._shown
        if cols > MAX_COLUMNS:
            raise SpreadsheetError(
                f"{shown}: sheet {where!r} uses column {column_letter(cols - 1)}, past the "
                f"{MAX_COLUMNS} columns an import reads: delete the stray cells far to the right"
            )
        if rows > MAX_ROWS:
            raise SpreadsheetError(
                f"{shown}: sheet {where!r} uses row {rows}, past the {MAX_ROWS} rows an import "
                "reads: delete the stray cells far below the log"
            )
        if rows * cols > MAX_CELLS:
            need = rows * cols * CELL_BYTES // 2**20
            raise SpreadsheetError(
                f"{shown}: sheet {where!r} spans {rows} rows by {cols} columns, which would need "
                f"about {need:,} MB to read, more than the {MEMORY_BUDGET // 2**20:,} MB an "
                "import may use: delete stray cells far below or to the right of the log"
            )

    def _open_reader(self) -> Any:
        from python_calamine import CalamineWorkbook

        try:
            return CalamineWorkbook.from_filelike(io.BytesIO(self._data))
        except Exception as exc:  # calamine raises its own error types for any bad input
            raise SpreadsheetError(
                f"{self._shown} cannot be read as a {self.format} workbook: {_first_line(exc)}"
            ) from None

    def close(self) -> None:
        if self._zip is not None:
            self._zip.zf.close()
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

    @property
    def hidden_sheets(self) -> set[str]:
        """The worksheets hidden from view (Hide, or "very hidden" by a macro): a message
        naming one says so, as the officer does not see it in the tabs."""
        from python_calamine import SheetVisibleEnum

        return {m.name for m in self._book.sheets_metadata if m.visible != SheetVisibleEnum.Visible}

    def _unreadable(self, name: str) -> dict[tuple[int, int], str]:
        if self.format != "xlsx":
            facts = self._facts.get(name)
            return dict(facts.unreadable) if facts else {}
        part = self._parts.get(name, "")
        if part in self._part_facts:
            return dict(self._part_facts[part].unreadable)
        assert self._zip is not None
        scan = self._zip.scans.get(part)
        if scan is None or not scan.formulas_or_errors:
            return {}
        try:
            return unreadable_cells(self._zip.zf.read(part))
        except XmlProblem as exc:
            raise SpreadsheetError(f"{self._shown}: sheet {name!r} refused: {exc}") from None

    def sheet(self, name: str) -> Sheet:
        """Read one sheet's values (its grid was measured when the workbook was opened)."""
        try:
            raw = self._book.get_sheet_by_name(name)
            rows = raw.to_python(skip_empty_area=False)
            merged = list(raw.merged_cell_ranges or [])
        except Exception as exc:
            raise SpreadsheetError(
                f"{self._shown}: sheet {name!r} cannot be read: {_first_line(exc)}"
            ) from None
        if self.format == "ods" and name in self._facts:
            facts = self._facts[name]
            merged = list(facts.merged)  # the reader reports none for .ods
            for (r, c), text in facts.texts.items():
                # The reader drops an OpenDocument tab; put the cell's text back as written
                # (only where the reader's value is that text without its tabs).
                if r < len(rows) and c < len(rows[r]) and rows[r][c] == text.replace("\t", ""):
                    rows[r][c] = text
        known = self._facts.get(name) or self._part_facts.get(self._parts.get(name, ""))
        struck = set(known.struck) if known else set()
        unreadable = self._unreadable(name)
        return Sheet(name=name, rows=rows, merged=merged, unreadable=unreadable, struck=struck)


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
    "CELL_BYTES",
    "MAX_CELLS",
    "MAX_FILE_BYTES",
    "MEMORY_BUDGET",
    "Sheet",
    "SpreadsheetError",
    "Workbook",
    "cell_name",
    "iter_nonblank",
    "unreadable_cells",
]
