"""A PNG of the four keys week by week (matplotlib's Agg backend: no display needed)."""

from __future__ import annotations

from typing import TYPE_CHECKING

import matplotlib

matplotlib.use("Agg")

from matplotlib.figure import Figure

from rcim.errors import InvalidInputError

if TYPE_CHECKING:
    from datetime import date
    from pathlib import Path

    from matplotlib.axes import Axes

    from rcim.metrics.series import WeekPoint

WIDTH_INCHES = 10
HEIGHT_INCHES = 8
DPI = 100


def write_chart(points: tuple[WeekPoint, ...], path: Path, title: str) -> None:
    """Draw weekly deployments, median lead time, failure rate and time to restore."""
    figure = Figure(figsize=(WIDTH_INCHES, HEIGHT_INCHES), dpi=DPI, layout="constrained")
    axes = figure.subplots(4, 1, sharex=True)
    weeks = [point.week for point in points]
    axes[0].bar(weeks, [p.deployments for p in points], width=5, color="#2b6cb0")
    _line(axes[1], weeks, [p.lead_time_hours for p in points], "#2f855a")
    _line(axes[2], weeks, [_pct(p.failure_rate) for p in points], "#c53030")
    _line(axes[3], weeks, [p.restore_hours for p in points], "#b7791f")
    labels = ("deployments / week", "lead time (h, median)", "failure rate (%)", "restore (h)")
    for ax, label in zip(axes, labels, strict=True):
        ax.set_ylabel(label, fontsize=8)
        ax.grid(True, alpha=0.3)
    figure.suptitle(title)
    for label in axes[3].get_xticklabels():
        label.set_rotation(30)
    try:
        figure.savefig(path, format="png")
    except OSError as error:
        raise InvalidInputError(f"{path}: cannot write chart: {error.strerror or error}") from None


def _line(ax: Axes, weeks: list[date], values: list[float | None], color: str) -> None:
    """Weeks without data are gaps in the line, not zeros."""
    ys = [float("nan") if v is None else v for v in values]
    ax.plot(weeks, ys, marker="o", color=color)  # type: ignore[arg-type]  # dates are valid x values


def _pct(fraction: float | None) -> float | None:
    return None if fraction is None else fraction * 100
