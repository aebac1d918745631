"""Tables line up on screen whatever the text: a CJK character or an emoji takes two columns,
a combining mark none (render/listing.plain_table with domain/text.display_width); the
bidirectional controls are shown, never obeyed (domain/text.terminal_safe)."""

from __future__ import annotations

import io
import random
import re

import pytest

from complaints_cli.domain.text import display_width, terminal_safe, terminal_unsafe
from complaints_cli.render import listing
from complaints_cli.render.listing import plain_table


@pytest.mark.parametrize(
    ("text", "width"),
    [
        ("SPRUCE001", 9),
        ("Zoë £12", 7),
        ("漢字", 4),
        ("ｆｕｌｌ", 8),  # full-width Latin
        ("🏠 home", 7),
        ("e\u0301", 1),  # e and a combining acute accent
        ("a\u200db", 2),  # zero-width joiner
        ("", 0),
    ],
)
def test_display_width(text: str, width: int) -> None:
    assert display_width(text) == width


def test_a_wide_table_lines_up() -> None:
    rows = [
        ["SPRUCE001", "李小龍", "1 Essex Brewery"],
        ["SPRUCE002", "Ann Lee", "🏠 2 Mill Lane"],
        ["SPRUCE003", "Zoe\u0301 Park", "3 Kingsway"],
    ]
    lines = plain_table(["Ref", "Complainant", "Address"], rows, stream=io.StringIO())
    assert lines == [
        "Ref         Complainant   Address",
        "---------   -----------   ---------------",
        "SPRUCE001   李小龍        1 Essex Brewery",
        "SPRUCE002   Ann Lee       🏠 2 Mill Lane",
        "SPRUCE003   Zoe\u0301 Park      3 Kingsway",
    ]


def test_wide_cells_wrap_by_their_width(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("COLUMNS", "40")
    rows = [["SPRUCE001", "漢字の長い名前 と 住所が入ったセル です", "x"]]
    lines = plain_table(["Ref", "Summary", "X"], rows, stream=io.StringIO())
    assert lines == [
        "Ref         Summary                    X",
        "---------   ------------------------   -",
        "SPRUCE001   漢字の長い名前 と          x",
        "            住所が入ったセル です",
    ]
    assert max(display_width(line) for line in lines) <= 40
    assert listing._wrap_wide("漢字漢字漢", 4) == ["漢字", "漢字", "漢"]
    assert listing._wrap_wide("漢", 1) == ["漢"]  # wider than the line: alone on it


def _starts(line: str) -> list[int]:
    """The screen column where each cell of a line starts (cells hold no spaces)."""
    return [display_width(line[: m.start()]) for m in re.finditer(r"(?:^|(?<= {3}))\S", line)]


def test_random_wide_tables_line_up(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("COLUMNS", "300")
    rng = random.Random(4)
    alphabet = "ab漢字🏠ｆé\u0301Ż" + "xyz" * 3
    for trial in range(200):
        n = rng.randint(1, 5)
        headers = [f"H{i}" for i in range(n)]
        rows = [
            ["".join(rng.choice(alphabet) for _ in range(rng.randint(1, 12))) for _ in range(n)]
            for _ in range(rng.randint(1, 10))
        ]
        lines = plain_table(headers, rows, stream=io.StringIO())
        want = _starts(lines[0])
        assert len(want) == n
        for line in lines[2:]:
            assert _starts(line) == want, (trial, lines)


@pytest.mark.parametrize("control", ["\u202a", "\u202b", "\u202c", "\u202d", "\u202e",
                                     "\u2066", "\u2067", "\u2068", "\u2069"])  # fmt: skip
def test_bidi_controls_are_shown_not_obeyed(control: str) -> None:
    text = f"SPRUCE{control}100"
    assert terminal_unsafe(text)
    assert terminal_safe(text) == f"SPRUCE\\u{ord(control):04x}100"
    lines = plain_table(["Ref"], [[text]], stream=io.StringIO())
    assert lines[2] == f"SPRUCE\\u{ord(control):04x}100"
    assert control not in "".join(lines)


@pytest.mark.parametrize("invisible", ["\u00ad", "\u200b", "\u2060", "\u2063", "\ufeff"])
def test_invisible_characters_are_shown(invisible: str) -> None:
    """A zero-width space (or a byte order mark, a soft hyphen, a word joiner) pasted into an
    address makes it look like another: it is shown, as ``\\u200b``, in every table."""
    text = f"1 High St{invisible}"
    shown = "\\xad" if invisible == "\u00ad" else f"\\u{ord(invisible):04x}"
    assert terminal_unsafe(text)
    assert terminal_safe(text) == f"1 High St{shown}"
    lines = plain_table(["Address"], [[text]], stream=io.StringIO())
    assert lines[2] == f"1 High St{shown}"


def test_terminal_unsafe_agrees_with_terminal_safe_on_every_character_below_u3000() -> None:
    """The byte scan (:func:`terminal_unsafe`) and the regular expression
    (:func:`terminal_safe`) name the same characters, each alone and beside ``£`` (``C2``)."""
    for code in [*range(0x3000), 0xFEFF, 0xFEFE, 0xFFFD, 0x1F3E0]:
        for text in (f"ab{chr(code)}cd", f"£{chr(code)}", chr(code)):
            assert terminal_unsafe(text) == (terminal_safe(text) != text), hex(code)


def test_ordinary_right_to_left_text_is_left_alone() -> None:
    # Hebrew and Arabic letters and the invisible marks LRM/RLM are text, not controls.
    for text in ("שלום", "مرحبا", "a\u200fb", "a\u200eb", "a\u061cb", "👩\u200d💻", "a\u200cb"):
        assert not terminal_unsafe(text)
        assert terminal_safe(text) == text
