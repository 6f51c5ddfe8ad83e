"""rcim monitoring generate|verify|import-openslo, run as real processes."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from dataclasses import dataclass
from typing import TYPE_CHECKING

import pytest

if TYPE_CHECKING:
    from pathlib import Path


@dataclass(frozen=True)
class Run:
    code: int
    stdout: str
    stderr: str

    @property
    def output(self) -> str:
        return self.stdout + self.stderr


# Registers the group if cli/main.py does not yet, so these tests run either way.
LAUNCH = "from rcim.cli.main import run; run()"


def monitoring(*args: str | Path, env: dict[str, str] | None = None) -> Run:
    full_env = {**os.environ, "COLUMNS": "200", "NO_COLOR": "1", **(env or {})}
    full_env.pop("RCIM_PROGRAM", None)
    proc = subprocess.run(
        [sys.executable, "-c", LAUNCH, *map(str, args)],
        env=full_env,
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )
    return Run(proc.returncode, proc.stdout, proc.stderr)


def test_generate_then_check_is_up_to_date(abc_program: Path, tmp_path: Path) -> None:
    out = tmp_path / "out"
    result = monitoring("--program", abc_program, "monitoring", "generate", "--out", out)
    assert result.code == 0, result.output
    assert "10 files written" in result.stdout
    assert "webhook contact" in result.stderr
    assert (out / "rules" / "shipment-tracking.yml").is_file()
    check = monitoring("--program", abc_program, "monitoring", "generate", "--out", out, "--check")
    assert check.code == 0, check.output
    assert "up to date" in check.stdout


def test_check_fails_when_a_service_changed(abc_program: Path) -> None:
    # The example ships its generated monitoring/ folder, so --check starts clean.
    clean = monitoring("--program", abc_program, "monitoring", "generate", "--check")
    assert clean.code == 0, clean.output
    service = abc_program / "services" / "booking-web.yaml"
    service.write_text(
        service.read_text(encoding="utf-8").replace("objective: 99.5", "objective: 99.9"),
        encoding="utf-8",
    )
    stale = monitoring(
        "--program", abc_program, "monitoring", "generate", "--check", "--format", "json"
    )
    assert stale.code == 1, stale.output
    report = json.loads(stale.stdout)
    changed = {f["path"]: f["status"] for f in report["files"] if f["status"] != "unchanged"}
    assert changed == {"rules/booking-web.yml": "updated", "tests/booking-web.yml": "updated"}
    assert not report["up_to_date"]


def test_invalid_program_is_one_located_line(abc_program: Path) -> None:
    service = abc_program / "services" / "booking-web.yaml"
    text = service.read_text(encoding="utf-8")
    service.write_text(text.replace("objective: 99.5", "objective: 100"), encoding="utf-8")
    result = monitoring("--program", abc_program, "monitoring", "generate")
    assert result.code == 2
    assert f"{service}:17:16:" in result.stderr
    assert "Traceback" not in result.output
    assert not (abc_program / "monitoring" / "rules" / "missing.yml").exists()


def test_verify_reports_json_and_fails_on_a_broken_file(abc_program: Path) -> None:
    folder = abc_program / "monitoring"
    for path in [*folder.glob("rules/*.yml"), *folder.glob("tests/*.yml")]:
        if path.stem != "vpn-gateway":
            path.unlink()
    good = monitoring("--program", abc_program, "monitoring", "verify", "--format", "json")
    assert good.code == 0, good.output
    report = json.loads(good.stdout)
    assert report["ok"]
    assert {c["check"] for c in report["checks"]} >= {"rules syntax", "alertmanager config"}
    rules = folder / "rules" / "vpn-gateway.yml"
    rules.write_text(rules.read_text(encoding="utf-8").replace("for: 2m", "for: 2x"), "utf-8")
    bad = monitoring("--program", abc_program, "monitoring", "verify")
    assert bad.code == 1
    assert "✗ rules syntax" in bad.stdout


def test_verify_without_the_tools_exits_4(abc_program: Path, tmp_path: Path) -> None:
    bin_dir = tmp_path / "bin"
    bin_dir.mkdir()
    git = shutil.which("git")
    assert git is not None
    (bin_dir / "git").symlink_to(git)
    result = monitoring(
        "--program", abc_program, "monitoring", "verify", env={"PATH": str(bin_dir)}
    )
    assert result.code == 4, result.output
    assert "promtool" in result.stderr
    assert "apt-get install prometheus" in result.stderr


def test_import_openslo_prints_slos_for_services(tmp_path: Path) -> None:
    source = tmp_path / "slo.yaml"
    source.write_text(
        "apiVersion: openslo/v1\nkind: SLO\nmetadata: {name: api}\nspec:\n"
        "  service: shipment-tracking\n  timeWindow: [{duration: 30d}]\n"
        "  indicator:\n    spec:\n      ratioMetric:\n"
        "        bad: {metricSource: {type: Prometheus, spec: {query: 'e_total'}}}\n"
        "        total: {metricSource: {type: Prometheus, spec: {query: 't_total'}}}\n"
        "  objectives: [{targetPercent: 99.9}]\n",
        encoding="utf-8",
    )
    text = monitoring("monitoring", "import-openslo", source)
    assert text.code == 0, text.output
    assert text.stdout.startswith("# services/shipment-tracking.yaml\nslos:\n- name: api\n")
    assert "error_query: sum(rate(e_total[{{window}}]))" in text.stdout
    data = monitoring("monitoring", "import-openslo", source, "--format", "json")
    assert json.loads(data.stdout)[0]["slo"]["objective"] == 99.9


@pytest.mark.parametrize("command", ["generate", "verify", "import-openslo"])
def test_help(command: str) -> None:
    result = monitoring("monitoring", command, "--help")
    assert result.code == 0
    assert "Usage:" in result.stdout
