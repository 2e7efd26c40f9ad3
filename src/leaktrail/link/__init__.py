"""Link runtime evidence to static findings, both ways.

Runtime -> source: `SourceTree.load(dir)` indexes a Go tree; `Linker(tree, findings, cwd).link(group)` maps
a group's frames to local files, checks the lines are what ran, and returns the findings that explain it
(`GroupLink`). Source -> runtime: `rank_findings(findings, inspections, links)` counts the goroutines stuck
on each finding and which of them the leak detector proved leaked.
"""

from leaktrail.link.evidence import FindingEvidence, rank_findings
from leaktrail.link.explain import (
    RULE_STATES,
    VIA_ORDER,
    Explanation,
    GroupLink,
    Linker,
    Location,
    is_lead,
    normalize_state,
)
from leaktrail.link.scan import ScanError, scan_source
from leaktrail.link.tree import SourceError, SourceTree, find_module_root, parse_function

__all__ = [
    "RULE_STATES",
    "VIA_ORDER",
    "Explanation",
    "FindingEvidence",
    "GroupLink",
    "Linker",
    "Location",
    "ScanError",
    "SourceError",
    "SourceTree",
    "find_module_root",
    "is_lead",
    "normalize_state",
    "parse_function",
    "rank_findings",
    "scan_source",
]
