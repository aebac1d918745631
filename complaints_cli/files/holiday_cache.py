"""Bank holidays from the ``holidays`` package, kept in a small file so most commands never
import it.

Importing ``holidays`` and building a nation's calendar costs ~0.1-0.2 s; the same years from
the same package version never change. So each nation's holidays are kept, year by year, in
``holidays-<subdivision>.json`` in the user's cache folder (or, when that cannot be written, in
the system's temporary folder), with the package version they came from. A command asks for a
range of years: the years already kept are read back (about a millisecond); missing years, or a
different package version, are worked out with the package and the file rewritten. A missing,
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


def _read(path: Path, version: str) -> dict[int, dict[date, str]]:
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
        if data.get("version") != version:
            return {}
        return {
            int(year): {date.fromisoformat(d): str(n) for d, n in days.items()}
            for year, days in data["years"].items()
        }
    except (OSError, ValueError, AttributeError, KeyError, TypeError):
        return {}


def _write(path: Path, version: str, years: dict[int, dict[date, str]]) -> bool:
    data = {
        "version": version,
        "years": {
            str(year): {d.isoformat(): n for d, n in sorted(days.items())}
            for year, days in sorted(years.items())
        },
    }
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        tmp = path.with_name(f".{path.name}.{os.getpid()}.tmp")
        tmp.write_text(json.dumps(data), encoding="utf-8")
        os.replace(tmp, path)
    except OSError:
        return False
    return True


def cached_holidays(subdiv: str, first_year: int, last_year: int) -> dict[date, str]:
    """Bank holidays of ``subdiv`` (``ENG``, ``SCT``, ``NIR``) for ``first_year..last_year``,
    named as GOV.UK names them (see :func:`.workdays.holidays_from_package`)."""
    from complaints_cli.domain.workdays import holidays_from_package

    version = holidays_version()
    wanted = range(first_year, last_year + 1)
    paths = [folder / f"holidays-{subdiv}.json" for folder in _folders()]
    kept: dict[int, dict[date, str]] = {}
    for path in paths:
        kept = _read(path, version)
        if kept:
            break
    missing = [y for y in wanted if y not in kept]
    if missing:
        # Work out a decade either side of this year too, once: every later command's
        # calendar is then served from the file.
        now = date.today().year
        lo, hi = min(*missing, now - YEARS_AROUND), max(*missing, now + YEARS_AROUND)
        missing = [y for y in range(lo, hi + 1) if y not in kept]
        found = holidays_from_package(subdiv, min(missing), max(missing))
        for year in range(min(missing), max(missing) + 1):
            kept[year] = {d: n for d, n in found.items() if d.year == year}
        for path in paths:
            if _write(path, version, kept):
                break
    return {d: n for y in wanted for d, n in kept[y].items()}
