"""Just enough PromQL to find the counters an SLI query reads and to invent matching series.

Generated rule tests feed real counters through the recording rules, so the generator needs
label sets that a query's selectors accept (and, for "good" traffic, that the error selector
rejects). Only ``metric{label op "value", ...}[{{window}}]`` selectors are understood; anything
else makes the caller fall back to feeding the recorded ratios directly.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Literal

from rcim.program.service import WINDOW_PLACEHOLDER

MatchOp = Literal["=", "!=", "=~", "!~"]

_SELECTOR = re.compile(
    r"(?P<metric>[a-zA-Z_:][a-zA-Z0-9_:]*)\s*(?:\{(?P<matchers>[^{}]*)\})?\s*\[\s*"
    + re.escape(WINDOW_PLACEHOLDER)
    + r"\s*\]"
)
_MATCHER = re.compile(r'\s*([a-zA-Z_][a-zA-Z0-9_]*)\s*(=~|!~|!=|=)\s*"((?:[^"\\]|\\.)*)"\s*,?')
# Values tried when a label needs a value that some regex accepts or rejects.
_COMMON_VALUES = ("200", "ok", "success", "0", "x", "500")


@dataclass(frozen=True)
class Matcher:
    label: str
    op: MatchOp
    value: str

    def accepts(self, actual: str) -> bool:
        """Prometheus semantics: a missing label is the empty string; regexes are anchored."""
        if self.op == "=":
            return actual == self.value
        if self.op == "!=":
            return actual != self.value
        matched = re.fullmatch(self.value, actual) is not None
        return matched if self.op == "=~" else not matched


@dataclass(frozen=True)
class Selector:
    metric: str
    matchers: tuple[Matcher, ...]

    def accepts(self, metric: str, labels: dict[str, str]) -> bool:
        if metric != self.metric:
            return False
        return all(m.accepts(labels.get(m.label, "")) for m in self.matchers)

    def text(self) -> str:
        """The selector as PromQL, without a range: ``metric{label="v"}``."""
        inner = ",".join(f'{m.label}{m.op}"{_escape(m.value)}"' for m in self.matchers)
        return f"{self.metric}{{{inner}}}" if inner else self.metric


@dataclass(frozen=True)
class Series:
    """One concrete series: a metric name and its labels."""

    metric: str
    labels: tuple[tuple[str, str], ...]

    def text(self) -> str:
        """The series as promtool's ``input_series`` spells it."""
        inner = ",".join(f'{key}="{_escape(value)}"' for key, value in self.labels)
        return f"{self.metric}{{{inner}}}" if inner else self.metric


def windowed_selectors(query: str) -> list[Selector] | None:
    """The selectors ranged over ``[{{window}}]`` in ``query``; None if any cannot be read."""
    selectors: list[Selector] = []
    for match in _SELECTOR.finditer(query):
        matchers = parse_matchers(match.group("matchers") or "")
        if matchers is None:
            return None
        selectors.append(Selector(match.group("metric"), matchers))
    return selectors


def parse_matchers(text: str) -> tuple[Matcher, ...] | None:
    """``job="a",code=~"5.."`` -> matchers; None when the text is not only such matchers."""
    matchers: list[Matcher] = []
    position = 0
    text = text.strip()
    while position < len(text):
        match = _MATCHER.match(text, position)
        if match is None or match.end() == position:
            return None
        op: MatchOp = match.group(2)  # type: ignore[assignment]  # the regex allows only these
        value = match.group(3).encode().decode("unicode_escape")
        if op in ("=~", "!~") and not _compiles(value):
            return None
        matchers.append(Matcher(match.group(1), op, value))
        position = match.end()
    return tuple(matchers)


def example_series(selector: Selector, avoid: Selector | None = None) -> Series | None:
    """A series ``selector`` accepts and ``avoid`` (if given) rejects; None if none is found."""
    labels = _satisfying_labels(selector.matchers)
    if labels is None:
        return None
    if avoid is None or not avoid.accepts(selector.metric, labels):
        return _series(selector.metric, labels)
    for matcher in avoid.matchers:
        same_label = (m for m in selector.matchers if m.label == matcher.label)
        for value in _candidates((matcher, *same_label)):
            changed = {**labels, matcher.label: value}
            if selector.accepts(selector.metric, changed) and not avoid.accepts(
                selector.metric, changed
            ):
                return _series(selector.metric, changed)
    return None


def _satisfying_labels(matchers: tuple[Matcher, ...]) -> dict[str, str] | None:
    labels: dict[str, str] = {}
    for label in dict.fromkeys(m.label for m in matchers):
        on_label = tuple(m for m in matchers if m.label == label)
        value = next(
            (v for v in _candidates(on_label) if all(m.accepts(v) for m in on_label)), None
        )
        if value is None:
            return None
        if value:
            labels[label] = value
    return labels


def _candidates(matchers: tuple[Matcher, ...]) -> list[str]:
    """Values worth trying for one label: its literals, simple regex instances, common ones."""
    values = [m.value for m in matchers if m.op == "="]
    for matcher in matchers:
        if matcher.op in ("=~", "!~"):
            values.extend(_regex_instances(matcher.value))
    values.extend(("", *_COMMON_VALUES))
    return list(dict.fromkeys(values))


def _regex_instances(pattern: str) -> list[str]:
    """``5..`` -> ``500``, ``a|b`` -> ``a``, ``b``: strings a simple regex probably accepts."""
    alternatives = pattern.strip("^$").strip("()").split("|")
    return [re.sub(r"\\d|\.", "0", alt).replace("+", "").replace("*", "") for alt in alternatives]


def _series(metric: str, labels: dict[str, str]) -> Series:
    return Series(metric, tuple(sorted(labels.items())))


def _compiles(pattern: str) -> bool:
    try:
        re.compile(pattern)
    except re.error:
        return False
    return True


def _escape(value: str) -> str:
    return value.replace("\\", "\\\\").replace('"', '\\"')
