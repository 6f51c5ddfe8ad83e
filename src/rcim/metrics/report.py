"""Rendering metrics and comparisons as rows (for text tables), JSON and Markdown.

Every renderer reads the same rows, so the three formats cannot disagree; a value without
data is shown as ``no data`` (``null`` in JSON).
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from rcim.metrics.compare import format_relative, seed_summary

if TYPE_CHECKING:
    from collections.abc import Sequence

    from rcim.metrics.model import Change, Comparison, Metrics

NO_DATA = "no data"
METRIC_HEADERS = ("metric", "value", "detail", "DORA level")
COMPARE_HEADERS = ("metric", "before", "after", "change")


def title(metrics: Metrics) -> str:
    service = metrics.service or "all services"
    return f"{service} in {metrics.env}, {metrics.period_label}"


def metric_rows(metrics: Metrics) -> list[tuple[str, str, str, str]]:
    freq, lead, cfr = metrics.frequency, metrics.lead_time, metrics.failure_rate
    restore, avail = metrics.restore, metrics.availability
    priorities = "/".join(restore.priorities)
    return [
        (
            "deployment frequency",
            _number(freq.per_week, "/week"),
            f"{freq.deployments} successful; {_number(freq.per_day, '/day', 2)}; "
            f"bucket {freq.bucket or NO_DATA}",
            freq.level or NO_DATA,
        ),
        (
            "lead time for changes",
            _hours(lead.median_hours),
            f"p90 {_hours(lead.p90_hours)}; {lead.commits} commits",
            lead.level or NO_DATA,
        ),
        (
            "change failure rate",
            _percent(cfr.rate),
            f"{cfr.failures} of {cfr.deployments} deployments",
            cfr.level or NO_DATA,
        ),
        (
            "time to restore",
            _hours(restore.median_hours),
            f"{restore.incidents} resolved {priorities} incidents; {restore.unresolved} open",
            restore.level or NO_DATA,
        ),
        (
            "availability",
            _percent(avail.availability, digits=3),
            f"{avail.downtime_minutes:.0f} min downtime; "
            f"{avail.impacting_incidents} impacting incidents; {avail.services} services",
            "",
        ),
    ]


def compare_rows(comparison: Comparison) -> list[tuple[str, str, str, str]]:
    return [
        (
            f"{change.metric} ({change.unit})",
            _value(change.before),
            _value(change.after),
            format_relative(change.relative),
        )
        for change in comparison.changes
    ]


def metrics_json(metrics: Metrics) -> dict[str, Any]:
    freq, lead, cfr = metrics.frequency, metrics.lead_time, metrics.failure_rate
    restore, avail = metrics.restore, metrics.availability
    return {
        "service": metrics.service,
        "env": metrics.env,
        "period": {
            "start": metrics.period.start.isoformat(),
            "end": metrics.period.end.isoformat(),
            "label": metrics.period_label,
        },
        "deployment_frequency": {
            "deployments": freq.deployments,
            "per_day": _round(freq.per_day),
            "per_week": _round(freq.per_week),
            "bucket": freq.bucket,
            "level": freq.level,
        },
        "lead_time": {
            "commits": lead.commits,
            "median_hours": _round(lead.median_hours),
            "p90_hours": _round(lead.p90_hours),
            "level": lead.level,
            "deployments_with_unknown_commit": lead.unknown_commits,
        },
        "change_failure_rate": {
            "deployments": cfr.deployments,
            "failures": cfr.failures,
            "rate": _round(cfr.rate),
            "level": cfr.level,
        },
        "time_to_restore": {
            "priorities": list(restore.priorities),
            "incidents": restore.incidents,
            "unresolved": restore.unresolved,
            "median_hours": _round(restore.median_hours),
            "level": restore.level,
        },
        "availability": {
            "impacting_incidents": avail.impacting_incidents,
            "services": avail.services,
            "downtime_minutes": _round(avail.downtime_minutes),
            "availability": _round(avail.availability, 6),
        },
    }


def comparison_json(comparison: Comparison) -> dict[str, Any]:
    return {
        "before": metrics_json(comparison.before),
        "after": metrics_json(comparison.after),
        "changes": [_change_json(change) for change in comparison.changes],
        "summary": seed_summary(comparison),
    }


def metrics_markdown(metrics: Metrics) -> str:
    return _markdown(f"Metrics: {title(metrics)}", METRIC_HEADERS, metric_rows(metrics))


def comparison_markdown(comparison: Comparison) -> str:
    heading = (
        f"Comparison: {comparison.before.period_label} → {comparison.after.period_label} "
        f"({comparison.after.service or 'all services'} in {comparison.after.env})"
    )
    table = _markdown(heading, COMPARE_HEADERS, compare_rows(comparison))
    return f"{table}\n**{seed_summary(comparison)}**\n"


def _change_json(change: Change) -> dict[str, Any]:
    return {
        "metric": change.metric,
        "unit": change.unit,
        "before": _round(change.before),
        "after": _round(change.after),
        "relative_change": _round(change.relative),
        "better_when": change.better_when,
    }


def _markdown(heading: str, headers: tuple[str, ...], rows: Sequence[Sequence[str]]) -> str:
    lines = [f"## {heading}", "", "| " + " | ".join(headers) + " |"]
    lines.append("|" + "|".join("---" for _ in headers) + "|")
    lines.extend("| " + " | ".join(cell.replace("|", "\\|") for cell in row) + " |" for row in rows)
    return "\n".join(lines) + "\n"


def _round(value: float | None, digits: int = 4) -> float | None:
    return None if value is None else round(value, digits)


def _number(value: float | None, unit: str, digits: int = 1) -> str:
    return NO_DATA if value is None else f"{value:.{digits}f}{unit}"


def _value(value: float | None) -> str:
    return NO_DATA if value is None else f"{value:.2f}"


def _percent(fraction: float | None, digits: int = 1) -> str:
    return NO_DATA if fraction is None else f"{fraction * 100:.{digits}f}%"


def _hours(hours: float | None) -> str:
    if hours is None:
        return NO_DATA
    if hours < 1:
        return f"{hours * 60:.0f} min"
    if hours < 48:
        return f"{hours:.1f} h"
    return f"{hours / 24:.1f} d"
