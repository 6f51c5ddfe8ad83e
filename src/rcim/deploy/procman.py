"""The host-side process manager rcim ships to every host as ``<root>/bin/procman.py``.

Standard library only: it runs with the host's ``python3`` and never imports rcim. One
supervisor per host keeps the service of the release that ``<root>/current`` points at
running. It is started detached (``setsid``, pid file ``run/supervisor.pid``) on hosts without
systemd, or run in the foreground as a systemd unit's ``ExecStart``. A restart is a SIGHUP to
the supervisor, which restarts the service from ``current`` on its own: a deploy killed
half-way through a restart therefore never leaves the service stopped.

Commands: ``restart ROOT`` (start the supervisor if needed, restart the service, wait until
its port accepts connections), ``wait ROOT`` (only wait), ``stop ROOT``, ``status ROOT``,
``supervise ROOT`` (the loop itself).
"""

from __future__ import annotations

import json
import os
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path

POLL_S = 0.05
STOP_GRACE_S = 5.0
RESTART_BACKOFF_S = 1.0
READY_TIMEOUT_S = 20.0


class Layout:
    """Where a host's files live under its root."""

    def __init__(self, root: str) -> None:
        self.root = Path(root)
        self.current = self.root / "current"
        self.run = self.root / "run"
        self.supervisor_pid = self.run / "supervisor.pid"
        self.service_pid = self.run / "service.pid"
        self.service_release = self.run / "service.release"
        self.log = self.root / "logs" / "service.log"


def read_release(layout: Layout) -> dict[str, object]:
    """The descriptor of the release ``current`` points at (argv, port, name)."""
    with (layout.current / "rcim-release.json").open(encoding="utf-8") as stream:
        data: dict[str, object] = json.load(stream)
    return data


def pid_from(path: Path) -> int | None:
    try:
        return int(path.read_text(encoding="utf-8").strip())
    except (OSError, ValueError):
        return None


def is_alive(pid: int | None, marker: str = "") -> bool:
    """True when ``pid`` runs and its command line mentions ``marker`` (guards pid reuse)."""
    if pid is None or pid <= 0:
        return False
    try:
        cmdline = Path(f"/proc/{pid}/cmdline").read_bytes().replace(b"\0", b" ")
        stat = Path(f"/proc/{pid}/stat").read_text(encoding="utf-8")
    except OSError:
        return False
    if stat.rsplit(")", 1)[-1].split()[0] == "Z":
        return False
    return marker.encode("utf-8") in cmdline


def supervisor_running(layout: Layout) -> int | None:
    pid = pid_from(layout.supervisor_pid)
    return pid if is_alive(pid, "procman.py supervise") else None


def write_atomically(path: Path, text: str) -> None:
    tmp = path.with_name(f".{path.name}.{os.getpid()}")
    tmp.write_text(text, encoding="utf-8")
    os.replace(tmp, path)


def port_open(port: int) -> bool:
    try:
        with socket.create_connection(("127.0.0.1", port), timeout=0.5):
            return True
    except OSError:
        return False


class Supervisor:
    """Runs the current release's service and restarts it on SIGHUP or when it dies."""

    def __init__(self, layout: Layout) -> None:
        self.layout = layout
        self.child: subprocess.Popen[bytes] | None = None
        self.restart_requested = False
        self.stopping = False

    def on_hup(self, signum: int, frame: object) -> None:
        self.restart_requested = True

    def on_term(self, signum: int, frame: object) -> None:
        self.stopping = True

    def start_child(self) -> None:
        release = read_release(self.layout)
        workdir = os.path.realpath(self.layout.current)
        argv = [str(part) for part in release["argv"]]  # type: ignore[attr-defined]
        log = self.layout.log.open("ab")
        try:
            self.child = subprocess.Popen(
                argv, cwd=workdir, stdin=subprocess.DEVNULL, stdout=log, stderr=log
            )
        finally:
            log.close()
        write_atomically(self.layout.service_release, os.path.basename(workdir))
        write_atomically(self.layout.service_pid, str(self.child.pid))

    def stop_child(self) -> None:
        child = self.child
        self.child = None
        if child is None or child.poll() is not None:
            return
        child.terminate()
        try:
            child.wait(timeout=STOP_GRACE_S)
        except subprocess.TimeoutExpired:
            child.kill()
            child.wait()

    def loop(self) -> None:
        signal.signal(signal.SIGHUP, self.on_hup)
        signal.signal(signal.SIGTERM, self.on_term)
        signal.signal(signal.SIGINT, self.on_term)
        self.start_child()
        while not self.stopping:
            time.sleep(POLL_S)
            if self.restart_requested:
                self.restart_requested = False
                self.stop_child()
                self.start_child()
            elif self.child is not None and self.child.poll() is not None:
                time.sleep(RESTART_BACKOFF_S)
                self.start_child()
        self.stop_child()
        self.layout.service_pid.unlink(missing_ok=True)


