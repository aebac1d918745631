"""E-mail drafts as ``.eml`` files that open in Outlook ready to send.

An RFC 5322 message with the header ``X-Unsent: 1`` opens in Outlook (and Thunderbird's
"Edit as new") as a message being composed, not a received one: the handler reads it, edits it
and presses Send; it goes from their own account, so it has no ``From``. Written with the
standard library's :mod:`email` package (``policy.SMTP``: CRLF line ends, headers folded and
encoded as RFC 2047 says, UTF-8 text as quoted-printable), so a subject or body in any
language survives, and a line break in a subject can never become a second header.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from email import policy
from email.headerregistry import Address
from email.message import EmailMessage
from email.utils import getaddresses

from complaints_cli.errors import ComplaintsError

__all__ = ["check_addresses", "draft_bytes"]

_CONTROL = re.compile(r"[\x00-\x1f\x7f-\x9f]+")
_ADDRESS = re.compile(r"^[^@\s<>()\[\],;:\"]+@[^@\s<>()\[\],;:\"]+\.[^@\s<>()\[\],;:\".]+$")


def check_addresses(values: Sequence[str], what: str) -> list[str]:
    """Each recipient (``"Head of Service <hos@spruce.org.uk>"`` or a bare address), checked;
    :class:`ComplaintsError` naming ``what`` for one that is not an e-mail address."""
    out: list[str] = []
    for value in values:
        if _CONTROL.search(value):
            raise ComplaintsError(f"{what} {value!r} holds a control character")
        parsed = getaddresses([value])
        if len(parsed) != 1 or not _ADDRESS.match(parsed[0][1]):
            raise ComplaintsError(
                f"{what} {value!r} is not an e-mail address (e.g. hos@spruce.org.uk)"
            )
        name, address = parsed[0]
        out.append(str(Address(display_name=name, addr_spec=address)))
    return out


def _one_line(text: str) -> str:
    return " ".join(_CONTROL.sub(" ", text).split())


def draft_bytes(*, to: Sequence[str], subject: str, body: str) -> bytes:
    """An unsent message to ``to`` (checked addresses; may be empty), as ``.eml`` bytes."""
    msg = EmailMessage(policy=policy.SMTP)
    if to:
        msg["To"] = ", ".join(to)
    msg["Subject"] = _one_line(subject)
    msg["X-Unsent"] = "1"
    msg.set_content(body.replace("\r\n", "\n"), cte="quoted-printable")
    return msg.as_bytes()
