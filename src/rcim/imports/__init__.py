"""History import: backfill deployments and incidents from JSON Lines files (all or nothing,
idempotent by ``id``, audited). The line formats are documented in docs/metrics.md."""

from rcim.imports.common import ImportContext, ImportResult
from rcim.imports.deployments import deployment_id, import_deployments
from rcim.imports.incidents import import_incidents

__all__ = [
    "ImportContext",
    "ImportResult",
    "deployment_id",
    "import_deployments",
    "import_incidents",
]
