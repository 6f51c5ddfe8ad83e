"""Proving a release works on a host: HTTP health, the version it reports, testinfra checks.

Health is polled until ``health.timeout_seconds`` passes (a fresh process may need a moment);
``/version`` must report exactly the version deployed; the service's ``checks:`` (ports
listening, files, processes) run through testinfra's Python API on the host itself, locally
or over SSH.
"""

from __future__ import annotations

import json
import shlex
import time
import urllib.error
import urllib.request
from typing import TYPE_CHECKING, Any

import testinfra

from rcim.deploy.model import CheckResult
from rcim.program.service import FileCheck, ListeningCheck, ProcessCheck

if TYPE_CHECKING:
    from rcim.deploy.model import Target
    from rcim.program.service import HealthSpec, HostCheck

POLL_S = 0.1
REQUEST_TIMEOUT_S = 2.0


def testinfra_host(target: Target) -> Any:  # noqa: ANN401 - testinfra is untyped
    """The testinfra host for ``target``: ``local://`` or ``ssh://user@address:port``."""
    if target.ssh is None:
        return testinfra.get_host("local://")
    access = target.ssh
    extra = (
        f"-o UserKnownHostsFile={shlex.quote(access.known_hosts_file)} "
        "-o StrictHostKeyChecking=accept-new -o BatchMode=yes -o IdentitiesOnly=yes"
    )
    return testinfra.get_host(
        f"ssh://{access.user}@{access.address}:{access.port}",
        ssh_identity_file=access.key_file,
        ssh_extra_args=extra,
    )


def verify_host(
    target: Target, version: str, health: HealthSpec, checks: tuple[HostCheck, ...]
) -> tuple[CheckResult, ...]:
    """Every check of one host; verification passes when all of them pass."""
    results = [check_health(target, health)]
    if health.version_path is not None and results[0].ok:
        results.append(check_version(target, version, health.version_path))
    results.extend(run_testinfra_checks(target, checks))
    return tuple(results)


def check_health(target: Target, health: HealthSpec) -> CheckResult:
    url = f"http://{target.address}:{target.port}{health.path}"
    deadline = time.monotonic() + health.timeout_seconds
    last = "no answer"
    while True:
        status, body = _get(url)
        if status == 200:
            return CheckResult(target.name, "health", True, f"GET {health.path}: 200")
        last = f"HTTP {status}: {body[:80].strip()}" if status else body
        if time.monotonic() >= deadline:
            break
        time.sleep(POLL_S)
    detail = f"GET {health.path}: {last} (after {health.timeout_seconds:g}s)"
    return CheckResult(target.name, "health", False, detail)


def check_version(target: Target, version: str, path: str) -> CheckResult:
    status, body = _get(f"http://{target.address}:{target.port}{path}")
    reported = _reported_version(body) if status == 200 else None
    ok = reported == version
    detail = f"GET {path}: reports {reported!r}, expected {version!r}"
    if status != 200:
        detail = f"GET {path}: HTTP {status or 'no answer'}"
    return CheckResult(target.name, "version", ok, detail)


def run_testinfra_checks(target: Target, checks: tuple[HostCheck, ...]) -> list[CheckResult]:
    if not checks:
        return []
    host = testinfra_host(target)
    return [_run_check(host, target, check) for check in checks]


def _run_check(host: Any, target: Target, check: HostCheck) -> CheckResult:  # noqa: ANN401
    values = {"port": str(target.port), "root": target.root, "current": f"{target.root}/current"}
    try:
        if isinstance(check, ListeningCheck):
            address = _fill(check.address, values)
            ok = bool(host.socket(address).is_listening)
            return CheckResult(target.name, f"listening {address}", ok, _says(ok, "listening"))
        if isinstance(check, FileCheck):
            return _file_check(host, target, _fill(check.path, values), check.contains)
        assert isinstance(check, ProcessCheck)
        pattern = _fill(check.command, values)
        found = host.run("pgrep -f -- %s", pattern).rc == 0
        return CheckResult(target.name, f"process {pattern}", found, _says(found, "running"))
    except Exception as error:
        return CheckResult(target.name, check.kind, False, f"could not run: {error}")


def _file_check(host: Any, target: Target, path: str, contains: str | None) -> CheckResult:  # noqa: ANN401
    file = host.file(path)
    if not file.exists:
        return CheckResult(target.name, f"file {path}", False, "missing")
    if contains is not None and contains not in file.content_string:
        return CheckResult(target.name, f"file {path}", False, f"does not contain {contains!r}")
    return CheckResult(target.name, f"file {path}", True, "present")


def _fill(text: str, values: dict[str, str]) -> str:
    for key, value in values.items():
        text = text.replace("{" + key + "}", value)
    return text


def _says(ok: bool, what: str) -> str:
    return what if ok else f"not {what}"


def _get(url: str) -> tuple[int, str]:
    """(status, body); status 0 when nothing answered, with the reason as body."""
    try:
        with urllib.request.urlopen(url, timeout=REQUEST_TIMEOUT_S) as response:
            return int(response.status), response.read().decode("utf-8", "replace")
    except urllib.error.HTTPError as error:
        return int(error.code), error.read().decode("utf-8", "replace")
    except (urllib.error.URLError, OSError) as error:
        return 0, str(getattr(error, "reason", error))


def _reported_version(body: str) -> str:
    """``/version`` may answer JSON with a ``version`` field or the bare version text."""
    try:
        data = json.loads(body)
    except json.JSONDecodeError:
        return body.strip()
    return str(data.get("version")) if isinstance(data, dict) else str(data)
