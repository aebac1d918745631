"""A petition's signatories in one spreadsheet cell, one a line, and back.

The log keeps signatories in their own table; the workbook has one row per case, so the export
writes them into the ``Petition signatories`` column
(:func:`complaints_cli.domain.presentation.format_signatories`) and the import reads them back::

    Ann Lee | 1 Essex Brewery, E17 3AB | added 03/02/2025 | lead
    Raj Singh | Flat 3, 1 Essex Brewery, E17 3AB | added 10/02/2025

Name, address and the date added, separated by ``|``; ``| lead`` marks the lead petitioner.
Inside a name or an address a ``|`` is written ``\\|`` and a backslash ``\\\\``, so any text
reads back as written. An address may hold line breaks: a signatory ends at the line break
after its ``added`` date (or its ``lead``), never before, so a line of an address is never
read as another signatory.
"""

from __future__ import annotations

import re
from typing import Final

from complaints_cli.domain.case import Signatory

__all__ = ["SignatoryError", "parse_signatories"]

_ADDED: Final = re.compile(r"\s*added\s+(?P<date>\S.*?)\s*", re.IGNORECASE | re.DOTALL)
_LEAD: Final = re.compile(r"\s*lead\s*", re.IGNORECASE)
HELP: Final = (
    "write each signatory on its own line as 'name | address | added dd/mm/yyyy', with "
    "'| lead' after the lead petitioner's"
)


class SignatoryError(ValueError):
    """A line of a ``Petition signatories`` cell that cannot be read (the message says how
    to write it)."""


def _ends(fields: list[str], current: str) -> bool:
    """Whether a line break here ends a signatory: after its ``added`` date, or its ``lead``."""
    if len(fields) == 2:
        return _ADDED.fullmatch(current) is not None
    return len(fields) == 3 and _LEAD.fullmatch(current) is not None


def _split(text: str) -> list[list[str]]:
    """The cell's signatories, each as its fields (unescaped, untrimmed)."""
    records: list[list[str]] = []
    fields: list[str] = []
    current: list[str] = []
    i, n = 0, len(text)
    while i < n:
        ch = text[i]
        if ch == "\\" and i + 1 < n and text[i + 1] in "\\|":
            current.append(text[i + 1])
            i += 2
            continue
        if ch == "|":
            fields.append("".join(current))
            current = []
        elif ch == "\n" and _ends(fields, "".join(current)):
            records.append([*fields, "".join(current)])
            fields, current = [], []
        else:
            current.append(ch)
        i += 1
    last = "".join(current)
    if fields or last.strip():
        records.append([*fields, last])
    return [r for r in records if any(f.strip() for f in r)]


def _shown(fields: list[str]) -> str:
    text = " | ".join(f.strip() for f in fields).replace("\n", " ")
    return text if len(text) <= 80 else text[:77] + "..."


def _one(fields: list[str], number: int) -> Signatory:
    from complaints_cli.domain.dates import parse_date
    from complaints_cli.domain.process import signatory
    from complaints_cli.errors import ComplaintsError

    line = f"signatory {number} ({_shown(fields)!r})"
    if len(fields) < 3:
        raise SignatoryError(f"{line} has too few parts: {HELP}")
    added = _ADDED.fullmatch(fields[2])
    if added is None:
        raise SignatoryError(f"{line} has no 'added dd/mm/yyyy' after its address: {HELP}")
    if len(fields) > 4 or (len(fields) == 4 and _LEAD.fullmatch(fields[3]) is None):
        raise SignatoryError(f"{line} has more parts than name, address, date and lead: {HELP}")
    try:
        name, address = signatory(
            fields[0], fields[1], what=(f"{line}: the name", f"{line}: the address")
        )
    except ComplaintsError as exc:
        raise SignatoryError(str(exc)) from None
    try:
        day = parse_date(added["date"], what="", words=False)
    except ComplaintsError as exc:
        raise SignatoryError(f"{line}: the date added {exc}") from None
    return Signatory(name, address, len(fields) == 4, day)


def parse_signatories(text: str) -> tuple[Signatory, ...]:
    """Read a ``Petition signatories`` cell (see the module notes): the signatories, the lead
    petitioner first, then in the cell's order (as the store lists them, so an export read
    back compares equal). Raises :class:`SignatoryError` naming the signatory at fault, for a
    part missing, an empty name or address, a date that is not one, two lead petitioners, or
    the same person twice (:func:`complaints_cli.domain.process.signatory_key`)."""
    from complaints_cli.domain.process import signatory_key

    text = text.replace("_x000D_", "").replace("\r\n", "\n").replace("\r", "\n")
    found = [_one(fields, n) for n, fields in enumerate(_split(text), start=1)]
    leads = [n for n, s in enumerate(found, start=1) if s.lead]
    if len(leads) > 1:
        raise SignatoryError(
            f"signatories {leads[0]} and {leads[1]} are both marked lead: a petition has one "
            "lead petitioner"
        )
    seen: dict[tuple[str, str], int] = {}
    for n, s in enumerate(found, start=1):
        other = seen.setdefault(signatory_key(s.name, s.address), n)
        if other != n:
            raise SignatoryError(
                f"signatories {other} and {n} are the same person ({s.name} at "
                f"{s.address.splitlines()[0]}): each signs once"
            )
    return tuple(sorted(found, key=lambda s: not s.lead))
