"""Reading OpenSLO v1 documents into rcim SLOs and team contacts (nothing is written here).

``SLO`` documents (with an inline ``indicator`` or an ``indicatorRef`` to an ``SLI``) become
rcim SLOs; the ``AlertNotificationTarget`` objects their ``alertPolicies`` name become contacts
of the service's owner team.

Two outcomes are kept apart: a malformed document (not OpenSLO v1, a missing field, a dangling
reference) raises ``ConfigError`` naming ``file:line:column``; a valid part rcim cannot express
(a ``thresholdMetric``, a Datadog source, an alert condition) is returned as ``unsupported``
so that the caller names it instead of dropping it.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from rcim.errors import ConfigError, Problem
from rcim.monitoring.openslo_alerts import ImportedTarget, policy_targets, unused_alerting
from rcim.monitoring.openslo_docs import Document, Library, read_documents
from rcim.monitoring.openslo_slo import ImportedSlo, convert_slo

if TYPE_CHECKING:
    from pathlib import Path


@dataclass(frozen=True)
class OpenSloImport:
    slos: tuple[ImportedSlo, ...]
    targets: tuple[ImportedTarget, ...]
    services: tuple[Document, ...]
    unsupported: tuple[Problem, ...]


def import_openslo(paths: list[Path]) -> OpenSloImport:
    """Every SLO and notification target of ``paths``; all malformed parts raised together."""
    documents = read_documents(paths)
    library = Library.of(documents)
    slos: list[ImportedSlo] = []
    targets: list[ImportedTarget] = []
    unsupported: list[Problem] = []
    problems: list[Problem] = []
    for document in library.of_kind("SLO"):
        try:
            converted, skipped = convert_slo(document, library)
            slos.extend(converted)
            unsupported.extend(skipped)
            if converted:
                found, skipped = policy_targets(document, converted[0].service, library)
                targets.extend(found)
                unsupported.extend(skipped)
        except ConfigError as error:
            problems.extend(error.problems)
    if problems:
        raise ConfigError(problems)
    unsupported.extend(unused_alerting(library))
    return OpenSloImport(
        tuple(slos), tuple(targets), library.of_kind("Service"), tuple(dict.fromkeys(unsupported))
    )
