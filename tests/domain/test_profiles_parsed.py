"""The packaged profiles, parsed ahead (``complaints_cli/domain/profiles_parsed.py``): always
the same as parsing ``profiles.toml``, up to date, and never used once the file differs."""

from __future__ import annotations

import importlib.util
import tomllib
from pathlib import Path

import pytest

from complaints_cli.domain import profiles, profiles_parsed

SCRIPT = Path(__file__).resolve().parents[2] / "scripts" / "make_profiles_parsed.py"
TOML = Path(profiles.__file__).with_name("profiles.toml")


def make_module_text(text: str) -> str:
    spec = importlib.util.spec_from_file_location("make_profiles_parsed", SCRIPT)
    assert spec and spec.loader
    script = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(script)
    return str(script.module_text(text))


def test_the_parsed_copy_is_up_to_date() -> None:
    """Fails after an edit of profiles.toml: run python scripts/make_profiles_parsed.py."""
    text = TOML.read_text("utf-8")
    assert text == profiles_parsed.TEXT
    assert tomllib.loads(text) == profiles_parsed.DATA
    assert Path(profiles_parsed.__file__).read_text("utf-8") == make_module_text(text)


def test_the_copy_is_used_only_while_its_text_is_the_files(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    assert profiles.packaged_data() is profiles_parsed.DATA
    edited = TOML.read_text("utf-8").replace(
        'label = "Spruce Homes complaints procedure"', 'label = "Spruce, edited"', 1
    )
    assert edited != TOML.read_text("utf-8")
    monkeypatch.setattr(profiles, "_packaged_text", lambda: edited)
    data = profiles.packaged_data()
    assert data is not profiles_parsed.DATA
    assert data["profiles"]["spruce"]["label"] == "Spruce, edited"


def test_profiles_from_the_copy_equal_profiles_from_the_file() -> None:
    text = TOML.read_text("utf-8")
    from_copy = profiles._parse_document(profiles_parsed.DATA, profiles.PACKAGED)
    from_file = profiles._parse_document(tomllib.loads(text), profiles.PACKAGED)
    assert from_copy == from_file
    assert len(from_copy.profiles) >= 2
