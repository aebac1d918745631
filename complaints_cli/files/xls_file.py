"""Looking inside an untrusted legacy Office file: the compound file and the BIFF workbook.

A ``.xls`` workbook, a Word 97 document and a password-protected ``.xlsx`` are all *compound
files* ([MS-CFB]: a little FAT file system of 512- or 4096-byte sectors). :func:`read_compound`
lists its streams and reads one, with every sector chain bounded (a loop or a chain past the
file's end is refused, never followed). :func:`scan_xls` then walks the ``Workbook`` stream's
BIFF records ([MS-XLS] 2.1.4) once, without building any cell, for what python-calamine does
not give:

* the date system (``DATEMODE``, 2.4.77: 1 is the 1904 system);
* password protection (``FILEPASS``, 2.4.117): the workbook is encrypted;
* each worksheet's extent (the highest row and column holding a value), so that a file whose
  cell records claim column 60,000 is refused before the reader builds a grid for it (BIFF8
  has 256 columns, but a record's column field holds up to 65,535);
* each cell without a usable value: a ``FORMULA`` record whose cached result is an error
  (2.5.133 ``FormulaValue``), a ``BOOLERR`` record holding an error (2.4.24). A formula whose
  cached result is the empty string (``FormulaValue`` type 3) is an empty cell.
"""

from __future__ import annotations

import struct
from dataclasses import dataclass, field
from typing import Final

from complaints_cli.files.sheet_xml import SheetFacts, error_value

_MAGIC: Final = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
_FREE: Final = 0xFFFFFFFF
_END_OF_CHAIN: Final = 0xFFFFFFFE
_SPECIAL: Final = 0xFFFFFFFA  # FAT values from here up are not sector numbers


class CompoundError(Exception):
    """The compound file is damaged (the message says how)."""


