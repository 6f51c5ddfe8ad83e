"""Running pyinfra operations against rcim targets through pyinfra's Python API.

pyinfra allows one ``@local`` host per inventory; rcim's simulated hosts are many local
directories, so the inventory here builds its hosts directly: each target becomes a pyinfra
``Host`` named after it, with the local or the SSH connector. Operations for all hosts of a
phase run in one ``run_ops`` (in parallel across hosts); a host whose operation fails is
reported with the error lines pyinfra logged for it, and the others carry on.
"""

from __future__ import annotations

import logging
import threading
from contextlib import contextmanager, suppress
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

import gevent  # type: ignore[import-untyped]  # no stubs shipped
from pyinfra.api.config import Config
from pyinfra.api.connect import connect_all, disconnect_all
from pyinfra.api.exceptions import PyinfraError
from pyinfra.api.host import Host
from pyinfra.api.inventory import Inventory
from pyinfra.api.operations import run_ops
from pyinfra.api.state import BaseStateCallback, State
from pyinfra.connectors.local import LocalConnector
from pyinfra.connectors.ssh import SSHConnector
from pyinfra.facts.server import Command

if TYPE_CHECKING:
    from collections.abc import Callable, Iterator

    from rcim.deploy.model import Target

CONNECT_TIMEOUT_S = 10
_LOG_LOCK = threading.Lock()


class TargetInventory(Inventory):
    """An inventory whose hosts are rcim targets, local or SSH, named by their host name."""

    def __init__(self, targets: tuple[Target, ...]) -> None:
        self._targets = targets
        super().__init__(([], {}))  # type: ignore[no-untyped-call]

    def make_hosts_and_groups(self, names: object, groups: object) -> None:
        self.hosts = {}
        for target in self._targets:
            self.host_data[target.name] = _host_data(target)
            connector = LocalConnector if target.connector == "local" else SSHConnector
            self.hosts[target.name] = Host(
                target.name, inventory=self, groups=[], connector_cls=connector
            )


def _host_data(target: Target) -> dict[str, Any]:
    if target.ssh is None:
        return {}
    data: dict[str, Any] = {
        "ssh_hostname": target.ssh.address,
        "ssh_port": target.ssh.port,
        "ssh_user": target.ssh.user,
        "ssh_known_hosts_file": target.ssh.known_hosts_file,
        "ssh_strict_host_key_checking": "accept-new",
        "ssh_allow_agent": False,
        "ssh_look_for_keys": False,
    }
    if target.ssh.key_file:
        data["ssh_key"] = target.ssh.key_file
    return data


@dataclass
class _Errors(BaseStateCallback):
    """Collects, per host, the operation that failed and the lines pyinfra logged for it."""

    lines: dict[str, list[str]] = field(default_factory=dict)
    failed_ops: dict[str, str] = field(default_factory=dict)

    # pyinfra calls these on the handler instance; its base class declares them static.
    def operation_host_error(  # type: ignore[override]
        self, state: State, host: Host, op_hash: str, *args: object
    ) -> None:
        names = state.get_op_meta(op_hash).names
        self.failed_ops.setdefault(host.name, ", ".join(sorted(names)) or "operation")

    def host_connect_error(self, state: State, host: Host, error: object) -> None:  # type: ignore[override]
        self.failed_ops.setdefault(host.name, "connect")
        self.lines.setdefault(host.name, []).append(str(error))

    def detail(self, host: str) -> str:
        seen = dict.fromkeys(self.lines.get(host, []))
        lines = [line for line in seen if not line.startswith("Error:")]
        text = "; ".join(lines[-6:])
        where = self.failed_ops.get(host, "operation")
        return f"{where} failed: {text}" if text else f"{where} failed"


class _LogCapture(logging.Handler):
    """pyinfra reports command errors through its logger as ``[host] line``."""

    def __init__(self, errors: _Errors) -> None:
        super().__init__(level=logging.ERROR)
        self._errors = errors

    def emit(self, record: logging.LogRecord) -> None:
        message = record.getMessage()
        if message.startswith("[") and "] " in message:
            host, _, line = message[1:].partition("] ")
            self._errors.lines.setdefault(host, []).append(line.strip())


@contextmanager
def connected(targets: tuple[Target, ...]) -> Iterator[tuple[State, dict[str, str]]]:
    """A pyinfra state with every reachable target connected; yields (state, errors by host)."""
    _ensure_known_hosts(targets)
    errors = _Errors()
    state = State(TargetInventory(targets), Config(CONNECT_TIMEOUT=CONNECT_TIMEOUT_S))  # type: ignore[no-untyped-call]
    state.add_callback_handler(errors)  # type: ignore[no-untyped-call]
    with _capture(errors):
        with suppress(PyinfraError):  # raised when every host failed; each is reported below
            connect_all(state)
        failed = {host.name: errors.detail(host.name) for host in state.failed_hosts}
        try:
            yield state, failed
        finally:
            disconnect_all(state)


def run_phase(
    targets: tuple[Target, ...],
    add_ops: Callable[[State, Host, Target], None],
) -> dict[str, str]:
    """Run the operations ``add_ops`` adds for each target; returns errors by host name."""
    if not targets:
        return {}
    by_name = {target.name: target for target in targets}
    errors = _Errors()
    with connected(targets) as (state, failed), _capture(errors):
        state.add_callback_handler(errors)  # type: ignore[no-untyped-call]
        for host in list(state.activated_hosts):
            add_ops(state, host, by_name[host.name])
        with suppress(PyinfraError):  # raised when no host is left; the failed hosts say why
            run_ops(state)
        for host in state.failed_hosts:
            failed.setdefault(host.name, errors.detail(host.name))
    return failed


def read_facts(targets: tuple[Target, ...], command: Callable[[Target], str]) -> dict[str, str]:
    """Run a read-only command on every target in parallel; returns output (or error) by host.

    Hosts that cannot be reached raise ``UnreachableHostsError`` naming each of them.
    """
    by_name = {target.name: target for target in targets}
    with connected(targets) as (state, failed):
        if failed:
            raise UnreachableHostsError(failed)
        jobs = {
            host.name: state.pool.spawn(host.get_fact, Command, command=command(by_name[host.name]))
            for host in state.activated_hosts
        }
        gevent.joinall(list(jobs.values()))
    return {name: str(job.value or "") for name, job in jobs.items()}


class UnreachableHostsError(Exception):
    """pyinfra could not connect to some hosts (details by host name)."""

    def __init__(self, details: dict[str, str]) -> None:
        super().__init__("; ".join(f"{host}: {why}" for host, why in sorted(details.items())))
        self.details = details


def _ensure_known_hosts(targets: tuple[Target, ...]) -> None:
    """pyinfra needs the known_hosts file to exist before it can add a first-seen host key."""
    for target in targets:
        if target.ssh is not None:
            path = Path(target.ssh.known_hosts_file)
            path.parent.mkdir(parents=True, exist_ok=True)
            path.touch(exist_ok=True)


@contextmanager
def _capture(errors: _Errors) -> Iterator[None]:
    logger = logging.getLogger("pyinfra")
    handler = _LogCapture(errors)
    with _LOG_LOCK:
        logger.addHandler(handler)
        previous = logger.propagate
        logger.propagate = False
    try:
        yield
    finally:
        with _LOG_LOCK:
            logger.removeHandler(handler)
            logger.propagate = previous
