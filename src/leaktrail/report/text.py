"""Human-readable report: one compiler-style line per finding, then a summary line.

The ``path:line:col:`` prefix is what editors and terminals turn into clickable links, the same
shape go vet and golangci-lint print.
"""

from __future__ import annotations

from collections.abc import Sequence

from leaktrail.model import Finding, ScanSummary, Severity
from leaktrail.report._common import severity_counts, visible

# Plain ANSI SGR codes: the CLI decides whether colour is wanted, so no terminal detection here.
_RESET = "\x1b[0m"
_BOLD = "\x1b[1m"
_DIM = "\x1b[2m"
_SEVERITY_STYLE = {
    Severity.ERROR: "\x1b[1;31m",  # bold red
    Severity.WARNING: "\x1b[1;33m",  # bold yellow
    Severity.INFO: "\x1b[1;36m",  # bold cyan
}


def render_text(
    findings: Sequence[Finding], *, summary: ScanSummary, color: bool = False, show_ignored: bool = False
) -> str:
    lines = [_finding_line(f, color) for f in visible(findings, show_ignored)]
    lines.append(_summary_line(findings, summary, color))
    return "\n".join(lines)


def _finding_line(f: Finding, color: bool) -> str:
    ignored = " (ignored)" if f.suppressed else ""
    if not color:
        return f"{f.path}:{f.line}:{f.column}: {f.rule} {f.message} ({f.slug}){ignored}"
    if f.suppressed:
        # A suppressed finding is context, not a call to action: dim the whole line.
        return f"{_DIM}{f.path}:{f.line}:{f.column}: {f.rule} {f.message} ({f.slug}){ignored}{_RESET}"
    style = _SEVERITY_STYLE[f.severity]
    return (
        f"{_BOLD}{f.path}:{f.line}:{f.column}:{_RESET} {style}{f.rule}{_RESET} {f.message} "
        f"{_DIM}({f.slug}){_RESET}"
    )


def _plural(n: int, word: str, plural: str | None = None) -> str:
    return f"{n} {word if n == 1 else (plural or word + 's')}"


def summary_text(findings: Sequence[Finding], summary: ScanSummary) -> str:
    """``3 findings (2 errors, 1 warning) in 41 files, 7 packages, 2 suppressed [0.42s]``."""
    counts = severity_counts(findings)
    total = sum(counts.values())
    if total:
        parts = [
            _plural(counts[Severity.ERROR], "error"),
            _plural(counts[Severity.WARNING], "warning"),
            _plural(counts[Severity.INFO], "info", "info"),
        ]
        breakdown = ", ".join(p for p, n in zip(parts, counts.values(), strict=True) if n)
        head = f"{_plural(total, 'finding')} ({breakdown})"
    else:
        head = "no findings"
    text = f"{head} in {_plural(summary.files, 'file')}, {_plural(summary.packages, 'package')}"
    if summary.suppressed:
        text += f", {summary.suppressed} suppressed"
    return f"{text} [{summary.seconds:.2f}s]"


def _summary_line(findings: Sequence[Finding], summary: ScanSummary, color: bool) -> str:
    text = summary_text(findings, summary)
    return f"{_BOLD}{text}{_RESET}" if color else text