@dataclass
class Compound:
    """A compound file's streams by name (lower case), read on demand."""

    data: bytes
    sector: int
    mini_sector: int
    mini_cutoff: int
    fat: list[int]
    minifat: list[int]
    #: lower-cased name -> (start sector, size)
    streams: dict[str, tuple[int, int]] = field(default_factory=dict)
    root: tuple[int, int] = (_END_OF_CHAIN, 0)
    _mini_stream: bytes | None = None

    def names(self) -> set[str]:
        return set(self.streams)

    def _chain(self, start: int, table: list[int], limit: int) -> list[int]:
        out: list[int] = []
        seen: set[int] = set()
        current = start
        while current < _SPECIAL:
            if current in seen or current >= len(table) or len(out) > limit:
                raise CompoundError("a sector chain loops or runs past the end of the file")
            seen.add(current)
            out.append(current)
            current = table[current]
        return out

    def _sectors(self, start: int, size: int) -> bytes:
        count = -(-size // self.sector)
        parts = []
        for number in self._chain(start, self.fat, count):
            offset = (number + 1) * self.sector
            if offset + self.sector > len(self.data) + self.sector:
                raise CompoundError("a sector lies past the end of the file")
            parts.append(self.data[offset : offset + self.sector])
        out = b"".join(parts)
        if len(out) < size:
            raise CompoundError("a stream is shorter than its directory entry says")
        return out[:size]

    def read(self, name: str) -> bytes:
        """The stream ``name`` (case-insensitive), whole."""
        start, size = self.streams[name.lower()]
        if size > len(self.data):
            raise CompoundError(f"stream {name!r} says it is larger than the whole file")
        if size >= self.mini_cutoff:
            return self._sectors(start, size)
        if self._mini_stream is None:
            self._mini_stream = self._sectors(*self.root) if self.root[1] else b""
        parts = []
        count = -(-size // self.mini_sector)
        for number in self._chain(start, self.minifat, count):
            offset = number * self.mini_sector
            parts.append(self._mini_stream[offset : offset + self.mini_sector])
        out = b"".join(parts)
        if len(out) < size:
            raise CompoundError("a small stream is shorter than its directory entry says")
        return out[:size]


def read_compound(data: bytes) -> Compound:
    """Parse a compound file's header, FAT and directory ([MS-CFB] 2.2-2.6)."""
    if len(data) < 512 or not data.startswith(_MAGIC):
        raise CompoundError("not a compound file")
    major, _byte_order, shift, mini_shift = struct.unpack_from("<HHHH", data, 0x1A)
    if (major, shift) not in ((3, 9), (4, 12)) or mini_shift != 6:
        raise CompoundError("an unknown compound file version")
    sector = 1 << shift
    n_fat, first_dir = struct.unpack_from("<II", data, 0x2C)
    (cutoff,) = struct.unpack_from("<I", data, 0x38)
    first_mini, n_mini, first_difat, n_difat = struct.unpack_from("<IIII", data, 0x3C)
    total = len(data) // sector + 1
    if n_fat > total or n_mini > total or n_difat > total:
        raise CompoundError("its header counts more sectors than the file has")

    def sector_bytes(number: int) -> bytes:
        offset = (number + 1) * sector
        if number >= _SPECIAL or offset + sector > len(data):
            raise CompoundError("a sector lies past the end of the file")
        return data[offset : offset + sector]

    difat = [n for n in struct.unpack_from("<109I", data, 0x4C) if n < _SPECIAL]
    current, hops = first_difat, 0
    while current < _SPECIAL and len(difat) < n_fat:
        hops += 1
        if hops > n_difat + 1:
            raise CompoundError("its sector table chain loops")
        numbers = struct.unpack(f"<{sector // 4}I", sector_bytes(current))
        difat += [n for n in numbers[:-1] if n < _SPECIAL]
        current = numbers[-1]
    fat: list[int] = []
    for number in difat[:n_fat]:
        fat += struct.unpack(f"<{sector // 4}I", sector_bytes(number))
    compound = Compound(data, sector, 1 << mini_shift, cutoff, fat, [])
    if n_mini:
        mini = compound._chain(first_mini, fat, n_mini)
        for number in mini:
            compound.minifat += struct.unpack(f"<{sector // 4}I", sector_bytes(number))
    for number in compound._chain(first_dir, fat, total):
        block = sector_bytes(number)
        for at in range(0, sector, 128):
            entry = block[at : at + 128]
            name_len = struct.unpack_from("<H", entry, 64)[0]
            kind = entry[66]
            if kind not in (1, 2, 5) or not 2 <= name_len <= 64:
                continue
            name = entry[: name_len - 2].decode("utf-16-le", "replace")
            start, size = struct.unpack_from("<IQ", entry, 116)
            if major == 3:
                size &= 0xFFFFFFFF
            if kind == 5:
                compound.root = (start, size)
            elif kind == 2:
                compound.streams.setdefault(name.lower(), (start, size))
    return compound


# --- BIFF ----------------------------------------------------------------------------------------

_BOF, _EOF, _CONTINUE = 0x0809, 0x000A, 0x003C
_FILEPASS, _DATEMODE, _BOUNDSHEET = 0x002F, 0x0022, 0x0085
_FORMULA, _BOOLERR = 0x0006, 0x0205
_BLANK, _MULBLANK, _MULRK = 0x0201, 0x00BE, 0x00BD
_FONT, _XF = 0x0031, 0x00E0
#: A FONT record's option bit for struck-through text (fStrikeOut, [MS-XLS] 2.4.122).
_STRIKE_OUT: Final = 0x0008
#: Cell records ([MS-XLS] 2.4): row and column are their first two 16-bit fields.
_CELLS: Final = frozenset({0x0203, 0x027E, 0x00FD, 0x0204, 0x00D6, _FORMULA, _BOOLERR, _MULRK})
#: Error codes ([MS-XLS] 2.5.97 BErr).
ERRORS: Final = {
    0x00: "#NULL!",
    0x07: "#DIV/0!",
    0x0F: "#VALUE!",
    0x17: "#REF!",
    0x1D: "#NAME?",
    0x24: "#NUM!",
    0x2A: "#N/A",
    0x2B: "#GETTING_DATA",
}


@dataclass
class XlsFacts:
    """What the BIFF records say about the workbook."""

    encrypted: bool = False
    epoch_1904: bool = False
    #: each worksheet's facts, by name, in workbook order
    sheets: dict[str, SheetFacts] = field(default_factory=dict)


def _sheet_name(record: bytes, biff8: bool) -> str:
    count = record[6]
    if not biff8:
        return record[7 : 7 + count].decode("latin-1")
    wide = record[7] & 1
    body = record[8 : 8 + count * (2 if wide else 1)]
    return body.decode("utf-16-le" if wide else "latin-1", "replace")


def scan_xls(stream: bytes) -> XlsFacts:
    """Walk a BIFF5/BIFF8 ``Workbook`` stream (see the module docstring). Raises
    :class:`CompoundError` when a record runs past the stream's end."""
    facts = XlsFacts()
    size = len(stream)
    unpack = struct.unpack_from
    sheets: list[tuple[int, str]] = []
    biff8 = True
    fonts: list[bool] = []  # each FONT record: struck through
    xf_fonts: list[int] = []  # each XF record's font index
    # The workbook globals: from the first BOF to its EOF.
    pos = 0
    while pos + 4 <= size:
        kind, length = unpack("<HH", stream, pos)
        body = pos + 4
        if body + length > size:
            raise CompoundError("a record runs past the end of the workbook stream")
        if kind == _BOF and pos == 0:
            biff8 = unpack("<H", stream, body)[0] == 0x0600 if length >= 2 else True
        elif kind == _FILEPASS:
            facts.encrypted = True
            return facts
        elif kind == _DATEMODE and length >= 2:
            facts.epoch_1904 = unpack("<H", stream, body)[0] == 1
        elif kind == _BOUNDSHEET and length >= 8:
            record = stream[body : body + length]
            if record[5] == 0:  # a worksheet (not a chart or macro sheet)
                sheets.append((unpack("<I", record, 0)[0], _sheet_name(record, biff8)))
        elif kind == _FONT and length >= 4:
            fonts.append(bool(unpack("<H", stream, body + 2)[0] & _STRIKE_OUT))
        elif kind == _XF and length >= 2:
            xf_fonts.append(unpack("<H", stream, body)[0])
        elif kind == _EOF:
            break
        pos = body + length
    # Font index 4 is never written: index 5 is the fifth FONT record ([MS-XLS] 2.5.129).
    struck = frozenset(
        xf
        for xf, font in enumerate(xf_fonts)
        if (index := font if font < 4 else font - 1) < len(fonts) and fonts[index]
    )
    for offset, name in sheets:
        facts.sheets.setdefault(name, _scan_sheet(stream, offset, struck))
    return facts


def _scan_sheet(stream: bytes, pos: int, struck: frozenset[int] = frozenset()) -> SheetFacts:
    """One worksheet's substream: its extent, unreadable cells and the cells whose XF index
    is in ``struck`` (struck through: :mod:`.struck`)."""
    facts = SheetFacts()
    size = len(stream)
    unpack = struct.unpack_from
    rows = cols = 0
    depth = 0
    while pos + 4 <= size:
        kind, length = unpack("<HH", stream, pos)
        body = pos + 4
        if body + length > size:
            raise CompoundError("a record runs past the end of the workbook stream")
        pos = body + length
        if kind == _BOF:
            depth += 1
            continue
        if kind == _EOF:
            depth -= 1
            if depth <= 0:
                break
            continue
        if depth != 1 or kind not in _CELLS or length < 4:
            continue
        row, col = unpack("<HH", stream, body)
        last = col
        if kind == _MULRK and length >= 6:
            last = unpack("<H", stream, body + length - 2)[0]
        if row >= rows:
            rows = row + 1
        if last >= cols:
            cols = last + 1
        if struck and length >= 6:
            if kind != _MULRK:
                if unpack("<H", stream, body + 4)[0] in struck:
                    facts.struck.add((row, col))
            else:  # an XF index and a number for each column, from body + 4
                for k in range(min((length - 6) // 6, last - col + 1)):
                    if unpack("<H", stream, body + 4 + 6 * k)[0] in struck:
                        facts.struck.add((row, col + k))
        if kind == _FORMULA and length >= 14:
            # FormulaValue: 8 bytes after row, column and XF index; 0xFFFF at its end marks
            # a non-number, whose first byte says which: 2 an error (its code in byte 2).
            if unpack("<H", stream, body + 12)[0] == 0xFFFF and stream[body + 6] == 2:
                shown = ERRORS.get(stream[body + 8], "an error")
                facts.note((row, col), error_value(shown))
        elif kind == _BOOLERR and length >= 8 and stream[body + 7] == 1:
            facts.note((row, col), error_value(ERRORS.get(stream[body + 6], "an error")))
    facts.rows, facts.cols = rows, cols
    return facts


__all__ = ["ERRORS", "Compound", "CompoundError", "XlsFacts", "read_compound", "scan_xls"]
