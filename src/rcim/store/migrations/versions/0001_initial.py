"""The initial store: change control, stages, gate, deployments, incidents, audit log.

Every table is spelt out here rather than derived from the models, so that this revision
stays what it was when later revisions change the models.

Revision ID: 0001
Revises:
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import sqlalchemy as sa
from alembic import op

if TYPE_CHECKING:
    from datetime import datetime

revision: str = "0001"
down_revision: str | None = None
branch_labels: str | None = None
depends_on: str | None = None

ID = 64
NAME = 200
SHA = 64
ZERO_HASH = "0" * 64


def _at(name: str, *, nullable: bool = False) -> sa.Column[datetime]:
    return sa.Column(name, sa.DateTime(timezone=True), nullable=nullable)


def upgrade() -> None:
    """Create every table, then the audit head that appends lock and verification trusts."""
    _create_change_tables()
    _create_release_tables()
    _create_deployment_tables()
    _create_incident_tables()
    _create_audit_tables()


def downgrade() -> None:
    """Drop every table, children first."""
    for table in (
        "audit_head",
        "audit_log",
        "incident_events",
        "incidents",
        "deploy_locks",
        "deployment_hosts",
        "deployments",
        "gate_decisions",
        "stage_results",
        "approvals",
        "change_transitions",
        "change_records",
    ):
        op.drop_table(table)


def _create_change_tables() -> None:
    op.create_table(
        "change_records",
        sa.Column("id", sa.String(ID), nullable=False),
        sa.Column("type", sa.String(32), nullable=False),
        sa.Column("title", sa.Text(), nullable=False),
        sa.Column("services", sa.JSON(), nullable=False),
        sa.Column("author", sa.String(NAME), nullable=False),
        sa.Column("state", sa.String(32), nullable=False),
        sa.Column("path", sa.Text(), nullable=False),
        _at("created_at"),
        _at("updated_at"),
        sa.Column("data", sa.JSON(), nullable=False),
        sa.PrimaryKeyConstraint("id", name="pk_change_records"),
    )
    op.create_index("ix_change_records_state", "change_records", ["state"])
    op.create_table(
        "change_transitions",
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("change_id", sa.String(ID), nullable=False),
        sa.Column("from_state", sa.String(32), nullable=True),
        sa.Column("to_state", sa.String(32), nullable=False),
        sa.Column("actor", sa.String(NAME), nullable=False),
        _at("at"),
        sa.Column("comment", sa.Text(), nullable=True),
        sa.PrimaryKeyConstraint("id", name="pk_change_transitions"),
        sa.ForeignKeyConstraint(
            ["change_id"],
            ["change_records.id"],
            name="fk_change_transitions_change_id_change_records",
        ),
    )
    op.create_index("ix_change_transitions_change_id", "change_transitions", ["change_id"])
    op.create_table(
        "approvals",
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("change_id", sa.String(ID), nullable=False),
        sa.Column("person", sa.String(NAME), nullable=False),
        sa.Column("decision", sa.String(16), nullable=False),
        sa.Column("commit_sha", sa.String(SHA), nullable=False),
        sa.Column("comment", sa.Text(), nullable=True),
        sa.Column("signature", sa.Text(), nullable=True),
        sa.Column("signed_payload", sa.Text(), nullable=True),
        _at("at"),
        sa.PrimaryKeyConstraint("id", name="pk_approvals"),
        sa.ForeignKeyConstraint(
            ["change_id"], ["change_records.id"], name="fk_approvals_change_id_change_records"
        ),
        sa.CheckConstraint("decision IN ('approve', 'reject')", name="ck_approvals_decision"),
    )
    op.create_index("ix_approvals_change_id", "approvals", ["change_id"])


def _create_release_tables() -> None:
    op.create_table(
        "stage_results",
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("name", sa.String(NAME), nullable=False),
        sa.Column("commit_sha", sa.String(SHA), nullable=False),
        sa.Column("service", sa.String(NAME), nullable=True),
        sa.Column("status", sa.String(16), nullable=False),
        sa.Column("tests", sa.Integer(), nullable=False),
        sa.Column("failures", sa.Integer(), nullable=False),
        sa.Column("errors", sa.Integer(), nullable=False),
        sa.Column("skipped", sa.Integer(), nullable=False),
        sa.Column("duration_seconds", sa.Float(), nullable=False),
        sa.Column("source", sa.Text(), nullable=False),
        _at("recorded_at"),
        sa.PrimaryKeyConstraint("id", name="pk_stage_results"),
        sa.CheckConstraint("status IN ('passed', 'failed')", name="ck_stage_results_status"),
    )
    op.create_index("ix_stage_results_name_commit_sha", "stage_results", ["name", "commit_sha"])
    op.create_table(
        "gate_decisions",
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("service", sa.String(NAME), nullable=False),
        sa.Column("env", sa.String(NAME), nullable=False),
        sa.Column("commit_sha", sa.String(SHA), nullable=False),
        sa.Column("change_id", sa.String(ID), nullable=True),
        sa.Column("decision", sa.String(16), nullable=False),
        sa.Column("emergency", sa.Boolean(), nullable=False),
        sa.Column("reason", sa.Text(), nullable=True),
        sa.Column("rules", sa.JSON(), nullable=False),
        _at("decided_at"),
        sa.PrimaryKeyConstraint("id", name="pk_gate_decisions"),
        sa.CheckConstraint("decision IN ('allow', 'deny')", name="ck_gate_decisions_decision"),
    )
    op.create_index("ix_gate_decisions_service_env", "gate_decisions", ["service", "env"])
    op.create_index("ix_gate_decisions_commit_sha", "gate_decisions", ["commit_sha"])


def _create_deployment_tables() -> None:
    op.create_table(
        "deployments",
        sa.Column("id", sa.String(ID), nullable=False),
        sa.Column("service", sa.String(NAME), nullable=False),
        sa.Column("env", sa.String(NAME), nullable=False),
        sa.Column("version", sa.String(NAME), nullable=False),
        sa.Column("commit_sha", sa.String(SHA), nullable=False),
        sa.Column("change_id", sa.String(ID), nullable=True),
        sa.Column("strategy", sa.String(32), nullable=False),
        _at("started_at"),
        _at("finished_at", nullable=True),
        sa.Column("result", sa.String(16), nullable=False),
        sa.Column("source", sa.String(32), nullable=False),
        sa.PrimaryKeyConstraint("id", name="pk_deployments"),
        sa.CheckConstraint(
            "result IN ('running', 'succeeded', 'failed', 'rolled_back')",
            name="ck_deployments_result",
        ),
    )
    op.create_index(
        "ix_deployments_service_env_finished_at", "deployments", ["service", "env", "finished_at"]
    )
    op.create_index("ix_deployments_commit_sha", "deployments", ["commit_sha"])
    op.create_table(
        "deployment_hosts",
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("deployment_id", sa.String(ID), nullable=False),
        sa.Column("host", sa.String(NAME), nullable=False),
        sa.Column("outcome", sa.String(32), nullable=False),
        _at("started_at"),
        _at("finished_at", nullable=True),
        sa.Column("detail", sa.Text(), nullable=False),
        sa.PrimaryKeyConstraint("id", name="pk_deployment_hosts"),
        sa.ForeignKeyConstraint(
            ["deployment_id"],
            ["deployments.id"],
            name="fk_deployment_hosts_deployment_id_deployments",
        ),
    )
    op.create_index("ix_deployment_hosts_deployment_id", "deployment_hosts", ["deployment_id"])
    op.create_table(
        "deploy_locks",
        sa.Column("service", sa.String(NAME), nullable=False),
        sa.Column("env", sa.String(NAME), nullable=False),
        sa.Column("holder", sa.String(NAME), nullable=False),
        sa.Column("pid", sa.Integer(), nullable=False),
        sa.Column("hostname", sa.String(NAME), nullable=False),
        _at("acquired_at"),
        _at("expires_at"),
        sa.PrimaryKeyConstraint("service", "env", name="pk_deploy_locks"),
    )


def _create_incident_tables() -> None:
    op.create_table(
        "incidents",
        sa.Column("id", sa.String(ID), nullable=False),
        sa.Column("service", sa.String(NAME), nullable=False),
        sa.Column("priority", sa.String(2), nullable=False),
        sa.Column("title", sa.Text(), nullable=False),
        sa.Column("state", sa.String(32), nullable=False),
        sa.Column("impact", sa.Boolean(), nullable=False),
        _at("opened_at"),
        _at("acknowledged_at", nullable=True),
        _at("mitigated_at", nullable=True),
        _at("resolved_at", nullable=True),
        sa.Column("caused_by_change", sa.String(ID), nullable=True),
        sa.Column("caused_by_deployment", sa.String(ID), nullable=True),
        sa.PrimaryKeyConstraint("id", name="pk_incidents"),
        sa.CheckConstraint("priority IN ('P1', 'P2', 'P3', 'P4')", name="ck_incidents_priority"),
    )
    op.create_index("ix_incidents_service_opened_at", "incidents", ["service", "opened_at"])
    op.create_index("ix_incidents_state", "incidents", ["state"])
    op.create_table(
        "incident_events",
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("incident_id", sa.String(ID), nullable=False),
        _at("at"),
        sa.Column("kind", sa.String(32), nullable=False),
        sa.Column("actor", sa.String(NAME), nullable=False),
        sa.Column("text", sa.Text(), nullable=False),
        sa.Column("data", sa.JSON(), nullable=False),
        sa.PrimaryKeyConstraint("id", name="pk_incident_events"),
        sa.ForeignKeyConstraint(
            ["incident_id"], ["incidents.id"], name="fk_incident_events_incident_id_incidents"
        ),
    )
    op.create_index("ix_incident_events_incident_id_at", "incident_events", ["incident_id", "at"])


def _create_audit_tables() -> None:
    op.create_table(
        "audit_log",
        sa.Column("seq", sa.Integer(), autoincrement=False, nullable=False),
        _at("at"),
        sa.Column("actor", sa.String(NAME), nullable=False),
        sa.Column("action", sa.String(NAME), nullable=False),
        sa.Column("subject", sa.String(NAME), nullable=False),
        sa.Column("payload", sa.Text(), nullable=False),
        sa.Column("prev_hash", sa.String(64), nullable=False),
        sa.Column("hash", sa.String(64), nullable=False),
        sa.PrimaryKeyConstraint("seq", name="pk_audit_log"),
    )
    op.create_index("ix_audit_log_subject", "audit_log", ["subject"])
    head = op.create_table(
        "audit_head",
        sa.Column("id", sa.Integer(), autoincrement=False, nullable=False),
        sa.Column("seq", sa.Integer(), nullable=False),
        sa.Column("hash", sa.String(64), nullable=False),
        sa.PrimaryKeyConstraint("id", name="pk_audit_head"),
        sa.CheckConstraint("id = 1", name="ck_audit_head_single_row"),
    )
    op.bulk_insert(head, [{"id": 1, "seq": 0, "hash": ZERO_HASH}])
