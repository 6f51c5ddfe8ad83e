"""Reading JUnit XML reports: pytest, JUnit 5 / Gradle and Maven surefire flavours.

The flavours differ in the root (``<testsuite>`` or ``<testsuites>``), in whether totals are
declared and whether suites nest. Outcomes are therefore counted from the ``<testcase>``
elements themselves, which every flavour writes, and declared totals are only used for a suite
that lists no test cases. A test case counts as failed with a ``<failure>`` child, as an error
with an ``<error>`` child, as skipped with ``<skipped>``; surefire's ``<flakyFailure>`` and
``<flakyError>`` (failed, then passed on a rerun) leave it passed.

The file is parsed with the standard library's expat, which gives every element a line and
column. A document type declaration is refused before any of it is processed: it is the door
to entity expansion (billion laughs) and external entities (XXE), and no JUnit writer uses it.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING
from xml.parsers import expat

from rcim.errors import ConfigError, Problem

if TYPE_CHECKING:
    from collections.abc import Iterable
    from pathlib import Path

SUITE_TAGS = ("testsuites", "testsuite")
_COUNT_ATTRIBUTES = ("tests", "failures", "errors", "skipped")


@dataclass(frozen=True)
class JunitSummary:
    """What one or more reports say about a test run."""

    tests: int
    failures: int
    errors: int
    skipped: int
    duration_seconds: float
    suites: int

    @property
    def executed(self) -> int:
        """Tests that actually ran (not skipped); zero means the stage proved nothing."""
        return self.tests - self.skipped

    @property
    def passed(self) -> bool:
        return self.executed > 0 and self.failures == 0 and self.errors == 0


EMPTY = JunitSummary(0, 0, 0, 0, 0.0, 0)


@dataclass
class _Element:
    """An element of the report with where it starts; text is not kept (not needed)."""

    tag: str
    attrs: dict[str, str]
    line: int
    column: int
    children: list[_Element] = field(default_factory=list)


class _DoctypeRefused(Exception):
    """Raised from expat's handler, which fires before the internal subset is processed."""

    def __init__(self, line: int) -> None:
        super().__init__("DOCTYPE refused")
        self.line = line


def parse_junit(path: Path) -> JunitSummary:
    """Summarise one JUnit XML file; bad files raise ``ConfigError`` naming file:line:col."""
    display = str(path)
    try:
        data = path.read_bytes()
    except FileNotFoundError:
        raise ConfigError([Problem(display, None, None, "file not found")]) from None
    except OSError as error:
        message = f"cannot read file: {error.strerror or error}"
        raise ConfigError([Problem(display, None, None, message)]) from None
    return summarise(parse_tree(data, display), display)


def combine(summaries: Iterable[JunitSummary]) -> JunitSummary:
    """The totals of several reports (e.g. one surefire file per test class)."""
    total = EMPTY
    for part in summaries:
        total = JunitSummary(
            tests=total.tests + part.tests,
            failures=total.failures + part.failures,
            errors=total.errors + part.errors,
            skipped=total.skipped + part.skipped,
            duration_seconds=total.duration_seconds + part.duration_seconds,
            suites=total.suites + part.suites,
        )
    return total


def parse_tree(data: bytes, display: str) -> _Element:
    """Parse XML into elements with positions; malformed XML or a DOCTYPE is a ConfigError."""
    parser = expat.ParserCreate()
    parser.SetParamEntityParsing(expat.XML_PARAM_ENTITY_PARSING_NEVER)
    roots: list[_Element] = []
    stack: list[_Element] = []

    def start(tag: str, attrs: dict[str, str]) -> None:
        element = _Element(
            _local(tag), attrs, parser.CurrentLineNumber, parser.CurrentColumnNumber + 1
        )
        (stack[-1].children if stack else roots).append(element)
        stack.append(element)

    def end(_tag: str) -> None:
        stack.pop()

    def refuse(*_args: object) -> None:
        raise _DoctypeRefused(parser.CurrentLineNumber)

    parser.StartElementHandler = start
    parser.EndElementHandler = end
    parser.StartDoctypeDeclHandler = refuse
    parser.EntityDeclHandler = refuse
    try:
        parser.Parse(data, True)
    except expat.ExpatError as error:
        message = f"malformed XML: {expat.ErrorString(error.code)}"
        raise ConfigError([Problem(display, error.lineno, error.offset + 1, message)]) from None
    except _DoctypeRefused as refused:
        message = "DOCTYPE and ENTITY declarations are refused in JUnit reports"
        raise ConfigError([Problem(display, refused.line, None, message)]) from None
    return roots[0]


def summarise(root: _Element, display: str) -> JunitSummary:
    """Totals of a parsed report whose root must be ``<testsuites>`` or ``<testsuite>``."""
    if root.tag not in SUITE_TAGS:
        message = (
            f"not a JUnit XML report: the root element is <{root.tag}>, "
            "expected <testsuites> or <testsuite>"
        )
        raise ConfigError([Problem(display, root.line, root.column, message)])
    return _tally(root, display)


def _tally(element: _Element, display: str) -> JunitSummary:
    if element.tag == "testcase":
        return _test_case(element, display)
    parts = [_tally(child, display) for child in element.children if _counts(child)]
    total = combine(parts) if parts else _declared(element, display)
    duration = total.duration_seconds
    if "time" in element.attrs:
        duration = _seconds(element, display)
    own = 1 if element.tag == "testsuite" else 0
    return JunitSummary(
        total.tests, total.failures, total.errors, total.skipped, duration, total.suites + own
    )


def _counts(element: _Element) -> bool:
    return element.tag in ("testsuite", "testcase")


def _test_case(case: _Element, display: str) -> JunitSummary:
    outcomes = {child.tag for child in case.children}
    failed = int("failure" in outcomes)
    errored = int("error" in outcomes)
    skipped = int("skipped" in outcomes and not (failed or errored))
    duration = _seconds(case, display) if "time" in case.attrs else 0.0
    return JunitSummary(1, failed, errored, skipped, duration, 0)


def _declared(suite: _Element, display: str) -> JunitSummary:
    """A suite without test cases: trust its declared totals (absent means zero)."""
    counts = [_count(suite, name, display) for name in _COUNT_ATTRIBUTES]
    return JunitSummary(counts[0], counts[1], counts[2], counts[3], 0.0, 0)


def _count(element: _Element, name: str, display: str) -> int:
    text = element.attrs.get(name, "0").strip()
    if not text.isdigit():
        message = f"<{element.tag}> {name}='{text}' is not a non-negative whole number"
        raise ConfigError([Problem(display, element.line, element.column, message)])
    return int(text)


def _seconds(element: _Element, display: str) -> float:
    """Durations; surefire once wrote thousands separators ("1,234.5"), others a decimal comma."""
    text = element.attrs["time"].strip()
    normalised = text.replace(",", "") if "." in text else text.replace(",", ".")
    try:
        value = float(normalised)
    except ValueError:
        value = -1.0
    if not value >= 0 or value == float("inf"):
        message = f"<{element.tag}> time='{text}' is not a duration in seconds"
        raise ConfigError([Problem(display, element.line, element.column, message)])
    return value


def _local(tag: str) -> str:
    """The tag without a namespace prefix (``ns:testsuite`` → ``testsuite``)."""
    return tag.rpartition(":")[2]
