"""Multi-criteria decision analysis: weighted scoring, hard constraints, weight sensitivity.

The general tool behind the seed's case study 4.2 (choosing docking stations by weighted business
values) and behind change-risk scoring: load a table, ``analyse`` it, render it with ``report``.
"""

from rcim.decide.analysis import Analysis, analyse
from rcim.decide.checks import load_table, table_problems
from rcim.decide.model import Criterion, DecisionTable, Option
from rcim.decide.scoring import Decision, RankedOption, decide
from rcim.decide.sensitivity import WeightSensitivity, reweighted, weight_sensitivity

__all__ = [
    "Analysis",
    "Criterion",
    "Decision",
    "DecisionTable",
    "Option",
    "RankedOption",
    "WeightSensitivity",
    "analyse",
    "decide",
    "load_table",
    "reweighted",
    "table_problems",
    "weight_sensitivity",
]
