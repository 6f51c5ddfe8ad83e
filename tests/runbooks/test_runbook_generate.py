from __future__ import annotations

import os
from pathlib import Path

import pytest

from rcim.monitoring.naming import alerts_for_service
from rcim.program import load_program
from rcim.program.loader import Program  # noqa: TC001 - fixture annotation
from rcim.runbooks import compare_runbooks, load_articles, plan_runbooks, write_runbooks
from rcim.runbooks.kb import KbArticle
from rcim.runbooks.markdown import read_runbook_text

EXAMPLE = Path(__file__).resolve().parents[2] / "src" / "rcim" / "examples" / "abc"
GOLDEN = Path(__file__).resolve().parents[1] / "golden" / "runbooks" / "abc"
SEED_VPN_STEPS = [
    "Gather information",
    "Isolate the issue",
    "Check connectivity",
    "Check the VPN client software",
    "Check network settings",
    "Check VPN server status",
    "Review VPN logs",
    "Test other servers and devices",
    "Check firewall and security software",
    "Check for ISP restrictions",
    "Try different protocols",
    "Follow up",
    "Document the solution",
]


@pytest.fixture(scope="module")
def abc() -> Program:
    return load_program(EXAMPLE)


@pytest.fixture(scope="module")
def texts(abc: Program) -> dict[str, str]:
    return {f.path: f.text for f in plan_runbooks(abc, [])}


def test_golden_runbooks_of_the_example(abc: Program) -> None:
    files = plan_runbooks(abc, [])
    if os.environ.get("RCIM_UPDATE_GOLDEN") == "1":
        write_runbooks(files, GOLDEN)
    assert [c for c in compare_runbooks(files, GOLDEN) if c.status != "unchanged"] == []


def test_checked_in_example_runbooks_are_up_to_date(abc: Program) -> None:
    # `rcim init --example abc` copies these; they must be what generate writes today.
    files = plan_runbooks(abc, load_articles(EXAMPLE / "runbooks"))
    assert [
        c for c in compare_runbooks(files, EXAMPLE / "runbooks") if c.status != "unchanged"
    ] == []


def test_every_alert_gets_a_runbook_and_generation_is_deterministic(abc: Program) -> None:
    first = plan_runbooks(abc, [])
    assert first == plan_runbooks(abc, [])
    paths = {f.path for f in first}
    for service in abc.services.values():
        for alert in alerts_for_service(service):
            assert f"alerts/{alert.name}.md" in paths
        assert {f"incident/{service.name}.md", f"dr/{service.name}.md"} <= paths
    assert "release/release.md" in paths


def test_every_generated_runbook_parses_back(texts: dict[str, str]) -> None:
    for path, text in texts.items():
        if path == "README.md":
            continue
        parsed = read_runbook_text(text, path)
        assert parsed.problems == [], path
        assert parsed.runbook is not None
        assert parsed.runbook.id == path.removesuffix(".md")


def test_vpn_incident_runbook_follows_the_seed_procedure(texts: dict[str, str]) -> None:
    runbook = read_runbook_text(texts["incident/vpn-gateway.md"], "vpn").runbook
    assert runbook is not None
    assert [s.title for s in runbook.steps] == SEED_VPN_STEPS
    assert runbook.step(3).check is not None
    assert runbook.step(3).check.kind == "tcp"
    assert runbook.step(3).on_failure == "escalate"


def test_service_without_diagnostics_gets_the_generic_procedure(texts: dict[str, str]) -> None:
    runbook = read_runbook_text(texts["incident/booking-web.md"], "web").runbook
    assert runbook is not None
    titles = [s.title for s in runbook.steps]
    assert titles[:2] == ["Gather information", "Isolate the issue"]
    assert titles[-2:] == ["Follow up", "Document the solution"]
    assert "Check prd-web-1" in titles
    assert "Check the services it depends on" in titles


def test_slo_alert_meaning_has_burn_rate_arithmetic(texts: dict[str, str]) -> None:
    fast = texts["alerts/ShipmentTrackingAvailabilityErrorBudgetBurnFast.md"]
    assert "99.9% good events over a rolling 30d window" in fast
    assert "| 1h and 5m | 14.4x | 2% in 1h | 2d 2h |" in fast
    assert "| 6h and 30m | 6x | 5% in 6h | 5d |" in fast
    latency = texts["alerts/ShipmentTrackingLatencyErrorBudgetBurnSlow.md"]
    assert "| 1d and 2h | 2.8x | 10% in 1d | 10d |" in latency


def test_alert_runbook_has_rollback_and_escalation(texts: dict[str, str]) -> None:
    text = texts["alerts/VpnGatewayTargetDown.md"]
    assert "rcim rollback --service vpn-gateway --env production" in text
    assert "| L3 | Network & VPN Vendor (NetServ s.r.o.) | after 60 min | 60 min |" in text
    assert "Petr Černý" in text


def test_dr_and_release_runbooks(texts: dict[str, str]) -> None:
    dr = texts["dr/shipment-tracking.md"]
    assert "| 1h | 15m | Tracking events are replicated" in dr
    assert "Restore dependencies first" in dr
    release = texts["release/release.md"]
    for phase in (
        "Plan",
        "Build",
        "Test",
        "Approve",
        "Deploy to staging",
        "Verify staging",
        "Deploy to production",
        "Verify production",
        "Review",
    ):
        assert f". {phase}\n" in release
    assert "| approve | - | A | R | R (emergency) | I | - | - | - |" in release
    assert "Weekend freeze | every week fri 16:00 to mon 08:00" in release
    assert "| release-manager | Eva Horáková |" in release


def test_kb_articles_become_known_errors(abc: Program) -> None:
    article = KbArticle(
        "KB-2026-0003",
        "t",
        "booking-web",
        "INC-2026-0003",
        "Quotes time out",
        "Pool exhausted",
        "Raise the pool size",
    )
    texts = {f.path: f.text for f in plan_runbooks(abc, [article])}
    line = "(from INC-2026-0003: [KB-2026-0003](../kb/KB-2026-0003.md))"
    assert line in texts["incident/booking-web.md"]
    assert line in texts["alerts/BookingWebTargetDown.md"]
    assert line not in texts["incident/vpn-gateway.md"]
    assert "[kb/KB-2026-0003](kb/KB-2026-0003.md)" in texts["README.md"]


def test_write_removes_stale_generated_files_only(abc: Program, tmp_path: Path) -> None:
    files = plan_runbooks(abc, [])
    assert {c.status for c in write_runbooks(files, tmp_path)} == {"created"}
    assert {c.status for c in write_runbooks(files, tmp_path)} == {"unchanged"}
    gone = tmp_path / "alerts" / "GoneAlert.md"
    gone.write_text("---\nid: alerts/GoneAlert\ngenerated: true\n---\n", encoding="utf-8")
    mine = tmp_path / "incident" / "handmade.md"
    mine.write_text("---\nid: incident/handmade\n---\n", encoding="utf-8")
    changes = {c.path: c.status for c in write_runbooks(files, tmp_path)}
    assert changes["alerts/GoneAlert.md"] == "removed"
    assert "incident/handmade.md" not in changes
    assert not gone.exists()
    assert mine.exists()
