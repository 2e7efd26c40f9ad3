"""The data that flows from the scanner to the reports."""

from __future__ import annotations

import enum
from dataclasses import dataclass


class Severity(enum.StrEnum):
    INFO = "info"
    WARNING = "warning"
    ERROR = "error"

    @property
    def rank(self) -> int:
        return _RANK[self]


_RANK = {Severity.INFO: 0, Severity.WARNING: 1, Severity.ERROR: 2}


@dataclass(frozen=True, slots=True)
class Edit:
    """Replace [start, end) of a file with new_text; 1-based lines and byte columns, like findings."""

    path: str
    start_line: int
    start_column: int
    end_line: int
    end_column: int
    new_text: str


@dataclass(frozen=True, slots=True)
class Fix:
    """What `scan --fix`, JSON/SARIF `fixes` and the editor's quick fix apply for one finding."""

    description: str
    edits: tuple[Edit, ...]


@dataclass(frozen=True, slots=True)
class Finding:
    rule: str
    slug: str
    severity: Severity
    path: str
    """Display path: relative to the current directory when inside it, POSIX separators."""
    line: int
    column: int
    """1-based byte column, as go vet and golangci-lint count."""
    message: str
    suppressed: bool = False
    """True when a //leaktrail:ignore or //nolint comment covers it (shown only with --show-ignored)."""
    confidence: str = "high"
    """high: the analysis established every fact the message states; low: it rests on something the
    analysis could not resolve (a partner out of reach, an unknown callee). Low is shown only on request."""
    fix: Fix | None = None
    """A provably safe edit that removes the finding (attached by leaktrail.fix, None until then)."""
    no_fix: str = ""
    """Why no fix is offered, when leaktrail.fix looked and found none."""

    def sort_key(self) -> tuple[str, int, int, str]:
        return (self.path, self.line, self.column, self.rule)


@dataclass(frozen=True, slots=True)
class RuleInfo:
    """What reports need to know about a rule (kept apart from the check so reports never import rules)."""

    code: str
    slug: str
    severity: Severity
    summary: str
    doc: str


@dataclass(frozen=True, slots=True)
class ScanSummary:
    """Totals for the closing line of a report."""

    files: int
    packages: int
    suppressed: int
    seconds: float
