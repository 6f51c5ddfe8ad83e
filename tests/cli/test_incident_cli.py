from __future__ import annotations

import json
from typing import TYPE_CHECKING

import pytest

from incidents.support import run_cli, store_counts

if TYPE_CHECKING:
    from pathlib import Path

AS_LUCIE = {"RCIM_USER": "lucie", "RCIM_NOW": "2026-03-02T09:00:00Z"}


def opened(program: Path, *args: str) -> str:
    result = run_cli(program, "incident", "open", *args, "--format", "json", env=AS_LUCIE)
    assert result.code == 0, result.output
    return str(json.loads(result.stdout)["id"])


def show(program: Path, incident: str) -> dict[str, object]:
    result = run_cli(program, "incident", "show", incident, "--format", "json")
    assert result.code == 0, result.output
    data: dict[str, object] = json.loads(result.stdout)
    return data


@pytest.mark.parametrize(
    ("impact", "urgency", "priority", "hit"),
    [("high", "high", "P1", True), ("medium", "high", "P2", True), ("low", "medium", "P4", False)],
)
def test_open_takes_priority_from_the_matrix(
    abc_program: Path, impact: str, urgency: str, priority: str, hit: bool
) -> None:
    incident = opened(
        abc_program,
        "--service",
        "vpn-gateway",
        "--title",
        "VPN down",
        "--impact",
        impact,
        "--urgency",
        urgency,
    )
    assert incident == "INC-2026-0001"
    data = show(abc_program, incident)
    assert (data["priority"], data["impact"], data["state"]) == (priority, hit, "open")


def test_lifecycle_timeline_and_invalid_transitions(abc_program: Path) -> None:
    incident = opened(
        abc_program, "--service", "booking-web", "--priority", "P3", "--title", "Slow"
    )
    assert opened(abc_program, "--service", "booking-web", "--priority", "p2", "--title", "x") == (
        "INC-2026-0002"
    )
    steps = [
        ("ack", incident, "--as", "tomas"),
        ("note", incident, "Quotes take 20 s", "--as", "tomas"),
        ("mitigate", incident, "--note", "Restarted the pool", "--as", "tomas"),
    ]
    for args in steps:
        result = run_cli(abc_program, "incident", *args)
        assert result.code == 0, result.output
    before = store_counts(abc_program)
    again = run_cli(abc_program, "incident", "ack", incident, "--as", "tomas")
    assert again.code == 2
    assert "cannot go from mitigated to acknowledged; allowed next states: resolved" in again.stderr
    assert store_counts(abc_program) == before
    assert run_cli(abc_program, "incident", "resolve", incident, "--as", "jana").code == 0
    data = show(abc_program, incident)
    timeline = data["timeline"]
    assert isinstance(timeline, list)
    assert [(e["kind"], e["actor"]) for e in timeline] == [
        ("opened", "lucie"),
        ("acknowledged", "tomas"),
        ("note", "tomas"),
        ("mitigated", "tomas"),
        ("resolved", "jana"),
    ]
    assert data["state"] == "resolved"
    assert data["mitigated_at"] is not None
    markdown = run_cli(abc_program, "incident", "show", incident, "--format", "md")
    assert "| note | tomas | Quotes take 20 s |" in markdown.stdout
    text = run_cli(abc_program, "incident", "show", incident)
    assert f"{incident} P3 resolved: Slow" in text.stdout
    # every write appended an audit entry
    assert run_cli(abc_program, "audit", "verify").code == 0
    counts = store_counts(abc_program)
    assert (counts.events, counts.audit) == (6, 6)


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (("--priority", "P5"), "--priority: 'P5' is not one of P1, P2, P3, P4"),
        (("--impact", "huge", "--urgency", "low"), "--impact: 'huge' is not one of high"),
        (("--impact", "high"), "give --priority P1..P4, or both --impact and --urgency"),
        (("--priority", "P1", "--impact", "high"), "give either --priority or --impact"),
    ],
)
def test_invalid_priority_exits_2_and_writes_nothing(
    abc_program: Path, args: tuple[str, ...], message: str
) -> None:
    result = run_cli(
        abc_program,
        "incident",
        "open",
        "--service",
        "vpn-gateway",
        "--title",
        "t",
        *args,
        env=AS_LUCIE,
    )
    assert result.code == 2
    assert message in result.stderr
    assert not (abc_program / ".rcim" / "rcim.db").exists()


