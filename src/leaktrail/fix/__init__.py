"""Fixes for findings: computed from the finding's file re-parsed with tree-sitter (the rules stay as they
are), attached to findings for the reports and the editor, and applied by `scan --fix` / `--diff`.

Safety first: a fix is offered only where its fixer proved the edit cannot change what the program does
beyond ending the leak; otherwise the finding carries `no_fix`, the reason. Files with syntax errors,
suppressed findings and edits that overlap an edit already chosen are never touched."""

from __future__ import annotations

import dataclasses
import difflib
import hashlib
import json
import os
from collections.abc import Sequence
from concurrent.futures import ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from leaktrail import __version__
from leaktrail.engine import write_cache_json
from leaktrail.fix.fixers import FIXERS, Proposal, Site
from leaktrail.fix.text import ByteEdit, apply, offset_of, overlaps, to_edit
from leaktrail.model import Edit, Finding, Fix
from leaktrail.source.parse import Node, first_error, parse

__all__ = ["FileChange", "FixPlan", "attach_fixes", "fix_source", "plan_fixes"]


def fix_source(findings: Sequence[Finding], src: bytes) -> list[Finding]:
    """`findings` (all in one file whose content is `src`) with `fix` or `no_fix` filled in."""
    tree = parse(src)
    err = first_error(tree.root_node)
    out = []
    for f in findings:
        if err is not None:
            out.append(
                dataclasses.replace(
                    f,
                    fix=None,
                    no_fix=f"the file has a syntax error (line {err.start_point[0] + 1}); "
                    "leaktrail edits only files that parse",
                )
            )
            continue
        out.append(_one(f, src, tree.root_node))
    return out


def _one(f: Finding, src: bytes, root: Node) -> Finding:
    if f.suppressed:
        return dataclasses.replace(f, fix=None, no_fix="the finding is suppressed")
    fixer = FIXERS.get(f.rule)
    if fixer is None:
        return dataclasses.replace(f, fix=None, no_fix=f"leaktrail offers no automatic fix for {f.rule}")
    at = offset_of(src, f.line, f.column)
    if at is None:
        return dataclasses.replace(f, fix=None, no_fix="the file changed since the scan")
    node = root.named_descendant_for_byte_range(at, at)
    if node is None:
        return dataclasses.replace(f, fix=None, no_fix="the file changed since the scan")
    try:
        outcome = fixer(Site(f, src, root, node))
    except (ValueError, AttributeError, IndexError, TypeError) as e:  # a bug of ours: no fix, no crash
        outcome = f"internal error while computing the fix ({type(e).__name__})"
    if isinstance(outcome, str):
        return dataclasses.replace(f, fix=None, no_fix=outcome)
    fixed = apply(src, list(outcome.edits))
    if first_error(parse(fixed).root_node) is not None:
        return dataclasses.replace(f, fix=None, no_fix="the edit would not parse")
    return dataclasses.replace(f, fix=_to_fix(f.path, src, outcome), no_fix="")


def _to_fix(path: str, src: bytes, p: Proposal) -> Fix:
    edits = sorted(p.edits, key=lambda e: (e.start, e.end))
    return Fix(p.description, tuple(to_edit(src, path, e) for e in edits))


