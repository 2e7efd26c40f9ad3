"""Durations as people write them on a command line (500ms, 15s, 10m, 1h): shared by watch and report."""

from __future__ import annotations

import re

_DURATION = re.compile(r"^\s*(\d+(?:\.\d+)?)\s*(ms|s|m|h)?\s*$", re.IGNORECASE)
_UNITS = {"ms": 0.001, "s": 1.0, "m": 60.0, "h": 3600.0, "": 1.0}


def parse_duration(value: str) -> float:
    """Seconds; ValueError naming the accepted forms otherwise."""
    m = _DURATION.match(value)
    if m is None:
        raise ValueError(f"{value!r} is not a duration like 500ms, 15s, 10m or 1h")
    return float(m.group(1)) * _UNITS[(m.group(2) or "").lower()]