def supervise(layout: Layout) -> int:
    write_atomically(layout.supervisor_pid, str(os.getpid()))
    Supervisor(layout).loop()
    return 0


def spawn_supervisor(layout: Layout) -> None:
    """Start the supervisor detached from this session, its output in the service log."""
    log = layout.log.open("ab")
    try:
        subprocess.Popen(
            [sys.executable, os.path.abspath(__file__), "supervise", str(layout.root)],
            stdin=subprocess.DEVNULL,
            stdout=log,
            stderr=log,
            start_new_session=True,
            close_fds=True,
        )
    finally:
        log.close()


def wait_ready(layout: Layout, previous_pid: int | None, timeout: float) -> int:
    """Wait until a new service process of the current release accepts connections."""
    release = read_release(layout)
    want, port = str(release["name"]), int(str(release["port"]))
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        pid = pid_from(layout.service_pid)
        fresh = pid is not None and pid != previous_pid and is_alive(pid)
        running_release = _read_text(layout.service_release)
        if fresh and running_release == want and port_open(port):
            print(f"release {want} running as pid {pid} on port {port}")
            return 0
        time.sleep(POLL_S)
    print(f"release {want} did not accept connections on port {port} within {timeout:.0f}s")
    print(_log_tail(layout))
    return 1


def restart(layout: Layout, timeout: float) -> int:
    for folder in (layout.run, layout.log.parent):
        folder.mkdir(parents=True, exist_ok=True)
    previous = pid_from(layout.service_pid)
    supervisor = supervisor_running(layout)
    if supervisor is None:
        previous = None
        spawn_supervisor(layout)
    else:
        os.kill(supervisor, signal.SIGHUP)
    return wait_ready(layout, previous, timeout)


def stop(layout: Layout) -> int:
    supervisor = supervisor_running(layout)
    if supervisor is None:
        print("not running")
        return 0
    os.kill(supervisor, signal.SIGTERM)
    deadline = time.monotonic() + STOP_GRACE_S * 2
    while time.monotonic() < deadline and is_alive(supervisor, "procman.py supervise"):
        time.sleep(POLL_S)
    if is_alive(supervisor, "procman.py supervise"):
        os.killpg(supervisor, signal.SIGKILL)
    layout.supervisor_pid.unlink(missing_ok=True)
    print("stopped")
    return 0


def status(layout: Layout) -> int:
    supervisor = supervisor_running(layout)
    service = pid_from(layout.service_pid)
    running = supervisor is not None and is_alive(service)
    release = _read_text(layout.service_release) if running else ""
    print(json.dumps({"running": running, "release": release, "pid": service if running else None}))
    return 0


def _read_text(path: Path) -> str:
    try:
        return path.read_text(encoding="utf-8").strip()
    except OSError:
        return ""


def _log_tail(layout: Layout, lines: int = 15) -> str:
    try:
        text = layout.log.read_text(encoding="utf-8", errors="replace")
    except OSError:
        return "(no service log)"
    return "\n".join(text.splitlines()[-lines:])


def main(argv: list[str]) -> int:
    if len(argv) < 2:
        print("usage: procman.py restart|wait|stop|status|supervise ROOT [TIMEOUT]")
        return 2
    command, layout = argv[0], Layout(argv[1])
    timeout = float(argv[2]) if len(argv) > 2 else READY_TIMEOUT_S
    if command == "supervise":
        return supervise(layout)
    if command == "restart":
        return restart(layout, timeout)
    if command == "wait":
        return wait_ready(layout, None, timeout)
    if command == "stop":
        return stop(layout)
    if command == "status":
        return status(layout)
    print(f"unknown command {command}")
    return 2


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
