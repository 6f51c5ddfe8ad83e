"""rcim decide through the real CLI in a subprocess: JSON numbers, golden text and Markdown, errors.

Regenerate the golden files on purpose with
``RCIM_UPDATE_GOLDEN=1 pytest tests/cli/test_decide_cli.py``.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
EXAMPLES = ROOT / "examples" / "decide"
GOLDEN = ROOT / "tests" / "golden" / "decide"
TABLE = EXAMPLES / "docking-stations.yaml"
BUDGET = EXAMPLES / "docking-stations-budget.yaml"
RCIM = [sys.executable, "-c", "from rcim.cli.main import run; run()"]
UNSET = ("FORCE_COLOR", "TTY_COMPATIBLE", "TTY_INTERACTIVE", "RCIM_PROGRAM", "RCIM_DB")


@dataclass(frozen=True)
class Result:
    code: int
    stdout: str
    stderr: str


def rcim(*args: str | Path, cwd: Path) -> Result:
    """Run the real CLI with a fixed terminal width and no colour, so text output is stable."""
    env = {key: value for key, value in os.environ.items() if key not in UNSET}
    env.update({"COLUMNS": "80", "NO_COLOR": "1", "PYTHONIOENCODING": "utf-8"})
    proc = subprocess.run(
        [*RCIM, *map(str, args)],
        cwd=cwd,
        env=env,
        capture_output=True,
        timeout=120,
        check=False,
    )
    return Result(proc.returncode, proc.stdout.decode("utf-8"), proc.stderr.decode("utf-8"))


def assert_golden(name: str, actual: str) -> None:
    """Compare byte for byte with tests/golden/decide/NAME; rewrite it when asked to."""
    path = GOLDEN / name
    if os.environ.get("RCIM_UPDATE_GOLDEN") == "1":
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(actual.encode("utf-8"))
    assert path.is_file(), f"missing golden file {path}; run with RCIM_UPDATE_GOLDEN=1"
    assert actual.encode("utf-8") == path.read_bytes(), f"output differs from {path}"


def scores_of(report: dict[str, object]) -> dict[str, float]:
    ranking = report["ranking"]
    assert isinstance(ranking, list)
    return {entry["option"]: entry["score"] for entry in ranking}


def test_json_reproduces_the_seed_table_3(tmp_path: Path) -> None:
    result = rcim("decide", TABLE, "--format", "json", cwd=tmp_path)  # no rcim.yaml needed
    assert result.code == 0, result.stderr
    assert result.stderr == ""
    report = json.loads(result.stdout)
    assert scores_of(report) == {"Z": 6.7, "Y": 6.6, "X": 4.8}
    assert report["winner"] == "Z"
    assert [entry["excluded_by"] for entry in report["ranking"]] == [[], [], []]
    price = report["sensitivity"][0]
    assert price == {
        "criterion": "price",
        "weight": 0.3,
        "delta": 0.0115,
        "new_weight": 0.3115,
        "new_winner": "Y",
    }
    assert report["warnings"] == []


def test_json_with_the_budget_constraint_picks_y(tmp_path: Path) -> None:
    result = rcim("--format", "json", "decide", BUDGET, cwd=tmp_path)  # global --format works too
    assert result.code == 0, result.stderr
    report = json.loads(result.stdout)
    assert scores_of(report) == {"Y": 6.6, "X": 4.8, "Z": 6.7}
    assert report["winner"] == "Y"
    assert report["ranking"][2] == {"option": "Z", "score": 6.7, "excluded_by": ["price >= 5"]}
    assert report["criteria"][0] == {"name": "price", "weight": 0.3, "min": 5.0, "max": None}


@pytest.mark.parametrize("example", [TABLE, BUDGET], ids=["table-3", "budget"])
@pytest.mark.parametrize(("output_format", "suffix"), [("text", "txt"), ("md", "md")])
def test_text_and_markdown_match_golden_files(
    tmp_path: Path, example: Path, output_format: str, suffix: str
) -> None:
    result = rcim("decide", example, "--format", output_format, cwd=tmp_path)
    assert result.code == 0, result.stderr
    assert_golden(f"{example.stem}.{suffix}", result.stdout)


def test_normalising_weights_warns_on_stderr_only(tmp_path: Path) -> None:
    table = tmp_path / "unnormalised.yaml"
    table.write_text(
        "criteria: [{name: a, weight: 3}, {name: b, weight: 1}]\n"
        "options: [{name: p, scores: {a: 2, b: 10}}, {name: q, scores: {a: 5, b: 1}}]\n",
        encoding="utf-8",
    )
    result = rcim("decide", table, "-f", "json", cwd=tmp_path)
    assert result.code == 0, result.stderr
    warning = "weights sum to 4, not 1; normalised them to sum to 1"
    assert result.stderr == f"warning: {warning}\n"
    report = json.loads(result.stdout)
    assert report["warnings"] == [warning]
    assert [c["weight"] for c in report["criteria"]] == [0.75, 0.25]


def test_every_option_excluded_exits_1(tmp_path: Path) -> None:
    table = tmp_path / "impossible.yaml"
    table.write_text(
        "criteria: [{name: price, weight: 1, min: 9}]\noptions: [{name: p, scores: {price: 2}}]\n",
        encoding="utf-8",
    )
    result = rcim("decide", table, "--format", "json", cwd=tmp_path)
    assert result.code == 1
    assert json.loads(result.stdout)["winner"] is None
    assert result.stderr == (
        f"error: {table}: every option is excluded by a constraint; no winner\n"
    )


@pytest.mark.parametrize(
    ("text", "located"),
    [
        (
            "criteria: [{name: price, weight: 1}]\noptions: [{name: p, scores: {price: 11}}]\n",
            ":2:37: options[0].scores.price: score 11 of option 'p' on criterion 'price' "
            "is outside the scale [1, 10]",
        ),
        (
            "criteria: [{name: price, weight: 1}]\noptions: [{name: p, scores: {prise: 3}}]\n",
            ":2:30: options[0].scores.prise: unknown criterion 'prise'; did you mean 'price'?",
        ),
        (
            "criteria: [{name: price, wieght: 1}]\noptions: []\n",
            ":1:26: criteria[0].wieght: unknown key 'wieght'; did you mean 'weight'?",
        ),
        ("criteria: [{name: price, weight: 1}\n", ":2:1: invalid YAML"),
    ],
    ids=["score-outside-scale", "unknown-criterion", "misspelt-key", "broken-yaml"],
)
def test_bad_input_exits_2_with_a_location(tmp_path: Path, text: str, located: str) -> None:
    table = tmp_path / "bad.yaml"
    table.write_text(text, encoding="utf-8")
    result = rcim("decide", table, cwd=tmp_path)
    assert result.code == 2
    assert result.stdout == ""
    lines = result.stderr.splitlines()
    assert any(line.startswith(f"error: {table}{located}") for line in lines), result.stderr
    assert "Traceback" not in result.stderr


def test_missing_file_is_one_line(tmp_path: Path) -> None:
    result = rcim("decide", "nowhere.yaml", cwd=tmp_path)
    assert result.code == 2
    assert result.stderr == "error: nowhere.yaml: file not found\n"
    assert result.stdout == ""
