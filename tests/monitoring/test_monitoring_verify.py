"""The generated files pass the real promtool and amtool, and the checks can fail."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from rcim.errors import ConfigError, InvalidInputError
from rcim.monitoring import verify_monitoring

pytestmark = pytest.mark.skipif(
    shutil.which("promtool") is None or shutil.which("amtool") is None,
    reason="promtool/amtool not installed (apt-get install prometheus prometheus-alertmanager)",
)


EXAMPLE = Path(__file__).resolve().parents[2] / "src" / "rcim" / "examples" / "abc"


@pytest.fixture
def example_monitoring(tmp_path: Path) -> Path:
    """A writable copy of the checked-in, generated monitoring/ folder of the example."""
    target = tmp_path / "monitoring"
    shutil.copytree(EXAMPLE / "monitoring", target)
    return target


def only_service(directory: Path, service: str) -> Path:
    """Drop every other service's rules and tests, to keep promtool runs short."""
    for folder in ("rules", "tests"):
        for path in (directory / folder).glob("*.yml"):
            if path.stem != service:
                path.unlink()
    return directory


@pytest.mark.slow
def test_the_whole_example_passes_promtool_and_amtool(example_monitoring: Path) -> None:
    report = verify_monitoring(example_monitoring)
    failed = [(run.check, run.output) for run in report.runs if not run.ok]
    assert failed == []
    checks = [run.check for run in report.runs]
    assert "rule tests: shipment-tracking.yml" in checks
    assert sum(check.startswith("route:") for check in checks) == 9


def test_a_wrong_burn_factor_fails_the_generated_rule_tests(example_monitoring: Path) -> None:
    folder = only_service(example_monitoring, "vpn-gateway")
    rules = folder / "rules" / "vpn-gateway.yml"
    text = rules.read_text(encoding="utf-8")
    assert "(14.4 * 0.005)" in text
    rules.write_text(text.replace("(14.4 * 0.005)", "(40 * 0.005)"), encoding="utf-8")
    report = verify_monitoring(folder)
    by_check = {run.check: run for run in report.runs}
    assert by_check["rules syntax"].ok
    failing = by_check["rule tests: vpn-gateway.yml"]
    assert not failing.ok
    assert "VpnGatewayConnectionSuccessErrorBudgetBurnFast" in failing.output
    assert not report.ok


def test_a_wrong_route_fails_the_routes_test(example_monitoring: Path) -> None:
    folder = only_service(example_monitoring, "vpn-gateway")
    config = folder / "alertmanager.yml"
    text = config.read_text(encoding="utf-8")
    config.write_text(
        text.replace("receiver: team-network-vendor", "receiver: team-platform"), encoding="utf-8"
    )
    report = verify_monitoring(folder)
    failed = [run.check for run in report.runs if not run.ok]
    assert failed == ["route: vpn-gateway: pages escalate through every level"]


def test_an_invalid_alertmanager_config_is_reported(example_monitoring: Path) -> None:
    folder = only_service(example_monitoring, "vpn-gateway")
    config = folder / "alertmanager.yml"
    config.write_text(
        config.read_text(encoding="utf-8") + "msteams_configs: []\n", encoding="utf-8"
    )
    report = verify_monitoring(folder)
    by_check = {run.check: run for run in report.runs}
    assert not by_check["alertmanager config"].ok
    assert "msteams_configs" in by_check["alertmanager config"].output


def test_missing_files_are_invalid_input(tmp_path: Path, example_monitoring: Path) -> None:
    with pytest.raises(ConfigError, match=r"no \*\.yml files"):
        verify_monitoring(tmp_path)
    (example_monitoring / "alertmanager.yml").unlink()
    with pytest.raises(InvalidInputError, match=r"alertmanager\.yml: file not found"):
        verify_monitoring(example_monitoring)


def test_a_broken_routes_test_file_names_its_location(example_monitoring: Path) -> None:
    path = example_monitoring / "routes-tests.yml"
    path.write_text(
        "tests:\n  - name: x\n    labels: {a: b}\n    recievers: [r]\n", encoding="utf-8"
    )
    with pytest.raises(ConfigError) as caught:
        verify_monitoring(example_monitoring)
    lines = [str(problem) for problem in caught.value.problems]
    assert (
        f"{path}:4:5: tests[0].recievers: unknown key 'recievers'; did you mean 'receivers'?"
        in lines
    )
