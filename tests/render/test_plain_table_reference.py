"""The fast table renderer (``render/listing.plain_table``) gives exactly the lines of the
simple per-cell renderer it replaced (kept here as the reference), on tricky cells: long
words, line breaks, tabs, accented Unicode, control characters, empty cells, leading and
trailing spaces, repeated cells, and on seeded random tables. Cells that are not one column a
character (wide CJK and emoji, combining marks) are laid out by their width on screen since
the fresh-user trial: tests/render/test_wide_cells.py checks those."""

from __future__ import annotations

import io
import random
import textwrap
from collections.abc import Sequence
from typing import IO

import pytest

from complaints_cli.domain.text import terminal_safe
from complaints_cli.render import listing
from complaints_cli.render.listing import plain_table


def _reference_wrap(cell: str, width: int) -> list[str]:
    out: list[str] = []
    for para in cell.split("\n") or [""]:
        out += textwrap.wrap(para, width, break_long_words=True, break_on_hyphens=False) or [""]
    return out


def reference_plain_table(
    headers: Sequence[str],
    rows: Sequence[Sequence[str]],
    styles: Sequence[str | None] = (),
    *,
    title: str | None = None,
    empty: str = "Nothing to show.",
    no_wrap: Sequence[bool] = (),
    stream: IO[str],
) -> list[str]:
    """The renderer as it was before it was written for speed (one textwrap per cell)."""
    if not rows:
        return [terminal_safe(empty)]
    headers = [terminal_safe(h) for h in headers]
    rows = [[terminal_safe(cell) for cell in row] for row in rows]
    n = len(headers)
    fixed = list(no_wrap) or [False] * n
    widths = [
        max(
            len(headers[i]),
            *(
                len(r[i].split("\n")[0]) if fixed[i] else max(map(len, r[i].split("\n")))
                for r in rows
            ),
        )
        for i in range(n)
    ]
    room = listing._width(stream) - 3 * (n - 1)
    while sum(widths) > room:
        flexible = [i for i in range(n) if not fixed[i] and widths[i] > max(8, len(headers[i]))]
        if not flexible:
            break
        widest = max(flexible, key=lambda i: widths[i])
        widths[widest] -= 1
    colour = listing._use_colour(stream)
    lines = []
    if title:
        lines.append(terminal_safe(title))
    lines.append("   ".join(h.ljust(w) for h, w in zip(headers, widths, strict=True)).rstrip())
    lines.append("   ".join("-" * w for w in widths))
    for row, style in zip(rows, list(styles) or [None] * len(rows), strict=True):
        wrapped = [
            [cell] if fixed[i] else _reference_wrap(cell, widths[i]) for i, cell in enumerate(row)
        ]
        for k in range(max(map(len, wrapped))):
            parts = [(w[k] if k < len(w) else "").ljust(widths[i]) for i, w in enumerate(wrapped)]
            text = "   ".join(parts).rstrip()
            if colour and style in listing._ANSI:
                text = f"{listing._ANSI[style]}{text}{listing._RESET}"
            lines.append(text)
    return lines


class Tty(io.StringIO):
    def isatty(self) -> bool:
        return True


TRICKY = [
    "",
    " ",
    "   ",
    "a",
    "Close the case if the resident has not escalated",
    "Supercalifragilisticexpialidocious-and-then-some-more-without-spaces",
    "line one\nline two",
    "\n",
    "ends with a break\n",
    "\nstarts with a break",
    "two  spaces  inside",
    "  leading spaces",
    "trailing spaces  ",
    "a\ttab\tor two",
    "\t",
    "Zoë Brontë-Żółć (café)",
    "no\u00a0break\u00a0spaces",
    "control \x1b[31m red \x07 bell \x9b",
    "carriage\rreturn",
    "vertical\x0btab and\x0cfeed",
    "hyphen-ated words-that-may-break",
    "x" * 200,
    "word " * 40,
]


@pytest.mark.parametrize("columns", ["40", "60", "100", "120", "300"])
@pytest.mark.parametrize("tty", [False, True])
def test_tricky_cells_as_the_reference(monkeypatch, columns: str, tty: bool) -> None:  # type: ignore[no-untyped-def]
    monkeypatch.setenv("COLUMNS", columns)
    monkeypatch.delenv("NO_COLOR", raising=False)
    monkeypatch.setenv("TERM", "xterm")
    headers = ["Ref", "Text", "Fixed", "More"]
    rows = [
        [f"R{i}", TRICKY[i % len(TRICKY)], TRICKY[(i * 7) % len(TRICKY)], TRICKY[(i * 3) % 11]]
        for i in range(3 * len(TRICKY))
    ]
    styles = [("red", "yellow", None, "bold", "green")[i % 5] for i in range(len(rows))]
    for no_wrap in ([], [True, False, True, False], [False, False, False, False]):
        for st in ([], styles):
            stream = Tty() if tty else io.StringIO()
            want = reference_plain_table(
                headers, rows, st, title="Due \x1b now", no_wrap=no_wrap, stream=stream
            )
            got = plain_table(
                headers, rows, st, title="Due \x1b now", no_wrap=no_wrap, stream=stream
            )
            assert got == want
    # Each tricky cell alone in a wrapping column, at widths down to 1.
    for cell in TRICKY:
        for width in (1, 2, 5, 8, 20):
            assert listing._wrap(cell, width) == _reference_wrap(cell, width), (cell, width)


