"""Opening the log: the driver itself for every everyday read and write.

Commands must start in a few tens of milliseconds, and SQLAlchemy with pydantic alone costs
~0.3 s to import, so reads and the everyday writes talk to the driver directly (``sqlite3`` or
``psycopg``) through :class:`RawDatabase`, with named parameters (``:name``) on both. A write
runs in :meth:`RawDatabase.transaction`: on SQLite that takes the write lock up front
(``BEGIN IMMEDIATE``), waiting a bounded time for a busy log, so two handlers never interleave;
on PostgreSQL the rows a write depends on are locked with ``SELECT ... FOR UPDATE``
(:attr:`RawDatabase.for_update`). SQLAlchemy (:func:`make_engine`) remains for the schema's
migrations, copying a log and purging. Both make sure the schema is current before use.
"""

from __future__ import annotations

import os
import re
from collections.abc import Iterator, Mapping, Sequence
from contextlib import contextmanager
from datetime import UTC, date, datetime
from enum import Enum
from pathlib import Path
from typing import TYPE_CHECKING, Any

from complaints_cli.config import is_url, sqlite_path
from complaints_cli.errors import BusyError, ComplaintsError
from complaints_cli.store.schema import check_version

if TYPE_CHECKING:
    from sqlalchemy.engine import Engine


def busy_timeout() -> float:
    """Seconds to wait for another handler's write to finish (``COMPLAINTS_BUSY_TIMEOUT``)."""
    raw = os.environ.get("COMPLAINTS_BUSY_TIMEOUT", "15")
    try:
        return max(0.0, float(raw))
    except ValueError:
        raise ComplaintsError(
            f"COMPLAINTS_BUSY_TIMEOUT {raw!r} must be a number of seconds"
        ) from None


BUSY_MESSAGE = (
    "the log is busy: another handler is saving a change; try again in a moment "
    "(if this keeps happening, see 'Working as a team' in the README)"
)


def _driver_url(url: str) -> str:
    """``postgresql+psycopg://u@h/db`` -> ``postgresql://u@h/db`` for psycopg itself."""
    return re.sub(r"^postgres(?:ql)?(\+\w+)?://", "postgresql://", url)


#: What to do when the log named is missing: the one message every command gives.
MISSING_LOG = (
    "the log {where} does not exist: check the path (--db, COMPLAINTS_DB or the db setting; "
    "complaints config shows which is in force), or create a new, empty log there with "
    "complaints db init {init}"
)


def check_sqlite_target(path: Path, *, default: bool, create: bool = False) -> None:
    """Refuse a log file that does not exist, unless it is to be created.

    A typo in a path must never start a new, empty log that answers "Nothing due." (issue 12):
    only ``db init``, ``log --create``, ``import --create`` and the first run on the default
    location (``default``: its folder is made too, so a fresh machine just works) create one.
    A file of 0 bytes counts as missing (SQLite would quietly make a log in it).

    Raises :class:`ComplaintsError` naming the path and the fix.
    """
    if path.is_dir():
        raise ComplaintsError(f"database path {str(path)!r} is a folder, not a file")
    try:
        present = path.stat().st_size > 0
    except OSError:
        present = False
    if present:
        return
    if not path.parent.is_dir():
        if default:
            path.parent.mkdir(parents=True, exist_ok=True)
            return
        raise ComplaintsError(
            f"the folder for the database {str(path)!r} does not exist: check the path "
            "(--db, COMPLAINTS_DB or the db setting) or create the folder first"
        )
    if default or create:
        return
    shown = f'"{path}"' if " " in str(path) else str(path)
    message = MISSING_LOG.format(where=str(path), init=shown)
    if path.exists():
        message = message.replace("does not exist", "is an empty file (0 bytes), not a log", 1)
    raise ComplaintsError(message)


