"""The incident timeline as the journal of a runbook run (``rcim runbook run``)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from rcim.incidents.lifecycle import require_active
from rcim.incidents.records import incident_row, read_events, record_event
from rcim.runbooks.run import RUN_KINDS, JournalEntry

if TYPE_CHECKING:
    from collections.abc import Sequence

    from rcim.store import Store


class IncidentJournal:
    """Records each runbook entry as an incident event (with its audit entry)."""

    def __init__(self, store: Store, incident_id: str, actor: str) -> None:
        self._store = store
        self._incident_id = incident_id
        self._actor = actor

    def entries(self) -> list[JournalEntry]:
        with self._store.transaction() as session:
            events = read_events(session, self._incident_id)
        return [JournalEntry(e.kind, e.text, e.data, e.at) for e in events if e.kind in RUN_KINDS]

    def record(self, entries: Sequence[JournalEntry]) -> None:
        with self._store.transaction() as session:
            row = incident_row(session, self._incident_id)
            require_active(self._incident_id, row.state)
            for entry in entries:
                record_event(
                    session,
                    self._incident_id,
                    entry.kind,
                    self._actor,
                    entry.text,
                    entry.data,
                    entry.at,
                )
