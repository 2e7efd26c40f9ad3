"""Which static findings explain a group of stuck goroutines, and whether the source is the one that ran.

A finding explains a group when (strongest first):
1. it is on a line of the group's stack: the blocked frame's line (`blocked-line`) or a caller's (`stack`):
   the goroutines are literally inside that statement;
2. it is on the group's creation site, the `go` statement (`creation-site`);
3. it is in the function (or closure, nested closures included) the goroutines are blocked in, and the
   rule's blocking states include the group's operation (`function`);
4. only when nothing above matched: it is in the function that holds the creation site, with a matching
   state (`creator-function`): e.g. a GL004 `return` in a worker closure explains the `Wait` of its sibling.

Rules name the blocking states they explain in `RULE_STATES`, in the runtime's own words
(runtime/waitreasons.py), so rules written later link without any change here; a rule missing from the
table still explains groups by line and creation site.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Final

from leaktrail.link.tree import GoFileInfo, SourceTree, parse_function
from leaktrail.model import Finding
from leaktrail.runtime.group import is_wrapper
from leaktrail.runtime.model import Classification, Frame, Group, Inspection, Verdict

_CHAN = ("chan receive", "chan send", "select")
_LOCKS = ("sync.Mutex.Lock", "sync.RWMutex.Lock", "sync.RWMutex.RLock")

RULE_STATES: Final[Mapping[str, frozenset[str]]] = {
    "GL001": frozenset({"chan receive"}),
    # goroutines that wait on ctx.Done() of a context nobody cancels
    "GL002": frozenset({"chan receive", "select"}),
    # goroutines that outlive the Wait that should have counted them, blocked handing over their result
    "GL003": frozenset(_CHAN),
    "GL004": frozenset({"sync.WaitGroup.Wait"}),
    # a single-case select compiles to a plain channel operation
    "GL005": frozenset({"select", "select (no cases)", "chan receive", "chan send"}),
    "GL006": frozenset({"chan send", "chan receive"}),
    "GL007": frozenset({"select", "chan receive", "sleep"}),
    "GL008": frozenset({*_CHAN, "sleep", "IO wait", "sync.Cond.Wait"}),
    "GL009": frozenset({*_CHAN, "sleep", "IO wait"}),
    # database/sql waits for a connection or a driver in select, channel and lock operations
    "GL010": frozenset({*_CHAN, "IO wait", "sync.Mutex.Lock", "semacquire"}),
    "GL011": frozenset({*_CHAN, "sleep", "IO wait"}),
    "GL012": frozenset({"select"}),
    "GL013": frozenset({"chan receive", "select"}),
    "GL014": frozenset({*_CHAN, "sleep"}),
    "GL015": frozenset({*_CHAN, "sleep"}),
    "GL017": frozenset({"IO wait", "select"}),
    "GL018": frozenset(_LOCKS),
    "GL019": frozenset(_LOCKS),
    "GL020": frozenset(_LOCKS),
    "GL021": frozenset({"chan send (nil chan)", "chan receive (nil chan)"}),
    "GL022": frozenset({*_CHAN, "sync.WaitGroup.Wait", "sync.Cond.Wait", *_LOCKS}),
    "GL023": frozenset({"sync.Cond.Wait"}),
}

VIA_ORDER: Final[tuple[str, ...]] = ("blocked-line", "stack", "creation-site", "function", "creator-function")

# What the blocked frame's statement must contain for each operation (the runtime frames above it do the
# parking, so the user's statement is the channel operation, select or call itself).
_OPERATION_TOKENS: Final[Mapping[str, tuple[str, ...]]] = {
    "chan receive": ("<-", "range", "select"),
    "chan send": ("<-", "select"),
    "chan receive (nil chan)": ("<-", "range", "select"),
    "chan send (nil chan)": ("<-", "select"),
    "select": ("select",),
    "select (no cases)": ("select",),
    "sync.WaitGroup.Wait": ("Wait",),
    "sync.Cond.Wait": ("Wait",),
    "sync.Mutex.Lock": ("Lock",),
    "sync.RWMutex.Lock": ("Lock",),
    "sync.RWMutex.RLock": ("RLock",),
    "sleep": ("Sleep",),
}
_OPERATION_WORDS: Final[Mapping[str, str]] = {
    "chan receive": "a channel receive",
    "chan send": "a channel send",
    "select": "a select",
    "select (no cases)": "a select",
    "sleep": "a call to time.Sleep",
}


def normalize_state(state: str | None) -> str | None:
    """`chan receive (durable)` (synctest) is a `chan receive` for the rules."""
    return state.removesuffix(" (durable)") if state else state


@dataclass(frozen=True, slots=True)
class Location:
    path: Path
    """Absolute local path."""
    line: int
    text: str | None
    """The source line, stripped; None when the line is past the end of the file."""


@dataclass(frozen=True, slots=True)
class Explanation:
    finding: Finding
    via: str
    """How it matched: one of VIA_ORDER."""
    text: str | None = None
    """The finding's source line, stripped."""


