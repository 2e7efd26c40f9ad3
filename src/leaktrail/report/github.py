"""GitHub Actions workflow commands: each finding becomes an annotation on the pull request diff.

Escaping follows the Actions runner (``toolkit/packages/core/src/command.ts``): data escapes
``%``, CR and LF; property values additionally escape ``:`` and ``,``, which delimit properties.
"""

from __future__ import annotations

from collections.abc import Sequence

from leaktrail.model import Finding, Severity

_COMMAND = {Severity.ERROR: "error", Severity.WARNING: "warning", Severity.INFO: "notice"}


def escape_data(value: str) -> str:
    return value.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")


def escape_property(value: str) -> str:
    return escape_data(value).replace(":", "%3A").replace(",", "%2C")


def render_github(findings: Sequence[Finding]) -> str:
    """One ``::error``/``::warning``/``::notice`` line per active finding; suppressed ones never appear."""
    lines = []
    for f in findings:
        if f.suppressed:
            continue
        props = ",".join(
            [
                f"file={escape_property(f.path)}",
                f"line={f.line}",
                f"col={f.column}",
                f"title={escape_property(f'{f.rule} {f.slug}')}",
            ]
        )
        lines.append(f"::{_COMMAND[f.severity]} {props}::{escape_data(f.message)}")
    return "\n".join(lines)
