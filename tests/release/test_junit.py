"""JUnit XML in the flavours CI tools write, and the files that must be refused."""

from __future__ import annotations

from pathlib import Path

import pytest

from rcim.errors import ConfigError
from rcim.release.junit import JunitSummary, combine, parse_junit

DATA = Path(__file__).parent / "data" / "junit"
SUREFIRE = DATA / "surefire"


def _error(path: Path) -> str:
    with pytest.raises(ConfigError) as caught:
        parse_junit(path)
    return str(caught.value)


def test_pytest_xunit2_counts_from_test_cases() -> None:
    summary = parse_junit(DATA / "pytest-xunit2.xml")
    assert summary == JunitSummary(
        tests=4, failures=1, errors=0, skipped=1, duration_seconds=1.234, suites=1
    )
    assert summary.executed == 3
    assert not summary.passed


def test_pytest_legacy_testsuite_root_with_a_setup_error() -> None:
    summary = parse_junit(DATA / "pytest-legacy.xml")
    assert (summary.tests, summary.failures, summary.errors, summary.skipped) == (3, 0, 1, 0)
    assert summary.duration_seconds == pytest.approx(0.871)
    assert not summary.passed


def test_junit5_nested_suites_without_root_totals() -> None:
    summary = parse_junit(DATA / "junit5-nested.xml")
    assert summary == JunitSummary(
        tests=4, failures=0, errors=0, skipped=1, duration_seconds=2.5, suites=4
    )
    assert summary.passed


def test_testsuites_with_totals_and_a_suite_that_lists_no_cases() -> None:
    summary = parse_junit(DATA / "gradle-totals.xml")
    # Three listed test cases plus the declared two of the summary-only suite.
    assert (summary.tests, summary.failures, summary.errors, summary.suites) == (5, 0, 0, 2)
    assert summary.duration_seconds == pytest.approx(3.25)


def test_surefire_flaky_tests_pass_and_reruns_that_keep_failing_fail() -> None:
    summary = parse_junit(SUREFIRE / "TEST-com.abc.booking.BookingServiceTest.xml")
    assert (summary.tests, summary.failures, summary.errors, summary.skipped) == (5, 1, 0, 1)
    assert summary.duration_seconds == pytest.approx(1204.5)  # "1,204.5" as surefire wrote it


def test_combine_adds_reports_up() -> None:
    reports = sorted(SUREFIRE.glob("TEST-*.xml"))
    total = combine(parse_junit(path) for path in reports)
    assert (total.tests, total.failures, total.skipped, total.suites) == (7, 1, 1, 2)
    assert total.duration_seconds == pytest.approx(1205.0)
    assert combine([]) == JunitSummary(0, 0, 0, 0, 0.0, 0)


@pytest.mark.parametrize("name", ["all-skipped.xml", "no-tests.xml"])
def test_runs_that_executed_nothing_do_not_pass(name: str) -> None:
    summary = parse_junit(DATA / name)
    assert summary.executed == 0
    assert not summary.passed


def test_doctype_inside_cdata_is_only_text() -> None:
    # pytest-xunit2.xml captures an HTML page, DOCTYPE included, in <system-out>.
    assert "<!DOCTYPE" in (DATA / "pytest-xunit2.xml").read_text()
    assert parse_junit(DATA / "pytest-xunit2.xml").tests == 4


@pytest.mark.parametrize("name", ["billion-laughs.xml", "xxe.xml"])
def test_doctype_declarations_are_refused(name: str) -> None:
    message = _error(DATA / name)
    assert message == (
        f"{DATA / name}:2: DOCTYPE and ENTITY declarations are refused in JUnit reports"
    )


def test_doctype_is_refused_in_utf16_too(tmp_path: Path) -> None:
    report = tmp_path / "utf16.xml"
    text = '<?xml version="1.0" encoding="UTF-16"?>\n<!DOCTYPE x [<!ENTITY a "b">]>\n<testsuite/>'
    report.write_bytes(text.encode("utf-16"))
    assert "DOCTYPE and ENTITY declarations are refused" in _error(report)


def test_malformed_xml_names_line_and_column() -> None:
    assert _error(DATA / "malformed.xml") == (
        f"{DATA / 'malformed.xml'}:4:3: malformed XML: mismatched tag"
    )
    assert (
        _error(DATA / "empty.xml") == f"{DATA / 'empty.xml'}:1:1: malformed XML: no element found"
    )


def test_other_xml_is_not_a_junit_report() -> None:
    assert _error(DATA / "not-junit.xml") == (
        f"{DATA / 'not-junit.xml'}:2:1: not a JUnit XML report: the root element is <coverage>, "
        "expected <testsuites> or <testsuite>"
    )


def test_bad_numbers_are_located() -> None:
    assert _error(DATA / "bad-count.xml") == (
        f"{DATA / 'bad-count.xml'}:3:3: <testsuite> tests='many' is not a non-negative whole number"
    )


@pytest.mark.parametrize("value", ["soon", "-1", "nan", "inf"])
def test_bad_durations_are_located(tmp_path: Path, value: str) -> None:
    report = tmp_path / "r.xml"
    report.write_text(f'<testsuite>\n  <testcase name="a" time="{value}"/>\n</testsuite>\n')
    assert _error(report) == f"{report}:2:3: <testcase> time='{value}' is not a duration in seconds"


def test_decimal_comma_duration(tmp_path: Path) -> None:
    report = tmp_path / "r.xml"
    report.write_text('<testsuite time="0,75"><testcase name="a"/></testsuite>')
    assert parse_junit(report).duration_seconds == pytest.approx(0.75)


def test_namespaced_elements_are_read_by_local_name(tmp_path: Path) -> None:
    report = tmp_path / "r.xml"
    report.write_text(
        '<j:testsuite xmlns:j="urn:x"><j:testcase name="a"><j:failure/></j:testcase></j:testsuite>'
    )
    assert parse_junit(report).failures == 1


def test_missing_file() -> None:
    assert _error(DATA / "nope.xml") == f"{DATA / 'nope.xml'}: file not found"
