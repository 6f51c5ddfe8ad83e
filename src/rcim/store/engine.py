"""Opening a store: URL checks, engine set-up per backend, and the transaction boundary.

SQLite is the embedded default; PostgreSQL serves teams and CI runners. Both get the same
guarantee from ``Store.transaction()``: all of a command's writes commit together or not at all.
"""

from __future__ import annotations

import fcntl
import re
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING, Any

from sqlalchemy import create_engine, event, make_url
from sqlalchemy.exc import ArgumentError, NoSuchModuleError, SQLAlchemyError
from sqlalchemy.orm import Session

from rcim.errors import InvalidInputError
from rcim.store.migrate import upgrade_to_head

if TYPE_CHECKING:
    from collections.abc import Iterator
    from types import TracebackType

    from sqlalchemy import URL, Connection, Engine

SUPPORTED_BACKENDS = ("sqlite", "postgresql")
SQLITE_BUSY_TIMEOUT_MS = 30_000
POSTGRES_CONNECT_TIMEOUT_S = 10
_PASSWORD_IN_URL = re.compile(r"(://[^:/@]*:)[^@]*@")


class Store:
    """An open store: the engine, plus the one way to read and write it (``transaction``)."""

    def __init__(self, engine: Engine, url_for_display: str) -> None:
        self._engine = engine
        self._url_for_display = url_for_display

    @property
    def engine(self) -> Engine:
        return self._engine

    @property
    def url_for_display(self) -> str:
        """The URL with any password masked, safe for messages and logs."""
        return self._url_for_display

    @property
    def dialect(self) -> str:
        """``sqlite`` or ``postgresql``."""
        return self._engine.dialect.name

    @contextmanager
    def transaction(self) -> Iterator[Session]:
        """A session that commits when the block succeeds and rolls back on any exception,
        so a command that fails half-way leaves the store as it found it."""
        with Session(self._engine, expire_on_commit=False) as session, session.begin():
            yield session

    def close(self) -> None:
        """Release every pooled connection (and SQLite's file handles)."""
        self._engine.dispose()

    def __enter__(self) -> Store:
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        traceback: TracebackType | None,
    ) -> None:
        self.close()


def open_store(url: str) -> Store:
    """Open the store at ``url``, creating and migrating it to the latest schema if needed.

    Anything that keeps the store from opening (unknown scheme, missing driver, unreachable
    server, a file that is not a database) is bad input from the user's point of view: it
    becomes an ``InvalidInputError`` naming the URL with its password masked.
    """
    display = mask_password(url)
    parsed = _parse_url(url, display)
    _prepare_sqlite_file(parsed, display)
    try:
        engine = _create_engine(parsed)
    except ImportError as error:
        raise InvalidInputError(
            f"cannot open store {display}: database driver missing ({error}); "
            "for PostgreSQL use postgresql+psycopg:// (pip install 'rcim[postgres]')"
        ) from None
    except (ArgumentError, NoSuchModuleError) as error:
        raise _cannot_open(display, error) from None
    try:
        with _migration_lock(parsed):
            upgrade_to_head(engine)
    except SQLAlchemyError as error:
        engine.dispose()
        raise _cannot_open(display, error) from None
    except InvalidInputError as error:
        engine.dispose()
        raise InvalidInputError(f"cannot open store {display}: {error.message}") from None
    return Store(engine, display)


def mask_password(url: str) -> str:
    """The URL with its password replaced by ``***``; works on URLs that do not parse."""
    try:
        return make_url(url).render_as_string(hide_password=True)
    except (ArgumentError, ValueError):
        return _PASSWORD_IN_URL.sub(r"\1***@", url)


def _parse_url(url: str, display: str) -> URL:
    try:
        parsed = make_url(url)
    except (ArgumentError, ValueError):
        raise InvalidInputError(
            f"cannot open store {display}: not a database URL "
            "(expected sqlite:///PATH or postgresql+psycopg://USER@HOST/DB)"
        ) from None
    if parsed.get_backend_name() not in SUPPORTED_BACKENDS:
        raise InvalidInputError(
            f"cannot open store {display}: unsupported database '{parsed.get_backend_name()}' "
            "(use sqlite:///PATH or postgresql+psycopg://USER@HOST/DB)"
        )
    if parsed.drivername == "postgresql":
        # SQLAlchemy's default PostgreSQL driver is psycopg2; rcim ships psycopg 3.
        parsed = parsed.set(drivername="postgresql+psycopg")
    return parsed


def _prepare_sqlite_file(url: URL, display: str) -> None:
    database = url.database
    if url.get_backend_name() != "sqlite" or not database or database == ":memory:":
        return
    if database.startswith("file:"):
        return
    try:
        Path(database).parent.mkdir(parents=True, exist_ok=True)
    except OSError as error:
        raise InvalidInputError(
            f"cannot open store {display}: cannot create {Path(database).parent}: "
            f"{error.strerror or error}"
        ) from None


@contextmanager
def _migration_lock(url: URL) -> Iterator[None]:
    """Serialise first opens of one SQLite file across processes and threads.

    Switching a new database to WAL needs an exclusive lock, and SQLite reports concurrent
    switches as "database is locked" at once instead of waiting; an advisory file lock held
    while migrating makes simultaneous first opens take turns. PostgreSQL needs none.
    """
    database = url.database
    plain_file = database and database != ":memory:" and not database.startswith("file:")
    if url.get_backend_name() != "sqlite" or not plain_file:
        yield
        return
    with open(f"{database}.lock", "a+b") as handle:
        fcntl.flock(handle, fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(handle, fcntl.LOCK_UN)


def _create_engine(url: URL) -> Engine:
    if url.get_backend_name() == "sqlite":
        engine = create_engine(url)
        event.listen(engine, "connect", _configure_sqlite_connection)
        event.listen(engine, "begin", _begin_immediate)
        return engine
    return create_engine(
        url,
        pool_pre_ping=True,
        connect_args={"connect_timeout": POSTGRES_CONNECT_TIMEOUT_S},
    )


def _configure_sqlite_connection(dbapi_connection: Any, connection_record: Any) -> None:  # noqa: ANN401 - DB-API objects are untyped
    """Per-connection SQLite settings.

    ``isolation_level = None`` stops the sqlite3 module from issuing its own BEGIN (it would
    skip DDL and reads); ``_begin_immediate`` issues one instead. The busy timeout makes a
    second writer wait for the first instead of failing at once.
    """
    dbapi_connection.isolation_level = None
    cursor = dbapi_connection.cursor()
    try:
        cursor.execute(f"PRAGMA busy_timeout = {SQLITE_BUSY_TIMEOUT_MS}")
        cursor.execute("PRAGMA journal_mode = WAL")
        cursor.execute("PRAGMA foreign_keys = ON")
    finally:
        cursor.close()


def _begin_immediate(connection: Connection) -> None:
    """Take SQLite's write lock when a transaction starts.

    A deferred transaction that reads and then writes fails with "database is locked" when
    another writer committed in between, whatever the busy timeout; taking the lock up front
    makes concurrent commands queue up instead, and makes migrations atomic.
    """
    connection.exec_driver_sql("BEGIN IMMEDIATE")


def _cannot_open(display: str, error: BaseException) -> InvalidInputError:
    return InvalidInputError(f"cannot open store {display}: {_first_line(error)}")


def _first_line(error: BaseException) -> str:
    original = getattr(error, "orig", None)
    text = str(original if original is not None else error).strip()
    first = text.splitlines()[0] if text else type(error).__name__
    return first.removeprefix("(psycopg.OperationalError) ")