@dataclass(frozen=True, slots=True)
class GroupLink:
    """What the source says about one group."""

    blocked: Location | None
    """The first user frame, mapped to a local file."""
    created: Location | None
    explanations: tuple[Explanation, ...]
    stale: tuple[str, ...]
    """Frames whose line is not the statement the frame implies: the source is not the build that ran."""
    mapped: bool
    """At least one user frame (or the creation site) was found in the source tree."""

    @property
    def findings(self) -> tuple[Finding, ...]:
        return tuple(e.finding for e in self.explanations)


class Linker:
    """Links groups to findings; findings' paths are display paths, resolved against `cwd`."""

    def __init__(self, tree: SourceTree, findings: Iterable[Finding], cwd: Path) -> None:
        self.tree = tree
        self.findings = [f for f in findings if not f.suppressed]
        self._by_line: dict[tuple[Path, int], list[Finding]] = {}
        self._by_file: dict[Path, list[Finding]] = {}
        self._paths: dict[Finding, Path] = {}
        for f in self.findings:
            path = self._paths[f] = _absolute(f.path, cwd)
            self._by_line.setdefault((path, f.line), []).append(f)
            self._by_file.setdefault(path, []).append(f)
        self._cache: dict[tuple[object, ...], GroupLink] = {}

    def link(self, group: Group) -> GroupLink:
        key = (group.signature, group.created_by, group.blocking, group.frames)
        found = self._cache.get(key)
        if found is None:
            try:
                found = self._link(group)
            except (RecursionError, ValueError, KeyError, IndexError, AttributeError, TypeError) as exc:
                # A bug of ours must not cost the user the rest of the report.
                note = f"internal error while reading the source for this group ({type(exc).__name__}: {exc})"
                found = GroupLink(None, None, (), (note,), False)
            self._cache[key] = found
        return found

    def link_all(self, inspections: Sequence[Inspection]) -> dict[str, GroupLink]:
        """By group key (the same stack links the same way in every inspection)."""
        return {v.group.key: self.link(v.group) for ins in inspections for v in ins.verdicts}

    def _link(self, group: Group) -> GroupLink:
        state = normalize_state(group.blocking)
        frames = [f for f in group.frames if not is_wrapper(f)]
        stale: list[str] = []
        mapped: list[tuple[Frame, Path, GoFileInfo | None]] = []
        first_user = next((i for i, f in enumerate(frames) if f.is_user), None)
        for i, frame in enumerate(frames):
            if not frame.is_user:
                continue
            path = self.tree.map_frame(frame)
            if path is None:
                continue
            info = self.tree.file(path)
            # The blocked frame is the innermost one in the tree (a vendored library may sit above it). Only
            # it is checked against the operation: callers may call through function values and
            # interfaces, whose names need not appear on the line.
            blocked_frame = not mapped
            mapped.append((frame, path, info))
            callee = frames[i - 1] if blocked_frame and i > 0 else None
            note = _check_frame(frame, info, path, callee, state if blocked_frame else None, self.tree)
            if note:
                stale.append(note)
        blocked: Location | None = None
        if mapped:
            frame, path, info = mapped[0]
            blocked = Location(path, frame.line, _stripped(info, frame.line))
        created: Location | None = None
        created_info: GoFileInfo | None = None
        cb = group.created_by
        if cb is not None and cb.is_user:
            cpath = self.tree.map_frame(cb)
            if cpath is not None:
                created_info = self.tree.file(cpath)
                created = Location(cpath, cb.line, _stripped(created_info, cb.line))
                note = _check_frame(cb, created_info, cpath, None, None, self.tree, creation=True)
                if note:
                    stale.append(note)
        elif cb is None and mapped:
            # debug=0/1 profiles carry no creation site; a goroutine whose outermost frame is a closure
            # started as `go func() {…}()` was created on the line its closure opens.
            created, created_info = _entry_closure(mapped[-1])
        # debug=1 hides the runtime frames that name the operation; when the user's frame is on top, its
        # statement is the channel operation or select itself.
        if (
            state is None
            and not group.states
            and blocked is not None
            and first_user is not None
            and mapped[0][0] is frames[first_user]
            and all(f.is_runtime for f in frames[:first_user])
        ):
            info = self.tree.file(blocked.path)
            state = infer_operation(info.statement_text(blocked.line)) if info is not None else None

        out: list[Explanation] = []
        seen: set[Finding] = set()

        def add(findings: Iterable[Finding], via: str) -> None:
            for f in findings:
                if f not in seen:
                    seen.add(f)
                    info = self.tree.file(self._paths[f])
                    out.append(Explanation(f, via, _stripped(info, f.line)))

        for n, (frame, path, _) in enumerate(mapped):
            via = "blocked-line" if n == 0 and blocked is not None else "stack"
            add(self._by_line.get((path, frame.line), ()), via)
        if created is not None:
            add(self._by_line.get((created.path, created.line), ()), "creation-site")
        if blocked is not None and state is not None:
            info = self.tree.file(blocked.path)
            span = info.innermost(blocked.line) if info is not None else None
            if span is not None:
                add(self._in_span(blocked.path, span.start, span.end, state), "function")
        if not out and created is not None and created_info is not None and state is not None:
            span = created_info.innermost(created.line, strict=True)
            if span is not None:
                add(self._in_span(created.path, span.start, span.end, state), "creator-function")
        return GroupLink(
            blocked=blocked,
            created=created,
            explanations=tuple(out),
            stale=tuple(dict.fromkeys(stale)),
            mapped=bool(mapped) or created is not None,
        )

    def _in_span(self, path: Path, start: int, end: int, state: str) -> list[Finding]:
        return [
            f
            for f in self._by_file.get(path, ())
            if start <= f.line <= end and state in RULE_STATES.get(f.rule, frozenset())
        ]


