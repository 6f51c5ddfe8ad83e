"""Printing helpers: one console for results, one for diagnostics."""

from __future__ import annotations

import json
import sys
from typing import Any

from rich.console import Console

out = Console(highlight=False, soft_wrap=True)
err = Console(stderr=True, highlight=False, soft_wrap=True)


def print_json(data: Any) -> None:  # noqa: ANN401 - any JSON-serialisable value
    """Write JSON to stdout exactly, without Rich markup or wrapping."""
    sys.stdout.write(json.dumps(data, indent=2, ensure_ascii=False, default=str) + "\n")
    sys.stdout.flush()


def print_plain(text: str) -> None:
    """Write text (e.g. Markdown) to stdout exactly."""
    sys.stdout.write(text if text.endswith("\n") else text + "\n")
    sys.stdout.flush()


def error_line(text: str) -> None:
    err.print(f"[bold red]error:[/] {text}", markup=True, highlight=False)


def warning_line(text: str) -> None:
    err.print(f"[yellow]warning:[/] {text}", markup=True, highlight=False)
