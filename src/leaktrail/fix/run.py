"""`scan --fix` and `--diff`: scan, attach fixes, apply them, and scan again until a round changes nothing
(a fix skipped for overlapping another is recomputed on the changed file in the next round)."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path

from leaktrail.engine import ScanOptions, scan
from leaktrail.fix import FileChange, attach_fixes, plan_fixes
from leaktrail.fix.gofmt import polish
from leaktrail.fix.memory import analyse_directory, package_files
from leaktrail.model import Finding

MAX_ROUNDS = 5


@dataclass
class FixRun:
    changes: dict[str, FileChange] = field(default_factory=dict)
    """Per file: the content before the first round and after the last."""
    fixed: int = 0
    rounds: int = 0
    left: int = 0
    """Findings whose fix overlapped another in the last round (recomputed by a further --fix)."""


def run_fixes(paths: Sequence[str], options: ScanOptions, *, write: bool) -> FixRun:
    """Apply fixes in place (write=True), or only compute the changes (write=False: the later rounds
    analyse the fixed text in memory, so `--diff` shows what `--fix` would write)."""
    run = FixRun()
    findings = [f for f in scan(list(paths), options).findings if not f.suppressed]
    current: dict[str, bytes] = {}
    """write=False: the fixed text of every changed file (display path -> bytes)."""
    for _ in range(MAX_ROUNDS):
        plan = plan_fixes(attach_fixes(findings, current), current)
        run.rounds += 1
        run.left = len(plan.skipped)
        if not plan.changes:
            break
        for change in plan.changes:
            change.after = polish(change.before, change.after)
            if write:
                with open(change.path, "wb") as fh:
                    fh.write(change.after)
            else:
                current[change.path] = change.after
            prior = run.changes.get(change.path)
            if prior is None:
                run.changes[change.path] = FileChange(change.path, change.before, change.after, change.fixed)
            else:
                prior.after = change.after
                prior.fixed.extend(change.fixed)
            run.fixed += len(change.fixed)
        if write:
            findings = [f for f in scan(list(paths), options).findings if not f.suppressed]
        else:
            findings = _rescan_in_memory(findings, {c.path for c in plan.changes}, current, options)
    return run


def _rescan_in_memory(
    findings: list[Finding], changed: set[str], current: dict[str, bytes], options: ScanOptions
) -> list[Finding]:
    """The findings after a round, without writing: the directories of changed files analysed again on
    their fixed text, the others as they were (nothing in them had a fix that applied)."""
    config = options.config
    tests = options.tests if config.tests is None else bool(config.tests)
    go_version = options.go_version or config.go_version
    dirs = {Path(p).absolute().parent for p in changed}
    kept = [f for f in findings if Path(f.path).absolute().parent not in dirs]
    overlay = {Path(p).absolute(): text for p, text in current.items()}
    for directory in sorted(dirs):
        sources: dict[Path, bytes] = {}
        for path in package_files(directory, config, tests):
            if path in overlay:
                sources[path] = overlay[path]
            else:
                try:
                    sources[path] = path.read_bytes()
                except OSError:
                    continue
        found = analyse_directory(directory, sources, config, go_version, confidence=options.confidence)
        kept.extend(f for f in found if not f.suppressed)
    return kept
