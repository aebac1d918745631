"""Text that is safe to keep, and safe to write anywhere: the one owner of text safety.

Complaint text comes from people (options, prompts, workbook cells) and goes to many places:
the database, a terminal, CSV, SpreadsheetML (the log export, the rejected rows, the report
workbook), WordprocessingML (letters and case packs). Each place has characters it cannot take:

* **Intake** (:func:`required_text`, :func:`optional_text`, :func:`check_text`): control
  characters other than tab and line break are refused with the character and its position
  (a vertical tab pasted from a Word table, an escape sequence); line breaks are kept, as
  ``\\n``; undecodable bytes are refused.
* **XML** (:func:`xml_safe`): XML 1.0 cannot hold most control characters at all, so a
  writer given one (stored before this check existed, or imported as ``_x000B_``) would fail.
  Each is written as Excel's own escape ``_xHHHH_``, which Excel and LibreOffice read back as
  the character, and which Word shows as written: the character is visible, never lost.
* **A terminal** (:func:`terminal_safe`): escape sequences in stored text (``ESC]0;...BEL``
  retitles the window, ``ESC[2J`` clears the screen) are shown as ``\\x1b`` and never sent;
  the Unicode bidirectional embeddings, overrides and isolates (U+202A-U+202E,
  U+2066-U+2069: "Trojan Source", CVE-2021-42574) are shown as ``\\u202e``, so a reference
  or an address can never be displayed reversed or reordered; so are the invisible characters
  that make two texts look alike (a zero-width space pasted from a web page, a byte order
  mark, a soft hyphen: see :data:`_NOT_TERMINAL`),
  so a handler sees why ``1 High St`` and ``1 High St\\u200b`` differ. :func:`display_width` gives
  the columns a text takes on a terminal (CJK and most emoji 2, combining marks 0), for
  tables that line up.
* **CSV** (:func:`csv_safe`): a cell a spreadsheet would run as a formula (OWASP "CSV
  injection": ``=``, ``+``, ``-``, ``@``, tab, CR, LF, ``|``, ``%``, their full-width forms) or
  read as an error value (``#N/A``) gets a leading ``'``, visible, as OWASP advises.
* **An error line** (:func:`one_line`): one line, terminal-safe, cut short when a pasted value
  would make it a page.
* **Finding people** (:func:`fold`, :func:`contains_folded`): the one folding of case, accents,
  compatibility forms and invisible format characters (Unicode category Cf: a zero-width space
  inside a stored name does not hide it from ``--handler`` or ``--search``) that ``list
  --search``, the handler filters and subject access all use, on every backend.
"""

from __future__ import annotations

import re
import unicodedata
from typing import Final

from complaints_cli.errors import ComplaintsError

__all__ = [
    "MAX_NAME",
    "MAX_TEXT",
    "check_text",
    "contains_folded",
    "csv_safe",
    "display_width",
    "fold",
    "handler_name",
    "one_line",
    "optional_text",
    "person_key",
    "person_lines",
    "required_text",
    "shows_nothing",
    "single_spaced",
    "single_width",
    "terminal_safe",
    "terminal_unsafe",
    "xml_safe",
]

#: The longest text the log keeps in one field (Excel's cell holds 32,767 characters).
MAX_TEXT: Final = 32_000
#: The longest handler's name the log keeps (the store's ``handler`` and ``stage2_handler``
#: columns are ``VARCHAR(200)`` on PostgreSQL; SQLite would take more, so both are held here).
MAX_NAME: Final = 200

#: Characters text may not hold: C0 controls but tab and line feed, DEL, C1 controls, lone
#: surrogates (undecodable bytes), and the two non-characters XML cannot hold.
_UNSAFE: Final = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f\ud800-\udfff\ufffe\uffff]")
#: What XML 1.0 cannot hold (it can hold DEL and the C1 controls), and a literal ``_xHHHH_``
#: that a SpreadsheetML reader would decode.
_NOT_XML: Final = re.compile(
    r"[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]|_(?=x[0-9A-Fa-f]{4}_)"
)
#: What a terminal must not be sent: every control character but line feed and tab, the
#: bidirectional embeddings, overrides and isolates (they reorder what follows them on screen),
#: and the invisible characters that have no place in a name or an address and make two texts
#: look the same: the soft hyphen (U+00AD), the zero-width space (U+200B), the word joiner and
#: invisible operators (U+2060-U+2064) and the zero-width no-break space or byte order mark
#: (U+FEFF). Kept: the zero-width joiner and non-joiner (U+200C, U+200D: emoji and several
#: scripts need them, and they show) and the left-to-right, right-to-left and Arabic letter
#: marks (U+200E, U+200F, U+061C: right-to-left text needs them, and they cannot reorder
#: letters, only the spaces and punctuation beside them).
_NOT_TERMINAL: Final = re.compile(
    r"[\x00-\x08\x0b-\x1f\x7f-\x9f\xad\u200b\u202a-\u202e\u2060-\u2064"
    r"\u2066-\u2069\ufeff]"
)
#: Those of them above U+0800 in UTF-8: ``E2 80 8B``,
#: ``E2 80 AA``-``E2 80 AE``, ``E2 81 A0``-``E2 81 A4``, ``E2 81 A6``-``E2 81 A9``, ``EF BB BF``.
_WIDE_UTF8: Final = re.compile(
    rb"\xe2(?:\x80[\x8b\xaa-\xae]|\x81[\xa0-\xa4\xa6-\xa9])|\xef\xbb\xbf"
)

