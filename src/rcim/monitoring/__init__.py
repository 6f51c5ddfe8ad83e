"""Monitoring & event management: SLO burn-rate rules, Alertmanager routing, their tests.

``plan_monitoring`` turns a program into files (nothing is written until ``write_plan``);
``verify_monitoring`` runs promtool and amtool over them; ``alerts_for_service`` names every
alert (runbooks are generated per alert name); ``import_openslo`` reads OpenSLO documents.
"""

from rcim.monitoring.generate import (
    DEFAULT_DIR,
    FileChange,
    GeneratedFile,
    MonitoringPlan,
    compare_plan,
    plan_monitoring,
    write_plan,
)
from rcim.monitoring.naming import AlertSpec, alerts_for_service
from rcim.monitoring.openslo import ImportedSlo, import_openslo
from rcim.monitoring.verify import ToolRun, VerifyReport, verify_monitoring

__all__ = [
    "DEFAULT_DIR",
    "AlertSpec",
    "FileChange",
    "GeneratedFile",
    "ImportedSlo",
    "MonitoringPlan",
    "ToolRun",
    "VerifyReport",
    "alerts_for_service",
    "compare_plan",
    "import_openslo",
    "plan_monitoring",
    "verify_monitoring",
    "write_plan",
]
