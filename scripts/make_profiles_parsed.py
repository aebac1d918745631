"""Write ``complaints_cli/domain/profiles_parsed.py``: the packaged ``profiles.toml`` as
``tomllib`` reads it, as Python literals, so that no command parses the TOML at start-up.

    python scripts/make_profiles_parsed.py            # writes the module
    python scripts/make_profiles_parsed.py --check    # exits 1 if the module is out of date

``profiles.toml`` stays the one source: the module is used only while its ``TEXT`` is the
file's text (see :func:`complaints_cli.domain.profiles.packaged_data`), and
``tests/domain/test_profiles_parsed.py`` fails when it is out of date.
"""

from __future__ import annotations

import argparse
import pprint
import sys
import tomllib
from pathlib import Path

DOMAIN = Path(__file__).resolve().parent.parent / "complaints_cli" / "domain"
TOML = DOMAIN / "profiles.toml"
MODULE = DOMAIN / "profiles_parsed.py"

HEADER = '''"""The packaged ``profiles.toml`` as ``tomllib`` reads it. Made by
``python scripts/make_profiles_parsed.py``: do not edit (edit ``profiles.toml``, then run it).

Used only while ``TEXT`` is exactly the packaged file's text (checked on every run, see
:func:`complaints_cli.domain.profiles.packaged_data`): a stale copy costs the parse, never a
wrong profile. Why: every command reads the profiles, and parsing the 27 KB file with
``tomllib`` (pure Python) cost ~6 ms of CPU each time; loading this module's compiled form
costs ~0.2 ms (measured on Python 3.11, 2026-11-30).
"""

from typing import Any

'''


def module_text(text: str) -> str:
    """The module's source for the TOML ``text``."""
    data = tomllib.loads(text)
    body = pprint.pformat(data, width=100, sort_dicts=False)
    return f"{HEADER}TEXT = {text!r}\n\nDATA: dict[str, Any] = {body}\n"


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--check", action="store_true", help="exit 1 if out of date")
    args = parser.parse_args()
    wanted = module_text(TOML.read_text("utf-8"))
    if args.check:
        current = MODULE.read_text("utf-8") if MODULE.exists() else ""
        if current != wanted:
            print(f"{MODULE} is out of date: run python scripts/make_profiles_parsed.py")
            return 1
        return 0
    MODULE.write_text(wanted, "utf-8")
    print(f"wrote {MODULE}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