_FORMULA_START: Final = (
    "=",
    "+",
    "-",
    "@",
    "\t",
    "\r",
    "\n",
    "|",
    "%",
    "\uff1d",  # full-width = + - @: Excel normalises them to their ASCII forms
    "\uff0b",
    "\uff0d",
    "\uff20",
)
_ERROR_LITERAL: Final = re.compile(
    r"#(?:N/A|VALUE!|REF!|DIV/0!|NUM!|NAME\?|NULL!|SPILL!|CALC!|GETTING_DATA)", re.I
)


def _describe(ch: str) -> str:
    name = unicodedata.name(ch, "")
    if not name:
        name = {
            "\x0b": "vertical tab",
            "\x0c": "form feed",
            "\x1b": "escape",
            "\x07": "bell",
            "\x00": "NUL",
            "\x08": "backspace",
            "\x7f": "delete",
        }.get(ch, "control character")
    return f"U+{ord(ch):04X}, {name.lower()}"


def unsafe_character(text: str) -> str | None:
    """Why ``text`` cannot be kept, or ``None``: ``holds a control character (U+001B,
    escape) at character 4``, for the first character text may not hold (as
    :func:`check_text` refuses it; the import's cells use this, naming the cell)."""
    bad = _UNSAFE.search(text)
    if bad is None:
        return None
    ch = bad.group()
    if "\ud800" <= ch <= "\udfff":
        return f"holds bytes that are not text at character {bad.start() + 1}"
    return f"holds a control character ({_describe(ch)}) at character {bad.start() + 1}"


def check_text(value: str, what: str) -> str:
    """``value`` with its line breaks as ``\\n``; :class:`ComplaintsError` naming ``what``,
    the character and its position when it holds a character text may not hold."""
    text = value.replace("\r\n", "\n").replace("\r", "\n") if "\r" in value else value
    bad = _UNSAFE.search(text)
    if bad is not None:
        ch = bad.group()
        if "\ud800" <= ch <= "\udfff":
            raise ComplaintsError(
                f"{what} holds bytes that are not text in this terminal's encoding: type it "
                "again, or paste it as plain text"
            )
        raise ComplaintsError(
            f"{what} holds a control character ({_describe(ch)}) at character "
            f"{bad.start() + 1}: remove it (paste the text as plain text)"
        )
    return text


def optional_text(value: str | None, what: str) -> str | None:
    """Trimmed, checked text; ``None`` for nothing (or only spaces)."""
    if value is None:
        return None
    text = check_text(value, what).strip()
    if not text:
        return None
    if len(text) > MAX_TEXT:
        raise ComplaintsError(f"{what} is longer than {MAX_TEXT:,} characters")
    return text


def shows_nothing(text: str) -> bool:
    """Whether ``text`` holds only spaces and invisible format characters (Unicode category
    Cf: a zero-width space, a soft hyphen, a byte order mark): it shows as nothing."""
    return all(ch.isspace() or unicodedata.category(ch) == "Cf" for ch in text)


def required_text(value: str | None, what: str, *, hint: str = "") -> str:
    """Trimmed, checked text that must be there (``hint`` ends the refusal message).

    :class:`ComplaintsError` when there is none, and when it holds only invisible format
    characters (Unicode category Cf: a zero-width space, a soft hyphen, a byte order mark)
    and spaces: such a value shows as nothing in every table, folder name and letter (a
    trial: an address pasted as ``\u200b\u00ad`` logged a case with no visible address)."""
    text = optional_text(value, what)
    if text is None:
        raise ComplaintsError(f"{what} is required{hint}")
    if shows_nothing(text):
        raise ComplaintsError(
            f"{what} holds only invisible characters (a zero-width space, a soft hyphen, "
            "...): type it again"
        )
    return text