class RawDatabase:
    """A DB-API connection with named parameters (``:name``) on SQLite and PostgreSQL alike."""

    def __init__(self, url: str, *, default_location: bool = False, create: bool = False) -> None:
        """Open the log at ``url`` (a SQLite path or a PostgreSQL URL), its schema brought up
        to date. A log that does not exist (a missing or empty SQLite file, a PostgreSQL
        database without the log's tables) is refused unless ``create`` or, for SQLite,
        ``default_location`` (the first run on the default location)."""
        self.url = url
        self.path = sqlite_path(url)
        self.dialect = "sqlite" if url.startswith("sqlite") else "postgresql"
        self._conn: Any
        #: The SQLite file this connection has open (device, inode): see check_same_file.
        self._file: tuple[int, int] | None = None
        if self.dialect == "sqlite":
            import sqlite3

            if self.path is None:
                raise ComplaintsError("an in-memory database cannot hold a log: give a file path")
            check_sqlite_target(self.path, default=default_location, create=create)
            _bind_directly(sqlite3)
            try:
                # Autocommit: reads take no lock; a write begins its own transaction.
                self._conn = sqlite3.connect(
                    self.path, timeout=busy_timeout(), isolation_level=None
                )
                self._conn.execute("PRAGMA foreign_keys = ON")
                self._file = _file_identity(self.path)
            except sqlite3.Error as exc:
                raise ComplaintsError(
                    f"cannot open the database {str(self.path)!r}: {exc}"
                ) from None
        elif url.startswith(("postgresql", "postgres")):
            import psycopg

            try:
                self._conn = psycopg.connect(_driver_url(url), autocommit=True)
            except psycopg.Error as exc:
                first = str(exc).strip().splitlines()[0] if str(exc).strip() else type(exc).__name__
                raise ComplaintsError(f"cannot connect to the database server: {first}") from None
        else:
            scheme = url.split("://", 1)[0] if is_url(url) else url
            raise ComplaintsError(
                f"unsupported database {scheme!r}: use a file path or postgresql+psycopg://..."
            )
        if not create and self.dialect == "postgresql" and self._version() is None:
            self._refuse_empty_server_database()
        self.ensure_schema()

    def _refuse_empty_server_database(self) -> None:
        """A PostgreSQL database that holds no log yet: refused unless created on purpose."""
        from complaints_cli.config import hide_password

        shown = hide_password(self.url)
        self.close()
        raise ComplaintsError(MISSING_LOG.format(where=shown, init=shown))

    # -- queries ---------------------------------------------------------------------------
    @property
    def for_update(self) -> str:
        """`` FOR UPDATE`` on PostgreSQL (SQLite's write lock is already held)."""
        return "" if self.dialect == "sqlite" else " FOR UPDATE"

    def _params(self, params: Mapping[str, Any] | None) -> dict[str, Any]:
        values = dict(params or {})
        sqlite = self.dialect == "sqlite"
        for k, v in values.items():
            if isinstance(v, Enum):
                values[k] = v.value
            elif sqlite and isinstance(v, datetime):
                values[k] = sqlite_stamp(v)
            elif sqlite and isinstance(v, date):  # SQLite keeps dates as ISO text
                values[k] = v.isoformat()
        return values

    @contextmanager
    def transaction(self) -> Iterator[RawDatabase]:
        """One command's writes: committed together, or rolled back on any error.

        SQLite: ``BEGIN IMMEDIATE`` takes the write lock at the start (a second writer waits
        up to the busy timeout, then is told the log is busy), so a read inside the transaction
        is never stale. PostgreSQL: lock what you read with :attr:`for_update`.
        """
        if self.dialect == "sqlite":
            self.execute("BEGIN IMMEDIATE")
            try:
                yield self
                self.check_same_file()
                self.execute("COMMIT")
            except BaseException:
                self._conn.rollback()
                raise
            return
        with self._conn.transaction():
            yield self

    def check_same_file(self) -> None:
        """Refuse to commit into a SQLite file that is no longer the one at the log's path.

        A log file replaced while a command runs (a backup restored over it, a copy dragged
        onto it in Explorer, ``mv``) is still open here, and SQLite would go on writing to the
        old, unlinked file: an import would report rows added to a file nobody will read
        (issue 16). Checked under the write lock, just before each commit (one ``stat``).
        Raises :class:`ComplaintsError` naming both logs (their ids) and the fix; the
        transaction is then rolled back. PostgreSQL: a database cannot be replaced under an
        open connection (dropping it ends the connection, which is an error already).
        """
        if self.path is None or self._file is None:
            return
        now = _file_identity(self.path)
        if now == self._file:
            return
        was = self._log_id_here()
        there = _log_id_at(self.path) if now is not None else None
        now_text = (
            "nothing is there now"
            if now is None
            else f"it is now {'log ' + there[:8] if there else 'a file without a log id'}"
        )
        raise ComplaintsError(
            f"the log file {str(self.path)!r} was replaced or moved while this command ran (it "
            f"was {'log ' + was[:8] if was else 'a log without an id yet'}; {now_text}): "
            "nothing was saved; check which log belongs at that path (complaints config), "
            "then run the command again"
        )

    def _log_id_here(self) -> str | None:
        try:
            found = self._conn.execute("SELECT log_id FROM log_identity LIMIT 1").fetchone()
        except Exception:
            return None
        return str(found[0]) if found else None

    def _sql(self, sql: str) -> str:
        if self.dialect == "sqlite":
            return sql
        return re.sub(r"(?<![:\w]):([A-Za-z_]\w*)", r"%(\1)s", sql.replace("%", "%%"))

    def execute(self, sql: str, params: Mapping[str, Any] | None = None) -> Any:
        try:
            cur = self._conn.cursor()
            cur.execute(self._sql(sql), self._params(params))
            return cur
        except Exception as exc:
            self._translate(exc)
            raise

    def executemany(self, sql: str, rows: Sequence[Mapping[str, Any]]) -> None:
        """One statement for many rows (the values already converted with :meth:`values`)."""
        try:
            cur = self._conn.cursor()
            cur.executemany(self._sql(sql), rows)
        except Exception as exc:
            self._translate(exc)
            raise

    @property
    def paramstyle(self) -> str:
        """The driver's positional mark: ``?`` (sqlite3) or ``%s`` (psycopg)."""
        return "?" if self.dialect == "sqlite" else "%s"

    def executemany_raw(self, sql: str, rows: Sequence[Sequence[Any]]) -> None:
        """``sql`` with the driver's own positional marks, for many rows of driver values
        (the bulk import's hot path: no per-value conversion here)."""
        try:
            self._conn.cursor().executemany(sql, rows)
        except Exception as exc:
            self._translate(exc)
            raise

    def values(self, row: Mapping[str, Any]) -> dict[str, Any]:
        """``row`` as the driver takes it (for :meth:`executemany`)."""
        return self._params(row)

    def _translate(self, exc: Exception) -> None:
        """Raise the :class:`ComplaintsError` a driver error means to a user, if it means one."""
        import sqlite3

        text = str(exc)
        if isinstance(exc, sqlite3.OperationalError):
            if "locked" in text or "busy" in text:
                raise BusyError(BUSY_MESSAGE) from None
            if "no such table" in text:
                raise ComplaintsError(f"{self.url} is not a complaints log ({exc})") from None
            if "disk is full" in text or "database or disk is full" in text:
                raise ComplaintsError(
                    f"the disk holding the log {str(self.path)!r} is full: nothing was saved; "
                    "free some space and try again"
                ) from None
            if "disk I/O error" in text:  # a write refused (a quota, a file-size limit, a
                # drive gone): SQLite rolled the transaction back
                raise ComplaintsError(
                    f"the disk holding the log {str(self.path)!r} refused a write (full, over "
                    "a quota, or gone): nothing was saved; free some space or check the drive "
                    "and try again"
                ) from None
            if "readonly" in text or "read-only" in text:
                self.check_same_file()  # SQLite says "readonly" once its file was replaced
                raise ComplaintsError(
                    f"the log {str(self.path)!r} is read-only here: nothing was saved; check "
                    "the file's permissions"
                ) from None
        elif isinstance(exc, sqlite3.DatabaseError) and not isinstance(exc, sqlite3.IntegrityError):
            raise ComplaintsError(
                f"{str(self.path)!r} is not a usable complaints database: {exc}"
            ) from None
        if self.dialect == "postgresql":
            translate_pg_error(exc)

    def rows(self, sql: str, params: Mapping[str, Any] | None = None) -> list[dict[str, Any]]:
        cur = self.execute(sql, params)
        names = [d[0] for d in cur.description]
        return [dict(zip(names, row, strict=True)) for row in cur.fetchall()]

    def iter_rows(
        self, sql: str, params: Mapping[str, Any] | None = None, *, size: int = 2000
    ) -> Iterator[dict[str, Any]]:
        cur = self.execute(sql, params)
        names = [d[0] for d in cur.description]
        while batch := cur.fetchmany(size):
            for row in batch:
                yield dict(zip(names, row, strict=True))

    def scalar(self, sql: str, params: Mapping[str, Any] | None = None) -> Any:
        row = self.execute(sql, params).fetchone()
        return None if row is None else row[0]

    def column(self, sql: str, params: Mapping[str, Any] | None = None) -> Sequence[Any]:
        return [row[0] for row in self.execute(sql, params).fetchall()]

    def close(self) -> None:
        self._conn.close()

    def __enter__(self) -> RawDatabase:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    # -- schema ----------------------------------------------------------------------------
    def _version(self) -> str | None:
        if self.dialect == "sqlite":
            exists = self.scalar(
                "SELECT 1 FROM sqlite_master WHERE type='table' AND name='alembic_version'"
            )
        else:
            exists = self.scalar("SELECT to_regclass('alembic_version') IS NOT NULL")
        if not exists:
            return None
        return self.scalar("SELECT version_num FROM alembic_version")

    def ensure_schema(self) -> None:
        if check_version(self._version()):
            return
        from complaints_cli.store.schema import upgrade

        engine = make_engine(self.url)
        try:
            upgrade(engine)
        except Exception as exc:
            translate_db_error(exc)
            raise
        finally:
            engine.dispose()


