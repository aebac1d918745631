"""Where the log lives and how the team works.

Each setting comes from the flag, then the environment, then the config file, then the default.

Every setting is resolved once per command into :class:`Settings`, which remembers where each
value came from, so ``complaints config`` can show a handler exactly which file they are writing
to and why. Reading settings imports nothing heavy: this runs before every command.
"""

from __future__ import annotations

import os
import re
import tomllib
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from complaints_cli.domain.classification import DEFAULT_CATEGORIES
from complaints_cli.domain.references import check_prefix
from complaints_cli.domain.workdays import normalise_nation
from complaints_cli.errors import ComplaintsError

APP_NAME = "complaints"

#: Setting name -> environment variable.
ENV_VARS = {
    "config": "COMPLAINTS_CONFIG",
    "db": "COMPLAINTS_DB",
    "root": "COMPLAINTS_ROOT",
    "prefix": "COMPLAINTS_PREFIX",
    "profile": "COMPLAINTS_PROFILE",
    "nation": "COMPLAINTS_NATION",
    "user": "COMPLAINTS_USER",
    "homes": "COMPLAINTS_HOMES",
    "homes_lcra": "COMPLAINTS_HOMES_LCRA",
    "homes_lcho": "COMPLAINTS_HOMES_LCHO",
    "categories": "COMPLAINTS_CATEGORIES",
    "retention_years": "COMPLAINTS_RETENTION_YEARS",
    "learning_recipients": "COMPLAINTS_LEARNING_RECIPIENTS",
}

#: Keys a config file may hold, with a line of help for each.
FILE_KEYS = {
    "db": "database file path or SQLAlchemy URL (postgresql+psycopg://...)",
    "root": "folder that holds one sub-folder per complaint",
    "prefix": "reference prefix, e.g. SPRUCE gives SPRUCE001",
    "profile": "timeframe profile (spruce, hos-code-2024, ...)",
    "profiles_file": "a team's own TOML file of timeframe profiles",
    "nation": "bank holidays: england-and-wales, scotland or northern-ireland "
    "[default: the profile's nation]",
    "closures": "office closure days: dates (2025-12-29) or yearly ranges (12-29..12-31)",
    "homes": "number of homes managed (TSM CH01 in `complaints report annual`)",
    "homes_lcra": "low-cost rental homes owned (TSM CH01 per 1,000 homes, LCRA)",
    "homes_lcho": "low-cost home ownership homes owned (TSM CH01 per 1,000 homes, LCHO)",
    "categories": "the team's complaint categories (log --category): a list of names",
    "retention_years": "years a closed case is kept before `complaints purge` removes it",
    "learning_recipients": "who `complaints learning --draft-email` addresses: a list of "
    "e-mail addresses (the SPM and the HoS)",
}

DEFAULT_PREFIX = "SPRUCE"
DEFAULT_PROFILE = "spruce"
#: Years a closed case's personal data is kept (a common housing retention schedule: 6 years).
DEFAULT_RETENTION_YEARS = 6


@dataclass(frozen=True)
class Value:
    """A setting's value and where it came from (flag, environment, file, default)."""

    value: Any
    source: str


@dataclass
class Settings:
    config_file: Value
    db: Value
    root: Value
    prefix: Value
    profile: Value
    profiles_file: Value
    nation: Value
    closures: Value
    user: Value
    retention_years: Value
    #: Homes managed, for TSM CH01 (None: not set).
    homes: Value = field(default_factory=lambda: Value(None, "default"))
    #: Low-cost rental (LCRA) and low-cost home ownership (LCHO) homes owned, for CH01 per
    #: stock type (None: not set).
    homes_lcra: Value = field(default_factory=lambda: Value(None, "default"))
    homes_lcho: Value = field(default_factory=lambda: Value(None, "default"))
    #: The team's complaint categories (``log --category``).
    categories: Value = field(default_factory=lambda: Value(DEFAULT_CATEGORIES, "default"))
    #: Who the organisational learning e-mail goes to (addresses, as given).
    learning_recipients: Value = field(default_factory=lambda: Value((), "default"))
    extra: dict[str, Value] = field(default_factory=dict)

    @property
    def db_url(self) -> str:
        return database_url(self.db.value)

    @property
    def root_path(self) -> Path:
        return Path(self.root.value)

    def rows(self) -> list[dict[str, str]]:
        """One row per setting, for ``complaints config``."""
        out = []
        for name in (
            "config_file",
            "db",
            "root",
            "prefix",
            "profile",
            "profiles_file",
            "nation",
            "closures",
            "user",
            "homes",
            "homes_lcra",
            "homes_lcho",
            "categories",
            "retention_years",
            "learning_recipients",
        ):
            item: Value = getattr(self, name)
            shown = item.value
            if isinstance(shown, list | tuple):
                shown = ", ".join(map(str, shown)) or "(none)"
            out.append(
                {
                    "setting": name,
                    "value": "" if shown is None else str(shown),
                    "source": item.source,
                }
            )
        return out


