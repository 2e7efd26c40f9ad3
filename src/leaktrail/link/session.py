"""What the commands share about source linking, as plain functions: resolve --source, scan it, link a set
of inspections, load --evidence and add it to a scan report."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

from leaktrail.link.explain import GroupLink, Linker
from leaktrail.link.scan import scan_source
from leaktrail.link.tree import SourceTree, find_module_root
from leaktrail.model import Finding
from leaktrail.runtime.model import Inspection


def open_source(option: str | None) -> SourceTree | None:
    """--source DIR (SourceError when it is not a directory); by default the Go module around the
    current directory, or None outside any module. An empty value turns linking off."""
    if option == "":
        return None
    if option is None:
        root = find_module_root(Path.cwd())
        return SourceTree.load(root) if root is not None else None
    return SourceTree.load(Path(option))


def link_inspections(tree: SourceTree, inspections: Sequence[Inspection]) -> dict[str, GroupLink]:
    """Scan the tree (ScanError on a bad config) and link every group of every inspection."""
    findings, _warnings = scan_source(tree.root)
    return Linker(tree, findings, Path.cwd()).link_all(inspections)


class EvidenceError(Exception):
    """`scan --evidence` could not read its dump or URL: one line, naming the source."""


def load_evidence(source: str) -> Inspection:
    """Read and classify the evidence; a URL's goroutineleak profile is fetched too, so findings can be
    confirmed by the runtime's proof."""
    import zlib

    from leaktrail.runtime import InputError, inspect, load_snapshot
    from leaktrail.runtime.fetch import is_url

    try:
        snapshot = load_snapshot(source, leak_profile=is_url(source))
    except (InputError, OSError, EOFError, UnicodeError, zlib.error, ValueError) as exc:
        message = str(exc).splitlines()[0] if str(exc) else type(exc).__name__
        raise EvidenceError(f"--evidence {source}: {message}") from None
    return inspect(snapshot)


def evidence_tree(paths: Sequence[str]) -> SourceTree:
    """The tree frames are mapped into: the Go module around the first scanned path, else that path."""
    first = Path((paths[0] if paths else ".").removesuffix("...").rstrip("/") or ".").absolute()
    start = first if first.is_dir() else first.parent
    return SourceTree.load(find_module_root(start) or start)


def add_evidence(
    rendered: str, fmt: str, findings: Sequence[Finding], paths: Sequence[str], evidence: Inspection
) -> tuple[str, str | None]:
    """The scan report with the evidence ranking (text: a section after it; json: per-finding counts,
    ranked) and a warning for formats that cannot carry it."""
    import json

    from leaktrail.link.evidence import rank_findings
    from leaktrail.link.render import evidence_json, evidence_text

    tree = evidence_tree(paths)
    links = Linker(tree, findings, Path.cwd()).link_all([evidence])
    ranked = rank_findings(findings, [evidence], links)
    source, total = evidence.snapshot.source, evidence.snapshot.total
    if fmt == "json":
        doc = json.loads(rendered)
        evidence_json(doc, ranked, source, total)
        return json.dumps(doc, indent=2, ensure_ascii=True), None
    if fmt == "text":
        section = evidence_text(ranked, source, total)
        return (f"{rendered}\n\n{section}" if rendered else section), None
    return rendered, f"--evidence is shown in the text and json formats only, not in {fmt}"
