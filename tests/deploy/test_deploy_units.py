"""Fast tests of the pure parts: strategies, release naming, overrides, metrics text, the
systemd unit (golden), the gate hook and lock staleness."""

from __future__ import annotations

import os
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from sqlalchemy import select

from rcim.deploy.artifact import check_version, host_release, parse_overrides
from rcim.deploy.gatehook import evaluate_deploy_gate
from rcim.deploy.lock import LockHolder, stale_reason, this_process
from rcim.deploy.model import Artifact, HostState, SshAccess, Target
from rcim.deploy.records import render_metrics
from rcim.deploy.strategy import plan_batches
from rcim.deploy.units import render_unit
from rcim.errors import InvalidInputError
from rcim.program import load_program
from rcim.store import open_store
from rcim.store.schema import GateDecisionRow

GOLDEN = Path(__file__).resolve().parent.parent / "golden" / "deploy"
NOW = datetime(2026, 12, 4, 10, 0, tzinfo=UTC)
SHA = "0123456789abcdef0123456789abcdef01234567"


def target(name: str = "h1", connector: str = "local") -> Target:
    ssh = None
    if connector == "ssh":
        ssh = SshAccess("10.0.0.5", "deploy", 22, "/keys/deploy", "/p/.rcim/ssh/known_hosts")
    return Target(
        name=name,
        connector=connector,  # type: ignore[arg-type]
        port=18101,
        root=f"/srv/rcim/shipment-tracking/production/{name}",
        address="10.0.0.5",
        python="python3",
        process_manager="systemd" if ssh else "pidfile",
        unit="rcim-shipment-tracking-production",
        ssh=ssh,
    )


ARTIFACT = Artifact(
    "shipment-tracking",
    "v2",
    SHA,
    "/b/t.tar",
    "tree1",
    {"fault": "none"},
    "{python} server.py --port {port} --config {config}",
)


@pytest.mark.parametrize(
    ("strategy", "batch", "expected"),
    [
        ("rolling", 1, [["a"], ["b"], ["c"], ["d"]]),
        ("rolling", 3, [["a", "b", "c"], ["d"]]),
        ("canary", 2, [["a"], ["b", "c"], ["d"]]),
        ("canary", 5, [["a"], ["b", "c", "d"]]),
    ],
)
def test_plan_batches(strategy: str, batch: int, expected: list[list[str]]) -> None:
    assert [list(b) for b in plan_batches(["a", "b", "c", "d"], strategy, batch)] == expected


def test_plan_batches_rejects_unknown_strategy() -> None:
    with pytest.raises(InvalidInputError, match="unknown strategy 'blue-green'"):
        plan_batches(["a"], "blue-green", 1)


def test_overrides_are_yaml_scalars_and_bad_pairs_are_refused() -> None:
    assert parse_overrides(["fault=errors", "workers=4", "debug=true", "empty="]) == {
        "fault": "errors",
        "workers": 4,
        "debug": True,
        "empty": "",
    }
    with pytest.raises(InvalidInputError, match="'novalue' is not key=value"):
        parse_overrides(["novalue"])


@pytest.mark.parametrize("version", ["../x", "", "v 1", "-v1", "a" * 65])
def test_unsafe_versions_are_refused(version: str) -> None:
    with pytest.raises(InvalidInputError):
        check_version(version)


def test_release_is_named_by_version_and_short_sha_and_renders_the_command() -> None:
    release = host_release(ARTIFACT, target(), "production", HostState(None, None, None))
    assert (release.name, release.install, release.previous) == ("v2-0123456", True, None)
    assert '"/srv/rcim/shipment-tracking/production/h1/releases/v2-0123456/config.json"' in (
        release.release_json
    )
    assert '"port": 18101' in release.config_json


def test_identical_current_release_is_not_uploaded_again() -> None:
    first = host_release(ARTIFACT, target(), "production", HostState(None, None, None))
    state = HostState("v2-0123456", "v2", "v1-0123456", (("v2-0123456", "v2"),), first.digest)
    again = host_release(ARTIFACT, target(), "production", state)
    assert (again.name, again.install, again.previous) == ("v2-0123456", False, "v1-0123456")


def test_changed_settings_for_the_current_version_get_a_new_directory() -> None:
    state = HostState("v2-0123456", "v2", None, (("v2-0123456", "v2"), ("v2-0123456.2", "v2")), "x")
    release = host_release(ARTIFACT, target(), "production", state)
    assert (release.name, release.previous) == ("v2-0123456.3", "v2-0123456")


def test_metrics_text_is_prometheus_exposition() -> None:
    text = render_metrics(
        [("shipment-tracking", "staging", "succeeded", 3), ('we"ird', "p", "failed", 1)]
    )
    assert text.splitlines() == [
        "# HELP rcim_deployments_total Deployments recorded by rcim, by service, environment "
        "and result.",
        "# TYPE rcim_deployments_total counter",
        'rcim_deployments_total{service="shipment-tracking",env="staging",result="succeeded"} 3',
        'rcim_deployments_total{service="we\\"ird",env="p",result="failed"} 1',
    ]


def test_systemd_unit_golden() -> None:
    rendered = render_unit(target("prd-track-1", "ssh"))
    golden = GOLDEN / "rcim-shipment-tracking-production.service"
    if os.environ.get("RCIM_UPDATE_GOLDEN") == "1":
        golden.write_text(rendered, encoding="utf-8")
    assert rendered == golden.read_text(encoding="utf-8")


def test_gate_hook_runs_the_real_gate_and_records_its_decision(
    abc_program: Path, tmp_path: Path
) -> None:
    import git

    head = git.Repo(abc_program).head.commit.hexsha
    url = f"sqlite:///{tmp_path / 'gate.db'}"
    with open_store(url) as store:
        verdict = evaluate_deploy_gate(
            load_program(abc_program), "shipment-tracking", "staging", head, store=store, now=NOW
        )
        with store.transaction() as session:
            rows = list(session.scalars(select(GateDecisionRow)))
    assert verdict.allowed is False
    assert "denied commit" in verdict.reasons[0]
    assert [(row.decision, row.commit_sha, row.env) for row in rows] == [("deny", head, "staging")]
    assert verdict.decision_id == rows[0].id


def test_gate_hook_denies_without_a_policy(abc_program: Path, tmp_path: Path) -> None:
    (abc_program / "release" / "policy.yaml").unlink()
    with open_store(f"sqlite:///{tmp_path / 'gate.db'}") as store:
        verdict = evaluate_deploy_gate(
            load_program(abc_program), "shipment-tracking", "staging", SHA, store=store, now=NOW
        )
    assert verdict.allowed is False
    assert "cannot decide" in verdict.reasons[0]


def test_lock_is_stale_when_expired_or_its_local_holder_died() -> None:
    holder, pid, hostname = this_process("eva")
    live = LockHolder("s", "e", holder, pid, hostname, NOW, NOW + timedelta(minutes=5))
    assert stale_reason(live, NOW) is None
    assert "expired" in (stale_reason(live, NOW + timedelta(minutes=6)) or "")
    dead = LockHolder("s", "e", "x", 2**22 + 12345, hostname, NOW, NOW + timedelta(minutes=5))
    assert "no longer running" in (stale_reason(dead, NOW) or "")
    elsewhere = LockHolder(
        "s", "e", "x", 2**22 + 12345, "other-host", NOW, NOW + timedelta(minutes=5)
    )
    assert stale_reason(elsewhere, NOW) is None
