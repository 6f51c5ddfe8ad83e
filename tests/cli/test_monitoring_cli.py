"""rcim monitoring generate|verify|import-openslo, run as real processes."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

import pytest


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


OPENSLO = Path(__file__).resolve().parents[1] / "monitoring" / "openslo" / "booking-web.yaml"


def test_import_openslo_dry_run_then_write(abc_program: Path) -> None:
    service = abc_program / "services" / "booking-web.yaml"
    before = service.read_text(encoding="utf-8")
    dry = monitoring("--program", abc_program, "monitoring", "import-openslo", OPENSLO, "--dry-run")
    assert dry.code == 0, dry.output
    assert "SLO booking-web/availability: would be replaced" in dry.stdout
    assert "+    objective: 99.9" in dry.stdout  # the diff of what would change
    assert "nothing written" in dry.stdout
    assert "unsupported:" in dry.stderr
    assert "thresholdMetric" in dry.stderr
    assert "target msteams" in dry.stderr
    assert service.read_text(encoding="utf-8") == before
    data = monitoring(
        "--program", abc_program, "monitoring", "import-openslo", OPENSLO, "--format", "json"
    )
    assert data.code == 0, data.output
    report = json.loads(data.stdout)
    assert not report["dry_run"]
    assert [c["action"] for c in report["changes"]] == ["replaced", "added", "added"]
    assert sorted(Path(f).name for f in report["files"]) == ["booking-web.yaml", "rcim.yaml"]
    assert {u["line"] for u in report["unsupported"]} == {69, 105, 126}
    assert "objective: 99.9\n    period: 28d" in service.read_text(encoding="utf-8")
    check = monitoring("--program", abc_program, "monitoring", "generate", "--check")
    assert check.code == 1  # the program changed, so its monitoring is out of date


def test_import_openslo_malformed_or_unknown_service_exits_2(
    abc_program: Path, tmp_path: Path
) -> None:
    broken = tmp_path / "broken.yaml"
    broken.write_text(
        OPENSLO.read_text(encoding="utf-8").replace("kind: AlertCondition", "kind: Alert"),
        encoding="utf-8",
    )
    bad = monitoring("--program", abc_program, "monitoring", "import-openslo", broken)
    assert bad.code == 2
    assert f"{broken}:99:7: kind:" in bad.stderr
    assert "Traceback" not in bad.output
    unknown = tmp_path / "unknown.yaml"
    unknown.write_text(
        OPENSLO.read_text(encoding="utf-8").replace("service: booking-web", "service: x"),
        encoding="utf-8",
    )
    before = (abc_program / "rcim.yaml").read_text(encoding="utf-8")
    missing = monitoring("--program", abc_program, "monitoring", "import-openslo", unknown)
    assert missing.code == 2
    assert f"{unknown}:42:12: SLO availability: service 'x' is not in the catalog" in missing.stderr
    assert (abc_program / "rcim.yaml").read_text(encoding="utf-8") == before


@pytest.mark.parametrize("command", ["generate", "verify", "import-openslo"])
def test_help(command: str) -> None:
    result = monitoring("monitoring", command, "--help")
    assert result.code == 0
    assert "Usage:" in result.stdout