def _file_identity(path: Path) -> tuple[int, int] | None:
    """``(device, inode)`` of the file at ``path`` (Windows: volume and file index)."""
    try:
        info = os.stat(path)
    except OSError:
        return None
    return (info.st_dev, info.st_ino)


def _log_id_at(path: Path) -> str | None:
    """The id of the log in the SQLite file at ``path``, read only; ``None`` if none."""
    import sqlite3

    try:
        conn = sqlite3.connect(f"{path.resolve().as_uri()}?mode=ro", uri=True, timeout=1)
        try:
            found = conn.execute("SELECT log_id FROM log_identity LIMIT 1").fetchone()
        finally:
            conn.close()
    except sqlite3.Error:
        return None
    return str(found[0]) if found else None


def _null(_value: None) -> None:
    return None


_BOUND_DIRECTLY: list[bool] = []


def _bind_directly(sqlite3: Any) -> None:
    """Register ``sqlite3`` adapters that bind ``None``, ``bool`` and the vocabulary's
    ``StrEnum`` values as they are already bound (NULL, 1/0, the member's text), once per
    process.

    Why: Python's ``sqlite3`` binds only exact ``int``, ``float``, ``str`` and ``bytes``
    directly. Every other value goes through its adapter registry first, and when no adapter
    is registered it asks the protocol type for ``__adapt__``, which raises and formats an
    ``AttributeError`` each time before the value is bound as before: 0.7-1.1 µs a value
    against 0.3 µs for an ``int`` (200k rows of 5 values, Python 3.11.7, 2026-11-30). A
    100k-case import binds about 2.5 million such values (blank cells, Yes/No columns, the
    status): under callgrind, formatting those errors was 6% of a 10k-case import's
    instructions. With an adapter registered, ``None`` costs 0.39 µs and ``bool`` 0.53 µs.
    What is stored does not change (a test reads the types back).
    """
    if _BOUND_DIRECTLY:
        return
    from enum import StrEnum

    from complaints_cli.domain import vocabulary

    sqlite3.register_adapter(type(None), _null)
    sqlite3.register_adapter(bool, int)
    for value in vars(vocabulary).values():
        if isinstance(value, type) and issubclass(value, StrEnum) and value is not StrEnum:
            sqlite3.register_adapter(value, str)
    _BOUND_DIRECTLY.append(True)


