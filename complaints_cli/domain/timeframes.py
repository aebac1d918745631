"""The team's working-day calendar and timeframe profile, built from the settings in force.

One place decides which calendar and profile a command uses, so ``due``, the lifecycle
commands, the export's overdue highlighting and the reports never disagree. The Code's own
profile (``hos-code-2024``) is available whatever the team uses, for the annual figures.
"""

from __future__ import annotations

import os
from datetime import date
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from complaints_cli.domain.profiles import Profile
    from complaints_cli.domain.workdays import Calendar

CODE_PROFILE = "hos-code-2024"


def calendar_for(settings: Any) -> Calendar:
    """The team's calendar: its nation's bank holidays plus its office closures."""
    from complaints_cli.domain.workdays import Calendar

    return Calendar(
        settings.nation.value, closures=settings.closures.value, holiday_source=cached_holidays
    )


def _holidays_version() -> str:
    from importlib.metadata import PackageNotFoundError, version

    try:
        return version("holidays")
    except PackageNotFoundError:  # pragma: no cover - holidays is a dependency
        return "unknown"


def cached_holidays(subdiv: str, first_year: int, last_year: int) -> dict[date, str]:
    """Bank holidays from the ``holidays`` package, kept in the user cache folder.

    Importing ``holidays`` and building a calendar costs ~0.12 s on every command that counts
    working days; the same years from the same package version never change, so they are read
    back from a small JSON file instead. A missing, unreadable or corrupt cache just falls
    back to the package (and is rewritten); it never changes an answer.
    """
    import json

    from platformdirs import user_cache_path

    from complaints_cli.domain.workdays import _holidays_from_package

    name = f"holidays-{subdiv}-{first_year}-{last_year}-{_holidays_version()}.json"
    path = user_cache_path("complaints", appauthor=False) / name
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
        return {date.fromisoformat(k): str(v) for k, v in data.items()}
    except (OSError, ValueError, AttributeError):
        pass
    found = dict(_holidays_from_package(subdiv, first_year, last_year))
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        tmp = path.with_suffix(f".{os.getpid()}.tmp")
        tmp.write_text(
            json.dumps({d.isoformat(): n for d, n in sorted(found.items())}), encoding="utf-8"
        )
        os.replace(tmp, path)
    except OSError:
        pass  # a read-only profile: work without the cache
    return found


def profile_for(settings: Any, name: str | None = None) -> Profile:
    """The team's timeframe profile (or the named one), from its own file or the packaged one."""
    from complaints_cli.domain.profiles import get_profile

    return get_profile(name or settings.profile.value, settings.profiles_file.value)


def code_profile(settings: Any) -> Profile:
    """The Complaint Handling Code's own timeframes, for the annual Code and TSM figures."""
    from complaints_cli.domain.profiles import get_profile

    return get_profile(CODE_PROFILE)


#: Bump when :mod:`complaints_cli.domain.deadlines` changes how a deadline is worked out, so that
#: stored deadlines written by an older version are recomputed on the next ``due``.
#: 2: a step implied by a later recorded step is no longer chased (deadlines.IMPLIED_BY).
RULES_VERSION = "2"


def deadlines_key(settings: Any, profile: Profile) -> str:
    """A short fingerprint of what deadlines are worked out with: the profile, the nation, the
    office closures, the bank-holiday data and the version of the rules in :mod:`deadlines`.
    Stored with each case's deadlines, so a change of any of them is noticed and the stored
    deadlines are recomputed."""
    import hashlib

    data_version = _holidays_version()
    text = "|".join(
        (
            repr(profile),
            settings.nation.value,
            ",".join(sorted(settings.closures.value)),
            data_version,
            RULES_VERSION,
        )
    )
    return hashlib.sha256(text.encode()).hexdigest()[:16]