def test_random_tables_as_the_reference(monkeypatch) -> None:  # type: ignore[no-untyped-def]
    rng = random.Random(15)
    alphabet = "ab cdéŻ\n\t -\x1b\u202e" + "xyz" * 5
    for trial in range(300):
        monkeypatch.setenv("COLUMNS", str(rng.choice([40, 50, 80, 120])))
        n = rng.randint(1, 6)
        headers = [
            "".join(rng.choice("Head er") for _ in range(rng.randint(0, 12))) for _ in range(n)
        ]
        pool = ["".join(rng.choice(alphabet) for _ in range(rng.randint(0, 60))) for _ in range(8)]
        rows = [[rng.choice(pool) for _ in range(n)] for _ in range(rng.randint(1, 30))]
        no_wrap = [rng.random() < 0.4 for _ in range(n)] if rng.random() < 0.7 else []
        stream = Tty() if trial % 3 == 0 else io.StringIO()
        styles = [rng.choice(["red", "yellow", None]) for _ in rows] if trial % 2 else []
        want = reference_plain_table(headers, rows, styles, no_wrap=no_wrap, stream=stream)
        assert plain_table(headers, rows, styles, no_wrap=no_wrap, stream=stream) == want, trial


def test_terminal_unsafe_is_whether_terminal_safe_changes_the_text() -> None:
    from complaints_cli.domain.text import terminal_unsafe

    for code in [*range(0x0, 0x3000), 0xD800, 0xDFFF, 0xFFFE, 0xFFFF, 0x1F3E0]:
        ch = chr(code)
        for text in (ch, f"a{ch}", f"£{ch}£", f"{ch}é", "x" * 50 + ch):
            assert terminal_unsafe(text) == (terminal_safe(text) != text), (hex(code), text)
    assert not terminal_unsafe("£12.50 for Zoë\tand 漢字\n")
    assert terminal_unsafe("£\x85")
    assert terminal_unsafe("漢字\x7f")


def test_as_text_columns_take_text_as_it_is_and_the_rest_through_text(monkeypatch) -> None:  # type: ignore[no-untyped-def]
    monkeypatch.setenv("COLUMNS", "100")
    out = io.StringIO()
    listing.output_rows(
        [{"a": "x", "b": "y"}, {"a": 5, "b": None}],
        ("a", "b"),
        "table",
        text=lambda _c, v: f"<{v}>",
        as_text=("a",),
        out=out,
    )
    assert out.getvalue().splitlines() == ["a     b", "---   ------", "x     <y>", "<5>   <None>"]


def test_output_rows_tables_as_the_reference_with_values_of_every_type(monkeypatch) -> None:  # type: ignore[no-untyped-def]
    """``output_rows`` hands its columns to the renderer without making rows of them, and
    makes the text of a date, whole number or ``None`` once per distinct value: its tables
    are the reference's lines for the same cells, on seeded random rows whose columns mix
    values that are equal without being the same (``True == 1``, ``1.0 == 1``, a midnight
    ``datetime`` and its ``date``, ``0 == False``), text with control characters and line
    breaks, and missing keys."""
    from datetime import date, datetime

    def text(column: str, value: object) -> str:  # type-sensitive, as a real one may be
        return f"{column}:{type(value).__name__}:{value!r}"

    rng = random.Random(2026)
    values: list[object] = [
        True, 1, 1.0, False, 0, None, "", "1", date(2026, 11, 27),
        datetime(2026, 11, 27), date(2026, 11, 30), -3, 12, "x\x1b[31my", "two\nlines",
        "Close the case if the resident has not escalated",
    ]  # fmt: skip
    for trial in range(200):
        monkeypatch.setenv("COLUMNS", str(rng.choice([40, 80, 120])))
        columns = [f"c{i}" for i in range(rng.randint(1, 5))]
        rows = [
            {c: rng.choice(values) for c in columns if rng.random() < 0.9}
            for _ in range(rng.randint(1, 40))
        ]
        as_text = [c for c in columns if rng.random() < 0.3]
        no_wrap = [c for c in columns if rng.random() < 0.4]
        styles = (lambda r: "red" if r.get("c0") is True else None) if trial % 2 else None
        stream = Tty() if trial % 3 == 0 else io.StringIO()
        listing.output_rows(
            rows, columns, "table", text=text, styles=styles, title="T", no_wrap=no_wrap,
            as_text=as_text, out=stream,
        )  # fmt: skip
        cells = [
            [
                v if c in as_text and type(v) is str else text(c, v)
                for c in columns
                for v in (r.get(c),)
            ]
            for r in rows
        ]
        want = reference_plain_table(
            columns,
            cells,
            [styles(r) for r in rows] if styles else [],
            title="T",
            no_wrap=[c in no_wrap for c in columns],
            stream=stream,
        )
        assert stream.getvalue() == "\n".join(want) + "\n", trial