def is_url(text: str) -> bool:
    """``postgresql+psycopg://...`` and ``sqlite:///...`` are URLs; ``C:\\logs\\x.db`` is not."""
    return bool(re.match(r"^[a-zA-Z][a-zA-Z0-9+.\-]*://", text))


def database_url(value: str) -> str:
    """A file path becomes a ``sqlite:///`` URL; a URL is used as given."""
    if is_url(value):
        return value
    return "sqlite:///" + str(Path(value).expanduser().resolve())


def sqlite_path(url: str) -> Path | None:
    """The file behind a ``sqlite:///`` URL, or ``None`` for a server or in-memory database."""
    if not url.startswith("sqlite:///"):
        return None
    path = url.removeprefix("sqlite:///").split("?", 1)[0]
    return None if path in ("", ":memory:") else Path(path)


def hide_password(url: str) -> str:
    """``postgresql+psycopg://sam:secret@host/db`` -> ``postgresql+psycopg://sam:***@host/db``."""
    return re.sub(r"(://[^:/@]+:)[^@]*@", r"\1***@", url)


def shown_location(url: str) -> str:
    """Where a log is, for a message: the file's path, or the URL with its password hidden."""
    path = sqlite_path(url)
    return str(path) if path is not None else hide_password(url)


def default_config_file() -> Path:
    from platformdirs import user_config_path

    return user_config_path(APP_NAME, appauthor=False) / "config.toml"


def default_data_dir() -> Path:
    from platformdirs import user_data_path

    return user_data_path(APP_NAME, appauthor=False)


def read_config_file(path: Path) -> dict[str, Any]:
    """Parse a team config file, refusing keys it does not know (a typo is never ignored)."""
    try:
        with path.open("rb") as fh:
            data = tomllib.load(fh)
    except tomllib.TOMLDecodeError as exc:
        raise ComplaintsError(f"config file {str(path)!r} is not valid TOML: {exc}") from None
    except OSError as exc:
        raise ComplaintsError(f"cannot read config file {str(path)!r}: {exc.strerror}") from None
    unknown = sorted(set(data) - set(FILE_KEYS))
    if unknown:
        known = ", ".join(FILE_KEYS)
        raise ComplaintsError(
            f"config file {str(path)!r} has unknown setting(s) {', '.join(unknown)}; "
            f"known settings: {known}"
        )
    return data


def _nation(value: Any, source: str) -> str | None:
    """The nation in its canonical spelling (``Scotland`` -> ``scotland``); ``None``: not set,
    the profile's nation applies (see :func:`complaints_cli.domain.timeframes.team_nation`)."""
    if value is None or (isinstance(value, str) and not value.strip()):
        return None
    if not isinstance(value, str):
        raise ComplaintsError(f"nation {value!r} (from {source}) must be text, e.g. scotland")
    try:
        return normalise_nation(value)
    except ComplaintsError as exc:
        raise ComplaintsError(f"{exc} (from {source})") from None


def _closures(value: Any, source: str) -> tuple[str, ...]:
    if isinstance(value, str):
        value = [v for v in re.split(r"[,\s]+", value) if v]
    if not isinstance(value, list | tuple) or not all(isinstance(v, str) for v in value):
        raise ComplaintsError(f"closures (from {source}) must be a list of dates or ranges")
    return tuple(value)


