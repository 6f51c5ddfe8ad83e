"""Importing OpenSLO v1 ``SLO`` documents as rcim SLOs (``slos:`` entries of services/*.yaml).

Supported: inline ``indicator`` with a Prometheus ``ratioMetric`` (``bad`` + ``total``,
``good`` + ``total``, or ``raw`` with ``rawType``), ``Occurrences`` budgeting and rolling
28d/30d windows. Counter queries without a range get ``rate(...[{{window}}])``; an existing range
``[5m]`` becomes ``[{{window}}]``. Everything else is an error naming ``file:line:column``.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, Literal

from pydantic import BaseModel, ConfigDict, Field, ValidationError

from rcim.errors import ConfigError, Problem
from rcim.program.service import WINDOW_PLACEHOLDER, Slo
from rcim.program.validation import problems_from, validate_model
from rcim.program.yamlsource import parse_yaml, require_mapping

if TYPE_CHECKING:
    from pathlib import Path

    from rcim.program.yamlsource import KeyPath, SourceMap

_RANGE = re.compile(r"\[\s*\d+[smhdwy]\s*\]")
_BARE_SELECTOR = re.compile(r"^[a-zA-Z_:][a-zA-Z0-9_:]*\s*(\{[^{}]*\})?$")
_DOC_SPLIT = re.compile(r"^---[ \t]*$", re.M)


class _Open(BaseModel):
    """OpenSLO allows many fields rcim has no use for (labels, alert policies): ignore them."""

    model_config = ConfigDict(extra="ignore", frozen=True)


class _PromSource(_Open):
    type: str
    spec: dict[str, Any]


class _MetricRef(_Open):
    metricSource: _PromSource


class _Raw(_Open):
    rawType: Literal["success", "failure"]
    metricSource: _PromSource


class _Ratio(_Open):
    counter: bool = True
    good: _MetricRef | None = None
    bad: _MetricRef | None = None
    total: _MetricRef | None = None
    raw: _Raw | None = None
    rawType: Literal["success", "failure"] | None = None


class _IndicatorSpec(_Open):
    ratioMetric: _Ratio | None = None
    thresholdMetric: dict[str, Any] | None = None


class _Indicator(_Open):
    spec: _IndicatorSpec


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
    budgetingMethod: Literal["Occurrences"] = "Occurrences"
    indicator: _Indicator | None = None
    timeWindow: tuple[_Window, ...] = Field(min_length=1, max_length=1)
    objectives: tuple[_Objective, ...] = Field(min_length=1)


class _Metadata(_Open):
    name: str


class _SloDocument(_Open):
    apiVersion: Literal["openslo/v1"]
    kind: str
    metadata: _Metadata
    spec: _SloSpec


@dataclass(frozen=True)
class ImportedSlo:
    """One rcim SLO and the service (OpenSLO ``spec.service``) it belongs to."""

    service: str
    slo: Slo
    source: str


def import_openslo(paths: list[Path]) -> list[ImportedSlo]:
    """Every ``kind: SLO`` document of ``paths`` as rcim SLOs; all problems raised together."""
    imported: list[ImportedSlo] = []
    problems: list[Problem] = []
    for path in paths:
        try:
            for data, source in _documents(path):
                imported.extend(_convert(data, source))
        except ConfigError as error:
            problems.extend(error.problems)
    if problems:
        raise ConfigError(problems)
    return imported


def _documents(path: Path) -> list[tuple[dict[str, Any], SourceMap]]:
    """Each YAML document of a file, parsed with line numbers counted from the file's top."""
    try:
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as error:
        raise ConfigError([Problem(str(path), None, None, f"cannot read file: {error}")]) from None
    documents = []
    offset = 0
    for chunk in _DOC_SPLIT.split(text):
        if _has_content(chunk):
            # Leading newlines keep every position relative to the whole file.
            data, source = parse_yaml("\n" * offset + chunk, str(path))
            documents.append((require_mapping(data, source), source))
        offset += chunk.count("\n") + 1
    return documents


def _has_content(chunk: str) -> bool:
    return any(line.strip() and not line.lstrip().startswith("#") for line in chunk.splitlines())


