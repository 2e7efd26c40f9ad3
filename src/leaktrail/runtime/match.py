"""`inspect --match REGEX`: the seed's first diagnostic step without grep — how many goroutines sit in
the suspect functions, split by verdict.

`curl …debug=2 | grep -E "(listenEvents|fetchWithTimeout)" | wc -l` counts lines, not goroutines, and
cannot tell a leak from a queue; this counts goroutines per matched function from any evidence form.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from leaktrail.runtime.model import Classification, Inspection, Verdict


@dataclass
class FunctionCount:
    function: str
    leaked: int = 0
    suspect: int = 0
    other: int = 0

    @property
    def total(self) -> int:
        return self.leaked + self.suspect + self.other


@dataclass
class MatchResult:
    pattern: str
    inspection: Inspection
    """Only the groups with a frame (or creator) whose function matches."""
    functions: list[FunctionCount] = field(default_factory=list)
    """Per matched function, most goroutines first; a group that matches two functions counts for each."""

    @property
    def total(self) -> int:
        """Goroutines in the matched groups, each counted once."""
        return sum(v.group.count for v in self.inspection.verdicts)


def compile_pattern(pattern: str) -> re.Pattern[str]:
    """ValueError with a one-line reason for a bad regular expression."""
    try:
        return re.compile(pattern)
    except re.error as e:
        raise ValueError(f"--match {pattern!r}: not a regular expression ({e})") from None


def match(inspection: Inspection, pattern: re.Pattern[str]) -> MatchResult:
    kept: list[Verdict] = []
    counts: dict[str, FunctionCount] = {}
    for v in inspection.verdicts:
        g = v.group
        names = {f.function for f in g.frames if pattern.search(f.function)}
        if g.created_by is not None and not names and pattern.search(g.created_by.function):
            names.add(g.created_by.function)
        if not names:
            continue
        kept.append(v)
        for name in names:
            c = counts.setdefault(name, FunctionCount(name))
            if v.classification is Classification.LEAKED:
                c.leaked += g.count
            elif v.classification is Classification.SUSPECT:
                c.suspect += g.count
            else:
                c.other += g.count
    ordered = sorted(counts.values(), key=lambda c: (-c.total, c.function))
    return MatchResult(
        pattern.pattern, Inspection(inspection.snapshot, tuple(kept), pattern.pattern), ordered
    )
