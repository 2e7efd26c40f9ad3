"""`scan --fix` and `--diff`: scan, attach fixes, apply them, and scan again until a round changes nothing
(a fix skipped for overlapping another is recomputed on the changed file in the next round)."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field

from leaktrail.engine import ScanOptions, scan
from leaktrail.fix import FileChange, attach_fixes, plan_fixes
from leaktrail.fix.gofmt import polish

MAX_ROUNDS = 5


@dataclass
class FixRun:
    changes: dict[str, FileChange] = field(default_factory=dict)
    """Per file: the content before the first round and after the last."""
    fixed: int = 0
    rounds: int = 0
    left: int = 0
    """Findings that still had a fix when the rounds ran out (or, with write=False, after the first)."""


def run_fixes(paths: Sequence[str], options: ScanOptions, *, write: bool) -> FixRun:
    """Apply fixes in place (write=True), or compute the first round's changes only (write=False: the
    next round would need the changed files on disk)."""
    run = FixRun()
    for _ in range(MAX_ROUNDS if write else 1):
        result = scan(list(paths), options)
        plan = plan_fixes(attach_fixes([f for f in result.findings if not f.suppressed]))
        run.rounds += 1
        run.left = len(plan.skipped)
        if not plan.changes:
            break
        for change in plan.changes:
            change.after = polish(change.before, change.after)
            if write:
                with open(change.path, "wb") as fh:
                    fh.write(change.after)
            prior = run.changes.get(change.path)
            if prior is None:
                run.changes[change.path] = FileChange(change.path, change.before, change.after, change.fixed)
            else:
                prior.after = change.after
                prior.fixed.extend(change.fixed)
            run.fixed += len(change.fixed)
    return run
