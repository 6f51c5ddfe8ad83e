"""The change record as written in ``release/changes/<ID>.yaml``, and its immutable inside form.

The file is the definition (what, why, how to undo it, when); the store holds what happens to it
over time (state, approvals, transitions). The model is strict and closed like every program
file, so a misspelt key is reported at its ``file:line:column`` instead of being ignored.
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING
from zoneinfo import ZoneInfo

from pydantic import Field, field_validator, model_validator

from rcim.program.types import ChangeType, DateTime, Frozen, Identifier, TimeZoneName

if TYPE_CHECKING:
    from datetime import datetime

CHANGE_ID_PATTERN = re.compile(r"^CHG-(\d{4})-(\d{4,})$")
CHANGES_DIR = "release/changes"


class ChangeWindow(Frozen):
    """When the change may be implemented; times without offset are read in ``timezone``."""

    start: DateTime
    end: DateTime
    timezone: TimeZoneName | None = None

    @model_validator(mode="after")
    def _ordered(self) -> ChangeWindow:
        if self.bounds("UTC")[1] <= self.bounds("UTC")[0]:
            raise ValueError("end must be after start")
        return self

    def bounds(self, default_zone: str) -> tuple[datetime, datetime]:
        """Start and end as aware instants (naive values in the window's or default zone)."""
        zone = ZoneInfo(self.timezone or default_zone)
        return _aware(self.start, zone), _aware(self.end, zone)


class ChangeRecord(Frozen):
    """The whole of one change record file."""

    id: str
    type: ChangeType
    title: str = Field(min_length=1)
    services: tuple[Identifier, ...] = Field(min_length=1)
    author: Identifier
    template: Identifier | None = Field(
        default=None, description="The standard-change template a standard change follows."
    )
    description: str = ""
    implementation_plan: str = ""
    backout_plan: str = ""
    test_plan: str = ""
    window: ChangeWindow | None = None
    links: tuple[str, ...] = ()
    fixes: tuple[str, ...] = Field(
        default=(), description="Incidents this change fixes; they do not block its gate."
    )

    @field_validator("id")
    @classmethod
    def _valid_id(cls, value: str) -> str:
        if not CHANGE_ID_PATTERN.match(value):
            raise ValueError(f"'{value}' is not a change ID like CHG-2026-0042")
        return value

    @model_validator(mode="after")
    def _template_matches_type(self) -> ChangeRecord:
        if self.type == "standard" and self.template is None:
            raise ValueError("a standard change must name its template (a standard_changes id)")
        if self.type != "standard" and self.template is not None:
            raise ValueError("only standard changes follow a template")
        return self


def _aware(value: datetime, zone: ZoneInfo) -> datetime:
    return value if value.tzinfo is not None else value.replace(tzinfo=zone)
