"""How links read: extra lines under a group in `inspect`, extra keys in its JSON, and the evidence
ranking under `scan --evidence`."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path
from typing import Any

from rich.text import Text

from leaktrail.link.evidence import FindingEvidence
from leaktrail.link.explain import GroupLink, Location, is_lead
from leaktrail.runtime.model import Verdict

VIA_WORDS = {
    "blocked-line": "",
    "stack": " (a call on their stack)",
    "creation-site": " (where they are started)",
    "function": " (in the function they are blocked in)",
    "creator-function": " (in the function that starts them)",
}


def display_path(path: Path) -> str:
    try:
        return path.relative_to(Path.cwd()).as_posix()
    except ValueError:
        return path.as_posix()


def _location_json(loc: Location | None) -> dict[str, Any] | None:
    if loc is None:
        return None
    return {"path": display_path(loc.path), "line": loc.line, "text": loc.text}


def group_json(verdict: Verdict, link: GroupLink) -> dict[str, Any]:
    """Keys added to a group's JSON object when inspect reads the dump against a source tree."""
    return {
        "findings": [
            {
                "rule": e.finding.rule,
                "slug": e.finding.slug,
                "severity": str(e.finding.severity),
                "path": e.finding.path,
                "line": e.finding.line,
                "column": e.finding.column,
                "via": e.via,
                "message": e.finding.message,
            }
            for e in link.explanations
        ],
        "source": {
            "blocked": _location_json(link.blocked),
            "created": _location_json(link.created),
            "stale": list(link.stale),
            "lead": is_lead(verdict, link),
        },
    }


def group_text(verdict: Verdict, link: GroupLink) -> list[Text]:
    lines: list[Text] = []
    for e in link.explanations:
        f = e.finding
        line = Text("  explained by ")
        line.append(f"{f.rule} {f.slug}", style="bold magenta")
        line.append(f" at {f.path}:{f.line}{VIA_WORDS.get(e.via, '')}")
        if e.text:
            line.append(f"\n      {f.line} | {e.text}", style="dim")
        lines.append(line)
    if is_lead(verdict, link):
        where = f" (blocked at {display_path(link.blocked.path)}:{link.blocked.line})" if link.blocked else ""
        lines.append(Text(f"  no static finding: a lead for a new rule{where}", style="yellow"))
    for note in link.stale:
        if note.startswith("internal error"):
            lines.append(Text(f"  warning: {note}", style="yellow"))
            continue
        lines.append(
            Text(f"  source mismatch: {note}: the source on disk is not the build that ran", style="red")
        )
    return lines


def _plural(n: int, word: str) -> str:
    return f"{n:,} {word}" if n == 1 else f"{n:,} {word}s"


def evidence_text(ranked: Sequence[FindingEvidence], source: str, total: int) -> str:
    """The ranking printed after a scan's findings."""
    out = [f"runtime evidence from {source} ({_plural(total, 'goroutine')}):"]
    stuck = [e for e in ranked if e.goroutines]
    for e in stuck:
        f = e.finding
        confirmed = ""
        if e.confirmed:
            share = "all" if e.leaked == e.goroutines else f"{e.leaked:,}"
            confirmed = f", confirmed leaked by the runtime ({share})"
        out.append(
            f"  {f.rule} at {f.path}:{f.line} — {_plural(e.goroutines, 'goroutine')} stuck here{confirmed}"
        )
    rest = len(ranked) - len(stuck)
    if not stuck:
        out.append("  no goroutine in this snapshot is stuck on a finding")
    if rest:
        out.append(f"  {_plural(rest, 'finding')} with no goroutine stuck on it in this snapshot")
    return "\n".join(out)


def evidence_json(doc: dict[str, Any], ranked: Sequence[FindingEvidence], source: str, total: int) -> None:
    """Add evidence to a scan's JSON document in place: findings re-ordered by goroutines stuck."""
    by_key = {(e.finding.path, e.finding.line, e.finding.column, e.finding.rule): e for e in ranked}
    rank = {id(e): i for i, e in enumerate(ranked)}
    items = doc.get("findings", [])
    for item in items:
        e = by_key.get((item.get("path"), item.get("line"), item.get("column"), item.get("rule")))
        item["goroutines"] = e.goroutines if e else 0
        item["leaked"] = e.leaked if e else 0
        item["confirmed"] = bool(e and e.confirmed)
        item["groups"] = list(e.groups) if e else []

    def position(item: dict[str, Any]) -> int:
        e = by_key.get((item["path"], item["line"], item["column"], item["rule"]))
        return rank[id(e)] if e is not None else 1 << 30

    items.sort(key=position)
    doc["evidence"] = {
        "source": source,
        "total": total,
        "stuck": sum(e.goroutines for e in ranked),
        "confirmed_findings": sum(1 for e in ranked if e.confirmed),
    }
