"""One deployment at a time per service and environment, held as a row in the store.

The row names its holder (user@host, pid). A lock is stale when its expiry passed or when it
was taken on this machine by a process that no longer runs (a deploy killed with SIGKILL
cannot clean up); a stale lock is taken over, audited, and the deployment it left
``running`` is closed as failed. Taking the lock is one transaction, so of two concurrent
deploys exactly one gets it (SQLite serialises writers; PostgreSQL rejects the second insert).
"""

from __future__ import annotations

import os
import socket
import time
from dataclasses import dataclass
from datetime import timedelta
from pathlib import Path
from typing import TYPE_CHECKING

from sqlalchemy import delete, select, update
from sqlalchemy.exc import IntegrityError

from rcim.errors import CheckFailedError
from rcim.store.audit import append_audit
from rcim.store.schema import DeployLockRow, DeploymentRow

if TYPE_CHECKING:
    from collections.abc import Callable
    from datetime import datetime

    from sqlalchemy.orm import Session

    from rcim.store import Store

DEFAULT_TTL = timedelta(minutes=30)
POLL_S = 0.5


@dataclass(frozen=True)
class LockHolder:
    service: str
    env: str
    holder: str
    pid: int
    hostname: str
    acquired_at: datetime
    expires_at: datetime

    def describe(self) -> str:
        since = self.acquired_at.strftime("%Y-%m-%d %H:%M:%SZ")
        return f"{self.holder} (pid {self.pid} on {self.hostname}, since {since})"


class LockHeldError(CheckFailedError):
    """Another deployment of the same service and environment is running."""


def this_process(actor: str) -> tuple[str, int, str]:
    """(holder, pid, hostname) naming the current process."""
    hostname = socket.gethostname()
    return f"{actor}@{hostname}:{os.getpid()}", os.getpid(), hostname


def acquire_lock(
    store: Store,
    service: str,
    env: str,
    *,
    actor: str,
    clock: Callable[[], datetime],
    wait_seconds: float = 0.0,
    ttl: timedelta = DEFAULT_TTL,
) -> LockHolder:
    """Take the lock, waiting up to ``wait_seconds`` for a live holder to finish."""
    holder, pid, hostname = this_process(actor)
    deadline = time.monotonic() + wait_seconds
    while True:
        now = clock()
        mine = LockHolder(service, env, holder, pid, hostname, now, now + ttl)
        current = _try_take(store, mine, actor)
        if current is None:
            return mine
        if time.monotonic() >= deadline:
            raise LockHeldError(
                f"{service} in {env} is being deployed by {current.describe()}; "
                "wait for it, or pass --wait SECONDS"
            )
        time.sleep(POLL_S)


def release_lock(store: Store, lock: LockHolder) -> None:
    with store.transaction() as session:
        session.execute(
            delete(DeployLockRow).where(
                DeployLockRow.service == lock.service,
                DeployLockRow.env == lock.env,
                DeployLockRow.holder == lock.holder,
            )
        )


def read_lock(session: Session, service: str, env: str) -> LockHolder | None:
    row = session.get(DeployLockRow, (service, env))
    return None if row is None else _holder(row)


def stale_reason(lock: LockHolder, now: datetime) -> str | None:
    """Why ``lock`` may be taken over, or None while its holder may still be working."""
    if lock.expires_at <= now:
        return f"expired at {lock.expires_at.isoformat()}"
    if lock.hostname == socket.gethostname() and not _pid_alive(lock.pid):
        return f"holder pid {lock.pid} is no longer running"
    return None


def _try_take(store: Store, mine: LockHolder, actor: str) -> LockHolder | None:
    """Insert our row or take over a stale one; returns the live holder when neither works."""
    try:
        with store.transaction() as session:
            existing = read_lock(session, mine.service, mine.env)
            if existing is not None:
                reason = stale_reason(existing, mine.acquired_at)
                if reason is None:
                    return existing
                _take_over(session, existing, mine, reason, actor)
            else:
                session.add(_row(mine))
    except IntegrityError:
        with store.transaction() as session:
            return read_lock(session, mine.service, mine.env) or mine
    return None


def _take_over(
    session: Session, stale: LockHolder, mine: LockHolder, reason: str, actor: str
) -> None:
    session.execute(
        delete(DeployLockRow).where(
            DeployLockRow.service == stale.service, DeployLockRow.env == stale.env
        )
    )
    session.flush()
    session.add(_row(mine))
    abandoned = _close_abandoned(session, mine, reason)
    append_audit(
        session,
        actor=actor,
        action="deploy.lock.takeover",
        subject=f"{mine.service}/{mine.env}",
        payload={
            "stale_holder": stale.holder,
            "stale_pid": stale.pid,
            "stale_hostname": stale.hostname,
            "reason": reason,
            "abandoned_deployments": abandoned,
        },
        at=mine.acquired_at,
    )


def _close_abandoned(session: Session, mine: LockHolder, reason: str) -> list[str]:
    """Deployments left ``running`` by the dead holder did not succeed: close them as failed."""
    ids = list(
        session.scalars(
            select(DeploymentRow.id).where(
                DeploymentRow.service == mine.service,
                DeploymentRow.env == mine.env,
                DeploymentRow.result == "running",
            )
        )
    )
    if ids:
        session.execute(
            update(DeploymentRow)
            .where(DeploymentRow.id.in_(ids))
            .values(result="failed", finished_at=mine.acquired_at)
        )
    return ids


def _row(lock: LockHolder) -> DeployLockRow:
    return DeployLockRow(
        service=lock.service,
        env=lock.env,
        holder=lock.holder,
        pid=lock.pid,
        hostname=lock.hostname,
        acquired_at=lock.acquired_at,
        expires_at=lock.expires_at,
    )


def _holder(row: DeployLockRow) -> LockHolder:
    return LockHolder(
        row.service, row.env, row.holder, row.pid, row.hostname, row.acquired_at, row.expires_at
    )


def _pid_alive(pid: int) -> bool:
    """True while ``pid`` runs; a zombie (killed, not yet reaped) counts as dead."""
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    try:
        stat = Path(f"/proc/{pid}/stat").read_text(encoding="utf-8")
    except OSError:
        return True
    return stat.rsplit(")", 1)[-1].split()[0] != "Z"