def test_bad_actor_service_and_unknown_incident(abc_program: Path) -> None:
    base = ("incident", "open", "--service", "vpn-gateway", "--title", "t", "--priority", "P2")
    nobody = run_cli(abc_program, *base)
    assert nobody.code == 2
    assert "pass --as PERSON or set RCIM_USER" in nobody.stderr
    stranger = run_cli(abc_program, *base, "--as", "mallory")
    assert "--as: 'mallory' is not a person in rcim.yaml" in stranger.stderr
    service = run_cli(
        abc_program,
        "incident",
        "open",
        "--service",
        "mail",
        "--title",
        "t",
        "--priority",
        "P2",
        "--as",
        "jana",
    )
    assert "--service: unknown service 'mail'" in service.stderr
    missing = run_cli(abc_program, "incident", "note", "INC-2026-0404", "hello", "--as", "jana")
    assert (missing.code, missing.stderr.strip()) == (2, "error: unknown incident 'INC-2026-0404'")
    assert run_cli(abc_program, "incident", "show", "INC-2026-0404").code == 2


def test_link_change_marks_the_cause(abc_program: Path) -> None:
    incident = opened(
        abc_program,
        "--service",
        "shipment-tracking",
        "--priority",
        "P1",
        "--title",
        "500s after release",
    )
    unknown = run_cli(
        abc_program, "incident", "link-change", incident, "CHG-2026-0042", "--as", "martin"
    )
    assert unknown.code == 2
    assert "unknown change 'CHG-2026-0042'" in unknown.stderr
    malformed = run_cli(abc_program, "incident", "link-change", incident, "42", "--as", "martin")
    assert "'42' is not a change ID" in malformed.stderr
    changes = abc_program / "release" / "changes"
    changes.mkdir(parents=True, exist_ok=True)
    (changes / "CHG-2026-0042.yaml").write_text("title: x\n", encoding="utf-8")
    linked = run_cli(
        abc_program, "incident", "link-change", incident, "CHG-2026-0042", "--as", "martin"
    )
    assert linked.code == 0, linked.output
    data = show(abc_program, incident)
    assert data["caused_by_change"] == "CHG-2026-0042"


def test_review_writes_a_kb_article_that_generation_links(abc_program: Path) -> None:
    incident = opened(
        abc_program, "--service", "booking-web", "--priority", "P2", "--title", "Quotes fail"
    )
    early = run_cli(abc_program, "incident", "review", incident, "--why", "x", "--as", "jana")
    assert early.code == 2
    assert "cannot go from open to reviewed; allowed next states:" in early.stderr
    for args in (("mitigate", "--note", "Raised the DB pool to 50"), ("resolve",)):
        assert (
            run_cli(abc_program, "incident", args[0], incident, *args[1:], "--as", "jana").code == 0
        )
    too_many = run_cli(
        abc_program, "incident", "review", incident, *(["--why", "w"] * 6), "--as", "jana"
    )
    assert too_many.code == 2
    review = run_cli(
        abc_program,
        "incident",
        "review",
        incident,
        "--why",
        "Quotes timed out",
        "--why",
        "The DB pool was exhausted",
        "--why",
        "The pool size was never raised after the spring campaign",
        "--factor",
        "No alert on pool saturation",
        "--action",
        "Alert on pool usage above 80%",
        "--as",
        "jana",
    )
    assert review.code == 0, review.output
    article = abc_program / "runbooks" / "kb" / "KB-2026-0001.md"
    text = article.read_text(encoding="utf-8")
    assert "cause: The pool size was never raised after the spring campaign" in text
    assert "fix: Raised the DB pool to 50" in text
    assert "3. Why? The pool size was never raised" in text
    assert show(abc_program, incident)["state"] == "reviewed"
    assert run_cli(abc_program, "runbook", "generate").code == 0
    runbook = (abc_program / "runbooks" / "incident" / "booking-web.md").read_text(encoding="utf-8")
    assert "- **Quotes fail** Cause: The pool size was never raised" in runbook
    assert "(from INC-2026-0001: [KB-2026-0001](../kb/KB-2026-0001.md))" in runbook
    assert run_cli(abc_program, "runbook", "lint").code == 0
