"""Monitoring & event management: SLO burn-rate rules, Alertmanager routing, their tests.

``plan_monitoring`` turns a program into files (nothing is written until ``write_plan``);
``verify_monitoring`` runs promtool and amtool over them; ``alerts_for_service`` names every
alert (runbooks are generated per alert name); ``import_openslo`` reads OpenSLO documents and
``plan_catalog_import`` / ``write_catalog_import`` put their SLOs and contacts into the program.
"""

from rcim.monitoring.catalog_import import (
    CatalogChange,
    CatalogImport,
    FileEdit,
    plan_catalog_import,
    write_catalog_import,
)
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
from rcim.monitoring.openslo import OpenSloImport, import_openslo
from rcim.monitoring.openslo_alerts import ImportedTarget
from rcim.monitoring.openslo_slo import ImportedSlo
from rcim.monitoring.verify import ToolRun, VerifyReport, verify_monitoring

__all__ = [
    "DEFAULT_DIR",
    "AlertSpec",
    "CatalogChange",
    "CatalogImport",
    "FileChange",
    "FileEdit",
    "GeneratedFile",
    "ImportedSlo",
    "ImportedTarget",
    "MonitoringPlan",
    "OpenSloImport",
    "ToolRun",
    "VerifyReport",
    "alerts_for_service",
    "compare_plan",
    "import_openslo",
    "plan_catalog_import",
    "plan_monitoring",
    "verify_monitoring",
    "write_catalog_import",
    "write_plan",
]