def _convert(data: dict[str, Any], source: SourceMap) -> list[ImportedSlo]:
    if data.get("kind") != "SLO":
        return []
    document = validate_model(_SloDocument, data, source)
    spec = document.spec
    period = _period(spec, source)
    sli = _sli(spec, source)
    results = []
    for index, objective in enumerate(spec.objectives):
        name = document.metadata.name
        if len(spec.objectives) > 1:
            name = f"{name}-{objective.displayName or index + 1}"
        fields = {
            "name": _identifier(name),
            "objective": _percent(objective, source, index),
            "period": period,
            "description": spec.description,
            "sli": sli,
        }
        slo = _validated_slo(fields, source, ("spec", "objectives", index))
        results.append(ImportedSlo(spec.service, slo, source.file))
    return results


def _period(spec: _SloSpec, source: SourceMap) -> str:
    window = spec.timeWindow[0]
    if window.duration not in ("28d", "30d") or not window.isRolling:
        raise _located(
            source,
            ("spec", "timeWindow", 0, "duration"),
            f"spec.timeWindow: rcim supports rolling 28d and 30d windows, not {window.duration}",
        )
    return window.duration


def _percent(objective: _Objective, source: SourceMap, index: int) -> float:
    if objective.targetPercent is not None:
        return objective.targetPercent
    if objective.target is not None:
        return round(objective.target * 100, 10)
    path: KeyPath = ("spec", "objectives", index)
    raise _located(source, path, f"spec.objectives[{index}]: needs target or targetPercent")


def _sli(spec: _SloSpec, source: SourceMap) -> dict[str, Any]:
    ratio = spec.indicator.spec.ratioMetric if spec.indicator else None
    if ratio is None:
        message = "spec.indicator: only an inline indicator with a ratioMetric can be imported"
        raise _located(source, ("spec", "indicator"), message)
    base: KeyPath = ("spec", "indicator", "spec", "ratioMetric")
    if ratio.raw is not None:
        query = _query(ratio.raw, ratio.counter, source, (*base, "raw"))
        error_ratio = query if ratio.raw.rawType == "failure" else f"1 - ({query})"
        return {"kind": "raw", "error_ratio_query": error_ratio}
    if ratio.total is None or (ratio.bad is None and ratio.good is None):
        raise _located(source, base, "ratioMetric: needs total with bad or good (or raw)")
    total = _query(ratio.total, ratio.counter, source, (*base, "total"))
    if ratio.bad is not None:
        errors = _query(ratio.bad, ratio.counter, source, (*base, "bad"))
    else:
        assert ratio.good is not None
        good = _query(ratio.good, ratio.counter, source, (*base, "good"))
        errors = f"({total}) - ({good})"
    return {"kind": "events", "error_query": errors, "total_query": total}


def _query(metric: _MetricRef | _Raw, counter: bool, source: SourceMap, path: KeyPath) -> str:
    where = (*path, "metricSource")
    if metric.metricSource.type.lower() != "prometheus":
        message = (
            f"metricSource.type: only Prometheus can be imported, not {metric.metricSource.type}"
        )
        raise _located(source, (*where, "type"), message)
    query = metric.metricSource.spec.get("query")
    if not isinstance(query, str) or not query.strip():
        raise _located(source, (*where, "spec"), "metricSource.spec: needs a query")
    return _windowed(query.strip(), counter, source, (*where, "spec", "query"))


def _windowed(query: str, counter: bool, source: SourceMap, path: KeyPath) -> str:
    """Give a query the ``{{window}}`` range rcim's burn-rate windows fill in."""
    if WINDOW_PLACEHOLDER in query:
        return query
    if _RANGE.search(query):
        return _RANGE.sub(f"[{WINDOW_PLACEHOLDER}]", query)
    if counter and _BARE_SELECTOR.match(query):
        return f"sum(rate({query}[{WINDOW_PLACEHOLDER}]))"
    message = "query: add a range like [5m] (rcim replaces it with each alerting window)"
    raise _located(source, path, message)


def _validated_slo(fields: dict[str, Any], source: SourceMap, path: KeyPath) -> Slo:
    try:
        return Slo.model_validate(fields, strict=False)
    except ValidationError as error:
        details = "; ".join(str(p.message) for p in problems_from(error, Slo, fields, source))
        raise _located(source, path, f"cannot import: {details}") from None


def _identifier(name: str) -> str:
    return re.sub(r"[^a-z0-9._-]+", "-", name.lower()).strip("-._") or "slo"


def _located(source: SourceMap, path: KeyPath, message: str) -> ConfigError:
    return ConfigError([source.problem(path, message)])
