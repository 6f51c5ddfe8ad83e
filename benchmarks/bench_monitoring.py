"""Generating monitoring for a large program vs loading that program.

Baseline: ``load_program`` of the same program (parse, validate, cross-check), which every
command pays anyway; measured: ``plan_monitoring`` (rules, rule tests, Alertmanager config).
"""

from __future__ import annotations

import tempfile
import time
from pathlib import Path

from rcim.monitoring import plan_monitoring
from rcim.program import load_program
from rcim.program.scaffold import scaffold

SERVICES = 200
ROUNDS = 3


def build(root: Path) -> Path:
    program = scaffold(root / "program", "abc").root
    template = (program / "services" / "shipment-tracking.yaml").read_text(encoding="utf-8")
    for index in range(SERVICES):
        text = template.replace("name: shipment-tracking", f"name: svc-{index:04d}")
        text = text.replace("depends_on: [records-archive]", "")
        for offset, port in enumerate((18101, 18102, 18111, 18112, 18113)):
            text = text.replace(f"port: {port}", f"port: {20000 + index * 5 + offset}")
        (program / "services" / f"svc-{index:04d}.yaml").write_text(text, encoding="utf-8")
    return program


def best_of(action: object) -> float:
    assert callable(action)
    timings = []
    for _ in range(ROUNDS):
        start = time.perf_counter()
        action()
        timings.append(time.perf_counter() - start)
    return min(timings)


def main() -> None:
    with tempfile.TemporaryDirectory() as tmp:
        root = build(Path(tmp))
        baseline = best_of(lambda: load_program(root))
        program = load_program(root)
        ours = best_of(lambda: plan_monitoring(program))
        plan = plan_monitoring(program)
    size = sum(len(f.text) for f in plan.files)
    print(f"services: {len(program.services)}  files: {len(plan.files)}  bytes: {size}")
    print(f"load_program (baseline):  {baseline:.3f}s")
    print(f"plan_monitoring:          {ours:.3f}s")
    print(f"ratio monitoring/load: {ours / baseline:.2f}")


if __name__ == "__main__":
    main()