def resolve(
    flags: dict[str, Any] | None = None,
    environ: dict[str, str] | None = None,
) -> Settings:
    """Resolve every setting: flag > environment > config file > default."""
    flags = {k: v for k, v in (flags or {}).items() if v is not None}
    env = os.environ if environ is None else environ

    def from_flag_or_env(name: str) -> Value | None:
        if name in flags:
            return Value(flags[name], "flag")
        var = ENV_VARS.get(name)
        if var and env.get(var):
            return Value(env[var], f"env {var}")
        return None

    config_file = from_flag_or_env("config")
    if config_file is None:
        config_file = Value(str(default_config_file()), "default")
        explicit = False
    else:
        explicit = True
    cfg_path = Path(config_file.value).expanduser()
    file_data: dict[str, Any] = {}
    if cfg_path.is_file():
        file_data = read_config_file(cfg_path)
    elif explicit:
        raise ComplaintsError(
            f"config file {str(cfg_path)!r} (from {config_file.source}) does not exist"
        )
    file_source = f"file {cfg_path}"

    def pick(name: str, default: Any, *, path_like: bool = False) -> Value:
        chosen = from_flag_or_env(name)
        if chosen is not None:
            return chosen
        if name in file_data:
            value = file_data[name]
            if path_like and isinstance(value, str) and not is_url(value):
                # A team file on a shared drive names paths relative to itself.
                value = str((cfg_path.parent / Path(value).expanduser()).resolve())
            return Value(value, file_source)
        return Value(default, "default")

    db = pick("db", None, path_like=True)
    if db.value is None:
        db = Value(str(default_data_dir() / "complaints.db"), "default")
    elif not isinstance(db.value, str) or not db.value.strip():
        raise ComplaintsError(f"db (from {db.source}) must be a file path or a database URL")
    elif not is_url(db.value):
        db = Value(str(Path(db.value).expanduser().resolve()), db.source)

    root = pick("root", None, path_like=True)
    if root.value is None:
        db_file = sqlite_path(database_url(db.value))
        base = db_file.parent if db_file else default_data_dir()
        root = Value(str(base / "Complaints"), "default (beside the database)")
    else:
        root = Value(str(Path(str(root.value)).expanduser().resolve()), root.source)

    prefix = pick("prefix", DEFAULT_PREFIX)
    prefix = Value(check_prefix(str(prefix.value), prefix.source), prefix.source)

    nation = pick("nation", None)
    nation = Value(_nation(nation.value, nation.source), nation.source)
    closures = pick("closures", [])
    closures = Value(_closures(closures.value, closures.source), closures.source)

    user = from_flag_or_env("user")
    if user is None:
        user = Value(_os_user(), "OS user")

    retention = pick("retention_years", DEFAULT_RETENTION_YEARS)
    retention = Value(_retention_years(retention.value, retention.source), retention.source)

    homes = pick("homes", None)
    homes = Value(_homes(homes.value, homes.source, "homes"), homes.source)
    lcra = pick("homes_lcra", None)
    lcra = Value(_homes(lcra.value, lcra.source, "homes_lcra"), lcra.source)
    lcho = pick("homes_lcho", None)
    lcho = Value(_homes(lcho.value, lcho.source, "homes_lcho"), lcho.source)
    categories = pick("categories", DEFAULT_CATEGORIES)
    categories = Value(_categories(categories.value, categories.source), categories.source)

    recipients = pick("learning_recipients", [])
    recipients = Value(_recipients(recipients.value, recipients.source), recipients.source)

    return Settings(
        config_file=Value(str(cfg_path), config_file.source),
        db=db,
        root=root,
        prefix=prefix,
        profile=pick("profile", DEFAULT_PROFILE),
        profiles_file=pick("profiles_file", None, path_like=True),
        nation=nation,
        closures=closures,
        user=user,
        homes=homes,
        homes_lcra=lcra,
        homes_lcho=lcho,
        categories=categories,
        retention_years=retention,
        learning_recipients=recipients,
    )


def _recipients(value: Any, source: str) -> tuple[str, ...]:
    """E-mail addresses: a list, or text separated by commas or semicolons (checked when a
    draft is written)."""
    if isinstance(value, str):
        value = [v.strip() for v in re.split(r"[;,]", value) if v.strip()]
    if not isinstance(value, list | tuple) or not all(isinstance(v, str) for v in value):
        raise ComplaintsError(
            f"learning_recipients (from {source}) must be a list of e-mail addresses"
        )
    return tuple(value)


def _retention_years(value: Any, source: str) -> int:
    """Whole years, 1 to 100: a typo must never make ``purge`` remove cases too early."""
    try:
        years = int(str(value).strip()) if not isinstance(value, bool) else -1
    except ValueError:
        years = -1
    if not 1 <= years <= 100:
        raise ComplaintsError(
            f"retention_years {value!r} (from {source}) must be a whole number of years, 1-100"
        )
    return years


def _categories(value: Any, source: str) -> tuple[str, ...]:
    """The team's categories: a list, or text separated by semicolons; distinct, not empty."""
    if isinstance(value, str):
        value = [v for v in re.split(r"[;\n]", value)]
    if not isinstance(value, list | tuple) or not all(isinstance(v, str) for v in value):
        raise ComplaintsError(f"categories (from {source}) must be a list of names")
    names = [" ".join(v.split()) for v in value if v.strip()]
    folded = [n.casefold() for n in names]
    twice = [n for i, (n, f) in enumerate(zip(names, folded, strict=True)) if f in folded[:i]]
    if not names or twice:
        raise ComplaintsError(
            f"categories (from {source}) must list each category once"
            + (f" ({', '.join(twice)} twice)" if twice else " (the list is empty)")
        )
    return tuple(names)


def _homes(value: Any, source: str, name: str = "homes") -> int | None:
    """A whole number of homes, at least 1 (None when not set)."""
    if value is None or (isinstance(value, str) and not value.strip()):
        return None
    try:
        homes = int(str(value).strip().replace(",", "")) if not isinstance(value, bool) else 0
    except ValueError:
        homes = 0
    if homes < 1:
        raise ComplaintsError(
            f"{name} {value!r} (from {source}) must be a whole number of homes, e.g. 2500"
        )
    return homes


def _os_user() -> str:
    import getpass

    try:
        return getpass.getuser()
    except Exception:  # no login name (a service account, a container)
        return "unknown"
