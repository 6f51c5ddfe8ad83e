from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import TYPE_CHECKING

import pytest

from rcim.errors import InvalidInputError, NotFoundError, TransitionError
from rcim.incidents import (
    MATRIX,
    NewIncident,
    ReviewInput,
    add_note,
    choose_priority,
    default_service_impact,
    get_incident,
    open_incident,
    review_incident,
    timeline,
    transition,
)
from rcim.incidents.lifecycle import TRANSITIONS
from rcim.store import open_store, verify_audit

if TYPE_CHECKING:
    from collections.abc import Iterator
    from pathlib import Path

    from rcim.store import Store

T0 = datetime(2026, 3, 2, 9, 0, tzinfo=UTC)


@pytest.fixture
def store(tmp_path: Path) -> Iterator[Store]:
    with open_store(f"sqlite:///{tmp_path / 'rcim.db'}") as opened:
        yield opened


def new(title: str = "Tracking down") -> NewIncident:
    return NewIncident("shipment-tracking", "P1", title, True, {})


def test_the_matrix_is_itil_and_complete() -> None:
    assert len(MATRIX) == 9
    assert [MATRIX[(i, "high")] for i in ("high", "medium", "low")] == ["P1", "P2", "P3"]
    assert [MATRIX[("low", u)] for u in ("high", "medium", "low")] == ["P3", "P4", "P4"]
    assert choose_priority(None, "Medium", "medium") == ("P3", "medium", "medium")
    assert choose_priority("p4", None, None) == ("P4", None, None)
    assert default_service_impact("P3", "medium") is True
    assert default_service_impact("P3", None) is False
    with pytest.raises(InvalidInputError, match="not one of P1, P2, P3, P4"):
        choose_priority("P0", None, None)


def test_ids_count_per_year(store: Store) -> None:
    first = open_incident(store, new(), at=T0, actor="lucie")
    second = open_incident(store, new(), at=T0, actor="lucie")
    next_year = open_incident(store, new(), at=T0 + timedelta(days=365), actor="lucie")
    assert [first.id, second.id, next_year.id] == [
        "INC-2026-0001",
        "INC-2026-0002",
        "INC-2027-0001",
    ]


REACH = {
    "open": (),
    "acknowledged": ("acknowledged",),
    "mitigated": ("mitigated",),
    "resolved": ("resolved",),
}
TARGETS = ("acknowledged", "mitigated", "resolved", "reviewed")


@pytest.mark.parametrize("current", sorted(REACH))
def test_every_state_refuses_what_it_does_not_allow(store: Store, current: str) -> None:
    incident = open_incident(store, new(), at=T0, actor="lucie").id
    for state in REACH[current]:
        transition(store, incident, state, at=T0, actor="tomas")  # type: ignore[arg-type]
    refused = [t for t in TARGETS if t not in TRANSITIONS[current]]
    for target in refused:
        allowed = ", ".join(TRANSITIONS[current])
        with pytest.raises(
            TransitionError, match=f"from {current} to {target}; allowed next states: {allowed}$"
        ):
            transition(store, incident, target, at=T0, actor="tomas")  # type: ignore[arg-type]
    assert get_incident(store, incident).state == current


def test_reviewed_is_final(store: Store, tmp_path: Path) -> None:
    incident = open_incident(store, new(), at=T0, actor="lucie").id
    transition(store, incident, "resolved", at=T0, actor="tomas")
    review_incident(store, incident, ReviewInput(("why",)), kb_dir=tmp_path, at=T0, actor="jana")
    with pytest.raises(TransitionError, match="allowed next states: none"):
        transition(store, incident, "resolved", at=T0, actor="tomas")
    with pytest.raises(TransitionError):
        review_incident(
            store, incident, ReviewInput(("why",)), kb_dir=tmp_path, at=T0, actor="jana"
        )


def test_milestones_events_and_audit_move_together(store: Store) -> None:
    incident = open_incident(store, new(), at=T0, actor="lucie").id
    transition(
        store,
        incident,
        "mitigated",
        at=T0 + timedelta(minutes=7),
        actor="tomas",
        note="Rolled back",
    )
    add_note(store, incident, "Customers confirm", at=T0 + timedelta(minutes=9), actor="lucie")
    record = get_incident(store, incident)
    assert (record.state, record.mitigated_at, record.acknowledged_at) == (
        "mitigated",
        T0 + timedelta(minutes=7),
        None,
    )
    events = timeline(store, incident)
    assert [(e.kind, e.text) for e in events] == [
        ("opened", "opened P1: Tracking down"),
        ("mitigated", "Rolled back"),
        ("note", "Customers confirm"),
    ]
    with store.transaction() as session:
        verification = verify_audit(session)
    assert (verification.ok, verification.entries_checked) == (True, 3)
    with pytest.raises(NotFoundError):
        add_note(store, "INC-2026-0099", "x", at=T0, actor="lucie")


def test_a_failed_review_leaves_no_article_and_no_state_change(
    store: Store, tmp_path: Path
) -> None:
    incident = open_incident(store, new(), at=T0, actor="lucie").id
    transition(store, incident, "resolved", at=T0, actor="tomas", note="Restarted")
    blocker = tmp_path / "kb-is-a-file"
    blocker.write_text("", encoding="utf-8")
    with pytest.raises(InvalidInputError, match="cannot write"):
        review_incident(
            store, incident, ReviewInput(("a", "b")), kb_dir=blocker / "kb", at=T0, actor="jana"
        )
    assert get_incident(store, incident).state == "resolved"
    result = review_incident(
        store,
        incident,
        ReviewInput(("a", "b"), actions=("fix it",)),
        kb_dir=tmp_path / "kb",
        at=T0,
        actor="jana",
    )
    text = result.article.read_text(encoding="utf-8")
    assert "cause: b\nfix: Restarted\n" in text
    assert "- fix it" in text
    assert get_incident(store, incident).state == "reviewed"
