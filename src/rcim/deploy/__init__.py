"""Deployment management: releases reach hosts with pyinfra, prove themselves with HTTP health
and testinfra, and undo themselves when they do not.

Entry points: ``deploy`` (engine), ``rollback``, ``verify_environment`` and
``environment_status`` (manage). The release gate is consulted through ``gatehook``.
"""

from rcim.deploy.engine import DeployRequest, GateDeniedError, deploy
from rcim.deploy.lock import LockHeldError
from rcim.deploy.manage import (
    EnvironmentStatus,
    HostStatus,
    RollbackReport,
    environment_status,
    rollback,
    verify_environment,
)
from rcim.deploy.model import DeploymentReport, HostOutcome, Reporter, SilentReporter

__all__ = [
    "DeployRequest",
    "DeploymentReport",
    "EnvironmentStatus",
    "GateDeniedError",
    "HostOutcome",
    "HostStatus",
    "LockHeldError",
    "Reporter",
    "RollbackReport",
    "SilentReporter",
    "deploy",
    "environment_status",
    "rollback",
    "verify_environment",
]
