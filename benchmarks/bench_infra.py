"""Offline platform plan: rcim infra plan vs a bare Pulumi mock run of the same resources.

Both run in a fresh interpreter under Pulumi's mock runtime. The baseline program registers
the very resources (type, name, inputs) the plan recorded, as plain ``CustomResource``s: no
catalog, no design, no components, no policies. The ratio is rcim's overhead on top of Pulumi.
"""

from __future__ import annotations

import json
import shutil
import tempfile
import time
from importlib import resources
from pathlib import Path

from rcim.infra.plan import plan_environment, run_offline
from rcim.infra.settings import StackFile, StackSettings
from rcim.program import load_program
from rcim.program.scaffold import scaffold

SERVICES = 60
ROUNDS = 3
EXAMPLE = Path(str(resources.files("rcim.examples").joinpath("abc")))
BARE_PROGRAM = """
import json
from pathlib import Path
import pulumi

for item in json.loads(Path(__file__).with_name("resources.json").read_text()):
    pulumi.CustomResource(item["type"], item["name"], item["inputs"])
"""


def build(root: Path) -> Path:
    program = scaffold(root / "program", "abc").root
    shutil.copytree(EXAMPLE / "infra", program / "infra", dirs_exist_ok=True)
    template = (program / "services" / "booking-web.yaml").read_text(encoding="utf-8")
    for index in range(SERVICES):
        text = template.replace("name: booking-web", f"name: svc-{index:04d}")
        text = text.replace("name: prd-web-", f"name: prd-{index:04d}-")
        text = text.replace("name: stg-web-", f"name: stg-{index:04d}-")
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
        program = load_program(build(Path(tmp)))
        plan = plan_environment(program, "production", change=None)
        bare = Path(tmp) / "bare"
        bare.mkdir()
        custom = [i.resource for i in plan.resources if i.resource.custom]
        records = [{"type": r.type, "name": r.name, "inputs": r.inputs} for r in custom]
        (bare / "resources.json").write_text(json.dumps(records), encoding="utf-8")
        (bare / "__main__.py").write_text(BARE_PROGRAM, encoding="utf-8")
        stack = StackFile("bare", "production", StackSettings(), {}, None)
        baseline = best_of(lambda: run_offline(bare / "__main__.py", stack, change=None))
        ours = best_of(lambda: plan_environment(program, "production", change=None))
    print(f"services: {len(program.services)}  resources: {len(plan.resources)}")
    print(f"bare Pulumi mock run (baseline): {baseline:.3f}s")
    print(f"rcim infra plan:                 {ours:.3f}s")
    print(f"ratio rcim/baseline: {ours / baseline:.2f}")


if __name__ == "__main__":
    main()
