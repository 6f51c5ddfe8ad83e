"""OpenSLO v1 import: SLOs and notification targets into the catalog, the rest named."""

from __future__ import annotations

from pathlib import Path

import pytest

from rcim.errors import ConfigError, InvalidInputError
from rcim.monitoring import import_openslo, plan_catalog_import, write_catalog_import
from rcim.program import load_program

DOCUMENTS = Path(__file__).resolve().parent / "openslo"
BOOKING = DOCUMENTS / "booking-web.yaml"
LIST_FORM = DOCUMENTS / "list-form.yaml"


def copy_of(tmp_path: Path, source: Path, old: str = "", new: str = "") -> Path:
    path = tmp_path / source.name
    text = source.read_text(encoding="utf-8")
    assert old in text
    path.write_text(text.replace(old, new, 1), encoding="utf-8")
    return path


def snapshot(program: Path) -> dict[str, str]:
    files = [program / "rcim.yaml", *sorted((program / "services").glob("*.yaml"))]
    return {str(path): path.read_text(encoding="utf-8") for path in files}


def test_ratio_metrics_references_and_unsupported_parts_are_read() -> None:
    imported = import_openslo([BOOKING, LIST_FORM])
    assert [(i.service, i.slo.name, i.slo.objective, i.slo.period) for i in imported.slos] == [
        ("booking-web", "availability", 99.9, "28d"),
        ("vpn-gateway", "connection-success-strict", 99.9, "30d"),
        ("vpn-gateway", "connection-success-relaxed", 99.0, "30d"),
    ]
    events = imported.slos[0].slo.sli
    assert events.kind == "events"
    # indicatorRef -> SLI; metricSourceRef -> a Prometheus DataSource; bare counters get rate().
    assert events.error_query == (
        'sum(rate(http_requests_total{job="booking-web",code=~"5.."}[{{window}}]))'
    )
    good = imported.slos[1].slo.sli
    assert good.kind == "events"
    assert good.error_query.startswith("(sum(rate(vpn_connection_attempts_total")
    assert "[{{window}}]" in good.total_query
    assert [(t.name, t.service, t.contact.kind) for t in imported.targets] == [
        ("booking-oncall-mail", "booking-web", "email"),
        ("booking-pager", "booking-web", "pagerduty"),
        ("vendor-slack", "vpn-gateway", "slack"),
    ]
    named = [str(problem) for problem in imported.unsupported]
    expected = [
        f"{BOOKING}:69:9: SLI checkout-latency: thresholdMetric",
        f"{BOOKING}:105:5: AlertCondition fast-burn: (severity page, burnrate gt 14.4 over 1h)",
        f"{BOOKING}:126:11: AlertNotificationTarget booking-teams: target msteams",
        f"{LIST_FORM}:47:22: AlertCondition slow-burn",
        f"{LIST_FORM}:61:19: AlertNotificationTarget vendor-mail: target email needs "
        "metadata.annotations rcim/to",
    ]
    for start in expected:
        assert any(line.startswith(start) for line in named), (start, named)
    assert len(named) == len(expected)


@pytest.mark.parametrize(
    ("old", "new", "message"),
    [
        ("duration: 28d", "duration: 7d", "timeWindow rolling 7d: rcim SLOs have rolling 28d"),
        ("metricSourceRef: prometheus-main\n        spec:\n          query: http_requests",
         "type: Datadog\n        spec:\n          query: http_requests",
         "metricSource type Datadog: only Prometheus"),
        ("budgetingMethod: Occurrences\n  timeWindow:\n    - duration: 28d",
         "budgetingMethod: Timeslices\n  timeWindow:\n    - duration: 28d",
         "budgetingMethod Timeslices"),
    ],
)  # fmt: skip
def test_valid_but_unsupported_slos_are_named_not_imported(
    tmp_path: Path, old: str, new: str, message: str
) -> None:
    imported = import_openslo([copy_of(tmp_path, BOOKING, old, new)])
    assert [i.slo.name for i in imported.slos] == []
    assert any(message in str(problem) for problem in imported.unsupported)
    # Its alert policy no longer belongs to an imported SLO: named too, not silently dropped.
    assert any("AlertPolicy booking-page: not referenced" in str(p) for p in imported.unsupported)


@pytest.mark.parametrize(
    ("old", "new", "where", "message"),
    [
        ("target: 0.999", "target: 1.5", ":50:15:", "less than 1"),
        ("apiVersion: openslo/v1\nkind: SLI", "apiVersion: openslo/v2\nkind: SLI", ":19:13:",
         "apiVersion"),
        ("indicatorRef: booking-errors", "indicatorRef: nope", ":48:17:", "no SLI named 'nope'"),
        ("  service: booking-web\n  description: Bookings", "  description: Bookings", ":42:3:",
         "missing required key 'service'"),
        ("- targetRef: booking-teams", "- targetRef: [booking-teams", ":90:", "invalid YAML"),
        ("kind: AlertCondition", "kind: AlertConditions", ":99:7:", "kind"),
    ],
)  # fmt: skip
def test_malformed_documents_name_file_line_and_column(
    tmp_path: Path, old: str, new: str, where: str, message: str
) -> None:
    path = copy_of(tmp_path, BOOKING, old, new)
    with pytest.raises(ConfigError) as caught:
        import_openslo([path])
    lines = caught.value.lines()
    assert any(line.startswith(f"{path}{where}") and message in line for line in lines), lines


