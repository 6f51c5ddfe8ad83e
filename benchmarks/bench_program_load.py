"""Loading a large program: rcim's located, validated, cross-checked load vs bare PyYAML.

Baseline: ``yaml.safe_load`` of the same files (parsing only, no positions, no validation).
"""

from __future__ import annotations

import tempfile
import time
from pathlib import Path

import yaml

from rcim.program import load_program
from rcim.program.scaffold import scaffold

SERVICES = 400
ROUNDS = 3


def build(root: Path) -> Path:
    program = scaffold(root / "program", "abc").root
    template = (program / "services" / "booking-web.yaml").read_text(encoding="utf-8")
    for index in range(SERVICES):
        text = template.replace("name: booking-web", f"name: svc-{index:04d}")
        text = text.replace("port: 18201", f"port: {20000 + index * 3}")
        text = text.replace("port: 18211", f"port: {20001 + index * 3}")
        text = text.replace("port: 18212", f"port: {20002 + index * 3}")
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
        program = build(Path(tmp))
        files = sorted(program.rglob("*.yaml"))
        baseline = best_of(lambda: [yaml.safe_load(f.read_text(encoding="utf-8")) for f in files])
        ours = best_of(lambda: load_program(program))
        loaded = load_program(program)
    print(f"services: {len(loaded.services)}  files: {len(files)}")
    print(f"yaml.safe_load (baseline): {baseline:.3f}s")
    print(f"rcim load_program:        {ours:.3f}s")
    print(f"ratio rcim/baseline: {ours / baseline:.2f}")


if __name__ == "__main__":
    main()
