"""The program loader: every kind of bad input names file:line:col; good input loads."""

from __future__ import annotations

import re
from datetime import timedelta
from pathlib import Path

import pytest

from rcim.errors import ConfigError
from rcim.program import load_program

LOCATED = re.compile(r"^(?P<file>[^:]+):(?P<line>\d+):(?P<col>\d+): (?P<message>.+)$")


def problems_of(root: Path) -> list[str]:
    with pytest.raises(ConfigError) as caught:
        load_program(root)
    return caught.value.lines()


def located(line: str) -> tuple[str, int, int, str]:
    match = LOCATED.match(line)
    assert match, f"not located as file:line:col: {line}"
    return match["file"], int(match["line"]), int(match["col"]), match["message"]


def replace_in(path: Path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    assert old in text, f"{old!r} not in {path}"
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


def test_example_loads_with_all_parts(abc_program: Path) -> None:
    program = load_program(abc_program)
    assert program.environment_names == ("staging", "production")
    assert set(program.services) == {
        "shipment-tracking",
        "booking-web",
        "vpn-gateway",
        "records-archive",
    }
    tracking = program.services["shipment-tracking"]
    assert tracking.tier == 1
    assert [h.port for h in tracking.hosts["staging"]] == [18101, 18102]
    assert tracking.continuity is not None
    assert tracking.continuity.rpo == timedelta(minutes=15)
    assert program.policy is not None
    assert program.policy.environments["production"].promotion_from == "staging"
    assert program.calendar is not None
    assert len(program.calendar.freezes) == 3
    roles = {role for person in program.config.people for role in person.roles}
    assert {"release-manager", "change-manager", "cab", "ecab", "on-call"} <= roles


def test_broken_yaml_syntax(abc_program: Path) -> None:
    path = abc_program / "services" / "booking-web.yaml"
    replace_in(path, "tier: 2", "tier: [2")
    (line,) = problems_of(abc_program)
    file, row, _, message = located(line)
    assert file.endswith("services/booking-web.yaml")
    assert row >= 5
    assert "invalid YAML" in message


def test_misspelt_key_suggests_the_nearest(abc_program: Path) -> None:
    replace_in(abc_program / "services" / "booking-web.yaml", "depends_on:", "depend_on:")
    (line,) = problems_of(abc_program)
    file, row, col, message = located(line)
    assert file.endswith("booking-web.yaml")
    assert (row, col) == (6, 1)
    assert "unknown key 'depend_on'" in message
    assert "did you mean 'depends_on'?" in message


def test_misspelt_nested_key_in_a_union(abc_program: Path) -> None:
    path = abc_program / "services" / "shipment-tracking.yaml"
    replace_in(
        path,
        "{connector: local, name: stg-track-1, port: 18101}",
        "{connector: local, name: stg-track-1, prot: 18101}",
    )
    lines = problems_of(abc_program)
    assert any("unknown key 'prot'; did you mean 'port'?" in line for line in lines)
    assert any("missing required key 'port'" in line for line in lines)
    for line in lines:
        assert located(line)[1] == 10


def test_wrong_type(abc_program: Path) -> None:
    replace_in(abc_program / "services" / "booking-web.yaml", "tier: 2", 'tier: "two"')
    (line,) = problems_of(abc_program)
    _, row, col, message = located(line)
    assert (row, col) == (5, 7)
    assert message == "tier: expected an integer, got str 'two'"


def test_unknown_owner_team(abc_program: Path) -> None:
    replace_in(
        abc_program / "services" / "vpn-gateway.yaml", "owner: platform", "owner: networking"
    )
    (line,) = problems_of(abc_program)
    file, row, col, message = located(line)
    assert file.endswith("vpn-gateway.yaml")
    assert (row, col) == (4, 8)
    assert message == "owner: unknown team 'networking'"


def test_dependency_cycle(abc_program: Path) -> None:
    path = abc_program / "services" / "records-archive.yaml"
    replace_in(path, "tier: 3\n", "tier: 3\ndepends_on: [booking-web]\n")
    (line,) = problems_of(abc_program)
    _, _, _, message = located(line)
    assert "cycle" in message
    for name in ("booking-web", "shipment-tracking", "records-archive"):
        assert name in message


def test_duplicate_service_name(abc_program: Path) -> None:
    source = abc_program / "services" / "booking-web.yaml"
    (abc_program / "services" / "booking-web-copy.yaml").write_text(
        source.read_text(encoding="utf-8"), encoding="utf-8"
    )
    lines = problems_of(abc_program)
    assert len(lines) == 1
    file, row, col, message = located(lines[0])
    assert file.endswith("booking-web.yaml")  # sorted order: the copy is read first
    assert (row, col) == (2, 7)
    assert "duplicate service name 'booking-web'" in message


def test_empty_file(abc_program: Path) -> None:
    (abc_program / "release" / "calendar.yaml").write_text("# nothing yet\n", encoding="utf-8")
    (line,) = problems_of(abc_program)
    file, row, col, message = located(line)
    assert file.endswith("release/calendar.yaml")
    assert (row, col) == (1, 1)
    assert "empty" in message


def test_file_that_is_not_a_mapping(abc_program: Path) -> None:
    (abc_program / "services" / "booking-web.yaml").write_text("- a\n- b\n", encoding="utf-8")
    (line,) = problems_of(abc_program)
    _, row, col, message = located(line)
    assert (row, col) == (1, 1)
    assert "expected a mapping at the top level, got a list" in message


def test_all_problems_are_collected_across_files(abc_program: Path) -> None:
    replace_in(abc_program / "services" / "booking-web.yaml", "tier: 2", "tier: 9")
    replace_in(abc_program / "rcim.yaml", "  timezone: Europe/Prague", "  timezone: Mars/Olympus")
    replace_in(abc_program / "release" / "policy.yaml", "max_risk: high", "max_risk: extreme")
    lines = problems_of(abc_program)
    files = {Path(located(line)[0]).name for line in lines}
    assert files == {"booking-web.yaml", "rcim.yaml", "policy.yaml"}
    assert any("unknown time zone 'Mars/Olympus'" in line for line in lines)


def test_duplicate_yaml_key(abc_program: Path) -> None:
    replace_in(abc_program / "services" / "booking-web.yaml", "tier: 2\n", "tier: 2\ntier: 1\n")
    (line,) = problems_of(abc_program)
    _, row, _, message = located(line)
    assert row == 6
    assert "duplicate key 'tier' (first defined at line 5)" in message


@pytest.mark.parametrize(
    ("old", "new", "expected"),
    [
        ("objective: 99.5\n", "objective: 100\n", "strictly between 0 and 100"),
        ("objective: 99.5\n", "objective: 0\n", "strictly between 0 and 100"),
        ("[{{window}}]))\n      total", "[5m]))\n      total", "{{window}} placeholder"),
    ],
)
def test_invalid_slo(abc_program: Path, old: str, new: str, expected: str) -> None:
    replace_in(abc_program / "services" / "booking-web.yaml", old, new)
    (line,) = problems_of(abc_program)
    assert expected in located(line)[3]


def test_escalation_to_a_team_without_contacts(abc_program: Path) -> None:
    path = abc_program / "rcim.yaml"
    text = path.read_text(encoding="utf-8")
    start = text.index("  - id: network-vendor")
    end = text.index("people:")
    block = "  - id: network-vendor\n    name: Vendor\n    level: L3\n    contacts: []\n\n"
    path.write_text(text[:start] + block + text[end:], encoding="utf-8")
    (line,) = problems_of(abc_program)
    file, _, _, message = located(line)
    assert file.endswith("vpn-gateway.yaml")
    assert "L3 team 'network-vendor' has no contacts" in message


def test_policy_for_unknown_environment_and_bad_promotion(abc_program: Path) -> None:
    path = abc_program / "release" / "policy.yaml"
    replace_in(path, "promotion_from: staging", "promotion_from: production")
    lines = problems_of(abc_program)
    assert any("'production' is not an environment before 'production'" in x for x in lines)


def test_policy_that_no_one_can_satisfy(abc_program: Path) -> None:
    path = abc_program / "release" / "policy.yaml"
    replace_in(
        path, "high: {count: 3, roles: [change-manager, cab]}", "high: {count: 5, roles: [cab]}"
    )
    (line,) = problems_of(abc_program)
    assert "needs 5 approvers holding cab but only 3 do" in line


def test_calendar_needs_exactly_one_kind_of_window(abc_program: Path) -> None:
    path = abc_program / "release" / "calendar.yaml"
    replace_in(path, "    ical: release/holidays-cz.ics\n", "    ical: release/missing.ics\n")
    (line,) = problems_of(abc_program)
    assert "file 'release/missing.ics' not found" in line


def test_local_port_clash(abc_program: Path) -> None:
    replace_in(abc_program / "services" / "booking-web.yaml", "port: 18201", "port: 18101")
    (line,) = problems_of(abc_program)
    assert "18101 already used by" in line


def test_missing_program_file(tmp_path: Path) -> None:
    (line,) = problems_of(tmp_path)
    assert line.endswith("rcim.yaml: file not found")
