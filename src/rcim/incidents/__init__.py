"""Incident management: records, the priority matrix, the lifecycle, the timeline, reviews
and the knowledge-base articles they write."""

from rcim.incidents.actors import USER_ENV, resolve_actor
from rcim.incidents.journal import IncidentJournal
from rcim.incidents.lifecycle import ACTIVE_STATES, TRANSITIONS, require_active
from rcim.incidents.priority import MATRIX, choose_priority, default_service_impact, priority_of
from rcim.incidents.records import (
    Incident,
    NewIncident,
    TimelineEvent,
    add_note,
    get_incident,
    link_change,
    open_incident,
    timeline,
    transition,
)
from rcim.incidents.render import incident_json, incident_markdown, incident_summary
from rcim.incidents.review import ReviewInput, ReviewResult, review_incident

__all__ = [
    "ACTIVE_STATES",
    "MATRIX",
    "TRANSITIONS",
    "USER_ENV",
    "Incident",
    "IncidentJournal",
    "NewIncident",
    "ReviewInput",
    "ReviewResult",
    "TimelineEvent",
    "add_note",
    "choose_priority",
    "default_service_impact",
    "get_incident",
    "incident_json",
    "incident_markdown",
    "incident_summary",
    "link_change",
    "open_incident",
    "priority_of",
    "require_active",
    "resolve_actor",
    "review_incident",
    "timeline",
    "transition",
]
