"""Reading ``pulumi preview --json`` into a change's infrastructure impact and risk score."""

from __future__ import annotations

import json

import pytest

from rcim.errors import ConfigError
from rcim.infra.impact import impact_from, infra_risk_score, read_preview

URN = "urn:pulumi:production::abc-platform::rcim:platform:Environment$hcloud:index/{t}::{n}"
SERVER = "server:Server"
VOLUME = "volume:Volume"


def step(op, kind, name):
    return {"op": op, "urn": URN.format(t=kind, n=name), "provider": "urn:provider"}


CREATES = {
    "steps": [step("create", SERVER, "web-1"), step("create", VOLUME, "web-1-data")],
    "duration": 1200000000,
    "changeSummary": {"create": 2},
}
REPLACES = {
    "steps": [
        step("same", SERVER, "web-1"),
        step("replace", SERVER, "web-2"),
        step("update", SERVER, "web-3"),
    ],
    "changeSummary": {"same": 1, "replace": 1, "update": 1},
}
DELETES = {
    "steps": [step("delete", VOLUME, "old-data"), step("delete", SERVER, "old")],
    "changeSummary": {"delete": 2},
}


def test_creates_only():
    impact = impact_from(CREATES, "p.json")
    assert impact.counts == {"create": 2}
    assert impact.replaced == ()
    assert impact.deleted == ()
    assert infra_risk_score(impact) == pytest.approx(0.4)


def test_with_replacements():
    impact = impact_from(REPLACES, "p.json")
    assert impact.replaced == (URN.format(t=SERVER, n="web-2"),)
    assert infra_risk_score(impact) == pytest.approx(2.5)


def test_with_deletions_counts_stateful_resources_extra():
    impact = impact_from(DELETES, "p.json")
    assert len(impact.deleted) == 2
    assert infra_risk_score(impact) == pytest.approx(7.0)  # 2 deletes x 3 + 1 volume


def test_replacements_and_deletions_raise_the_score():
    scores = [infra_risk_score(impact_from(doc, "p")) for doc in (CREATES, REPLACES, DELETES)]
    assert scores == sorted(scores)
    assert scores[0] < scores[1] < scores[2]


def test_score_is_capped_at_ten():
    many = {"steps": [step("delete", VOLUME, f"v{n}") for n in range(10)]}
    assert infra_risk_score(impact_from(many, "p")) == 10.0


def test_summary_missing_is_counted_from_steps():
    impact = impact_from({"steps": REPLACES["steps"]}, "p")
    assert impact.counts == {"same": 1, "replace": 1, "update": 1}


def test_replacement_steps_name_each_urn_once():
    doc = {
        "steps": [
            step("create-replacement", SERVER, "db"),
            step("replace", SERVER, "db"),
            step("delete-replaced", SERVER, "db"),
        ]
    }
    assert impact_from(doc, "p").replaced == (URN.format(t=SERVER, n="db"),)


def test_syntax_error_names_line_and_column(tmp_path):
    path = tmp_path / "preview.json"
    path.write_text('{\n  "steps": [\n    {"op": "create",, "urn": "u"}\n  ]\n}\n')
    with pytest.raises(ConfigError) as caught:
        read_preview(path)
    assert str(caught.value.problems[0]).startswith(f"{path}:3:21: ")


@pytest.mark.parametrize(
    ("doc", "message"),
    [
        ([], "expected pulumi preview --json output"),
        ({"steps": [{"op": "create"}]}, "steps[0].urn: Field required"),
        ({"steps": [{"op": "explode", "urn": "u"}]}, "steps[0].op: unknown op 'explode'"),
        ({"steps": [], "changeSummary": {"create": "two"}}, "changeSummary.create"),
    ],
)
def test_wrong_shape_is_rejected(tmp_path, doc, message):
    path = tmp_path / "preview.json"
    path.write_text(json.dumps(doc))
    with pytest.raises(ConfigError, match=message.replace("[", r"\[").replace("]", r"\]")):
        read_preview(path)