def placeholders(prefix: str, values: Sequence[Any]) -> tuple[str, dict[str, Any]]:
    """``(":p0, :p1", {"p0": ..., "p1": ...})``: named parameters for ``IN (...)``."""
    params = {f"{prefix}{n}": v for n, v in enumerate(values)}
    return ", ".join(f":{k}" for k in params), params


def sqlite_stamp(value: datetime) -> str:
    """A date-time as the log keeps it in SQLite: naive UTC, microseconds always
    (``2025-02-03 10:48:25.168942``, as SQLAlchemy's SQLite dialect writes and reads it)."""
    if value.tzinfo is not None:
        value = value.astimezone(UTC).replace(tzinfo=None)
    return value.strftime("%Y-%m-%d %H:%M:%S.%f")


def translate_pg_error(exc: BaseException) -> None:
    """Raise the :class:`ComplaintsError` a PostgreSQL error means to a user, if it means one."""
    import psycopg

    if not isinstance(exc, psycopg.Error) or isinstance(exc, psycopg.errors.UniqueViolation):
        return
    first = str(exc).strip().splitlines()[0] if str(exc).strip() else type(exc).__name__
    if "NUL (0x00)" in first:  # psycopg refuses it before sending: a read or a write
        raise ComplaintsError(
            "a value holds a NUL character (U+0000), which the log cannot hold: remove it"
        ) from None
    if isinstance(exc, psycopg.errors.StringDataRightTruncation):
        raise ComplaintsError(f"a value is too long for the log: {first}") from None
    if isinstance(exc, psycopg.errors.NumericValueOutOfRange):
        raise ComplaintsError(f"a number is out of range for the log: {first}") from None
    if isinstance(exc, psycopg.errors.UntranslatableCharacter | psycopg.DataError):
        raise ComplaintsError(f"a value cannot be stored in the log: {first}") from None
    if isinstance(exc, psycopg.errors.DeadlockDetected | psycopg.errors.SerializationFailure):
        # two handlers saving changes to the same cases at once, each holding what the other needs
        raise BusyError(
            "another handler was saving a change to the same cases at the same moment: "
            "nothing was saved; try again"
        ) from None
    if isinstance(exc, psycopg.OperationalError):
        raise ComplaintsError(f"lost the connection to the database server: {first}") from None


