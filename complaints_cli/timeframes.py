"""The team's working-day calendar and timeframe profile, built from the settings in force.

One place decides which calendar and profile a command uses, so ``due``, the lifecycle
commands, the export's overdue highlighting and the reports never disagree. The Code's own
profile (``hos-code-2024``) is available whatever the team uses, for the annual figures.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from complaints_cli.profiles import Profile
    from complaints_cli.workdays import Calendar

CODE_PROFILE = "hos-code-2024"


def calendar_for(settings: Any) -> Calendar:
    """The team's calendar: its nation's bank holidays plus its office closures."""
    from complaints_cli.workdays import Calendar

    return Calendar(settings.nation.value, closures=settings.closures.value)


def profile_for(settings: Any, name: str | None = None) -> Profile:
    """The team's timeframe profile (or the named one), from its own file or the packaged one."""
    from complaints_cli.profiles import get_profile

    return get_profile(name or settings.profile.value, settings.profiles_file.value)


def code_profile(settings: Any) -> Profile:
    """The Complaint Handling Code's own timeframes, for the annual Code and TSM figures."""
    from complaints_cli.profiles import get_profile

    return get_profile(CODE_PROFILE)


def deadlines_key(settings: Any, profile: Profile) -> str:
    """A short fingerprint of what deadlines are worked out with: the profile, the nation, the
    office closures and the bank-holiday data. Stored with each case's deadlines, so a change
    of any of them is noticed and the stored deadlines are recomputed."""
    import hashlib
    from importlib.metadata import PackageNotFoundError, version

    try:
        data_version = version("holidays")
    except PackageNotFoundError:  # pragma: no cover - holidays is a dependency
        data_version = "?"
    text = "|".join(
        (
            repr(profile),
            settings.nation.value,
            ",".join(sorted(settings.closures.value)),
            data_version,
        )
    )
    return hashlib.sha256(text.encode()).hexdigest()[:16]
