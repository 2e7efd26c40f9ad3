"""SARIF 2.1.0 report, the format GitHub code scanning and most IDE viewers ingest.

Locations are relative to ``%SRCROOT%`` (the scan root) so uploaded results map onto the
repository no matter where the scan ran; ``partialFingerprints`` omit the line number so an alert
survives edits above it.
"""

from __future__ import annotations

import hashlib
import json
import os
from collections import Counter
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any
from urllib.parse import quote

from leaktrail import __version__
from leaktrail.model import Finding, Fix, RuleInfo, Severity
from leaktrail.report._common import visible

SARIF_SCHEMA = "https://docs.oasis-open.org/sarif/sarif/v2.1.0/errata01/os/schemas/sarif-schema-2.1.0.json"
INFORMATION_URI = "https://github.com/leaktrail/leaktrail"
HELP_URI = "https://github.com/leaktrail/leaktrail/blob/main/docs/rules/{code}.md"
SRCROOT = "%SRCROOT%"
FINGERPRINT_KEY = "leaktrail/v1"

_LEVEL = {Severity.ERROR: "error", Severity.WARNING: "warning", Severity.INFO: "note"}


def render_sarif(
    findings: Sequence[Finding], rules: Mapping[str, RuleInfo], *, root: Path, show_ignored: bool = False
) -> str:
    return json.dumps(sarif_log(findings, rules, root=root, show_ignored=show_ignored), indent=2)


def sarif_log(
    findings: Sequence[Finding], rules: Mapping[str, RuleInfo], *, root: Path, show_ignored: bool = False
) -> dict[str, Any]:
    """The SARIF document as a dict (handy for tests and for callers that embed it)."""
    root = _scan_root(root)
    ordered = sorted(rules.values(), key=lambda r: r.code)
    index = {r.code: i for i, r in enumerate(ordered)}
    seen: Counter[tuple[str, str, str]] = Counter()
    results = []
    for f in visible(findings, show_ignored):
        location = _artifact_location(f.path, root)
        result: dict[str, Any] = {"ruleId": f.rule}
        if f.rule in index:
            result["ruleIndex"] = index[f.rule]
        result["level"] = _LEVEL[f.severity]
        result["message"] = {"text": f.message}
        result["locations"] = [
            {
                "physicalLocation": {
                    "artifactLocation": location,
                    "region": {"startLine": f.line, "startColumn": f.column},
                }
            }
        ]
        # Identical (rule, file, message) triples are told apart by their order in the file, which,
        # unlike the line number, does not change when unrelated code is edited.
        key = (f.rule, location["uri"], f.message)
        seen[key] += 1
        result["partialFingerprints"] = {FINGERPRINT_KEY: _fingerprint(*key, seen[key])}
        result["properties"] = {"confidence": f.confidence}
        if f.fix is not None:
            result["fixes"] = [_sarif_fix(f.fix, root)]
        elif f.no_fix:
            result["properties"]["noFix"] = f.no_fix
        if f.suppressed:
            result["suppressions"] = [{"kind": "inSource"}]
        results.append(result)
    return {
        "$schema": SARIF_SCHEMA,
        "version": "2.1.0",
        "runs": [
            {
                "tool": {
                    "driver": {
                        "name": "leaktrail",
                        "version": __version__,
                        "semanticVersion": __version__,
                        "informationUri": INFORMATION_URI,
                        "rules": [_rule_descriptor(r) for r in ordered],
                    }
                },
                "originalUriBaseIds": {SRCROOT: {"uri": _dir_uri(root)}},
                "results": results,
            }
        ],
    }


def _sarif_fix(fix: Fix, root: Path) -> dict[str, Any]:
    """SARIF 3.55: one artifactChange per file, one replacement per edit (columns as in the results)."""
    by_path: dict[str, list[dict[str, Any]]] = {}
    for e in fix.edits:
        region = {
            "startLine": e.start_line,
            "startColumn": e.start_column,
            "endLine": e.end_line,
            "endColumn": e.end_column,
        }
        by_path.setdefault(e.path, []).append(
            {"deletedRegion": region, "insertedContent": {"text": e.new_text}}
        )
    return {
        "description": {"text": fix.description},
        "artifactChanges": [
            {"artifactLocation": _artifact_location(path, root), "replacements": reps}
            for path, reps in by_path.items()
        ],
    }


def _rule_descriptor(rule: RuleInfo) -> dict[str, Any]:
    doc = rule.doc.strip() or rule.summary
    return {
        "id": rule.code,
        "name": rule.slug,
        "shortDescription": {"text": rule.summary},
        "fullDescription": {"text": first_paragraph(rule.doc) or rule.summary},
        "help": {"text": doc, "markdown": doc},
        "helpUri": HELP_URI.format(code=rule.code),
        "defaultConfiguration": {"level": _LEVEL[rule.severity]},
    }


def first_paragraph(doc: str) -> str:
    """First prose paragraph of a Markdown doc, on one line (headings like ``## What it does`` skipped)."""
    for block in doc.strip().split("\n\n"):
        lines = [ln.strip() for ln in block.strip().splitlines()]
        prose = [ln for ln in lines if ln and not ln.startswith("#")]
        if prose:
            return " ".join(prose)
    return ""


def _fingerprint(rule: str, uri: str, message: str, occurrence: int) -> str:
    data = "\0".join([rule, uri, message, str(occurrence)]).encode()
    return hashlib.sha256(data).hexdigest()[:32]


def _scan_root(root: Path) -> Path:
    root = Path(os.path.normpath(root.absolute()))
    # A single-file scan still needs a directory as %SRCROOT%.
    return root.parent if root.is_file() else root


def _dir_uri(root: Path) -> str:
    uri = root.as_uri()
    return uri if uri.endswith("/") else uri + "/"


def _artifact_location(display_path: str, root: Path) -> dict[str, str]:
    """``{"uri", "uriBaseId"}`` relative to the scan root, or an absolute file URI outside it."""
    path = Path(display_path)
    absolute = Path(os.path.normpath(path if path.is_absolute() else Path.cwd() / path))
    relative = _relative(absolute, root)
    if relative is None:
        return {"uri": absolute.as_uri()}
    return {"uri": quote(relative.as_posix(), safe="/"), "uriBaseId": SRCROOT}


def _relative(path: Path, root: Path) -> Path | None:
    for candidate, base in ((path, root), (path.resolve(), root.resolve())):
        try:
            rel = candidate.relative_to(base)
        except ValueError:
            continue
        if rel.parts:
            return rel
    return None
