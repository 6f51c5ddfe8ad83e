"""Measurement and reporting: DORA metrics, availability and before/after comparisons.

The core (``compute``, ``leadtime``, ``availability``, ``dora``, ``compare``) is pure: it
turns recorded deployments, incidents and commits into frozen records. ``load`` reads the
store and git; ``report`` and ``chart`` render. See docs/metrics.md for every definition.
"""

from rcim.metrics.compare import compare, seed_summary
from rcim.metrics.compute import History, Scope, compute_metrics
from rcim.metrics.leadtime import LeadTimes, lead_times
from rcim.metrics.load import load_history
from rcim.metrics.model import Comparison, Metrics
from rcim.metrics.period import Period, parse_period, period_between
from rcim.metrics.records import Deployment, Incident, LeadSample
from rcim.metrics.series import WeekPoint, weekly_series

__all__ = [
    "Comparison",
    "Deployment",
    "History",
    "Incident",
    "LeadSample",
    "LeadTimes",
    "Metrics",
    "Period",
    "Scope",
    "WeekPoint",
    "compare",
    "compute_metrics",
    "lead_times",
    "load_history",
    "parse_period",
    "period_between",
    "seed_summary",
    "weekly_series",
]
