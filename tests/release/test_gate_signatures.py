"""Signed approvals with real ``ssh-keygen -Y sign|verify`` and throwaway ed25519 keys."""

from __future__ import annotations

import subprocess
from typing import TYPE_CHECKING

import pytest

from release.conftest import gate, ok, pass_stages, ready_change, reasons, statuses

if TYPE_CHECKING:
    from pathlib import Path

    from release.conftest import Program

pytestmark = pytest.mark.slow


def _keypair(folder: Path, name: str) -> tuple[Path, str]:
    key = folder / name
    subprocess.run(
        ["ssh-keygen", "-q", "-t", "ed25519", "-N", "", "-C", name, "-f", str(key)],
        check=True,
        capture_output=True,
        timeout=60,
    )
    return key, key.with_suffix(".pub").read_text(encoding="utf-8").strip()


def _require_signatures(program: Program, public_key: str) -> None:
    config = program.root / "rcim.yaml"
    text = config.read_text(encoding="utf-8")
    anchor = "    roles: [change-manager, cab]\n"
    config.write_text(text.replace(anchor, anchor + f'    ssh_key: "{public_key}"\n'))
    policy = program.root / "release" / "policy.yaml"
    text = policy.read_text(encoding="utf-8")
    policy.write_text(
        text.replace(
            "    max_risk: high\n", "    max_risk: high\n    require_signatures: true\n", 1
        )
    )


def test_signed_approvals_must_verify_against_the_persons_key(
    program: Program, tmp_path: Path
) -> None:
    martin_key, martin_public = _keypair(tmp_path, "martin")
    other_key, _ = _keypair(tmp_path, "mallory")
    _require_signatures(program, martin_public)
    change, sha = ready_change(program, approvers=("martin",))
    pass_stages(program, sha, "unit", "integration")

    _, unsigned = gate(program, "staging")
    assert statuses(unsigned)["approvals"] == "fail"
    assert "unsigned" in reasons(unsigned)["approvals"]

    ok(program.rcim("change", "approve", change, "--as", "martin", "--sign-key", other_key))
    _, forged = gate(program, "staging")
    assert statuses(forged)["approvals"] == "fail"
    assert "does not verify" in reasons(forged)["approvals"]

    signed = ok(
        program.rcim("change", "approve", change, "--as", "martin", "--sign-key", martin_key)
    )
    assert "(signed)" in signed.stdout
    result, decision = gate(program, "staging")
    assert result.code == 0, reasons(decision)
    assert statuses(decision)["approvals"] == "pass"
