"""Bank holidays from the ``holidays`` package, kept in a small file so most commands never
import it.

Importing ``holidays`` and building a nation's calendar costs ~0.1-0.2 s; the same years from
the same package version never change. So each nation's holidays are kept, year by year, in
``holidays-<subdivision>.json`` in the user's cache folder (or, when that cannot be written, in
the system's temporary folder), with the package version they came from. A command asks for a
range of years: the years already kept are read back (about a millisecond; the dates are parsed
only for the years asked for); missing years, or a different package version, are worked out
with the package and the file rewritten. Only years within :data:`KEEP_AROUND` of this one are
kept, so a command once asked about a far year does not make every later command read a bigger
file (a shared machine's cache had grown to 9,999 years: 174 KB, ~35 ms a command). A missing,
unreadable or corrupt file just falls back to the package; it never changes an answer.

The package version is read from its installed metadata folder's name (no ``importlib.metadata``
on the hot path: that costs ~15 ms).
"""

from __future__ import annotations

import json
import os
import tempfile
from datetime import date
from pathlib import Path

__all__ = ["cached_holidays", "holidays_version"]

APP_NAME = "complaints"
#: Years either side of this one that are worked out (and kept) whenever any year is missing.
YEARS_AROUND = 10
#: Years further than this from this one are worked out when asked for but never kept: the
#: file (read by every command) stays small whatever dates a command once asked about.
KEEP_AROUND = 50


def holidays_version() -> str:
    """The installed ``holidays`` package's version (``"unknown"`` when it cannot be told)."""
    import importlib.util

    spec = importlib.util.find_spec("holidays")
    if spec is not None and spec.origin:
        site = Path(spec.origin).parent.parent
        try:
            names = os.listdir(site)
        except OSError:
            names = []
        for name in names:
            if name.startswith("holidays-") and name.endswith(".dist-info"):
                return name.removeprefix("holidays-").removesuffix(".dist-info")
    try:  # an unusual installation: ask the slower way
        from importlib.metadata import version

        return version("holidays")
    except Exception:
        return "unknown"


def _folders() -> list[Path]:
    from platformdirs import user_cache_path

    user = os.environ.get("USERNAME") or os.environ.get("USER") or "user"
    return [
        user_cache_path(APP_NAME, appauthor=False),
        Path(tempfile.gettempdir()) / f"{APP_NAME}-{user}-cache",
    ]


#: A year's holidays as the file keeps them: ``{ISO date: name}``.
Kept = dict[int, dict[str, str]]


def _read(path: Path, version: str) -> Kept:
    """The years kept in ``path``, as kept (the dates are parsed only for the years asked
    for: a cache that has grown to many years costs nothing more); ``{}`` when the file is
    missing, unreadable, of another package version or not the expected shape."""
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
        if data.get("version") != version:
            return {}
        kept = {int(year): days for year, days in data["years"].items()}
    except (OSError, ValueError, AttributeError, KeyError, TypeError):
        return {}
    return kept if all(isinstance(days, dict) for days in kept.values()) else {}


def _write(path: Path, version: str, years: Kept) -> bool:
    data = {
        "version": version,
        "years": {str(year): dict(sorted(days.items())) for year, days in sorted(years.items())},
    }
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        tmp = path.with_name(f".{path.name}.{os.getpid()}.tmp")
        tmp.write_text(json.dumps(data), encoding="utf-8")
        os.replace(tmp, path)
    except OSError:
        return False
    return True


def _dates(kept: Kept, years: range) -> dict[date, str] | None:
    """``{date: name}`` of ``years`` from what the file keeps (``None``: a value is not a
    date, the file is corrupt)."""
    try:
        return {date.fromisoformat(d): str(n) for y in years for d, n in kept[y].items()}
    except (ValueError, TypeError, AttributeError):
        return None


def cached_holidays(subdiv: str, first_year: int, last_year: int) -> dict[date, str]:
    """Bank holidays of ``subdiv`` (``ENG``, ``SCT``, ``NIR``) for ``first_year..last_year``,
    named as GOV.UK names them (see :func:`.workdays.holidays_from_package`)."""
    from complaints_cli.domain.workdays import holidays_from_package

    version = holidays_version()
    wanted = range(first_year, last_year + 1)
    paths = [folder / f"holidays-{subdiv}.json" for folder in _folders()]
    kept: Kept = {}
    for path in paths:
        kept = _read(path, version)
        if kept:
            break
    missing = [y for y in wanted if y not in kept]
    now = date.today().year
    if not missing:
        found = _dates(kept, wanted)
        if found is not None:
            if any(abs(y - now) > KEEP_AROUND for y in kept):  # kept by an earlier version
                _write(
                    path, version, {y: d for y, d in kept.items() if abs(y - now) <= KEEP_AROUND}
                )
            return found
        kept, missing = {}, list(wanted)  # a corrupt file: worked out again and rewritten
    # Work out a decade either side of this year too, once: every later command's calendar is
    # then served from the file.
    lo, hi = min(*missing, now - YEARS_AROUND), max(*missing, now + YEARS_AROUND)
    missing = [y for y in range(lo, hi + 1) if y not in kept]
    found = holidays_from_package(subdiv, min(missing), max(missing))
    for year in range(min(missing), max(missing) + 1):
        kept[year] = {d.isoformat(): n for d, n in found.items() if d.year == year}
    keep = {y: days for y, days in kept.items() if abs(y - now) <= KEEP_AROUND}
    for path in paths:
        if _write(path, version, keep):
            break
    result = _dates(kept, wanted)
    if result is None:  # another year of the file is corrupt: the package's answer, uncached
        return holidays_from_package(subdiv, first_year, last_year)
    return result
