"""``http``: request a URL; pass on the expected status and body pattern."""

from __future__ import annotations

import re
import urllib.error
import urllib.request
from typing import TYPE_CHECKING
from urllib.parse import urlsplit

from rcim.runbooks.checks.base import CheckContext, CheckResult, excerpt, pattern_problems

if TYPE_CHECKING:
    from rcim.program.service import HttpCheck

MAX_BODY = 64 * 1024


class HttpKind:
    def problems(self, check: HttpCheck) -> list[str]:
        parts = urlsplit(check.url)
        found = []
        if parts.scheme not in ("http", "https") or not parts.netloc:
            found.append(f"url: '{check.url}' is not an http:// or https:// URL")
        if not 100 <= check.expect_status <= 599:
            found.append(f"expect_status: {check.expect_status} is not an HTTP status")
        return found + pattern_problems("expect_body", check.expect_body)

    def describe(self, check: HttpCheck) -> str:
        wanted = f"status {check.expect_status}"
        if check.expect_body is not None:
            wanted += f" and a body matching /{check.expect_body}/"
        return f"GET {check.url}, expect {wanted}"

    def run(self, check: HttpCheck, context: CheckContext) -> CheckResult:
        try:
            status, body = _get(check)
        except (urllib.error.URLError, OSError, ValueError) as error:
            reason = getattr(error, "reason", error)
            return CheckResult("failed", f"no answer from {check.url}: {reason}")
        if status != check.expect_status:
            detail = f"status {status}, expected {check.expect_status}"
            return CheckResult("failed", detail, excerpt(body), status)
        if check.expect_body is not None and not re.search(check.expect_body, body, re.M):
            detail = f"body does not match /{check.expect_body}/"
            return CheckResult("failed", detail, excerpt(body), status)
        return CheckResult("passed", f"status {status}", excerpt(body), status)


def _get(check: HttpCheck) -> tuple[int, str]:
    request = urllib.request.Request(check.url, headers={"User-Agent": "rcim-runbook"})
    try:
        with urllib.request.urlopen(request, timeout=check.timeout_seconds) as response:
            return int(response.status), _text(response.read(MAX_BODY))
    except urllib.error.HTTPError as error:
        return int(error.code), _text(error.read(MAX_BODY))


def _text(data: bytes) -> str:
    return data.decode("utf-8", errors="replace")
