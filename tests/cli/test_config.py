"""Settings come from flag, then environment, then the config file, then the default."""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any

import pytest

from complaints_cli.config import database_url, resolve
from complaints_cli.errors import ComplaintsError


def write_config(path: Path, text: str) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")
    return path


def test_precedence_flag_env_file_default(tmp_path: Path) -> None:
    cfg = write_config(tmp_path / "team.toml", 'prefix = "FILE"\ndb = "team.db"\nroot = "Cases"\n')
    env = {"COMPLAINTS_CONFIG": str(cfg), "COMPLAINTS_PREFIX": "ENV"}
    s = resolve({}, env)
    assert (s.prefix.value, s.prefix.source) == ("ENV", "env COMPLAINTS_PREFIX")
    assert (s.db.value, s.db.source) == (str(tmp_path / "team.db"), f"file {cfg}")
    assert s.root.value == str(tmp_path / "Cases")  # relative to the config file
    assert (s.profile.value, s.profile.source) == ("spruce", "default")
    s = resolve({"prefix": "flag"}, env)
    assert (s.prefix.value, s.prefix.source) == ("FLAG", "flag")


def test_default_root_is_beside_the_database(tmp_path: Path) -> None:
    s = resolve({"db": str(tmp_path / "x" / "log.db")}, {})
    assert s.root.value == str(tmp_path / "x" / "Complaints")


def test_urls_pass_through_and_paths_become_sqlite_urls(tmp_path: Path) -> None:
    url = "postgresql+psycopg://u:p@db.example:5432/log"
    assert database_url(url) == url
    assert database_url(str(tmp_path / "a.db")) == f"sqlite:///{tmp_path / 'a.db'}"


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ('prefx = "X"\n', "unknown setting(s) prefx"),
        ("prefix = \n", "is not valid TOML"),
        ('prefix = "12AB"\n', "reference prefix '12AB'"),
        ('nation = "atlantis"\n', "unknown nation 'atlantis'"),
    ],
)
def test_bad_config_files_are_explained(tmp_path: Path, text: str, message: str) -> None:
    cfg = write_config(tmp_path / "c.toml", text)
    with pytest.raises(ComplaintsError, match=re.escape(message)):
        resolve({"config": str(cfg)}, {})


@pytest.mark.parametrize(
    ("text", "nation"),
    [
        ("Scotland", "scotland"),
        ("wales", "england-and-wales"),
        ("Northern Ireland", "northern-ireland"),
        ("NI", "northern-ireland"),
        ("england_and_wales", "england-and-wales"),
    ],
)
def test_the_nation_is_spelt_as_the_calendar_spells_it(text: str, nation: str) -> None:
    """One owner of the nation's spellings: what the calendar accepts, the setting accepts."""
    s = resolve({}, {"COMPLAINTS_NATION": text})
    assert (s.nation.value, s.nation.source) == (nation, "env COMPLAINTS_NATION")


def test_the_nation_is_not_set_by_default() -> None:
    """Unset, the profile's nation applies (see tests/cli/test_nation.py)."""
    assert resolve({}, {}).nation.value is None


def test_named_config_file_must_exist(tmp_path: Path) -> None:
    with pytest.raises(ComplaintsError, match="does not exist"):
        resolve({}, {"COMPLAINTS_CONFIG": str(tmp_path / "nope.toml")})


def test_config_command_shows_each_source(cli: Any, tmp_path: Path) -> None:
    cfg = write_config(
        tmp_path / "home" / ".config" / "complaints" / "config.toml",
        'prefix = "HP"\nnation = "scotland"\n',
    )
    rows = {r["setting"]: r for r in json.loads(cli("--as", "Kim", "config", "-f", "json").stdout)}
    assert rows["prefix"] == {"setting": "prefix", "value": "HP", "source": f"file {cfg}"}
    assert rows["nation"]["value"] == "scotland"
    assert rows["db"]["source"] == "env COMPLAINTS_DB"
    assert rows["user"] == {"setting": "user", "value": "Kim", "source": "flag"}
    assert rows["profile"]["source"] == "default"
    table = cli("config").stdout
    assert "env COMPLAINTS_DB" in table and "HP" in table and "flag" not in table


def test_db_path_hides_passwords(cli: Any, tmp_path: Path) -> None:
    assert cli("db", "path").stdout.strip() == str(tmp_path / "log.db")
    out = cli("--db", "postgresql+psycopg://kim:s3cret@db.local/log", "db", "path").stdout
    assert out.strip() == "postgresql+psycopg://kim:***@db.local/log"