def translate_db_error(exc: BaseException) -> None:
    """Raise the :class:`ComplaintsError` a driver error means to a user, if it means one."""
    text = str(getattr(exc, "orig", None) or exc)
    if "database is locked" in text or "database is busy" in text:
        raise BusyError(BUSY_MESSAGE) from None
    if "file is not a database" in text or "database disk image is malformed" in text:
        raise ComplaintsError(f"the database is not a usable complaints log: {text}") from None
    if "disk is full" in text or "disk I/O error" in text:
        raise ComplaintsError(
            f"the disk holding the database refused a write ({text}): nothing was saved; "
            "free some space and try again"
        ) from None
    if "unable to open database file" in text or "readonly database" in text:
        raise ComplaintsError(f"cannot write to the database: {text}") from None


def make_engine(url: str) -> Engine:
    """A SQLAlchemy engine whose SQLite transactions take the write lock at BEGIN.

    ``BEGIN IMMEDIATE`` makes a second writer wait (up to the busy timeout) at the start of its
    transaction instead of failing half-way, which is what keeps references gap-free and
    unique when several handlers log at once.
    """
    from sqlalchemy import create_engine, event
    from sqlalchemy.pool import NullPool

    if url.startswith("sqlite"):
        timeout = busy_timeout()
        engine = create_engine(url, connect_args={"timeout": timeout}, poolclass=NullPool)
        import sqlite3

        _bind_directly(sqlite3)

        @event.listens_for(engine, "connect")
        def _connect(dbapi_conn: Any, _record: Any) -> None:
            dbapi_conn.isolation_level = None  # we issue BEGIN ourselves
            cur = dbapi_conn.cursor()
            cur.execute(f"PRAGMA busy_timeout = {int(timeout * 1000)}")
            cur.execute("PRAGMA foreign_keys = ON")
            cur.close()

        @event.listens_for(engine, "begin")
        def _begin(conn: Any) -> None:
            conn.exec_driver_sql("BEGIN IMMEDIATE")

        return engine
    return create_engine(url, poolclass=NullPool)
