"""Generating Prometheus rules for 1,000 SLOs vs ``promtool check rules`` on the same output.

Issue 6: "generate and verify rules for 1,000 SLOs; report generation time as a ratio of the
time ``promtool check rules`` takes on the same output (target: generation under 0.5 of
checking)". The program has 250 services with four SLOs each (events, events over separate
counters, latency, raw). Measured in-process from a loaded program: the rule files
(``service_rule_groups`` rendered as YAML, what ``generate`` writes to ``rules/``). Baseline:
``promtool check rules`` over those files. For context it also times the whole
``plan_monitoring`` (rules, promtool tests, Alertmanager) and runs ``promtool test rules`` on
one service, so the generated tests are verified too.
"""

from __future__ import annotations

import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import TYPE_CHECKING

from rcim.monitoring import plan_monitoring, write_plan
from rcim.monitoring.render import to_yaml
from rcim.monitoring.rules import service_rule_groups
from rcim.program import load_program
from rcim.program.scaffold import scaffold

if TYPE_CHECKING:
    from collections.abc import Callable

    from rcim.program.loader import Program

SERVICES = 250
SLOS_PER_SERVICE = 4
ROUNDS = 3
TARGET_RATIO = 0.5

SERVICE = """\
name: {name}
description: Benchmark service {name}.
owner: platform
tier: {tier}
escalation:
  - {{level: L1, team: service-desk, after_minutes: 0}}
  - {{level: L2, team: platform, after_minutes: 15}}
continuity:
  rto: 1h
  rpo: 1h
slos:
  - name: availability
    objective: 99.9
    period: 30d
    sli:
      kind: events
      error_query: sum(rate(http_requests_total{{job="{name}",code=~"5.."}}[{{{{window}}}}]))
      total_query: sum(rate(http_requests_total{{job="{name}"}}[{{{{window}}}}]))
  - name: jobs
    objective: 99.5
    period: 28d
    sli:
      kind: events
      error_query: sum(rate(jobs_failed_total{{job="{name}"}}[{{{{window}}}}]))
      total_query: sum(rate(jobs_started_total{{job="{name}"}}[{{{{window}}}}]))
  - name: latency
    objective: 99.0
    period: 28d
    sli:
      kind: latency
      metric: http_request_duration_seconds
      threshold_seconds: 0.3
      selector: 'job="{name}"'
  - name: freshness
    objective: 99.0
    period: 30d
    sli:
      kind: raw
      error_ratio_query: >-
        sum(rate(stale_reads_total{{job="{name}"}}[{{{{window}}}}]))
        / sum(rate(reads_total{{job="{name}"}}[{{{{window}}}}]))
"""


def build(root: Path) -> Path:
    """The ABC example with its services replaced by SERVICES generated ones."""
    program = scaffold(root / "program", "abc").root
    for path in (program / "services").glob("*.yaml"):
        path.unlink()
    for index in range(SERVICES):
        name = f"svc-{index:04d}"
        text = SERVICE.format(name=name, tier=1 + index % 4)
        (program / "services" / f"{name}.yaml").write_text(text, encoding="utf-8")
    return program


def generate_rules(program: Program, out: Path) -> None:
    """What ``rcim monitoring generate`` does for the rules/ folder, in-process."""
    org = program.config.organization
    for name, service in program.services.items():
        text = to_yaml(service_rule_groups(service, org), source=f"services/{name}.yaml")
        (out / f"{name}.yml").write_text(text, encoding="utf-8")


def best_of(action: Callable[[], object], rounds: int = ROUNDS) -> float:
    timings = []
    for _ in range(rounds):
        start = time.perf_counter()
        action()
        timings.append(time.perf_counter() - start)
    return min(timings)


def promtool(*args: str) -> None:
    proc = subprocess.run(
        ["promtool", *args], capture_output=True, text=True, timeout=1800, check=False
    )
    if proc.returncode != 0:
        raise SystemExit(f"promtool {args[0]} {args[1]} failed:\n{proc.stdout}{proc.stderr}")


def main() -> None:
    if shutil.which("promtool") is None:
        sys.exit("promtool not installed: apt-get install prometheus")
    with tempfile.TemporaryDirectory() as tmp:
        root = build(Path(tmp))
        program = load_program(root)
        slos = sum(len(service.slos) for service in program.services.values())
        rules = Path(tmp) / "rules"
        rules.mkdir()
        ours = best_of(lambda: generate_rules(program, rules))
        files = sorted(str(path) for path in rules.glob("*.yml"))
        size = sum(Path(path).stat().st_size for path in files)
        baseline = best_of(lambda: promtool("check", "rules", *files))
        whole = best_of(lambda: plan_monitoring(program), rounds=1)
        out = Path(tmp) / "monitoring"
        write_plan(plan_monitoring(program), out)
        sample = time.perf_counter()
        promtool("test", "rules", str(out / "tests" / "svc-0000.yml"))
        tested = time.perf_counter() - sample
    ratio = ours / baseline
    print(f"services: {len(program.services)}  SLOs: {slos}  rule files: {len(files)}  "
          f"bytes: {size}")  # fmt: skip
    print(f"generate rules (rcim, in-process):     {ours:.3f}s")
    print(f"promtool check rules (baseline):       {baseline:.3f}s")
    print(f"plan_monitoring (rules, tests, AM):    {whole:.3f}s")
    print(f"promtool test rules, one service:      {tested:.3f}s  (passed)")
    verdict = "meets" if ratio < TARGET_RATIO else "misses"
    print(f"ratio generation/check: {ratio:.2f} ({verdict} the target of {TARGET_RATIO})")


if __name__ == "__main__":
    main()
