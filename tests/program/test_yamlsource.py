"""YAML reading that keeps positions: round trips, marks, and located syntax errors."""

from __future__ import annotations

from typing import Any

import pytest
import yaml
from hypothesis import given, settings
from hypothesis import strategies as st

from rcim.errors import ConfigError
from rcim.program.yamlsource import parse_yaml

keys = st.text(alphabet="abcdefghijklmnopqrstuvwxyz_", min_size=1, max_size=8)
scalars = st.one_of(
    st.integers(-1000, 1000),
    st.booleans(),
    st.text(alphabet="abc xyz-", min_size=1, max_size=10).filter(lambda s: s.strip() == s),
)
documents = st.recursive(
    scalars,
    lambda children: st.one_of(
        st.lists(children, max_size=4), st.dictionaries(keys, children, max_size=4)
    ),
    max_leaves=20,
)


def as_tuples(value: Any) -> Any:
    if isinstance(value, list):
        return tuple(as_tuples(item) for item in value)
    if isinstance(value, dict):
        return {key: as_tuples(item) for key, item in value.items()}
    return value


def paths_of(value: Any, prefix: tuple[Any, ...] = ()) -> list[tuple[Any, ...]]:
    found = [prefix]
    if isinstance(value, dict):
        for key, item in value.items():
            found.extend(paths_of(item, (*prefix, key)))
    elif isinstance(value, tuple):
        for index, item in enumerate(value):
            found.extend(paths_of(item, (*prefix, index)))
    return found


@settings(max_examples=200, deadline=None)
@given(st.dictionaries(keys, documents, min_size=1, max_size=5))
def test_round_trip_and_every_value_has_a_mark(document: dict[str, Any]) -> None:
    text = yaml.safe_dump(document, sort_keys=False)
    data, source = parse_yaml(text, "doc.yaml")
    assert data == as_tuples(document)
    line_count = len(text.splitlines())
    for path in paths_of(data):
        mark = source.value_mark(path)
        assert path in source.values
        assert 1 <= mark.line <= max(line_count, 1)


def test_marks_point_at_keys_and_values() -> None:
    data, source = parse_yaml("a:\n  b: 1\n  c:\n    - x\n    - y\n", "f.yaml")
    assert data == {"a": {"b": 1, "c": ("x", "y")}}
    assert (source.key_mark(("a", "b")).line, source.key_mark(("a", "b")).column) == (2, 3)
    assert (source.value_mark(("a", "b")).line, source.value_mark(("a", "b")).column) == (2, 6)
    assert source.value_mark(("a", "c", 1)).line == 5
    assert source.value_mark(("a", "nope", 3)).line == 2  # the nearest recorded ancestor


def test_syntax_error_is_located() -> None:
    with pytest.raises(ConfigError) as caught:
        parse_yaml("a: 1\nb: [1, 2\nc: 3\n", "bad.yaml")
    (line,) = caught.value.lines()
    assert line.startswith("bad.yaml:3:")
    assert "invalid YAML" in line


def test_tab_indentation_is_located() -> None:
    with pytest.raises(ConfigError) as caught:
        parse_yaml("a:\n\tb: 1\n", "tabs.yaml")
    assert caught.value.lines()[0].startswith("tabs.yaml:2:")


def test_merge_keys_are_flattened() -> None:
    data, _ = parse_yaml("base: &b {x: 1}\nchild:\n  <<: *b\n  y: 2\n", "m.yaml")
    assert data["child"] == {"x": 1, "y": 2}


def test_empty_document() -> None:
    with pytest.raises(ConfigError) as caught:
        parse_yaml("# only a comment\n", "e.yaml")
    assert caught.value.lines() == ["e.yaml:1:1: file is empty; expected a mapping"]


def test_non_scalar_keys_are_rejected() -> None:
    with pytest.raises(ConfigError) as caught:
        parse_yaml("? [a, b]\n: 1\n", "k.yaml")
    assert "keys must be plain scalars" in caught.value.lines()[0]
