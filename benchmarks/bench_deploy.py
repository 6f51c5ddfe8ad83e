"""Deploying the sample service to 1, 4 and 16 local hosts: ``rcim deploy`` vs bare pyinfra.

Baseline: one pyinfra run (Python API) of the same operations rcim runs on each host (upload,
unpack, switch ``current``, restart and wait for the port), in a single batch. rcim adds the
gate hook, the lock, a probe of every host, records and audit entries in the store, the
split into phases (so that a failure stops before the next phase), HTTP health, version and
testinfra verification, and the metrics file. Each round deploys a new version, so every
host really uploads and restarts.
"""

from __future__ import annotations

import contextlib
import os
import signal
import tempfile
import time
from datetime import UTC, datetime
from pathlib import Path

from pyinfra.api.config import Config
from pyinfra.api.connect import connect_all, disconnect_all
from pyinfra.api.operations import run_ops
from pyinfra.api.state import State

from rcim.deploy import DeployRequest, SilentReporter, deploy
from rcim.deploy import operations as ops
from rcim.deploy.artifact import build_artifact, host_release, resolve_commit
from rcim.deploy.hostops import probe
from rcim.deploy.pyinfra_run import TargetInventory
from rcim.deploy.targets import resolve_environment
from rcim.program import load_program
from rcim.program.scaffold import scaffold
from rcim.store import open_store

SIZES = (1, 4, 16)
ROUNDS = 3
SERVICE = "shipment-tracking"
# All hosts in one batch: the benchmark compares rcim with one bare pyinfra run of the same ops.
ONE_BATCH = ("strategy: canary\n  batch: 1\n", "strategy: rolling\n  batch: 100\n")


def build(root: Path, hosts: int, first_port: int) -> Path:
    program = scaffold(root / f"program-{hosts}", "abc").root
    path = program / "services" / f"{SERVICE}.yaml"
    text = path.read_text(encoding="utf-8")
    start = text.index("  staging:\n") + len("  staging:\n")
    end = text.index("  production:\n")
    lines = "".join(
        f"    - {{connector: local, name: bench-{i:02d}, port: {first_port + i}}}\n"
        for i in range(hosts)
    )
    text = text[:start] + lines + text[end:]
    assert ONE_BATCH[0] in text, "the example's deploy section changed; update the benchmark"
    path.write_text(text.replace(*ONE_BATCH), encoding="utf-8")
    return program


def rcim_deploy(program: Path, version: str) -> float:
    loaded = load_program(program)
    request = DeployRequest(SERVICE, "staging", version, actor="bench", skip_gate_reason="bench")
    with open_store(f"sqlite:///{program / '.rcim' / 'rcim.db'}") as store:
        start = time.perf_counter()
        report = deploy(
            request,
            program=loaded,
            store=store,
            clock=lambda: datetime.now(UTC),
            reporter=SilentReporter(),
        )
        elapsed = time.perf_counter() - start
    assert report.ok, report.reason
    return elapsed


def bare_pyinfra(program: Path, version: str) -> float:
    """The same operations in one pyinfra run; release rendering is prepared untimed."""
    environment = resolve_environment(load_program(program), SERVICE, "staging")
    commit = resolve_commit(program, None)
    artifact = build_artifact(environment, version, commit, {})
    states = probe(environment.targets)
    releases = {
        t.name: host_release(artifact, t, "staging", states[t.name][0]) for t in environment.targets
    }
    start = time.perf_counter()
    state = State(TargetInventory(environment.targets), Config())
    connect_all(state)
    by_name = {t.name: t for t in environment.targets}
    for host in list(state.activated_hosts):
        release = releases[host.name]
        ops.add_upload(state, host, release)
        ops.add_switch(state, host, release, 5)
        ops.add_restart(state, host, by_name[host.name], 20)
    run_ops(state)
    disconnect_all(state)
    elapsed = time.perf_counter() - start
    assert not state.failed_hosts, state.failed_hosts
    return elapsed


def stop_hosts(program: Path) -> None:
    for pid_file in (program / ".rcim" / "hosts").glob("*/*/run/supervisor.pid"):
        with contextlib.suppress(ValueError, OSError):
            os.killpg(int(pid_file.read_text().strip()), signal.SIGKILL)


def measure(root: Path, hosts: int, first_port: int) -> tuple[float, float]:
    program = build(root, hosts, first_port)
    try:
        rcim_deploy(program, "v0")  # first deploy: cold build cache, first start
        ours, baseline = [], []
        for index in range(ROUNDS):
            baseline.append(bare_pyinfra(program, f"b{index}"))
            ours.append(rcim_deploy(program, f"r{index}"))
    finally:
        stop_hosts(program)
    return min(ours), min(baseline)


def main() -> None:
    ratios = []
    with tempfile.TemporaryDirectory() as tmp:
        for offset, hosts in enumerate(SIZES):
            ours, baseline = measure(Path(tmp), hosts, 19000 + offset * 100)
            ratios.append(ours / baseline)
            print(f"{hosts:>2} hosts: bare pyinfra {baseline:.2f}s  rcim deploy {ours:.2f}s")
            print(f"ratio rcim/pyinfra ({hosts} hosts): {ours / baseline:.2f}")
    print(f"ratio rcim/pyinfra (largest): {ratios[-1]:.2f}")


if __name__ == "__main__":
    main()
