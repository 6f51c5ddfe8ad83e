"""rcim infra plan|preview|up|inventory and rcim change impact, through a real process.

The commands are registered into the root app the way cli/main.py registers them, so these
tests run the real CLI whether or not main.py already lists them.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from datetime import UTC, datetime
from typing import TYPE_CHECKING

import pytest
from sqlalchemy import func, select

from infra.infra_support import copy_example
from rcim.store import open_store
from rcim.store.schema import AuditLogRow, ChangeRecordRow, GateDecisionRow

if TYPE_CHECKING:
    from pathlib import Path

BOOT = "from rcim.cli.main import run; run()"
T0 = datetime(2026, 3, 2, 9, 30, tzinfo=UTC)


def cli(*args: object, env: dict[str, str] | None = None) -> subprocess.CompletedProcess[str]:
    full_env = {**os.environ, "COLUMNS": "200", "NO_COLOR": "1", "RCIM_NOW": T0.isoformat()}
    full_env["PATH"] = os.path.dirname(sys.executable) + os.pathsep + "/usr/bin:/bin"
    full_env.pop("RCIM_CHANGE_ID", None)
    full_env.update(env or {})
    return subprocess.run(
        [sys.executable, "-c", BOOT, *map(str, args)],
        capture_output=True, text=True, env=full_env, timeout=300, check=False,
    )  # fmt: skip


@pytest.fixture
def program(tmp_path: Path) -> Path:
    return copy_example(tmp_path / "abc")


def _edit_stack(program: Path, env: str, old: str, new: str) -> None:
    path = program / "infra" / f"Pulumi.{env}.yaml"
    text = path.read_text()
    assert old in text
    path.write_text(text.replace(old, new))


def test_plan_production_lists_the_platform(program):
    done = cli("--program", program, "infra", "plan", "--env", "production")
    assert done.returncode == 0, done.stderr
    assert "production-prd-track-1" in done.stdout
    assert "0 mandatory and 0 advisory policy violation(s)" in done.stdout


def test_plan_labels_resources_with_the_change_in_force(program):
    done = cli(
        "--program", program, "infra", "plan", "--env", "staging", "--format", "json",
        env={"RCIM_CHANGE_ID": "CHG-2026-0007"},
    )  # fmt: skip
    assert done.returncode == 0, done.stderr
    report = json.loads(done.stdout)
    labelled = [r for r in report["resources"] if r["labels"]]
    assert {r["labels"]["change"] for r in labelled} == {"chg-2026-0007"}


def test_plan_fails_when_backups_are_removed_from_a_tier1_volume(program):
    _edit_stack(
        program, "production",
        "shipment-tracking: {public: true, server_type: cx42, volume_gb: 100}",
        "shipment-tracking: {public: true, server_type: cx42, volume_gb: 100, backups: false}",
    )  # fmt: skip
    done = cli("--program", program, "infra", "plan", "--env", "production")
    assert done.returncode == 1, done.stdout + done.stderr
    assert (
        "MANDATORY volume-backups: hcloud:index/volume:Volume::production-prd-track-1-data"
        in done.stdout
    )
    md = cli("--program", program, "infra", "plan", "--env", "production", "--format", "md")
    assert md.returncode == 1
    assert "**Policy check failed**" in md.stdout


def test_plan_fails_when_ssh_is_opened_to_the_world(program):
    _edit_stack(program, "production", "admin_cidrs: [198.51.100.0/28]", "admin_cidrs: [0.0.0.0/0]")
    done = cli("--program", program, "infra", "plan", "--env", "production", "-f", "json")
    assert done.returncode == 1
    policies = {v["policy"] for v in json.loads(done.stdout)["violations"]}
    assert policies == {"admin-ports-closed"}


def test_plan_fails_when_a_tier1_service_has_one_host(program):
    path = program / "services" / "shipment-tracking.yaml"
    text = path.read_text()
    for n in (2, 3):
        text = text.replace(f"    - {{connector: local, name: prd-track-{n}, port: 1811{n}}}\n", "")
    path.write_text(text)
    done = cli("--program", program, "infra", "plan", "--env", "production")
    assert done.returncode == 1
    assert "tier-1 service shipment-tracking has 1 host(s) in production" in done.stdout


def test_bad_stack_settings_name_file_line_column(program):
    _edit_stack(program, "production", "    server_type: cx32\n", "    server_tipe: cx32\n")
    done = cli("--program", program, "infra", "plan", "--env", "production")
    assert done.returncode == 2
    stack = program / "infra" / "Pulumi.production.yaml"
    assert f"{stack}:6:5: server_tipe: unknown key 'server_tipe'" in done.stderr
    assert "did you mean 'server_type'" in done.stderr
    assert "Traceback" not in done.stderr


def test_unknown_environment_is_bad_usage(program):
    done = cli("--program", program, "infra", "plan", "--env", "prod")
    assert done.returncode == 2
    assert "unknown environment 'prod'" in done.stderr


def test_preview_without_the_pulumi_cli_exits_4(program):
    done = cli("--program", program, "infra", "preview", "--env", "staging")
    assert done.returncode == 4
    assert "required tool 'pulumi' is not on PATH" in done.stderr
    assert "get.pulumi.com" in done.stderr


def test_up_is_refused_without_a_gate_decision(program):
    done = cli("--program", program, "infra", "up", "--env", "production")
    assert done.returncode == 1
    assert "no gate decision allows it" in done.stderr


def test_up_passes_the_gate_with_an_allow_decision_then_needs_the_cli(program):
    sha = subprocess.run(
        ["git", "rev-parse", "HEAD"], cwd=program, capture_output=True, text=True, check=True
    ).stdout.strip()
    with open_store(_db(program)) as store, store.transaction() as session:
        session.add(
            GateDecisionRow(
                service="platform", env="production", commit_sha=sha, change_id=None,
                decision="allow", emergency=False, reason=None, rules=[], decided_at=T0,
            )
        )  # fmt: skip
    done = cli("--program", program, "infra", "up", "--env", "production")
    assert done.returncode == 4, done.stderr  # allowed by the gate; the engine is missing
    denied = cli("--program", program, "infra", "up", "--env", "staging")
    assert denied.returncode == 1


def test_inventory_from_an_outputs_file(program, tmp_path):
    outputs = tmp_path / "outputs.json"
    hosts = {f"vpn-{n}": {"service": "vpn-gateway", "address": f"203.0.113.{n}"} for n in (1, 2)}
    outputs.write_text(json.dumps({"environment": "production", "hosts": hosts}))
    done = cli(
        "--program", program, "infra", "inventory", "--env", "production", "--outputs", outputs
    )
    assert done.returncode == 0, done.stderr
    written = program / ".rcim" / "inventory" / "production.py"
    assert "('vpn-2', {'ssh_hostname': '203.0.113.2'" in written.read_text()


def _db(program: Path) -> str:
    return f"sqlite:///{program / '.rcim' / 'rcim.db'}"


def _add_change(program: Path, change_id: str) -> None:
    with open_store(_db(program)) as store, store.transaction() as session:
        session.add(
            ChangeRecordRow(
                id=change_id, type="normal", title="Resize", services=["shipment-tracking"],
                author="eva", state="draft", path=f"release/changes/{change_id}.yaml",
                created_at=T0, updated_at=T0, data={"note": "kept"},
            )
        )  # fmt: skip


def _state(program: Path, change_id: str) -> tuple[dict, int]:
    with open_store(_db(program)) as store, store.transaction() as session:
        row = session.get(ChangeRecordRow, change_id)
        audits = session.execute(select(func.count()).select_from(AuditLogRow)).scalar_one()
        return (dict(row.data) if row else {}), audits


PREVIEW = {
    "steps": [
        {
            "op": "replace",
            "urn": "urn:pulumi:production::abc-platform::hcloud:index/server:Server::a",
        },
        {
            "op": "delete",
            "urn": "urn:pulumi:production::abc-platform::hcloud:index/volume:Volume::b",
        },
        {
            "op": "create",
            "urn": "urn:pulumi:production::abc-platform::hcloud:index/server:Server::c",
        },
    ],
    "changeSummary": {"replace": 1, "delete": 1, "create": 1},
}


def test_change_impact_is_stored_with_an_audit_entry(program, tmp_path):
    _add_change(program, "CHG-2026-0042")
    preview = tmp_path / "preview.json"
    preview.write_text(json.dumps(PREVIEW))
    done = cli(
        "--program", program, "change", "impact", "CHG-2026-0042", "--pulumi-preview", preview
    )
    assert done.returncode == 0, done.stderr
    assert "infra risk score 6.20/10" in done.stdout
    data, audits = _state(program, "CHG-2026-0042")
    assert data["note"] == "kept"
    assert data["infra_impact"]["counts"] == {"create": 1, "delete": 1, "replace": 1}
    assert data["infra_impact"]["deleted"] == [PREVIEW["steps"][1]["urn"]]
    assert data["infra_impact"]["risk_score"] == pytest.approx(6.2)
    assert audits == 1


def test_change_impact_of_an_unknown_change_stores_nothing(program, tmp_path):
    preview = tmp_path / "preview.json"
    preview.write_text(json.dumps(PREVIEW))
    done = cli(
        "--program", program, "change", "impact", "CHG-2026-0099", "--pulumi-preview", preview
    )
    assert done.returncode == 2
    assert "unknown change CHG-2026-0099" in done.stderr
    assert _state(program, "CHG-2026-0099") == ({}, 0)


def test_malformed_preview_exits_2_and_stores_nothing(program, tmp_path):
    _add_change(program, "CHG-2026-0042")
    preview = tmp_path / "preview.json"
    preview.write_text('{"steps": [\n  {"op": "create" "urn": "x"}\n]}')
    done = cli(
        "--program", program, "change", "impact", "CHG-2026-0042", "--pulumi-preview", preview
    )
    assert done.returncode == 2
    assert f"{preview}:2:19: " in done.stderr
    assert "Traceback" not in done.stderr
    assert _state(program, "CHG-2026-0042") == ({"note": "kept"}, 0)