def attach_fixes(
    findings: Sequence[Finding],
    sources: dict[str, bytes] | None = None,
    cache_dir: Path | None = None,
    jobs: int = 1,
) -> list[Finding]:
    """Every finding with its fix or the reason for none, in the findings' order (files from `sources`
    when there, else from disk).

    With `cache_dir` (the scan cache), a file's fixes are kept under the hash of its bytes and of its
    findings: computing them parses the file and every fixed variant of it, which cost a warm scan
    with the JSON report more than the scan itself. The files not cached are computed on `jobs` worker
    processes (0: one per core) when there are enough of them: after a cold scan of the standard
    library, 42 files and 83 parses took 0.7 s on one core."""
    by_file: dict[str, list[int]] = {}
    for i, f in enumerate(findings):
        by_file.setdefault(f.path, []).append(i)
    out = list(findings)
    todo: list[tuple[list[int], list[Finding], bytes, str]] = []
    for path, idx in by_file.items():
        try:
            src = sources[path] if sources is not None and path in sources else Path(path).read_bytes()
        except OSError as e:
            for i in idx:
                out[i] = dataclasses.replace(out[i], no_fix=f"cannot read the file: {e.strerror or e}")
            continue
        mine = [findings[i] for i in idx]
        key = _fix_key(mine, src) if cache_dir is not None else ""
        fixed = _fix_cache_load(cache_dir, key, mine) if cache_dir is not None else None
        if fixed is None:
            todo.append((idx, mine, src, key))
            continue
        for i, f in zip(idx, fixed, strict=True):
            out[i] = f
    workers = min(jobs or os.cpu_count() or 1, len(todo) // _FILES_PER_WORKER)
    computed = _on_workers(todo, workers) if workers > 1 else None
    if computed is None:
        computed = [fix_source(mine, src) for _, mine, src, _ in todo]
    for (idx, _, _, key), fixed in zip(todo, computed, strict=True):
        if cache_dir is not None:
            _fix_cache_store(cache_dir, key, fixed)
        for i, f in zip(idx, fixed, strict=True):
            out[i] = f
    return out


def _on_workers(
    todo: list[tuple[list[int], list[Finding], bytes, str]], workers: int
) -> list[list[Finding]] | None:
    """fix_source of every file on worker processes, the biggest files first, one at a time (the parses'
    cost goes with the bytes); None when the workers could not run (a killed worker, no processes left):
    the caller computes the fixes itself."""
    order = sorted(range(len(todo)), key=lambda k: -len(todo[k][2]))
    computed: list[list[Finding]] = [[] for _ in todo]
    try:
        with ProcessPoolExecutor(max_workers=workers) as pool:
            done = pool.map(fix_source, [todo[k][1] for k in order], [todo[k][2] for k in order])
            for k, fixed in zip(order, done, strict=True):
                computed[k] = fixed
    except (BrokenProcessPool, OSError):
        return None
    return computed


_FILES_PER_WORKER = 8
"""Files to fix per worker below which starting worker processes costs more than it saves."""


_FIX_CACHE_FORMAT = "1"


def _fix_key(findings: Sequence[Finding], src: bytes) -> str:
    h = hashlib.blake2b(digest_size=20)
    h.update(f"fix{_FIX_CACHE_FORMAT}\0{__version__}\0".encode())
    for f in findings:
        row = [f.rule, f.slug, str(f.severity), f.path, f.line, f.column, f.message, f.suppressed]
        row.append(f.confidence)
        h.update(json.dumps(row).encode() + b"\0")
    h.update(src)
    return h.hexdigest()


def _fix_cache_path(cache_dir: Path, key: str) -> Path:
    return cache_dir / f"fix{_FIX_CACHE_FORMAT}" / key[:2] / f"{key}.json"


def _fix_cache_load(cache_dir: Path, key: str, findings: Sequence[Finding]) -> list[Finding] | None:
    try:
        raw = json.loads(_fix_cache_path(cache_dir, key).read_bytes())
        if not isinstance(raw, list) or len(raw) != len(findings):
            return None
        out = []
        for f, (no_fix, fix) in zip(findings, raw, strict=True):
            got = None
            if fix is not None:
                got = Fix(str(fix["description"]), tuple(Edit(*e) for e in fix["edits"]))
            out.append(dataclasses.replace(f, fix=got, no_fix=str(no_fix)))
        return out
    except (OSError, ValueError, KeyError, TypeError):
        return None


def _fix_cache_store(cache_dir: Path, key: str, fixed: Sequence[Finding]) -> None:
    rows: list[Any] = []
    for f in fixed:
        fix = None
        if f.fix is not None:
            fix = {"description": f.fix.description, "edits": [dataclasses.astuple(e) for e in f.fix.edits]}
        rows.append([f.no_fix, fix])
    write_cache_json(_fix_cache_path(cache_dir, key), rows)


@dataclass
class FileChange:
    path: str
    before: bytes
    after: bytes
    fixed: list[Finding] = field(default_factory=list)

    def diff(self) -> str:
        a = self.before.decode("utf-8", "replace").splitlines(keepends=True)
        b = self.after.decode("utf-8", "replace").splitlines(keepends=True)
        return "".join(difflib.unified_diff(a, b, f"a/{self.path}", f"b/{self.path}"))


@dataclass
class FixPlan:
    changes: list[FileChange]
    skipped: list[Finding]
    """Findings with a fix that was not applied because it overlaps one chosen before it."""

    @property
    def fixed(self) -> int:
        return sum(len(c.fixed) for c in self.changes)


def plan_fixes(findings: Sequence[Finding], sources: dict[str, bytes] | None = None) -> FixPlan:
    """The new content of every file that `findings` (with fixes attached) would change.

    Fixes apply in finding order; one whose edits overlap an already chosen edit is skipped (a later
    run, on the changed file, recomputes it), an identical one counts as fixed by the first."""
    by_file: dict[str, list[Finding]] = {}
    for f in findings:
        if f.fix is not None and not f.suppressed:
            by_file.setdefault(f.path, []).append(f)
    changes: list[FileChange] = []
    skipped: list[Finding] = []
    for path, fs in by_file.items():
        src = sources[path] if sources is not None and path in sources else _read(path)
        if src is None or first_error(parse(src).root_node) is not None:
            continue
        chosen: list[ByteEdit] = []
        chosen_fixes: list[tuple[ByteEdit, ...]] = []
        fixed: list[Finding] = []
        for f in fs:
            assert f.fix is not None
            edits = _byte_edits(src, f.fix)
            if edits is None:
                skipped.append(f)
                continue
            if edits in chosen_fixes:
                fixed.append(f)
                continue
            if any(overlaps(a, b) for a in edits for b in chosen):
                skipped.append(f)
                continue
            chosen.extend(edits)
            chosen_fixes.append(edits)
            fixed.append(f)
        if not chosen:
            continue
        after = apply(src, chosen)
        if first_error(parse(after).root_node) is not None:
            skipped.extend(fixed)
            continue
        changes.append(FileChange(path, src, after, fixed))
    return FixPlan(changes, skipped)


def _read(path: str) -> bytes | None:
    try:
        return Path(path).read_bytes()
    except OSError:
        return None


def _byte_edits(src: bytes, fix: Fix) -> tuple[ByteEdit, ...] | None:
    out = []
    for e in fix.edits:
        start = offset_of(src, e.start_line, e.start_column)
        end = offset_of(src, e.end_line, e.end_column)
        if start is None or end is None or end < start:
            return None
        out.append(ByteEdit(start, end, e.new_text))
    return tuple(out)
