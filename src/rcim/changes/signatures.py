"""Signed approvals with OpenSSH: ``ssh-keygen -Y sign`` and ``ssh-keygen -Y verify``.

The signed payload names the change, the exact commit, the decision, the person and the time,
so a signature can be neither moved to another change or commit nor replayed as someone else.
Verification trusts only the ``ssh_key`` that ``rcim.yaml`` lists for the person.
"""

from __future__ import annotations

import shutil
import subprocess
import tempfile
from dataclasses import dataclass
from datetime import UTC
from pathlib import Path
from typing import TYPE_CHECKING

from rcim.errors import InvalidInputError, ToolMissingError

if TYPE_CHECKING:
    from datetime import datetime

NAMESPACE = "rcim-approval"
_HEADER = "rcim-approval v1"
_INSTALL_HINT = "apt-get install openssh-client"
_TIMEOUT_S = 30


@dataclass(frozen=True)
class ApprovalPayload:
    change_id: str
    commit: str
    decision: str
    person: str
    at: datetime

    def text(self) -> str:
        """The exact bytes that are signed (as UTF-8); the time in UTC, as the store returns it."""
        at = self.at.astimezone(UTC).isoformat()
        return (
            f"{_HEADER}\nchange: {self.change_id}\ncommit: {self.commit}\n"
            f"decision: {self.decision}\nperson: {self.person}\nat: {at}\n"
        )


@dataclass(frozen=True)
class Verification:
    ok: bool
    reason: str


def sign_payload(payload: str, key_file: Path) -> str:
    """The armored SSH signature of ``payload`` made with the private key ``key_file``."""
    if not key_file.is_file():
        raise InvalidInputError(f"--sign-key {key_file}: no such file")
    with tempfile.TemporaryDirectory(prefix="rcim-sign-") as folder:
        message = Path(folder) / "approval.txt"
        message.write_text(payload, encoding="utf-8")
        proc = _ssh_keygen(["-Y", "sign", "-f", str(key_file), "-n", NAMESPACE, str(message)])
        if proc.returncode != 0:
            detail = proc.stderr.strip().splitlines()[-1] if proc.stderr.strip() else "failed"
            raise InvalidInputError(f"--sign-key {key_file}: ssh-keygen could not sign: {detail}")
        return Path(f"{message}.sig").read_text(encoding="utf-8")


def verify_signature(payload: str, signature: str, person: str, public_key: str) -> Verification:
    """Whether ``signature`` over ``payload`` was made by ``person``'s listed key."""
    with tempfile.TemporaryDirectory(prefix="rcim-verify-") as folder:
        signers = Path(folder) / "allowed_signers"
        signers.write_text(f'{person} namespaces="{NAMESPACE}" {public_key.strip()}\n')
        sig = Path(folder) / "approval.sig"
        sig.write_text(signature, encoding="utf-8")
        args = ["-Y", "verify", "-f", str(signers), "-I", person, "-n", NAMESPACE, "-s", str(sig)]
        proc = _ssh_keygen(args, stdin=payload)
    if proc.returncode == 0:
        return Verification(True, f"signature verifies against {person}'s key in rcim.yaml")
    return Verification(False, f"signature does not verify against {person}'s key in rcim.yaml")


def _ssh_keygen(args: list[str], stdin: str | None = None) -> subprocess.CompletedProcess[str]:
    program = shutil.which("ssh-keygen")
    if program is None:
        raise ToolMissingError("ssh-keygen", _INSTALL_HINT)
    return subprocess.run(
        [program, *args],
        input=stdin,
        capture_output=True,
        text=True,
        timeout=_TIMEOUT_S,
        check=False,
    )
