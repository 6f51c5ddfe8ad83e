"""Plain views of a change for ``rcim change show`` and ``list`` (JSON-ready and text)."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from rcim.changes.lifecycle import allowed_verbs

if TYPE_CHECKING:
    from rcim.changes.approvals import Approval
    from rcim.changes.model import ChangeRecord
    from rcim.changes.tracking import StoredChange, Transition


def change_view(
    record: ChangeRecord,
    stored: StoredChange | None,
    transitions: list[Transition],
    approvals: list[Approval],
) -> dict[str, Any]:
    state = stored.state if stored else "new"
    return {
        "record": record.model_dump(mode="json"),
        "state": state,
        "next": allowed_verbs(record.type, state),
        "needs_review": bool(stored and stored.needs_review),
        "risk": stored.data.get("risk") if stored else None,
        "transitions": [
            {
                "from": t.from_state,
                "to": t.to_state,
                "actor": t.actor,
                "at": t.at.isoformat(),
                "comment": t.comment,
            }
            for t in transitions
        ],
        "decisions": [
            {
                "person": a.person,
                "decision": a.decision,
                "commit": a.commit,
                "at": a.at.isoformat(),
                "comment": a.comment,
                "signed": a.signature is not None,
            }
            for a in approvals
        ],
    }


def change_text(data: dict[str, Any]) -> str:
    record = data["record"]
    lines = [
        f"{record['id']} [{record['type']}] {record['title']}",
        f"  state: {data['state']} (next: {', '.join(data['next']) or 'none'})",
        f"  services: {', '.join(record['services'])}; author: {record['author']}",
    ]
    if record.get("window"):
        lines.append(f"  window: {record['window']['start']} to {record['window']['end']}")
    if data["needs_review"]:
        lines.append("  post-implementation review required (break-glass release)")
    lines += [
        f"  {t['at']} {t['from'] or '-'} → {t['to']} by {t['actor']}" for t in data["transitions"]
    ]
    lines += [
        f"  {d['at']} {d['decision']} by {d['person']} at {d['commit'][:12]}"
        + (" (signed)" if d["signed"] else "")
        for d in data["decisions"]
    ]
    return "\n".join(lines)


def list_row(change: StoredChange) -> dict[str, Any]:
    return {
        "id": change.id,
        "type": change.type,
        "state": change.state,
        "services": list(change.services),
        "title": change.title,
        "needs_review": change.needs_review,
    }
