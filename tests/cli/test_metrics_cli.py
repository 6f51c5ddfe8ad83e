"""rcim metrics through the real CLI: after the demo, on the example history, charts, errors."""

from __future__ import annotations

import importlib.util
import json
import os
import struct
import subprocess
import sys
from pathlib import Path
from typing import TYPE_CHECKING

import pytest

from conftest import Run

if TYPE_CHECKING:
    from types import ModuleType

ROOT = Path(__file__).resolve().parents[2]
HISTORY = ROOT / "examples" / "history"
GOLDEN = ROOT / "tests" / "golden" / "metrics"
BEFORE = "2025-07-07..2025-12-28"
AFTER = "2026-01-05..2026-06-28"
RUNNER = "from rcim.cli.main import run; run()"


def rcim(*args: str | Path, env: dict[str, str] | None = None) -> Run:
    full_env = {**os.environ, "COLUMNS": "200", "NO_COLOR": "1"}
    for name in ("RCIM_PROGRAM", "RCIM_DB", "RCIM_NOW"):
        full_env.pop(name, None)
    full_env.update(env or {})
    proc = subprocess.run(
        [sys.executable, "-c", RUNNER, *map(str, args)],
        env=full_env,
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )
    return Run(proc.returncode, proc.stdout, proc.stderr)


def load_generator() -> ModuleType:
    spec = importlib.util.spec_from_file_location("history_generate", HISTORY / "generate.py")
    assert spec is not None
    assert spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


@pytest.fixture(scope="module")
def demo_program(tmp_path_factory: pytest.TempPathFactory) -> Path:
    workdir = tmp_path_factory.mktemp("demo") / "w"
    result = rcim("demo", "--workdir", workdir)
    assert result.code == 0, result.output
    return workdir / "abc-logistics"


@pytest.fixture(scope="module")
def example(demo_program: Path, tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path]:
    """The demo's program with the example history imported; the matching app repo."""
    repo = tmp_path_factory.mktemp("apps") / "abc-apps"
    out = tmp_path_factory.mktemp("history")
    load_generator().generate(repo, out)
    for kind in ("deployments", "incidents"):
        result = rcim(
            "--program",
            demo_program,
            "import",
            kind,
            HISTORY / f"{kind}.jsonl",
            *(("--repo", repo) if kind == "deployments" else ()),
        )
        assert result.code == 0, result.output
    return demo_program, repo


def test_example_history_files_are_reproducible(tmp_path: Path) -> None:
    load_generator().generate(tmp_path / "repo", tmp_path)
    for name in ("deployments.jsonl", "incidents.jsonl"):
        assert (tmp_path / name).read_bytes() == (HISTORY / name).read_bytes(), name


def test_metrics_after_demo_reports_no_data(demo_program: Path) -> None:
    result = rcim("--program", demo_program, "metrics", "--compare", BEFORE, AFTER, "-f", "json")
    assert result.code == 0, result.output
    data = json.loads(result.stdout)
    for side in ("before", "after"):
        assert data[side]["deployment_frequency"]["per_week"] is None
        assert data[side]["change_failure_rate"]["rate"] is None
        assert data[side]["lead_time"]["median_hours"] is None
    assert data["summary"] == "downtime n/a, change failure rate n/a, release frequency n/a"
    text = rcim("--program", demo_program, "metrics")
    assert text.code == 0, text.output
    assert "all services in production" in text.stdout
    assert "no data" in text.stdout


def test_compare_shows_the_seed_kind_of_results(example: tuple[Path, Path]) -> None:
    program, repo = example
    result = rcim(
        "--program", program, "metrics", "--repo", repo, "--compare", BEFORE, AFTER, "-f", "json"
    )
    assert result.code == 0, result.output
    data = json.loads(result.stdout)
    changes = {c["metric"]: c for c in data["changes"]}
    assert changes["downtime"]["relative_change"] == pytest.approx(-0.7)
    assert changes["release frequency"]["relative_change"] == pytest.approx(0.25)
    assert changes["change failure rate"]["relative_change"] < -0.45
    assert data["before"]["deployment_frequency"]["deployments"] == 36
    assert data["after"]["change_failure_rate"] == {
        "deployments": 48,
        "failures": 5,
        "rate": 0.1042,
        "level": "elite",
    }
    assert data["after"]["lead_time"]["commits"] > 200
    assert data["summary"] == "downtime −70%, change failure rate −48%, release frequency +25%"


