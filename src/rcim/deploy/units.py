"""systemd units for SSH hosts: the unit runs rcim's supervisor in the foreground.

systemd then owns the supervisor (start at boot, restart when it dies); the supervisor keeps
the service of ``current`` running exactly as it does on hosts without systemd, so both
process managers serve releases the same way.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from rcim.deploy.model import Target

UNIT_DIR = "/etc/systemd/system"


def unit_path(target: Target) -> str:
    return f"{UNIT_DIR}/{target.unit}.service"


def render_unit(target: Target) -> str:
    """The unit file text for ``target`` (deterministic; checked against a golden file)."""
    user = target.ssh.user if target.ssh else "root"
    # Older systemd versions require an absolute ExecStart path.
    python = target.python if target.python.startswith("/") else f"/usr/bin/env {target.python}"
    return "\n".join(
        (
            "# Written by rcim deploy; changes are overwritten on the next deployment.",
            "[Unit]",
            f"Description=rcim-managed service on {target.name} (releases under {target.root})",
            "After=network-online.target",
            "Wants=network-online.target",
            "",
            "[Service]",
            "Type=simple",
            f"User={user}",
            f"WorkingDirectory={target.root}",
            f"ExecStart={python} {target.root}/bin/procman.py supervise {target.root}",
            "ExecReload=/bin/kill -HUP $MAINPID",
            "KillMode=control-group",
            "Restart=on-failure",
            "RestartSec=2",
            "",
            "[Install]",
            "WantedBy=multi-user.target",
            "",
        )
    )