def handler_name(value: str | None, what: str, *, hint: str = "") -> str:
    """A handler's name as :func:`required_text` reads it, single-spaced (a tab or a line
    break inside one person's name, pasted from a table or an e-mail signature, is a space: it
    would otherwise break every table's column), at most :data:`MAX_NAME` characters;
    :class:`ComplaintsError` naming ``what`` and the length otherwise (a pasted paragraph in
    ``--handler`` is a slip, and PostgreSQL would refuse it only at the write)."""
    text = " ".join(required_text(value, what, hint=hint).split())
    if len(text) > MAX_NAME:
        raise ComplaintsError(
            f"{what} is {len(text):,} characters long; a handler's name is at most {MAX_NAME}"
        )
    return text


def _escape(m: re.Match[str]) -> str:
    return f"_x{ord(m.group()):04X}_"


def xml_safe(text: str) -> str:
    """Text an XML 1.0 document can hold: see the module notes (``\\x0b`` -> ``_x000B_``)."""
    return _NOT_XML.sub(_escape, text) if _NOT_XML.search(text) else text


def _visible(m: re.Match[str]) -> str:
    code = ord(m.group())
    return f"\\x{code:02x}" if code < 0x100 else f"\\u{code:04x}"


def terminal_safe(text: str) -> str:
    """Text that cannot drive a terminal: control characters shown as ``\\x1b``, the
    bidirectional controls as ``\\u202e`` (see the module notes)."""
    return _NOT_TERMINAL.sub(_visible, text) if _NOT_TERMINAL.search(text) else text


#: The bytes of the characters :data:`_NOT_TERMINAL` matches below U+0080, in UTF-8.
_C0_AND_DEL: Final = bytes([*range(0x09), *range(0x0B, 0x20), 0x7F])


def terminal_unsafe(text: str) -> bool:
    """Whether :func:`terminal_safe` would change ``text`` (it holds a control character).

    For a whole table at once: the check runs on the UTF-8 bytes (a C0 control or DEL is one
    byte there and never part of another character; a C1 control is ``C2 80``-``C2 9F``), as
    the regular expression scans ~8-20 ns a character: 2.7 -> 0.44 ms CPU for the 330,000
    characters of ``due``'s table at 100k (1.4 ms when it holds ``£`` signs; 2026-11-30).
    """
    data = text.encode("utf-8", "surrogatepass")
    if len(data.translate(None, _C0_AND_DEL)) != len(data):
        return True
    at = data.find(b"\xc2")
    while at != -1:  # "£" is C2 A3: look at the byte after each C2 (a soft hyphen is C2 AD)
        if 0x80 <= data[at + 1] <= 0x9F or data[at + 1] == 0xAD:
            return True
        at = data.find(b"\xc2", at + 2)
    return (b"\xe2" in data or b"\xef" in data) and _WIDE_UTF8.search(data) is not None


#: Each character's terminal width once worked out (a log uses a few hundred characters).
_WIDTHS: dict[str, int] = {}


def _char_width(ch: str) -> int:
    width = _WIDTHS.get(ch)
    if width is None:
        if unicodedata.category(ch) in ("Mn", "Me", "Cf") or ch == "\u200b":
            width = 0  # combining marks, zero-width joiners and spaces: on the previous cell
        elif unicodedata.east_asian_width(ch) in ("W", "F"):
            width = 2  # CJK, full-width forms, most emoji
        else:
            width = 1
        _WIDTHS[ch] = width
    return width


def display_width(text: str) -> int:
    """The columns ``text`` takes on a terminal (one line): East Asian Wide and Fullwidth
    characters (CJK, full-width forms, most emoji) 2, combining marks and other zero-width
    format characters 0, everything else 1 (Unicode's East Asian Width, UAX #11, and general
    categories, as ``wcwidth`` counts them, from the standard library's :mod:`unicodedata`:
    the ``wcwidth`` package costs 35-90 ms to import, measured 2026-11-30). ASCII and
    Latin-1 text is its length, without looking at a character."""
    if text.isascii():
        return len(text)
    return sum(map(_char_width, text))


def single_width(text: str) -> bool:
    """Whether every character of ``text`` takes one column (so its length is its width):
    at once for ASCII and Latin-1 text (``£``, ``é``), else character by character."""
    if text.isascii():
        return True
    try:
        text.encode("latin-1")
    except UnicodeEncodeError:
        return all(_char_width(ch) == 1 for ch in set(text) if ch != "\n")
    return True


def csv_safe(text: str) -> str:
    """Text for a CSV cell that a spreadsheet will show as text (see the module notes)."""
    if text.startswith(_FORMULA_START) or _ERROR_LITERAL.fullmatch(text.strip()):
        return "'" + text
    return text


