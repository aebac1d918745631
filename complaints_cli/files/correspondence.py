"""Correspondence filed into a case folder: what an e-mail says about itself, and the dated,
Windows-safe name it is filed under.

The procedure keeps every piece of correspondence in the case folder, and the Ombudsman's
evidence requests want it in order, so each file gets a name that sorts by date and says what
it is: ``2025-02-05 email from Ann Lee - Re repair.eml`` for an e-mail (the date it was sent,
in UK time), ``2025-02-05 Surveyor's report.pdf`` for anything else (the day it is filed, or
``--date``). Everything in a name comes from outside (a sender's display name, a subject line,
a file name), so it is made safe for Windows whatever it holds: path separators, ``<>:"|?*``,
control and invisible characters, a trailing dot or space, a device name (``CON``,
``LPT1.txt``), RFC 2047 encoded words (decoded first), any length (cut to fit Windows'
260-character path under the case folder, leaving room for ``(2)``).

E-mails (``.eml``, RFC 5322) are read with the standard library's :mod:`email` package. An
Outlook ``.msg`` is filed as a file, unread (no reader is shipped yet: see the README).
"""

from __future__ import annotations

import hashlib
import re
import unicodedata
from dataclasses import dataclass
from datetime import UTC, date, datetime
from email import policy
from email.parser import BytesParser
from email.utils import parseaddr, parsedate_to_datetime
from pathlib import Path
from zoneinfo import ZoneInfo

from complaints_cli.errors import ComplaintsError
from complaints_cli.files.folders import MAX_PATH, is_reserved

__all__ = [
    "MAX_FILE_BYTES",
    "EmailFacts",
    "filed_name",
    "read_email",
    "safe_part",
    "sha256_hex",
    "uk_day",
]

UK = ZoneInfo("Europe/London")
#: The largest file filed (it is read whole, to hash and copy it in one step): 200 MiB.
MAX_FILE_BYTES = 200 * 1024 * 1024
#: The longest file name made (UTF-16 units, as Windows counts), before " (2)" and the suffix.
MAX_STEM = 150
#: Room kept for a " (999)" that :func:`~complaints_cli.files.safe_save.save_new` may add.
_COPY_ROOM = 6

#: Characters Windows forbids in names: the separators become "-", the rest go.
_REPLACE = str.maketrans(
    {'"': "'", "<": "(", ">": ")", ":": None, "/": "-", "\\": "-", "|": "-", "?": None, "*": None}
)
_INVISIBLE = {"Cc", "Cf", "Co", "Cs", "Zl", "Zp", "Zs"}
_ISO_START = re.compile(r"^\d{4}-\d{2}-\d{2}\b")
_SUFFIX = re.compile(r"^\.[A-Za-z0-9]{1,10}$")