def test_import_writes_slos_and_contacts_keeping_comments(abc_program: Path) -> None:
    program = load_program(abc_program)
    plan = plan_catalog_import(program, import_openslo([BOOKING, LIST_FORM]))
    assert [(c.what, c.action) for c in plan.changes] == [
        ("SLO booking-web/availability", "replaced"),
        ("SLO vpn-gateway/connection-success-strict", "added"),
        ("SLO vpn-gateway/connection-success-relaxed", "added"),
        ("contact email of team platform (booking-oncall-mail)", "added"),
        ("contact pagerduty of team platform (booking-pager)", "added"),
        ("contact slack of team platform (vendor-slack)", "added"),
    ]
    before = snapshot(abc_program)
    write_catalog_import(plan)
    after = snapshot(abc_program)
    changed = {Path(path).name for path in after if after[path] != before[path]}
    assert changed == {"rcim.yaml", "booking-web.yaml", "vpn-gateway.yaml"}
    booking = after[str(abc_program / "services" / "booking-web.yaml")]
    assert (
        booking.splitlines()[0]
        == before[str(abc_program / "services" / "booking-web.yaml")].splitlines()[0]
    )
    config = after[str(abc_program / "rcim.yaml")]
    assert "# An EU logistics start-up" in config
    reloaded = load_program(abc_program)
    availability = reloaded.services["booking-web"].slos[0]
    assert (availability.objective, availability.period) == (99.9, "28d")
    assert [s.name for s in reloaded.services["vpn-gateway"].slos] == [
        "connection-success",
        "connection-success-strict",
        "connection-success-relaxed",
    ]
    platform = next(team for team in reloaded.config.teams if team.id == "platform")
    assert [c.kind for c in platform.contacts] == [
        "email", "slack", "pagerduty", "email", "pagerduty", "slack"
    ]  # fmt: skip
    again = plan_catalog_import(reloaded, import_openslo([BOOKING, LIST_FORM]))
    assert {c.action for c in again.changes} == {"unchanged"}
    assert again.edits == ()


def test_an_unknown_service_is_an_error_and_nothing_is_written(
    abc_program: Path, tmp_path: Path
) -> None:
    path = copy_of(tmp_path, BOOKING, "service: booking-web", "service: bookings")
    before = snapshot(abc_program)
    with pytest.raises(ConfigError) as caught:
        plan_catalog_import(load_program(abc_program), import_openslo([path, LIST_FORM]))
    assert caught.value.lines() == [
        f"{path}:42:12: SLO availability: service 'bookings' is not in the catalog; add "
        "services/bookings.yaml first"
    ]
    assert snapshot(abc_program) == before


def test_a_flow_list_is_rewritten_as_a_block_list(abc_program: Path) -> None:
    service = abc_program / "services" / "vpn-gateway.yaml"
    text = service.read_text(encoding="utf-8")
    start = text.index("slos:\n")
    end = text.index("\nescalation:")
    # The same SLO, but written as a flow sequence of a flow mapping spread over lines.
    flow = (
        "slos: [{name: connection-success, objective: 99.5, sli: {kind: raw,\n"
        '  error_ratio_query: "x[{{window}}]"}}]\n'
    )
    service.write_text(text[:start] + flow + text[end:], encoding="utf-8")
    program = load_program(abc_program)
    before = snapshot(abc_program)
    plan = plan_catalog_import(program, import_openslo([LIST_FORM]))
    # A flow list is rewritten as a block list; the SLO already there is kept.
    write_catalog_import(plan)
    assert snapshot(abc_program) != before
    names = [s.name for s in load_program(abc_program).services["vpn-gateway"].slos]
    assert names == [
        "connection-success",
        "connection-success-strict",
        "connection-success-relaxed",
    ]


def test_file_changed_meanwhile_is_not_overwritten(abc_program: Path) -> None:
    plan = plan_catalog_import(load_program(abc_program), import_openslo([BOOKING]))
    config = abc_program / "rcim.yaml"
    config.write_text(config.read_text(encoding="utf-8") + "\n# edited\n", encoding="utf-8")
    before = snapshot(abc_program)
    with pytest.raises(InvalidInputError, match="changed while importing"):
        write_catalog_import(plan)
    assert snapshot(abc_program) == before


def test_a_service_document_must_name_a_catalog_service(abc_program: Path, tmp_path: Path) -> None:
    path = copy_of(
        tmp_path, BOOKING, "  name: booking-web\n  displayName", "  name: web\n  displayName"
    )
    with pytest.raises(ConfigError) as caught:
        plan_catalog_import(load_program(abc_program), import_openslo([path]))
    assert caught.value.lines() == [
        f"{path}:5:9: Service web: service 'web' is not in the catalog; add services/web.yaml first"
    ]


def test_a_result_that_fails_validation_writes_nothing(abc_program: Path) -> None:
    # Escalating to a team that does not exist only fails the program's cross-checks.
    service = abc_program / "services" / "booking-web.yaml"
    text = service.read_text(encoding="utf-8")
    program = load_program(abc_program)
    service.write_text(text.replace("team: platform", "team: nobody", 1), encoding="utf-8")
    before = snapshot(abc_program)
    with pytest.raises(ConfigError, match="nobody"):
        plan_catalog_import(program, import_openslo([BOOKING]))
    assert snapshot(abc_program) == before
