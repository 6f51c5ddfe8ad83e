"""The store's tables as typed SQLAlchemy models.

The migrations under ``migrations/versions/`` create these tables explicitly; a test compares
the migrated database with this metadata, so the two cannot drift apart unnoticed.
Row classes end in ``Row`` so that they never clash with the domain records of the practices
(``changes``, ``deploy``, ``incidents``...) that load them.
"""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from sqlalchemy import (
    JSON,
    Boolean,
    CheckConstraint,
    DateTime,
    Dialect,
    Float,
    ForeignKey,
    Index,
    Integer,
    MetaData,
    String,
    Text,
    TypeDecorator,
)
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column

NAMING_CONVENTION = {
    "ix": "ix_%(table_name)s_%(column_0_N_name)s",
    "uq": "uq_%(table_name)s_%(column_0_N_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}

ID = 64
NAME = 200
SHA = 64


class UTCDateTime(TypeDecorator[datetime]):
    """A timezone-aware UTC instant on every backend.

    SQLite has no time zone type and hands back naive values; storing UTC and re-attaching
    UTC on the way out makes both backends return equal, comparable instants. Naive values
    are refused on the way in because their meaning would depend on the machine.
    """

    impl = DateTime(timezone=True)
    cache_ok = True

    def process_bind_param(self, value: datetime | None, dialect: Dialect) -> datetime | None:
        if value is None:
            return None
        if value.tzinfo is None:
            raise ValueError(f"naive datetime {value.isoformat()} cannot be stored; pass UTC")
        return value.astimezone(UTC)

    def process_result_value(self, value: datetime | None, dialect: Dialect) -> datetime | None:
        if value is None:
            return None
        if value.tzinfo is None:
            return value.replace(tzinfo=UTC)
        return value.astimezone(UTC)


class Base(DeclarativeBase):
    metadata = MetaData(naming_convention=NAMING_CONVENTION)
    type_annotation_map = {  # noqa: RUF012 - SQLAlchemy reads this class attribute
        datetime: UTCDateTime(),
        dict[str, Any]: JSON(),
        list[str]: JSON(),
        list[dict[str, Any]]: JSON(),
    }


class ChangeRecordRow(Base):
    """The live state of a change record whose definition lives in ``release/changes/``."""

    __tablename__ = "change_records"
    __table_args__ = (Index("ix_change_records_state", "state"),)

    id: Mapped[str] = mapped_column(String(ID), primary_key=True)
    type: Mapped[str] = mapped_column(String(32))
    title: Mapped[str] = mapped_column(Text)
    services: Mapped[list[str]]
    author: Mapped[str] = mapped_column(String(NAME))
    state: Mapped[str] = mapped_column(String(32))
    path: Mapped[str] = mapped_column(Text)
    created_at: Mapped[datetime]
    updated_at: Mapped[datetime]
    data: Mapped[dict[str, Any]]


class ChangeTransitionRow(Base):
    """One step of a change's lifecycle; ``from_state`` is empty for the creating step."""

    __tablename__ = "change_transitions"
    __table_args__ = (Index("ix_change_transitions_change_id", "change_id"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    change_id: Mapped[str] = mapped_column(String(ID), ForeignKey("change_records.id"))
    from_state: Mapped[str | None] = mapped_column(String(32))
    to_state: Mapped[str] = mapped_column(String(32))
    actor: Mapped[str] = mapped_column(String(NAME))
    at: Mapped[datetime]
    comment: Mapped[str | None] = mapped_column(Text)


class ApprovalRow(Base):
    """A decision by one person on one change, optionally signed with their SSH key."""

    __tablename__ = "approvals"
    __table_args__ = (
        Index("ix_approvals_change_id", "change_id"),
        CheckConstraint("decision IN ('approve', 'reject')", name="decision"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    change_id: Mapped[str] = mapped_column(String(ID), ForeignKey("change_records.id"))
    person: Mapped[str] = mapped_column(String(NAME))
    decision: Mapped[str] = mapped_column(String(16))
    commit_sha: Mapped[str] = mapped_column(String(SHA))
    comment: Mapped[str | None] = mapped_column(Text)
    signature: Mapped[str | None] = mapped_column(Text)
    signed_payload: Mapped[str | None] = mapped_column(Text)
    at: Mapped[datetime]


class StageResultRow(Base):
    """The outcome of one test stage for one commit (from JUnit files or a plain status)."""

    __tablename__ = "stage_results"
    __table_args__ = (
        Index("ix_stage_results_name_commit_sha", "name", "commit_sha"),
        CheckConstraint("status IN ('passed', 'failed')", name="status"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    name: Mapped[str] = mapped_column(String(NAME))
    commit_sha: Mapped[str] = mapped_column(String(SHA))
    service: Mapped[str | None] = mapped_column(String(NAME))
    status: Mapped[str] = mapped_column(String(16))
    tests: Mapped[int] = mapped_column(Integer)
    failures: Mapped[int] = mapped_column(Integer)
    errors: Mapped[int] = mapped_column(Integer)
    skipped: Mapped[int] = mapped_column(Integer)
    duration_seconds: Mapped[float] = mapped_column(Float)
    source: Mapped[str] = mapped_column(Text)
    recorded_at: Mapped[datetime]


class GateDecisionRow(Base):
    """What the release gate decided for one candidate, with every rule's outcome."""

    __tablename__ = "gate_decisions"
    __table_args__ = (
        Index("ix_gate_decisions_service_env", "service", "env"),
        Index("ix_gate_decisions_commit_sha", "commit_sha"),
        CheckConstraint("decision IN ('allow', 'deny')", name="decision"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    service: Mapped[str] = mapped_column(String(NAME))
    env: Mapped[str] = mapped_column(String(NAME))
    commit_sha: Mapped[str] = mapped_column(String(SHA))
    change_id: Mapped[str | None] = mapped_column(String(ID))
    decision: Mapped[str] = mapped_column(String(16))
    emergency: Mapped[bool] = mapped_column(Boolean)
    reason: Mapped[str | None] = mapped_column(Text)
    rules: Mapped[list[dict[str, Any]]]
    decided_at: Mapped[datetime]


class DeploymentRow(Base):
    """One deployment of a service version to an environment, run by rcim or imported."""

    __tablename__ = "deployments"
    __table_args__ = (
        Index("ix_deployments_service_env_finished_at", "service", "env", "finished_at"),
        Index("ix_deployments_commit_sha", "commit_sha"),
        CheckConstraint(
            "result IN ('running', 'succeeded', 'failed', 'rolled_back')", name="result"
        ),
    )

    id: Mapped[str] = mapped_column(String(ID), primary_key=True)
    service: Mapped[str] = mapped_column(String(NAME))
    env: Mapped[str] = mapped_column(String(NAME))
    version: Mapped[str] = mapped_column(String(NAME))
    commit_sha: Mapped[str] = mapped_column(String(SHA))
    change_id: Mapped[str | None] = mapped_column(String(ID))
    strategy: Mapped[str] = mapped_column(String(32))
    started_at: Mapped[datetime]
    finished_at: Mapped[datetime | None]
    result: Mapped[str] = mapped_column(String(16))
    source: Mapped[str] = mapped_column(String(32))


class DeploymentHostRow(Base):
    """What happened on one host during a deployment (for canary and batch analysis)."""

    __tablename__ = "deployment_hosts"
    __table_args__ = (Index("ix_deployment_hosts_deployment_id", "deployment_id"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    deployment_id: Mapped[str] = mapped_column(String(ID), ForeignKey("deployments.id"))
    host: Mapped[str] = mapped_column(String(NAME))
    outcome: Mapped[str] = mapped_column(String(32))
    started_at: Mapped[datetime]
    finished_at: Mapped[datetime | None]
    detail: Mapped[str] = mapped_column(Text)


class DeployLockRow(Base):
    """At most one deployment per service and environment at a time; expired locks are stale."""

    __tablename__ = "deploy_locks"

    service: Mapped[str] = mapped_column(String(NAME), primary_key=True)
    env: Mapped[str] = mapped_column(String(NAME), primary_key=True)
    holder: Mapped[str] = mapped_column(String(NAME))
    pid: Mapped[int] = mapped_column(Integer)
    hostname: Mapped[str] = mapped_column(String(NAME))
    acquired_at: Mapped[datetime]
    expires_at: Mapped[datetime]


class IncidentRow(Base):
    """An incident and the milestones its downtime and response metrics are measured from."""

    __tablename__ = "incidents"
    __table_args__ = (
        Index("ix_incidents_service_opened_at", "service", "opened_at"),
        Index("ix_incidents_state", "state"),
        CheckConstraint("priority IN ('P1', 'P2', 'P3', 'P4')", name="priority"),
    )

    id: Mapped[str] = mapped_column(String(ID), primary_key=True)
    service: Mapped[str] = mapped_column(String(NAME))
    priority: Mapped[str] = mapped_column(String(2))
    title: Mapped[str] = mapped_column(Text)
    state: Mapped[str] = mapped_column(String(32))
    impact: Mapped[bool] = mapped_column(Boolean)
    opened_at: Mapped[datetime]
    acknowledged_at: Mapped[datetime | None]
    mitigated_at: Mapped[datetime | None]
    resolved_at: Mapped[datetime | None]
    caused_by_change: Mapped[str | None] = mapped_column(String(ID))
    caused_by_deployment: Mapped[str | None] = mapped_column(String(ID))


class IncidentEventRow(Base):
    """One entry of an incident timeline: a note, a state change, a runbook check result."""

    __tablename__ = "incident_events"
    __table_args__ = (Index("ix_incident_events_incident_id_at", "incident_id", "at"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    incident_id: Mapped[str] = mapped_column(String(ID), ForeignKey("incidents.id"))
    at: Mapped[datetime]
    kind: Mapped[str] = mapped_column(String(32))
    actor: Mapped[str] = mapped_column(String(NAME))
    text: Mapped[str] = mapped_column(Text)
    data: Mapped[dict[str, Any]]


class AuditLogRow(Base):
    """One hash-chained audit entry; see ``rcim.store.audit`` for how the hash is computed."""

    __tablename__ = "audit_log"
    __table_args__ = (Index("ix_audit_log_subject", "subject"),)

    seq: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=False)
    at: Mapped[datetime]
    actor: Mapped[str] = mapped_column(String(NAME))
    action: Mapped[str] = mapped_column(String(NAME))
    subject: Mapped[str] = mapped_column(String(NAME))
    payload: Mapped[str] = mapped_column(Text)
    prev_hash: Mapped[str] = mapped_column(String(64))
    hash: Mapped[str] = mapped_column(String(64))


class AuditHeadRow(Base):
    """The single row naming the last audit entry: the lock appends take, and the anchor
    that lets verification notice entries deleted from, or appended to, the end."""

    __tablename__ = "audit_head"
    __table_args__ = (CheckConstraint("id = 1", name="single_row"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=False)
    seq: Mapped[int] = mapped_column(Integer)
    hash: Mapped[str] = mapped_column(String(64))
