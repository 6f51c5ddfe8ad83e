"""The store: state that changes over time, and the hash-chained audit log of every change.

SQLite by default (``sqlite:///<program>/.rcim/rcim.db``), PostgreSQL by URL
(``postgresql+psycopg://...``). ``open_store`` migrates the schema on first use.
"""

from rcim.store.audit import (
    AuditEntry,
    append_audit,
    export_audit,
    iter_audit,
    verify_audit,
)
from rcim.store.chain import AuditVerification
from rcim.store.engine import Store, mask_password, open_store

__all__ = [
    "AuditEntry",
    "AuditVerification",
    "Store",
    "append_audit",
    "export_audit",
    "iter_audit",
    "mask_password",
    "open_store",
    "verify_audit",
]
