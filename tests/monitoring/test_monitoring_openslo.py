from __future__ import annotations

from typing import TYPE_CHECKING

import pytest

from rcim.errors import ConfigError
from rcim.monitoring import import_openslo

if TYPE_CHECKING:
    from pathlib import Path

DOCUMENTS = """\
# Exported from another SLO tool.
apiVersion: openslo/v1
kind: Service
metadata:
  name: booking-web
spec:
  description: ignored
---
apiVersion: openslo/v1
kind: SLO
metadata:
  name: Checkout Availability
spec:
  service: booking-web
  description: Checkouts without a server error.
  budgetingMethod: Occurrences
  timeWindow:
    - duration: 28d
      isRolling: true
  indicator:
    metadata:
      name: checkout-errors
    spec:
      ratioMetric:
        counter: true
        bad:
          metricSource:
            type: Prometheus
            spec:
              query: checkout_total{code=~"5.."}
        total:
          metricSource:
            type: Prometheus
            spec:
              query: sum(rate(checkout_total[1m]))
  objectives:
    - displayName: strict
      target: 0.999
    - displayName: relaxed
      targetPercent: 99
---
apiVersion: openslo/v1
kind: SLO
metadata:
  name: search
spec:
  service: search
  timeWindow: [{duration: 30d}]
  indicator:
    spec:
      ratioMetric:
        raw:
          rawType: success
          metricSource: {type: prometheus, spec: {query: "good[5m] / all[5m]"}}
  objectives: [{targetPercent: 99.5}]
"""


def write(tmp_path: Path, text: str) -> Path:
    path = tmp_path / "slos.yaml"
    path.write_text(text, encoding="utf-8")
    return path


def test_ratio_and_raw_metrics_become_rcim_slos(tmp_path: Path) -> None:
    imported = import_openslo([write(tmp_path, DOCUMENTS)])
    assert [(i.service, i.slo.name, i.slo.objective, i.slo.period) for i in imported] == [
        ("booking-web", "checkout-availability-strict", 99.9, "28d"),
        ("booking-web", "checkout-availability-relaxed", 99.0, "28d"),
        ("search", "search", 99.5, "30d"),
    ]
    events = imported[0].slo.sli
    assert events.kind == "events"
    assert events.error_query == 'sum(rate(checkout_total{code=~"5.."}[{{window}}]))'
    assert events.total_query == "sum(rate(checkout_total[{{window}}]))"
    raw = imported[2].slo.sli
    assert raw.kind == "raw"
    assert raw.error_ratio_query == "1 - (good[{{window}}] / all[{{window}}])"


@pytest.mark.parametrize(
    ("old", "new", "where", "message"),
    [
        ("duration: 28d", "duration: 7d", ":19:17:", "rolling 28d and 30d windows, not 7d"),
        (
            "type: Prometheus\n            spec:\n              query: checkout",
            "type: Datadog\n            spec:\n              query: checkout",
            ":29:19:",
            "only Prometheus",
        ),
        ("target: 0.999", "target: 1.5", ":39:15:", "less than 1"),
        ("sum(rate(checkout_total[1m]))", "sum(checkout_total)", ":36:22:", "add a range"),
    ],
)
def test_problems_name_file_line_and_column(
    tmp_path: Path, old: str, new: str, where: str, message: str
) -> None:
    assert old in DOCUMENTS
    path = write(tmp_path, DOCUMENTS.replace(old, new, 1))
    with pytest.raises(ConfigError) as caught:
        import_openslo([path])
    [problem] = caught.value.lines()
    assert problem.startswith(f"{path}{where}"), problem
    assert message in problem