def _entry_closure(entry: tuple[Frame, Path, GoFileInfo | None]) -> tuple[Location | None, GoFileInfo | None]:
    frame, path, info = entry
    if info is None or not parse_function(frame.function).closure:
        return None, None
    span = info.innermost(frame.line)
    text = info.line_text(span.start) if span is not None and span.closure else None
    if span is None or text is None or not re.search(r"\bgo\b", _code(text)):
        return None, None
    return Location(path, span.start, text.strip()), info


def infer_operation(statement: str) -> str | None:
    """The channel operation a statement performs, for evidence without wait reasons."""
    code = _code(statement)
    if re.search(r"\bselect\s*\{\s*\}", code):
        return "select (no cases)"
    if re.search(r"\bselect\b", code):
        return "select"
    if re.search(r"\brange\b", code):
        return "chan receive"
    if "<-" not in code:
        return None
    code = re.sub(r"\b(?:return|case|go|defer)\b", " ", code)
    return "chan send" if re.search(r"[\w)\]]\s*<-", code) else "chan receive"


def _absolute(path: str, cwd: Path) -> Path:
    p = Path(path)
    return (p if p.is_absolute() else cwd / p).resolve()


def _stripped(info: GoFileInfo | None, line: int) -> str | None:
    if info is None:
        return None
    text = info.line_text(line)
    return text.strip() if text is not None else None


def _check_frame(
    frame: Frame,
    info: GoFileInfo | None,
    path: Path,
    callee: Frame | None,
    state: str | None,
    tree: SourceTree,
    *,
    creation: bool = False,
) -> str | None:
    """Why this frame's line cannot be what ran, or None when it fits. Every frame's line must lie in the
    function the frame names; the blocked frame's statement must also be the operation (or the call into
    the standard library) the goroutines wait in."""
    where = f"{_display(path, tree)}:{frame.line}"
    if info is None:
        return f"{where}: cannot read the file"
    text = info.line_text(frame.line)
    if text is None:
        return f"{where}: the file has only {len(info.lines)} lines, but {frame.function} ran there"
    want = parse_function(frame.function)
    if want.name:
        span = info.declaration(frame.line)
        if span is None:
            return f"{where} is outside any function, but {frame.function} ran there"
        if span.name != want.name or (want.receiver and span.receiver != want.receiver):
            got = f"({span.receiver}).{span.name}" if span.receiver else span.name
            return f"{where} is in func {got}, but {frame.function} ran there"
        if want.closure and info.innermost(frame.line) is span:
            return f"{where} is not inside a closure, but {frame.function} ran there"
    if creation:
        if not re.search(r"\bgo\b", _code(info.statement_text(frame.line))):
            return f"{where} is `{_clip(text.strip())}`, not a go statement"
        return None
    tokens: tuple[str, ...] = ()
    what = ""
    if callee is not None and not callee.is_runtime:
        called = parse_function(callee.function)
        if not called.closure and called.name:
            tokens, what = (called.name,), f"a call to {called.name}"
    if not tokens and state is not None:
        tokens = _OPERATION_TOKENS.get(state, ())
        what = _OPERATION_WORDS.get(state, f"a call that waits in {state}")
    if tokens and not any(t in _code(info.statement_text(frame.line)) for t in tokens):
        return f"{where} is `{_clip(text.strip())}`, not {what}"
    return None


_COMMENT = re.compile(r"(?:^|\s)//.*$", re.M)
_CHAN_TYPE = re.compile(r"<-\s*chan\b|\bchan\s*<-")


def _code(statement: str) -> str:
    """The statement without comments and channel types (`<-chan T` is not a receive)."""
    return _CHAN_TYPE.sub("chan", _COMMENT.sub("", statement))


def _display(path: Path, tree: SourceTree) -> str:
    try:
        return path.relative_to(Path.cwd()).as_posix()
    except ValueError:
        return path.as_posix()


def _clip(text: str, n: int = 60) -> str:
    return text if len(text) <= n else text[: n - 1] + "…"


def is_lead(verdict: Verdict, link: GroupLink | None) -> bool:
    """A leaked or suspect group in the user's code that no rule explains: a lead for a new rule."""
    return (
        verdict.classification in (Classification.LEAKED, Classification.SUSPECT)
        and link is not None
        and link.mapped
        and not link.explanations
    )
