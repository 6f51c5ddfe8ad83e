"""Run a Pulumi program under the SDK's mock runtime and print what it registered, as JSON.

Run as ``python -m rcim.infra.mockrun`` with a JSON request on stdin (``main``, ``project``,
``stack``, ``config``). Pulumi's mock runtime is global to a process and bound to an asyncio
loop, so every offline plan gets a fresh interpreter: no state leaks between plans or tests.
Anything the program prints goes to stderr; stdout carries exactly one JSON document.
"""

from __future__ import annotations

import asyncio
import contextlib
import json
import runpy
import sys
import traceback
import zlib
from pathlib import Path
from typing import Any

import pulumi
from pulumi.runtime import Mocks
from pulumi.runtime.config import set_all_config
from pulumi.runtime.settings import get_root_resource
from pulumi.runtime.stack import run_pulumi_func

from rcim.errors import RcimError
from rcim.infra.adapters import simulated_state


class RecordingMocks(Mocks):
    """Records every resource registration; answers with what the cloud would assign."""

    def __init__(self) -> None:
        self.resources: list[dict[str, Any]] = []

    def new_resource(self, args: Any) -> tuple[str, dict[str, Any]]:  # noqa: ANN401 - MockResourceArgs
        serial = zlib.crc32(f"{args.typ}::{args.name}".encode())
        resource_id = str(serial)
        self.resources.append(
            {
                "type": args.typ,
                "name": args.name,
                "id": resource_id,
                "custom": bool(args.custom),
                "inputs": args.inputs,
            }
        )
        return resource_id, simulated_state(args.typ, args.name, args.inputs, serial)

    def call(self, args: Any) -> tuple[dict[str, Any], None]:  # noqa: ANN401 - MockCallArgs
        return {}, None


def record(main: Path, project: str, stack: str, config: dict[str, str]) -> dict[str, Any]:
    """Run the program at ``main`` (a file or a directory with ``__main__.py``)."""
    mocks = RecordingMocks()
    loop = asyncio.new_event_loop()
    asyncio.set_event_loop(loop)
    try:
        pulumi.runtime.set_mocks(mocks, project=project, stack=stack, preview=True)
        set_all_config(config)
        root = get_root_resource()
        loop.run_until_complete(run_pulumi_func(lambda: _run_program(main)))
        outputs = loop.run_until_complete(_resolve(getattr(root, "outputs", {}) or {}))
    finally:
        loop.close()
        asyncio.set_event_loop(None)
    return {"resources": mocks.resources, "outputs": outputs}


def _run_program(main: Path) -> None:
    sys.path.insert(0, str(main if main.is_dir() else main.parent))
    runpy.run_path(str(main), run_name="__main__")


async def _resolve(value: Any) -> Any:  # noqa: ANN401 - any output value
    if isinstance(value, dict):
        return {str(key): await _resolve(item) for key, item in value.items()}
    if isinstance(value, list | tuple):
        return [await _resolve(item) for item in value]
    if isinstance(value, pulumi.Output):
        return await _resolve(await value.future())
    return value


def _failure(error: BaseException, main: Path) -> dict[str, Any]:
    if isinstance(error, RcimError):
        return {"error": "; ".join(error.lines()), "exit_code": error.exit_code}
    frames = [f for f in traceback.extract_tb(error.__traceback__) if _inside(f.filename, main)]
    where = f"{frames[-1].filename}:{frames[-1].lineno}: " if frames else f"{main}: "
    return {"error": f"{where}{type(error).__name__}: {error}", "exit_code": None}


def _inside(filename: str, main: Path) -> bool:
    folder = main if main.is_dir() else main.parent
    return Path(filename).absolute().is_relative_to(folder.absolute())


def main() -> int:
    request = json.loads(sys.stdin.read())
    program = Path(request["main"])
    real_stdout = sys.stdout
    with contextlib.redirect_stdout(sys.stderr):
        try:
            result = record(program, request["project"], request["stack"], request["config"])
        except Exception as error:
            result = _failure(error, program)
    real_stdout.write(json.dumps(result, default=str))
    real_stdout.flush()
    return 0


if __name__ == "__main__":
    sys.exit(main())