def one_line(text: str, limit: int = 500) -> str:
    """``text`` as one terminal-safe line of at most ``limit`` characters: each line break
    (and the spaces around it) becomes one space, a tab a space, control characters are shown
    (``\\x1b``), and a longer text is cut with ``...`` (a whole pasted document in an option
    must not fill the screen). Spaces inside a line are kept: a value is shown as typed
    (``1 Essex  Brewery``)."""
    lines = text.replace("\r\n", "\n").replace("\r", "\n").replace("\t", " ").split("\n")
    flat = " ".join(part.strip() for part in lines if part.strip())
    flat = terminal_safe(flat)
    return flat if len(flat) <= limit else flat[: limit - 3].rstrip() + "..."


#: Letters that carry no combining mark to strip (NFKD leaves them whole), as a person types
#: them without the accent: the stroke and slash letters, ligature letters, eth and thorn,
#: the dotless i. Keys are the case-folded forms (``Ł``, ``Ø``, ``Đ`` fold to these first).
_FOLD_LETTERS: Final = str.maketrans(
    {
        "ł": "l",
        "ø": "o",
        "đ": "d",
        "ð": "d",
        "ħ": "h",
        "ŧ": "t",
        "ŀ": "l",
        "ƚ": "l",
        "ƀ": "b",
        "ɨ": "i",
        "ı": "i",
        "ĸ": "k",
        "æ": "ae",
        "œ": "oe",
        "þ": "th",
        "ß": "ss",
        "ſ": "s",
    }
)


def fold(text: str) -> str:
    """Text as a search compares it, whatever the spelling: case folded, accents removed,
    compatibility forms made plain (NFKD: full-width ``Ｅｌｏｄｉｅ``, the ligature ``ﬁ``), and the
    letters that have no accent to remove spelled as a person types them without one
    (:data:`_FOLD_LETTERS`: ``Łukasz`` -> ``lukasz``, ``Søren`` -> ``soren``, ``Đorđe`` ->
    ``dorde``, ``Æsa`` -> ``aesa``, ``Straße`` -> ``strasse``, ``İsmail`` and ``Ismaıl`` ->
    ``ismail``). The one folding of the tool: ``list --search`` and subject access both use it.

    ``str`` -> ``str``; never raises. The result may be longer than ``text`` (``ß`` -> ``ss``).
    """
    if text.isascii():  # most text: nothing to decompose (and 20x faster)
        return text.lower()
    # Twice: a compatibility form may decompose to a capital or a letter of the map.
    return _fold_once(_fold_once(text))


def _fold_once(text: str) -> str:
    folded = unicodedata.normalize("NFKD", text.casefold()).translate(_FOLD_LETTERS)
    return "".join(
        c for c in folded if not unicodedata.combining(c) and unicodedata.category(c) != "Cf"
    )


def person_lines(text: str) -> str:
    """A person column's text as the log keeps it: each line single-spaced (a tab or a run of
    spaces inside a name is a space), blank lines dropped; a complainant cell may list several
    people, one a line. The one rule for ``log --complainant`` and the import's person cells,
    so what ``log`` stored reads back from its export unchanged (the fresh-user trial:
    ``Ann<TAB>Lee`` was stored as typed and an import of the export called it a difference).
    ``str`` -> ``str``; never raises."""
    lines = (" ".join(line.split()) for line in text.split("\n"))
    return "\n".join(line for line in lines if line)


def single_spaced(text: str | None) -> str | None:
    """A one-line name with each run of spaces, tabs or line breaks as one space (an action's
    owner, a person or a team); ``None`` stays ``None``."""
    return None if text is None else " ".join(text.split())


def person_key(text: str) -> str:
    """What makes two spellings of a name one person's: :func:`fold` (case, accents,
    invisible characters), with hyphens and underscores as spaces and spacing and line breaks
    forgiven: ``Zoë  Adeyemi``, ``zoe adeyemi`` and ``Zoe\nAdeyemi`` are one key. The one
    rule for a handler: the filters (``--handler``) and the Stage 2 independence check
    (Code 6.13: a Stage 2 handler who is the Stage 1 handler under another spelling is the
    same person) both use it; so do the duplicate checks (a petition's signatory signing
    twice, a complaint logged twice), on names and addresses. ``str`` -> ``str``; never
    raises."""
    return " ".join(fold(text.strip()).replace("_", " ").replace("-", " ").split())


def contains_folded(needle: str, *haystacks: object) -> bool:
    """Whether ``needle`` (already :func:`fold`-ed) is inside any of ``haystacks`` once folded;
    a value that is not text (``None``, a number) never matches. Every character is literal:
    ``%`` and ``_`` are themselves, not wildcards."""
    return any(isinstance(h, str) and needle in fold(h) for h in haystacks)
