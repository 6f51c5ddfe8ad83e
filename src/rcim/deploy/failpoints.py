"""Crash points for fault-injection tests: kill the deploy process at a chosen step.

``RCIM_FAILPOINTS=after-switch`` (or ``after-switch@2`` for the second batch only; several
separated by commas) makes the deploy SIGKILL itself when it reaches that point, exactly as
an operator's ``kill -9`` or a lost CI runner would. Points: ``after-upload``,
``after-switch``, ``after-restart``, ``after-verify``. Unset, this costs one dict lookup.
"""

from __future__ import annotations

import os
import signal

ENV_VAR = "RCIM_FAILPOINTS"
POINTS = ("after-upload", "after-switch", "after-restart", "after-verify")


def hit(point: str, batch: int) -> None:
    """Kill this process if ``point`` (for batch number ``batch``, 1-based) is armed."""
    armed = os.environ.get(ENV_VAR)
    if not armed:
        return
    for item in armed.split(","):
        name, _, only_batch = item.strip().partition("@")
        if name == point and (not only_batch or only_batch == str(batch)):
            os.kill(os.getpid(), signal.SIGKILL)
