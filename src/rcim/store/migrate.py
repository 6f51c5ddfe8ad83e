"""Bringing a store's schema to the latest revision, automatically, on first use.

The Alembic configuration is built in code (there is no ``alembic.ini``): the scripts live in
the package under ``migrations/``, and the connection is handed to ``migrations/env.py``
through ``config.attributes`` so that the check and the upgrade share one transaction.
To write a new revision, call ``alembic.command.revision(alembic_config(None), message=...)``
and spell the tables out in it, as ``0001_initial.py`` does.
"""

from __future__ import annotations

from functools import cache
from pathlib import Path
from typing import TYPE_CHECKING

from alembic import command
from alembic.config import Config
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy import text

from rcim.errors import InvalidInputError

if TYPE_CHECKING:
    from sqlalchemy import Connection, Engine

MIGRATIONS_DIR = Path(__file__).parent / "migrations"
# Any constant: PostgreSQL sessions migrating the same database queue on this advisory lock.
_MIGRATION_LOCK_KEY = 0x7263696D


def alembic_config(connection: Connection | None) -> Config:
    """The Alembic configuration for rcim's migrations, bound to ``connection``."""
    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS_DIR))
    config.attributes["connection"] = connection
    return config


def upgrade_to_head(engine: Engine) -> None:
    """Apply every migration the database lacks; a database already at head costs one query.

    A database migrated by a newer rcim is refused rather than guessed at.
    """
    with engine.begin() as connection:
        _serialise_migrations(connection)
        current = current_revisions(connection)
        if current == head_revisions():
            return
        unknown = current - known_revisions()
        if unknown:
            raise InvalidInputError(
                f"its schema revision {', '.join(sorted(unknown))} is newer than this rcim "
                "knows; upgrade rcim"
            )
        command.upgrade(alembic_config(connection), "head")


def current_revisions(connection: Connection) -> frozenset[str]:
    """The revisions the database is at (empty for a new database)."""
    return frozenset(MigrationContext.configure(connection).get_current_heads())


def head_revisions() -> frozenset[str]:
    """The newest revisions shipped with this version of rcim."""
    return frozenset(_scripts().get_heads())


def known_revisions() -> frozenset[str]:
    """Every revision shipped with this version of rcim."""
    return frozenset(script.revision for script in _scripts().walk_revisions())


@cache
def _scripts() -> ScriptDirectory:
    """The migration scripts, read once per process."""
    return ScriptDirectory.from_config(alembic_config(None))


def _serialise_migrations(connection: Connection) -> None:
    """Keep two processes opening a new PostgreSQL store from both creating the tables.

    SQLite needs nothing here: every transaction there starts with ``BEGIN IMMEDIATE``.
    """
    if connection.dialect.name == "postgresql":
        connection.execute(text("SELECT pg_advisory_xact_lock(:key)"), {"key": _MIGRATION_LOCK_KEY})
