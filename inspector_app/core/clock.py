"""Injected clocks: everything time-dependent takes a ``Clock`` so tests can fix "now"."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta, timezone
from typing import Protocol

#: The zone shown to users (China Standard Time, no DST). Storage is always UTC.
CHINA_TZ = timezone(timedelta(hours=8), "CST")


class Clock(Protocol):
    """Source of the current time (always timezone-aware UTC)."""

    def now(self) -> datetime: ...


class SystemClock:
    """The real clock."""

    def now(self) -> datetime:
        return datetime.now(UTC)


class FixedClock:
    """A clock that returns a set time and can be advanced (for tests)."""

    def __init__(self, at: datetime) -> None:
        if at.tzinfo is None:
            raise ValueError("FixedClock needs an aware datetime")
        self._at = at.astimezone(UTC)

    def now(self) -> datetime:
        return self._at

    def advance(self, **kwargs: float) -> None:
        self._at += timedelta(**kwargs)


def utc_iso(moment: datetime) -> str:
    """ISO-8601 UTC text with a ``Z`` suffix, second precision (the storage form)."""
    return moment.astimezone(UTC).replace(microsecond=0).strftime("%Y-%m-%dT%H:%M:%SZ")


def parse_utc(text: str) -> datetime:
    """Inverse of :func:`utc_iso` (also accepts ``+00:00`` offsets)."""
    return datetime.fromisoformat(text.replace("Z", "+00:00")).astimezone(UTC)


def local_display(moment: datetime) -> str:
    """Human display in China time with the zone shown, e.g. ``2026-11-28 09:30 (UTC+8)``."""
    return moment.astimezone(CHINA_TZ).strftime("%Y-%m-%d %H:%M") + " (UTC+8)"


def local_today(clock: Clock) -> date:
    """Today's date in China time (deadlines and due dates are local calendar days)."""
    return clock.now().astimezone(CHINA_TZ).date()
