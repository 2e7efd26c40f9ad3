"""`--source` for watch and report: explain groups with static findings through issue 5's linker.

This module never links on its own: it opens a `leaktrail.link.SourceTree`, scans it once, and adapts
`leaktrail.link.Linker` to what watch (a live `Group`) and report (frames read back from the history)
hold. The import is lazy, so watch runs without the linker's dependencies loaded.
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path
from typing import Any

from leaktrail.runtime.model import Frame, Group


def finding_json(explanation: Any) -> dict[str, Any]:
    """One `leaktrail.link.Explanation` as the JSON alerts, the history and the report carry."""
    f = explanation.finding
    return {
        "rule": f.rule,
        "slug": f.slug,
        "severity": str(f.severity),
        "path": f.path,
        "line": f.line,
        "via": explanation.via,
        "message": f.message,
        "text": explanation.text,
    }


class SourceLinks:
    """A scanned source tree: findings per group, and frames mapped to local files (for snippets)."""

    def __init__(self, tree: Any, linker: Any, warnings: Sequence[str]) -> None:
        self._tree = tree
        self._linker = linker
        self.warnings = tuple(warnings)

    @classmethod
    def open(cls, source: Path) -> tuple[SourceLinks | None, str]:
        """(links, "") or (None, why not): a bad tree must not stop watch."""
        try:
            from leaktrail.link import Linker, ScanError, SourceError, SourceTree, scan_source
        except ImportError as exc:  # pragma: no cover - the linker ships with leaktrail
            return None, f"the source linker is not available ({exc})"
        try:
            tree = SourceTree.load(source)
            findings, warnings = scan_source(tree.root)
        except (SourceError, ScanError, OSError) as exc:
            return None, f"cannot link to {source}: {exc}"
        return cls(tree, Linker(tree, findings, Path.cwd()), warnings), ""

    def findings(self, group: Group) -> tuple[dict[str, Any], ...]:
        try:
            return tuple(finding_json(e) for e in self._linker.link(group).explanations)
        except Exception:  # one odd group must not stop watch or report
            return ()

    def findings_for(self, frames: Sequence[Frame], blocking: str | None) -> tuple[dict[str, Any], ...]:
        """For groups read back from the history, where only frames and the operation are kept."""
        return self.findings(
            Group(
                key="",
                by="stack",
                signature=tuple((f.function, f.file, f.line) for f in frames),
                count=0,
                leaked=0,
                states=(),
                blocking=blocking,
                frames=tuple(frames),
                created_by=None,
                labels=(),
                wait=None,
                ids=(),
                parent_ids=(),
                stacks=1,
            )
        )

    def map_frame(self, frame: Frame) -> Path | None:
        try:
            path = self._tree.map_frame(frame)
        except Exception:
            return None
        return path if isinstance(path, Path) else None
