"""Showing an incident: its record and timeline as text lines, Markdown or JSON data."""

from __future__ import annotations

from dataclasses import asdict
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from rcim.incidents.records import Incident, TimelineEvent

MILESTONES = ("opened_at", "acknowledged_at", "mitigated_at", "resolved_at")


def incident_json(incident: Incident, events: list[TimelineEvent]) -> dict[str, Any]:
    data = asdict(incident)
    for key in MILESTONES:
        data[key] = data[key].isoformat() if data[key] is not None else None
    data["timeline"] = [
        {"at": e.at.isoformat(), "kind": e.kind, "actor": e.actor, "text": e.text, "data": e.data}
        for e in events
    ]
    return data


def incident_summary(incident: Incident) -> list[str]:
    lines = [
        f"{incident.id} {incident.priority} {incident.state}: {incident.title}",
        f"service {incident.service}; service impact: {'yes' if incident.impact else 'no'}",
    ]
    for key in MILESTONES:
        moment = getattr(incident, key)
        if moment is not None:
            lines.append(f"{key.removesuffix('_at')}: {moment:%Y-%m-%d %H:%M:%S} UTC")
    if incident.caused_by_change:
        lines.append(f"caused by change {incident.caused_by_change}")
    if incident.caused_by_deployment:
        lines.append(f"caused by deployment {incident.caused_by_deployment}")
    return lines


def incident_markdown(incident: Incident, events: list[TimelineEvent]) -> str:
    head = [f"# {incident.id}: {incident.title}\n"]
    head.extend(f"- {line}" for line in incident_summary(incident)[1:])
    rows = ["| time (UTC) | event | by | what |", "|---|---|---|---|"]
    for event in events:
        what = " ".join(event.text.split()).replace("|", "\\|")
        rows.append(f"| {event.at:%Y-%m-%d %H:%M:%S} | {event.kind} | {event.actor} | {what} |")
    return "\n".join(head) + "\n\n## Timeline\n\n" + "\n".join(rows) + "\n"
