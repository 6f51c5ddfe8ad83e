"""Value types shared by the program models: identifiers, durations, time zones, instants."""

from __future__ import annotations

import re
from datetime import datetime, time, timedelta
from typing import Annotated, Any, Literal
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from pydantic import AfterValidator, BaseModel, BeforeValidator, ConfigDict

_IDENTIFIER = re.compile(r"^[a-z0-9][a-z0-9._-]*$")
_DURATION = re.compile(r"^(\d+)(s|m|h|d|w)$")
_DURATION_UNITS = {"s": 1, "m": 60, "h": 3600, "d": 86400, "w": 604800}

Level = Literal["L1", "L2", "L3"]
Role = Literal[
    "release-manager",
    "change-manager",
    "cab",
    "ecab",
    "on-call",
    "developer",
    "service-owner",
    "incident-manager",
]
ChangeType = Literal["standard", "normal", "emergency"]
RiskLevel = Literal["low", "medium", "high"]
RISK_LEVELS: tuple[RiskLevel, ...] = ("low", "medium", "high")


class Frozen(BaseModel):
    """Base of every program model: strict, closed, immutable."""

    model_config = ConfigDict(strict=True, extra="forbid", frozen=True)


def _check_identifier(value: str) -> str:
    if not _IDENTIFIER.match(value):
        raise ValueError(
            f"'{value}' is not a valid identifier (lower-case letters, digits, '-', '.', '_')"
        )
    return value


def parse_duration(value: Any) -> Any:  # noqa: ANN401 - pydantic validator input
    """Read ``90s``, ``15m``, ``4h``, ``30d`` or ``2w`` as a ``timedelta``."""
    if isinstance(value, str):
        match = _DURATION.match(value.strip())
        if not match:
            raise ValueError(f"'{value}' is not a duration like 30s, 15m, 4h, 30d or 2w")
        return timedelta(seconds=int(match.group(1)) * _DURATION_UNITS[match.group(2)])
    return value


def format_duration(value: timedelta) -> str:
    """The shortest exact spelling of a duration in the program's units."""
    seconds = int(value.total_seconds())
    for unit in ("w", "d", "h", "m"):
        size = _DURATION_UNITS[unit]
        if seconds and seconds % size == 0:
            return f"{seconds // size}{unit}"
    return f"{seconds}s"


def _check_zone(value: str) -> str:
    try:
        ZoneInfo(value)
    except (ZoneInfoNotFoundError, ValueError):
        raise ValueError(
            f"unknown time zone '{value}' (use an IANA name like Europe/Prague)"
        ) from None
    return value


def _parse_datetime(value: Any) -> Any:  # noqa: ANN401 - pydantic validator input
    if isinstance(value, str):
        try:
            return datetime.fromisoformat(value.strip().replace("Z", "+00:00"))
        except ValueError:
            raise ValueError(
                f"'{value}' is not an ISO 8601 date-time like 2026-12-20T16:00"
            ) from None
    return value


def _parse_clock_time(value: Any) -> Any:  # noqa: ANN401 - pydantic validator input
    if isinstance(value, str):
        try:
            return time.fromisoformat(value.strip())
        except ValueError:
            raise ValueError(f"'{value}' is not a time of day like 08:00") from None
    if isinstance(value, int):  # YAML 1.1 reads 08:00 as a sexagesimal integer
        raise ValueError("write times of day in quotes, like '08:00'")
    return value


Identifier = Annotated[str, AfterValidator(_check_identifier)]
Duration = Annotated[timedelta, BeforeValidator(parse_duration)]
TimeZoneName = Annotated[str, AfterValidator(_check_zone)]
DateTime = Annotated[datetime, BeforeValidator(_parse_datetime)]
ClockTime = Annotated[time, BeforeValidator(_parse_clock_time)]
