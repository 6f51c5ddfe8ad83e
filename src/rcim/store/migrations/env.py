"""Alembic environment for the rcim store.

rcim runs migrations itself (``rcim.store.migrate``) on a connection it already holds, so that
the schema check, the upgrade and the first use share one transaction; there is no
``alembic.ini`` and no offline (SQL script) mode.
"""

from __future__ import annotations

from alembic import context
from sqlalchemy.engine import Connection

from rcim.store.schema import Base

connection = context.config.attributes.get("connection")
if not isinstance(connection, Connection):
    raise RuntimeError(
        "rcim migrations run through rcim.store.open_store(), which passes the connection"
    )
context.configure(connection=connection, target_metadata=Base.metadata)
with context.begin_transaction():
    context.run_migrations()
