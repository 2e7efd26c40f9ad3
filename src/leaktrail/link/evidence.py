"""Source -> runtime: rank static findings by the goroutines a snapshot shows stuck on them."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from leaktrail.link.explain import GroupLink
from leaktrail.model import Finding
from leaktrail.runtime.model import Classification, Inspection

# Goroutines that are running or are known background goroutines are not "stuck" on anything.
_NOT_STUCK = (Classification.RUNNING, Classification.BENIGN)


@dataclass(frozen=True, slots=True)
class FindingEvidence:
    finding: Finding
    goroutines: int
    """Goroutines in the groups this finding explains (0: the snapshot shows none stuck on it)."""
    leaked: int
    """Of those, how many the runtime's leak detector proved leaked."""
    groups: tuple[str, ...]
    """Keys of the groups it explains."""

    @property
    def confirmed(self) -> bool:
        return self.leaked > 0


def rank_findings(
    findings: Sequence[Finding], inspections: Sequence[Inspection], links: Mapping[str, GroupLink]
) -> list[FindingEvidence]:
    """Every finding (suppressed ones left out) with its evidence, most goroutines first, then in the
    scan's order. Several snapshots add up: pass one per service instance."""
    counts: dict[Finding, list[int]] = {}
    keys: dict[Finding, list[str]] = {}
    for ins in inspections:
        for v in ins.verdicts:
            if v.classification in _NOT_STUCK:
                continue
            link = links.get(v.group.key)
            if link is None:
                continue
            for f in link.findings:
                c = counts.setdefault(f, [0, 0])
                c[0] += v.group.count
                c[1] += v.group.leaked
                keys.setdefault(f, []).append(v.group.key)
    out = [
        FindingEvidence(
            f,
            counts.get(f, [0, 0])[0],
            counts.get(f, [0, 0])[1],
            tuple(dict.fromkeys(keys.get(f, []))),
        )
        for f in findings
        if not f.suppressed
    ]
    order = {f: i for i, f in enumerate(findings)}
    out.sort(key=lambda e: (-e.goroutines, -e.leaked, order[e.finding]))
    return out
