"""Finding a sheet's header, on one row or spread over two.

Real logs head their columns in several ways: one row of headers under title rows (the
procedure's own layout, :func:`.headers.find_header_row`), or two rows, as a team tidies its
sheet: the first columns merged down over both rows, a banner such as ``Stage 1`` or
``Stage 2`` merged across the columns it covers, and the sub-headers (``Handler``,
``Response date``) in the second row. :func:`find_header` reads both.

How two rows become one
-----------------------
For each column, the top cell's text (a merged cell's text applies to every column it covers,
so a banner over K:O heads each of K to O) and the bottom cell's text are combined into the
first of these that names a known column: ``top + bottom`` (``Stage 2`` + ``Handler`` is
``Stage 2 Handler``), then ``bottom`` alone (``Complaint details`` + ``Summary``: ``Summary``),
then ``top`` alone (a header merged down over both rows). A column that names none keeps
``top bottom`` as its name and is kept as an unknown column.

Two rows are taken as the header when a merged cell in the top row reaches into the second
row or spans several columns of it (the usual banner layout), or, for a file without merges,
when neither row alone is a header but the two together are; and only when the two rows
together name more of the log's columns than either row alone (so a title row above a
one-row header is not mistaken for a banner).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from complaints_cli.files.headers import (
    MIN_HEADER_COLUMNS,
    REQUIRED,
    HeaderError,
    HeaderMatch,
    match_headers,
    near_miss,
    recognise,
)

Merge = tuple[tuple[int, int], tuple[int, int]]


@dataclass(frozen=True)
class HeaderRows:
    """Where a sheet's header is and how it maps onto the log's columns."""

    first: int  #: 0-based index of the header's first row
    last: int  #: 0-based index of its last row (``first`` for a one-row header)
    #: each column's header as read (two rows combined), in sheet order
    cells: list[object]
    match: HeaderMatch


def _text(value: object) -> str:
    return " ".join(str(value).split()) if value not in (None, "") else ""


def _qualifies(match: HeaderMatch) -> bool:
    if any(c in match.missing for c in REQUIRED):
        return False
    return match.log_columns >= MIN_HEADER_COLUMNS or not match.unknown


def _clean(match: HeaderMatch) -> bool:
    """A header row on its own: qualifies and names no column twice."""
    return _qualifies(match) and not match.duplicates


def _spread(rows: Sequence[Sequence[object]], merged: Sequence[Merge], index: int) -> list[str]:
    """Row ``index``'s texts: a merged cell starting on this row heads every column it spans;
    a cell merged down from the row above is blank here (the row above has its text)."""
    out = [_text(v) for v in rows[index]]
    for (r0, c0), (r1, c1) in merged:
        if not r0 <= index <= r1 or c1 - c0 > 1000 or r0 >= len(rows):
            continue
        value = _text(rows[r0][c0]) if c0 < len(rows[r0]) else ""
        out += [""] * (c1 + 1 - len(out))
        for c in range(c0, c1 + 1):
            out[c] = value if r0 == index else ""
    return out


def combine(top: Sequence[str], bottom: Sequence[str]) -> list[object]:
    """Two header rows as one (see the module docstring)."""
    out: list[object] = []
    for i in range(max(len(top), len(bottom))):
        upper = top[i] if i < len(top) else ""
        lower = bottom[i] if i < len(bottom) else ""
        both = f"{upper} {lower}".strip()
        for candidate in (both, lower, upper):
            if candidate and recognise(candidate) is not None:
                out.append(candidate)
                break
        else:
            out.append(both)
    return out


def _banner(merged: Sequence[Merge], index: int) -> bool:
    """Whether a merged cell on row ``index`` reaches into the next row, or spans columns
    above a row of sub-headers (not a title across the whole sheet: its row is alone)."""
    return any(r0 == index and (r1 > r0 or c1 > c0) for (r0, c0), (r1, c1) in merged)


def find_header(
    rows: Sequence[Sequence[object]], merged: Sequence[Merge] = (), max_scan: int = 30
) -> HeaderRows:
    """The sheet's header: one row, or two combined (module docstring). Raises
    :class:`HeaderError` naming the row that came closest, what it lacks, and each header it
    did not recognise with the nearest known one; or a column named twice."""
    best: tuple[str, HeaderMatch] | None = None
    scan = min(max_scan, len(rows))
    merged = [m for m in merged if m[0][0] <= scan]  # only the rows a header may be on
    singles = [match_headers(rows[i], strict=False) for i in range(min(scan + 1, len(rows)))]
    for index in range(scan):
        single = singles[index]
        if index + 1 < len(rows):
            below = singles[index + 1]
            top = _spread(rows, merged, index)
            bottom = _spread(rows, merged, index + 1)
            cells = combine(top, bottom)
            pair = match_headers(cells, strict=False)
            wanted = _banner(merged, index) or not (_clean(single) or _clean(below))
            better = pair.log_columns > max(single.log_columns, below.log_columns)
            if wanted and better and _qualifies(pair):
                try:
                    return HeaderRows(index, index + 1, cells, pair.check())
                except HeaderError as err:
                    raise HeaderError(f"header rows {index + 1}-{index + 2}: {err}") from None
            if better and (best is None or pair.log_columns > best[1].log_columns):
                best = (f"rows {index + 1}-{index + 2}", pair)
        if _qualifies(single):
            try:
                return HeaderRows(index, index, list(rows[index]), single.check())
            except HeaderError as err:
                raise HeaderError(f"header row {index + 1}: {err}") from None
        if single.log_columns and (best is None or single.log_columns > best[1].log_columns):
            best = (f"row {index + 1}", single)
    if best is not None and best[1].log_columns >= 2:
        raise HeaderError(near_miss(*best))
    raise HeaderError(
        f"no header row found in the first {max_scan} rows: expected headers such as "
        "'Complaints reference', 'Status', 'Stage' and 'Complaint received'"
    )


__all__ = ["HeaderRows", "combine", "find_header"]
