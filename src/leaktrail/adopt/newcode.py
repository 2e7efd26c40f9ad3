"""`--new-from-rev` / `--new-from-patch`: keep the findings on lines added or changed since a revision.

Like golangci-lint, the comparison is against the merge base of REV and HEAD and includes uncommitted
changes and untracked files (a new file is new on every line). Line numbers come from `git diff -U0`, so
only lines that were really added or changed count, not the context around them.
"""

from __future__ import annotations

import re
import subprocess
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from leaktrail.model import Finding

_HUNK = re.compile(rb"^@@ -\d+(?:,\d+)? \+(\d+)(?:,(\d+))? @@")
_GIT_TIMEOUT = 60.0


class NewCodeError(Exception):
    """One line for the user: the revision or patch cannot be used (exit 2)."""


@dataclass
class ChangedLines:
    """Added or changed lines per file, by absolute path; `whole` files are new in full."""

    root: Path
    lines: dict[Path, set[int]] = field(default_factory=dict)
    whole: set[Path] = field(default_factory=set)

    def covers(self, path: Path, line: int) -> bool:
        path = path.resolve()
        return path in self.whole or line in self.lines.get(path, ())

    def keep(self, findings: Iterable[Finding], cwd: Path) -> list[Finding]:
        return [f for f in findings if self.covers(_absolute(f.path, cwd), f.line)]


def _absolute(path: str, cwd: Path) -> Path:
    p = Path(path)
    return p if p.is_absolute() else cwd / p


def _git(args: Sequence[str], cwd: Path) -> bytes:
    try:
        out = subprocess.run(["git", *args], cwd=cwd, capture_output=True, timeout=_GIT_TIMEOUT, check=False)
    except FileNotFoundError:
        raise NewCodeError("git is not installed (needed by --new-from-rev)") from None
    except subprocess.TimeoutExpired:
        raise NewCodeError(f"git {' '.join(args)} took longer than {_GIT_TIMEOUT:.0f}s") from None
    if out.returncode != 0:
        message = out.stderr.decode("utf-8", "replace").strip().splitlines()
        raise NewCodeError(message[-1] if message else f"git {args[0]} failed (exit {out.returncode})")
    return out.stdout


def git_root(start: Path) -> Path:
    try:
        top = _git(["rev-parse", "--show-toplevel"], start)
    except NewCodeError:
        raise NewCodeError(f"{start}: not a git checkout (--new-from-rev needs one)") from None
    return Path(top.decode().strip()).resolve()


def since_rev(rev: str, start: Path) -> ChangedLines:
    """Lines added or changed since the merge base of `rev` and HEAD, uncommitted work included."""
    root = git_root(start)
    try:
        _git(["rev-parse", "--verify", "--quiet", f"{rev}^{{commit}}"], root)
    except NewCodeError:
        raise NewCodeError(f"--new-from-rev {rev}: unknown revision in {root}") from None
    try:
        base = _git(["merge-base", rev, "HEAD"], root).decode().strip()
    except NewCodeError:
        base = rev  # no common history (or no HEAD yet): compare with the revision itself
    diff = _git(["diff", "-U0", "--no-color", "--no-ext-diff", "--relative", base, "--", "."], root)
    changed = parse_patch(diff, root)
    untracked = _git(["ls-files", "--others", "--exclude-standard", "-z"], root)
    for name in untracked.split(b"\0"):
        if name:
            changed.whole.add((root / name.decode("utf-8", "surrogateescape")).resolve())
    return changed


def from_patch(patch: Path, start: Path) -> ChangedLines:
    """A unified diff made elsewhere; its paths are relative to the git checkout around `start`, or to
    `start` itself outside one."""
    try:
        data = patch.read_bytes()
    except OSError as e:
        raise NewCodeError(f"--new-from-patch {patch}: {e.strerror or e}") from None
    if data.strip() and b"\n+++ " not in b"\n" + data:
        raise NewCodeError(f"--new-from-patch {patch}: not a unified diff (no +++ line)")
    try:
        root = git_root(start)
    except NewCodeError:
        root = start.resolve()
    return parse_patch(data, root)


def parse_patch(data: bytes, root: Path) -> ChangedLines:
    """The `+` lines of every hunk of a unified diff (git's `a/` `b/` prefixes or none)."""
    changed = ChangedLines(root)
    current: set[int] | None = None
    line = 0
    for raw in data.splitlines():
        if raw.startswith(b"+++ "):
            name = raw[4:].split(b"\t", 1)[0].strip()
            if name == b"/dev/null":
                current = None
                continue
            if name.startswith(b'"') and name.endswith(b'"'):
                name = name[1:-1]
            if name.startswith((b"b/", b"a/")):
                name = name[2:]
            path = (root / name.decode("utf-8", "surrogateescape")).resolve()
            current = changed.lines.setdefault(path, set())
            continue
        m = _HUNK.match(raw)
        if m is not None:
            line = int(m.group(1))
            continue
        if current is None or raw.startswith((b"--- ", b"diff ", b"index ")):
            continue
        if raw.startswith(b"+"):
            current.add(line)
            line += 1
        elif raw.startswith(b" "):
            line += 1
    return changed
