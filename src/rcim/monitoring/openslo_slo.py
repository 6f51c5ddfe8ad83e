"""OpenSLO ``SLO`` (and ``SLI``) objects as rcim SLOs.

Supported: an inline ``indicator`` or an ``indicatorRef`` whose ``ratioMetric`` reads
Prometheus (``bad`` + ``total``, ``good`` + ``total``, or ``raw`` with ``rawType``),
``Occurrences`` budgeting, rolling 28d/30d windows, ``target`` or ``targetPercent`` (several
objectives become several SLOs). A range like ``[5m]`` becomes ``[{{window}}]``; a bare counter
selector becomes ``sum(rate(<selector>[{{window}}]))``. Valid parts rcim cannot express make
the SLO *unsupported*: it is skipped and named.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, replace
from typing import TYPE_CHECKING, Any, Literal

from pydantic import BaseModel, ConfigDict, Field, ValidationError

from rcim.errors import ConfigError, Problem
from rcim.monitoring.openslo_docs import inline_document, sub_source
from rcim.program.service import WINDOW_PLACEHOLDER, Slo
from rcim.program.validation import problems_from, validate_model

if TYPE_CHECKING:
    from rcim.monitoring.openslo_docs import Document, Library
    from rcim.program.yamlsource import KeyPath, SourceMap

_RANGE = re.compile(r"\[\s*\d+[smhdwy]\s*\]")
_BARE_SELECTOR = re.compile(r"^[a-zA-Z_:][a-zA-Z0-9_:]*\s*(\{[^{}]*\})?$")
PERIODS = ("28d", "30d")


class _Open(BaseModel):
    """OpenSLO allows fields rcim has no use for (labels, displayName): they are ignored."""

    model_config = ConfigDict(extra="ignore", frozen=True)


class _Source(_Open):
    type: str | None = None
    metricSourceRef: str | None = None
    spec: dict[str, Any] = {}


class _MetricRef(_Open):
    metricSource: _Source


class _RawRef(_MetricRef):
    # OpenSLO v1 puts rawType next to raw; some exporters put it inside: both are read.
    rawType: Literal["success", "failure"] | None = None


class _Ratio(_Open):
    counter: bool = True
    good: _MetricRef | None = None
    bad: _MetricRef | None = None
    total: _MetricRef | None = None
    raw: _RawRef | None = None
    rawType: Literal["success", "failure"] | None = None


class _SliSpec(_Open):
    ratioMetric: _Ratio | None = None
    thresholdMetric: dict[str, Any] | None = None


class _Objective(_Open):
    displayName: str | None = None
    target: float | None = Field(default=None, gt=0, lt=1)
    targetPercent: float | None = Field(default=None, gt=0, lt=100)


class _Window(_Open):
    duration: str
    isRolling: bool = True


class _SloSpec(_Open):
    service: str
    description: str = ""
    budgetingMethod: Literal["Occurrences", "Timeslices", "RatioTimeslices"] = "Occurrences"
    indicator: dict[str, Any] | None = None
    indicatorRef: str | None = None
    timeWindow: tuple[_Window, ...] = Field(min_length=1, max_length=1)
    objectives: tuple[_Objective, ...] = Field(min_length=1)


@dataclass(frozen=True)
class ImportedSlo:
    """One rcim SLO, the service (OpenSLO ``spec.service``) it belongs to, and where."""

    service: str
    slo: Slo
    document: Document


class Unsupported(Exception):
    """A valid part rcim cannot express; the SLO is skipped and this problem named."""

    def __init__(self, problem: Problem) -> None:
        super().__init__(str(problem))
        self.problem = problem


def convert_slo(document: Document, library: Library) -> tuple[list[ImportedSlo], list[Problem]]:
    """The rcim SLOs of one SLO object, or the reason it cannot be imported."""
    spec = validate_model(_SloSpec, document.spec, _spec_source(document))
    sli = _indicator(document, spec, library)
    try:
        period = _period(document, spec)
        fields = _sli_fields(sli, library)
        return [
            ImportedSlo(spec.service, slo, document)
            for slo in _objectives(document, spec, period, fields)
        ], []
    except Unsupported as skipped:
        problem = skipped.problem
        if problem.message.startswith(f"SLO {document.name}:"):
            return [], [problem]
        return [], [replace(problem, message=f"{problem.message} (SLO {document.name})")]


def _spec_source(document: Document) -> SourceMap:
    return sub_source(document.source, ("spec",))


def _indicator(document: Document, spec: _SloSpec, library: Library) -> tuple[Document, _SliSpec]:
    """The SLI object (inline or referenced) and its validated spec."""
    if spec.indicator is not None:
        sli = inline_document(spec.indicator, "SLI", document, ("spec", "indicator"))
    elif spec.indicatorRef is not None:
        sli = library.resolve("SLI", spec.indicatorRef, document, ("spec", "indicatorRef"))
    else:
        raise ConfigError([document.problem(("spec",), "spec: needs indicator or indicatorRef")])
    return sli, validate_model(_SliSpec, sli.spec, _spec_source(sli))


def _period(document: Document, spec: _SloSpec) -> str:
    window = spec.timeWindow[0]
    if window.duration not in PERIODS or not window.isRolling:
        kind = "rolling" if window.isRolling else "calendar-aligned"
        raise _unsupported(
            document,
            ("spec", "timeWindow", 0, "duration"),
            f"timeWindow {kind} {window.duration}: rcim SLOs have rolling 28d or 30d periods",
        )
    if spec.budgetingMethod != "Occurrences":
        raise _unsupported(
            document,
            ("spec", "budgetingMethod"),
            f"budgetingMethod {spec.budgetingMethod}: rcim budgets by occurrences only",
        )
    return window.duration


def _objectives(document: Document, spec: _SloSpec, period: str, sli: dict[str, Any]) -> list[Slo]:
    slos = []
    for index, objective in enumerate(spec.objectives):
        name = document.name
        if len(spec.objectives) > 1:
            name = f"{name}-{objective.displayName or index + 1}"
        fields = {
            "name": _identifier(name),
            "objective": _percent(document, objective, index),
            "period": period,
            "description": spec.description,
            "sli": sli,
        }
        slos.append(_validated_slo(document, fields, ("spec", "objectives", index)))
    return slos


def _percent(document: Document, objective: _Objective, index: int) -> float:
    if objective.targetPercent is not None:
        return objective.targetPercent
    if objective.target is not None:
        return round(objective.target * 100, 10)
    path: KeyPath = ("spec", "objectives", index)
    raise ConfigError(
        [document.problem(path, f"objectives[{index}]: needs target or targetPercent")]
    )


def _sli_fields(sli: tuple[Document, _SliSpec], library: Library) -> dict[str, Any]:
    document, spec = sli
    path: KeyPath = ("spec",)
    if spec.thresholdMetric is not None:
        raise _unsupported(
            document,
            (*path, "thresholdMetric"),
            "thresholdMetric (e.g. a latency threshold) cannot be imported: write a "
            "'latency' SLI on the histogram by hand",
        )
    ratio = spec.ratioMetric
    base: KeyPath = (*path, "ratioMetric")
    if ratio is None:
        raise ConfigError([document.problem(path, "spec: needs ratioMetric or thresholdMetric")])
    if ratio.raw is not None:
        return _raw_fields(document, ratio, base, library)
    if ratio.total is None or (ratio.bad is None and ratio.good is None):
        message = "ratioMetric: needs total with bad or good (or raw with rawType)"
        raise ConfigError([document.problem(base, message)])
    total = _query(document, ratio.total, ratio.counter, (*base, "total"), library)
    if ratio.bad is not None:
        errors = _query(document, ratio.bad, ratio.counter, (*base, "bad"), library)
    else:
        assert ratio.good is not None
        good = _query(document, ratio.good, ratio.counter, (*base, "good"), library)
        errors = f"({total}) - ({good})"
    return {"kind": "events", "error_query": errors, "total_query": total}


def _raw_fields(
    document: Document, ratio: _Ratio, base: KeyPath, library: Library
) -> dict[str, Any]:
    assert ratio.raw is not None
    raw_type = ratio.rawType or ratio.raw.rawType
    if raw_type is None:
        raise ConfigError([document.problem(base, "ratioMetric: raw needs rawType")])
    query = _query(document, ratio.raw, ratio.counter, (*base, "raw"), library)
    error_ratio = query if raw_type == "failure" else f"1 - ({query})"
    return {"kind": "raw", "error_ratio_query": error_ratio}


def _query(
    document: Document, metric: _MetricRef, counter: bool, path: KeyPath, library: Library
) -> str:
    where: KeyPath = (*path, "metricSource")
    source = metric.metricSource
    kind = source.type
    if source.metricSourceRef is not None:
        referenced = library.resolve(
            "DataSource", source.metricSourceRef, document, (*where, "metricSourceRef")
        )
        kind = kind or str(referenced.spec.get("type", ""))
    if (kind or "").lower() != "prometheus":
        raise _unsupported(
            document,
            (*where, "type"),
            f"metricSource type {kind or '(none)'}: only Prometheus queries can be imported",
        )
    query = source.spec.get("query")
    if not isinstance(query, str) or not query.strip():
        raise ConfigError([document.problem((*where, "spec"), "metricSource.spec: needs a query")])
    return _windowed(document, query.strip(), counter, (*where, "spec", "query"))


def _windowed(document: Document, query: str, counter: bool, path: KeyPath) -> str:
    """Give a query the ``{{window}}`` range rcim's burn-rate windows fill in."""
    if WINDOW_PLACEHOLDER in query:
        return query
    if _RANGE.search(query):
        return _RANGE.sub(f"[{WINDOW_PLACEHOLDER}]", query)
    if counter and _BARE_SELECTOR.match(query):
        return f"sum(rate({query}[{WINDOW_PLACEHOLDER}]))"
    raise _unsupported(
        document,
        path,
        f"query {query!r} has no range like [5m] for rcim to replace with each alerting window",
    )


def _validated_slo(document: Document, fields: dict[str, Any], path: KeyPath) -> Slo:
    try:
        return Slo.model_validate(fields, strict=False)
    except ValidationError as error:
        problems = problems_from(error, Slo, fields, document.source)
        details = "; ".join(p.message for p in problems)
        raise _unsupported(document, path, f"not a valid rcim SLO: {details}") from None


def _identifier(name: str) -> str:
    return re.sub(r"[^a-z0-9._-]+", "-", name.lower()).strip("-._") or "slo"


def _unsupported(document: Document, path: KeyPath, message: str) -> Unsupported:
    return Unsupported(document.problem(path, f"{message}; not imported"))