def test_compare_markdown_golden(example: tuple[Path, Path]) -> None:
    program, repo = example
    result = rcim(
        "--program", program, "metrics", "--repo", repo, "--compare", BEFORE, AFTER, "-f", "md"
    )
    assert result.code == 0, result.output
    golden = GOLDEN / "compare-example.md"
    if os.environ.get("RCIM_UPDATE_GOLDEN") == "1":
        golden.write_text(result.stdout, encoding="utf-8")
    assert result.stdout == golden.read_text(encoding="utf-8")


def test_text_comparison_names_both_periods(example: tuple[Path, Path]) -> None:
    program, repo = example
    result = rcim("--program", program, "metrics", "--repo", repo, "--compare", BEFORE, AFTER)
    assert result.code == 0, result.output
    assert f"all services in production, {BEFORE}" in result.stdout
    assert f"all services in production, {AFTER}" in result.stdout
    assert "downtime −70%" in result.stdout


def test_service_and_env_selection(example: tuple[Path, Path]) -> None:
    program, repo = example
    args = ("--program", program, "metrics", "--repo", repo, "--since", "2026-01-05")
    staging = rcim(*args, "--until", "2026-06-28", "--env", "staging", "-f", "json")
    assert staging.code == 0, staging.output
    # One staging deployment per production one (48), less the first, made the day before.
    assert json.loads(staging.stdout)["deployment_frequency"]["deployments"] == 47
    one = rcim(*args, "--until", "2026-06-28", "--service", "vpn-gateway", "-f", "json")
    assert json.loads(one.stdout)["availability"]["services"] == 1


def test_default_period_uses_rcim_now(example: tuple[Path, Path]) -> None:
    program, repo = example
    result = rcim(
        "--program",
        program,
        "metrics",
        "--repo",
        repo,
        "-f",
        "json",
        env={"RCIM_NOW": "2026-06-29T00:00:00+02:00"},
    )
    assert result.code == 0, result.output
    period = json.loads(result.stdout)["period"]
    assert period["end"] == "2026-06-29T00:00:00+02:00"
    assert period["start"] == "2026-03-31T00:00:00+02:00"


def test_chart_is_a_png(example: tuple[Path, Path], tmp_path: Path) -> None:
    program, repo = example
    chart = tmp_path / "weekly.png"
    result = rcim(
        "--program",
        program,
        "metrics",
        "--repo",
        repo,
        "--compare",
        BEFORE,
        AFTER,
        "--chart",
        chart,
    )
    assert result.code == 0, result.output
    data = chart.read_bytes()
    assert data[:8] == b"\x89PNG\r\n\x1a\n"
    width, height = struct.unpack(">II", data[16:24])
    assert (width, height) == (1000, 800)
    assert len(data) > 20_000  # four drawn panels, not an empty canvas


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (("--compare", "2026-01-01", AFTER), "is not a period"),
        (("--since", "yesterday"), "not an ISO 8601 date"),
        (("--env", "qa"), "unknown environment 'qa'"),
        (("--service", "nope"), "unknown service 'nope'"),
        (("--compare", BEFORE, AFTER, "--since", "2026-01-01"), "not with --since"),
        (("--compare", "2026-02-01..2026-01-01", AFTER), "end must be after start"),
    ],
)
def test_bad_options_exit_2(demo_program: Path, args: tuple[str, ...], message: str) -> None:
    result = rcim("--program", demo_program, "metrics", *args)
    assert result.code == 2, result.output
    assert message in result.stderr
    assert "Traceback" not in result.output
