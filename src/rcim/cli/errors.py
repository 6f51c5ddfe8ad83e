"""Turning exceptions into one line and an exit code: the one place that does it."""

from __future__ import annotations

import traceback
from datetime import UTC, datetime
from typing import TYPE_CHECKING

from rich.markup import escape

from rcim.cli.output import err, error_line
from rcim.errors import EXIT_INTERNAL, RcimError

if TYPE_CHECKING:
    from pathlib import Path


def report_rcim_error(error: RcimError, *, debug: bool) -> int:
    for line in error.lines():
        error_line(escape(line))
    if debug:
        err.print(escape("".join(traceback.format_exception(error))))
    return error.exit_code


def report_internal_error(error: BaseException, *, log_dir: Path, debug: bool) -> int:
    log_file = _write_log(error, log_dir)
    where = f"details in {log_file}" if log_file else "could not write a log file"
    error_line(escape(f"internal error: {type(error).__name__}: {error} ({where})"))
    if debug:
        err.print(escape("".join(traceback.format_exception(error))))
    return EXIT_INTERNAL


def _write_log(error: BaseException, log_dir: Path) -> Path | None:
    stamp = datetime.now(UTC).strftime("%Y%m%dT%H%M%S%fZ")
    try:
        log_dir.mkdir(parents=True, exist_ok=True)
        path = log_dir / f"error-{stamp}.log"
        path.write_text("".join(traceback.format_exception(error)), encoding="utf-8")
    except OSError:
        return None
    return path
