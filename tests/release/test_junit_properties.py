"""Property: whatever the nesting, the summary counts exactly the generated test cases."""

from __future__ import annotations

import xml.etree.ElementTree as ET
from pathlib import Path
from tempfile import TemporaryDirectory

from hypothesis import given, settings
from hypothesis import strategies as st

from rcim.release.junit import parse_junit

OUTCOMES = ["passed", "failure", "error", "skipped", "flakyFailure"]

cases = st.lists(st.sampled_from(OUTCOMES), max_size=6)
suites = st.recursive(
    st.builds(lambda outcomes: ("suite", outcomes, []), cases),
    lambda children: st.builds(
        lambda outcomes, nested: ("suite", outcomes, nested), cases, st.lists(children, max_size=3)
    ),
    max_leaves=8,
)


def build(node: tuple[str, list[str], list], parent: ET.Element) -> None:
    _, outcomes, nested = node
    suite = ET.SubElement(parent, "testsuite", name=f"s{len(parent)}")
    for index, outcome in enumerate(outcomes):
        case = ET.SubElement(suite, "testcase", name=f"t{index}", time="0.5")
        if outcome != "passed":
            ET.SubElement(case, outcome, message="m")
    for child in nested:
        build(child, suite)


def flatten(node: tuple[str, list[str], list]) -> tuple[list[str], int]:
    _, outcomes, nested = node
    all_outcomes, count = list(outcomes), 1
    for child in nested:
        more, suites_below = flatten(child)
        all_outcomes += more
        count += suites_below
    return all_outcomes, count


@settings(max_examples=150, deadline=None)
@given(tree=st.lists(suites, min_size=1, max_size=3), wrapped=st.booleans())
def test_counts_match_the_generated_cases(tree: list, wrapped: bool) -> None:
    root = ET.Element("testsuites")
    for node in tree:
        build(node, root)
    document = root if wrapped or len(tree) > 1 else root[0]
    outcomes: list[str] = []
    suite_count = 0
    for node in tree:
        more, count = flatten(node)
        outcomes += more
        suite_count += count
    with TemporaryDirectory() as folder:
        report = Path(folder) / "report.xml"
        ET.ElementTree(document).write(report, encoding="utf-8", xml_declaration=True)
        summary = parse_junit(report)
    assert summary.tests == len(outcomes)
    assert summary.failures == outcomes.count("failure")
    assert summary.errors == outcomes.count("error")
    assert summary.skipped == outcomes.count("skipped")
    assert summary.suites == suite_count
    assert summary.duration_seconds == 0.5 * len(outcomes)
    assert summary.passed == (summary.executed > 0 and not {"failure", "error"} & set(outcomes))