def sha256_hex(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def _units(text: str) -> int:
    return len(text.encode("utf-16-le")) // 2


def safe_part(text: str) -> str:
    """``text`` as it may appear in a Windows file name (possibly empty): NFC, invisible and
    control characters as spaces, forbidden characters replaced or dropped, spaces squeezed,
    no leading or trailing dots, spaces or dashes."""
    text = unicodedata.normalize("NFC", text)
    text = "".join(" " if unicodedata.category(ch) in _INVISIBLE else ch for ch in text)
    text = " ".join(text.translate(_REPLACE).split())
    return text.strip(" .-")


def _cut(text: str, limit: int) -> str:
    """At most ``limit`` UTF-16 units, at a word boundary when one is near, with an ellipsis."""
    if _units(text) <= limit:
        return text
    cut = text
    while cut and _units(cut) > limit - 1:
        cut = cut[:-1]
    space = cut.rfind(" ")
    if space >= limit // 2:
        cut = cut[:space]
    return cut.rstrip(" .-,") + "\u2026"


@dataclass(frozen=True)
class EmailFacts:
    """What an e-mail says about itself (each ``None`` when it does not say, or not readably)."""

    sender_name: str | None
    sender_address: str | None
    #: When it was sent (aware; a date with no zone, ``-0000``, is taken as UTC).
    sent: datetime | None
    subject: str | None

    @property
    def sender(self) -> str | None:
        """The display name, else the address."""
        return self.sender_name or self.sender_address

    def from_text(self) -> str | None:
        """``Ann Lee <ann@example.org>`` (for the history)."""
        if self.sender_name and self.sender_address:
            return f"{self.sender_name} <{self.sender_address}>"
        return self.sender


def _unescaped(text: str) -> str:
    """``text`` with the bytes the parser could not decode put back: a header typed in UTF-8
    without encoded words (as many mail programs save it, RFC 6532) reaches us as surrogate
    escapes, which nothing can store or print. Read as UTF-8, else as Windows-1252."""
    raw = text.encode("utf-8", "surrogateescape")
    try:
        return raw.decode("utf-8")
    except UnicodeDecodeError:
        return raw.decode("cp1252", "replace")


def _clean_header(value: object) -> str | None:
    text = " ".join(re.sub(r"[\x00-\x1f\x7f-\x9f]", " ", _unescaped(str(value))).split())
    return text or None


def read_email(data: bytes) -> EmailFacts:
    """The sender, date and subject of an RFC 5322 message (``.eml``). Encoded words are
    decoded; a header that cannot be read is ``None``, never an error: the e-mail is still
    filed. Raises :class:`ComplaintsError` when the bytes are not an e-mail at all."""
    try:
        msg = BytesParser(policy=policy.default).parsebytes(data, headersonly=True)
    except Exception as exc:  # the parser is lenient; this is a file it cannot read at all
        raise ComplaintsError(f"not a readable e-mail: {exc}") from None
    if not any(msg.get(h) is not None for h in ("From", "Date", "Subject", "To", "Message-ID")):
        raise ComplaintsError("not an e-mail: it has no From, Date, Subject or To header")
    name = address = None
    try:
        raw_from = msg.get("From")
    except Exception:  # a header the parser chokes on
        raw_from = None
    if raw_from is not None:
        try:
            found = raw_from.addresses
            if found:
                name, address = found[0].display_name or None, found[0].addr_spec or None
        except Exception:
            name, address = parseaddr(str(raw_from))
    sent = None
    try:
        raw_date = msg.get("Date")
    except Exception:
        raw_date = None
    if raw_date is not None:
        try:
            sent = parsedate_to_datetime(str(raw_date))
        except (TypeError, ValueError, IndexError, OverflowError):
            sent = None
        if sent is not None and sent.tzinfo is None:
            sent = sent.replace(tzinfo=UTC)
    try:
        raw_subject = msg.get("Subject")
    except Exception:
        raw_subject = None
    return EmailFacts(
        _clean_header(name) if name else None,
        _clean_header(address) if address else None,
        sent,
        _clean_header(raw_subject) if raw_subject is not None else None,
    )


def uk_day(moment: datetime) -> date:
    """The date of ``moment`` in the UK (Europe/London: GMT or BST)."""
    return moment.astimezone(UK).date()


def filed_name(
    folder: Path, *, day: date, original: str, sender: str | None = None, email: bool = False
) -> tuple[str, str]:
    """``(stem, suffix)`` of the name a file is filed under in ``folder`` (see the module
    notes). ``original`` is the file's own name; for an e-mail (``email=True``) it is the
    subject, and ``sender`` who sent it."""
    room = min(MAX_STEM, MAX_PATH - _units(str(folder)) - 1) - _COPY_ROOM
    if email:
        suffix = ".eml"
        subject = safe_part(original)
        who = safe_part(sender or "")
        head = f"{day.isoformat()} email" + (f" from {_cut(who, 60)}" if who else "")
        tail = f" - {subject}" if subject else ""
    else:
        path = Path(original)
        suffix = path.suffix if _SUFFIX.match(path.suffix) else ""
        stem = safe_part(path.name[: len(path.name) - len(suffix)] if suffix else path.name)
        head = stem if _ISO_START.match(stem) else f"{day.isoformat()} {stem}".rstrip()
        tail = ""
    room -= _units(suffix)
    if room < 16:
        raise ComplaintsError(
            f"the case folder {str(folder)!r} is too deep for Windows' 260-character paths: "
            "move the complaints root nearer the top of the drive"
        )
    stem = _cut(head + tail, room) if tail else _cut(head, room)
    if is_reserved(stem):
        stem = f"_{stem}"
    return stem, suffix.lower()
