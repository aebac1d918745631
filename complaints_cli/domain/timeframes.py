"""Which calendar and which profile a team works to, and the fingerprint of both.

One place decides the nation a team's working days follow, so ``due``, the lifecycle commands,
the export's overdue highlighting, ``calendar`` and the reports never disagree: the
``nation`` setting when the team gives one (flag, environment or config file), else the nation
of the team's timeframe profile (``homes-plus-scotland`` works to Scotland's bank holidays).
The Code's own profile (``hos-code-2024``) is available whatever the team uses, for the annual
figures. Pure: the composition with the settings is the CLI's (``cli/options.py``).
"""

from __future__ import annotations

import importlib
from collections.abc import Iterable

from complaints_cli.domain.profiles import Profile
from complaints_cli.domain.workdays import normalise_nation

__all__ = ["CODE_PROFILE", "RULES_VERSION", "deadlines_key", "team_nation"]

#: The Complaint Handling Code's own profile, for the annual Code and TSM figures.
CODE_PROFILE = "hos-code-2024"

#: Bump when :mod:`complaints_cli.domain.deadlines` changes how a deadline is worked out, so
#: that stored deadlines written by an older version are recomputed.
#: 2: a step implied by a later recorded step is no longer chased (deadlines.IMPLIED_BY).
#: 3: a stage's waiting window does not apply to a case with the Ombudsman
#: (deadlines.OMBUDSMAN_STAGE).
#: 4: an extension recorded as not told (its told flag False, no date told) does not count
#: until the resident is recorded told within the deadline it extends (deadlines.NOT_TOLD_NOTE).
#: 5: an escalation no longer implies the Stage 1 acknowledgement (deadlines.IMPLIED_BY).
RULES_VERSION = "5"


def team_nation(setting: str | None, source: str, profile: Profile) -> tuple[str, str]:
    """``(nation, why)``: the ``nation`` setting when given (from ``source``), else the
    profile's; ``why`` says which, for ``calendar`` and ``config``.

    ``team_nation(None, "default", scotland_profile)`` ->
    ``("scotland", "the nation of profile homes-plus-scotland")``.
    """
    if setting:
        return normalise_nation(setting), f"the nation setting (from {source})"
    return profile.nation, f"the nation of profile {profile.name}"


def deadlines_key(profile: Profile, nation: str, closures: Iterable[str], data_version: str) -> str:
    """A short fingerprint of what deadlines are worked out with: the profile, the nation, the
    office closures, the bank-holiday data's version and :data:`RULES_VERSION`. Stored with
    each case's deadlines, so a change of any of them is noticed and they are worked out again.
    """
    text = "|".join(
        (repr(profile), nation, ",".join(sorted(closures)), data_version, RULES_VERSION)
    )
    return sha256_hex(text.encode())[:16]


def sha256_hex(data: bytes) -> str:
    """The SHA-256 of ``data`` in hex, as :func:`hashlib.sha256` gives it.

    Every command works the deadline key out, and importing :mod:`hashlib` loads OpenSSL:
    ~5 ms of CPU at each start (measured on Python 3.11, 2026-11-30). CPython's own SHA-256
    (``_sha256``; ``_sha2`` from 3.12) gives the same digest without it; :mod:`hashlib` is
    used when neither is there (a test compares them).
    """
    for name in ("_sha256", "_sha2", "hashlib"):
        try:
            module = importlib.import_module(name)
        except ImportError:  # pragma: no cover - depends on how Python was built
            continue
        return str(module.sha256(data).hexdigest())
    raise AssertionError("no SHA-256")  # pragma: no cover - hashlib is always there
