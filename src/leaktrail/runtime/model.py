"""The runtime side's data: frames, goroutines, aggregated stacks, snapshots, groups and verdicts.

A snapshot never holds one object per goroutine: parsers stream goroutines into `Stack` aggregates (one per
distinct stack, state, leak mark, labels and creation site), so memory follows the number of distinct
stacks, not the number of goroutines (a leak of 1,000,000 goroutines is usually a handful of stacks).
"""

from __future__ import annotations

import enum
import hashlib
from dataclasses import dataclass, field

Labels = tuple[tuple[str, str], ...]
"""Goroutine labels (pprof.Labels), sorted by key."""

Signature = tuple[tuple[str, str, int], ...]
"""Function, file and line per frame: what a group key is made of (argument values never are)."""


_STD_TOP = frozenset(
    [
        "archive",
        "bufio",
        "builtin",
        "bytes",
        "cmp",
        "compress",
        "container",
        "context",
        "crypto",
        "database",
        "debug",
        "embed",
        "encoding",
        "errors",
        "expvar",
        "flag",
        "fmt",
        "go",
        "hash",
        "html",
        "image",
        "index",
        "internal",
        "io",
        "iter",
        "log",
        "maps",
        "math",
        "mime",
        "net",
        "os",
        "path",
        "plugin",
        "reflect",
        "regexp",
        "runtime",
        "slices",
        "sort",
        "strconv",
        "strings",
        "structs",
        "sync",
        "syscall",
        "testing",
        "text",
        "time",
        "unicode",
        "unique",
        "unsafe",
        "vendor",
        "weak",
    ]
)


class Form(enum.StrEnum):
    """Which of Go's goroutine evidence forms a snapshot was read from."""

    DEBUG2 = "debug=2"
    DEBUG1 = "debug=1"
    DEBUG0 = "debug=0"


@dataclass(frozen=True, slots=True)
class Frame:
    function: str
    file: str
    line: int
    inlined: bool = field(default=False, compare=False)
    """Printed as `f(...)` in debug=2, or a non-last line of a profile.proto Location."""

    @property
    def package(self) -> str:
        return function_package(self.function)

    @property
    def is_runtime(self) -> bool:
        """Frames debug=2 hides by default and debug=1 hides at the top of a stack."""
        known = _RUNTIME.get(self.function)
        if known is None:
            pkg = self.package
            known = pkg == "runtime" or pkg.startswith("internal/runtime/")
            if len(_RUNTIME) < _MEMO_MAX:
                _RUNTIME[self.function] = known
        return known

    @property
    def is_stdlib(self) -> bool:
        key = (self.function, self.file)
        known = _STDLIB.get(key)
        if known is None:
            known = self._is_stdlib()
            if len(_STDLIB) < _MEMO_MAX:
                _STDLIB[key] = known
        return known

    def _is_stdlib(self) -> bool:
        pkg = self.package
        first = pkg.split("/", 1)[0]
        if "." in first or pkg == "main" or not pkg:
            return False
        # A dotless user module ("myservice/db") is not the standard library: check the file lives under a
        # GOROOT-like src/ tree (sync.runtime_notifyListWait lives in src/runtime/, hence not src/{pkg}/).
        if "/src/" in self.file or self.file.startswith("$GOROOT"):
            return True
        # -trimpath builds print standard-library files relative to GOROOT/src (`sync/waitgroup.go`, and
        # `runtime/sema.go` for sync.runtime_SemacquireWaitGroup): a relative file under a standard
        # top-level directory, which a dotless user module ("myservice/db/pool.go") is not.
        return not self.file.startswith("/") and self.file.split("/", 1)[0] in _STD_TOP

    @property
    def is_user(self) -> bool:
        return not self.is_runtime and not self.is_stdlib

    @property
    def location(self) -> str:
        return f"{self.file}:{self.line}"

    @property
    def short_location(self) -> str:
        return f"{self.file.rsplit('/', 1)[-1]}:{self.line}"


_MEMO_MAX = 1 << 16
"""Per-function answers are memoised (a dump repeats a few thousand functions over millions of frames);
bounded so a pathological input cannot grow them without end."""
_PACKAGES: dict[str, str] = {}
_RUNTIME: dict[str, bool] = {}
_STDLIB: dict[tuple[str, str], bool] = {}


def function_package(function: str) -> str:
    """Import path of a Go function name such as `example.com/a/b.(*T).M` or `internal/sync.(*Mutex).Lock`."""
    pkg = _PACKAGES.get(function)
    if pkg is None:
        slash = function.rfind("/")
        dot = function.find(".", slash + 1)
        pkg = function if dot < 0 else function[:dot]
        if len(_PACKAGES) < _MEMO_MAX:
            _PACKAGES[function] = pkg
    return pkg


@dataclass(frozen=True, slots=True)
class Goroutine:
    """One goroutine of a debug=2 dump (panic, SIGQUIT, test timeout or /debug/pprof/goroutine?debug=2)."""

    id: int
    state: str
    """The wait reason when waiting (`chan receive`), otherwise the status (`running`)."""
    frames: tuple[Frame, ...]
    created_by: Frame | None = None
    parent_id: int | None = None
    leaked: bool = False
    """Marked `(leaked)`: the garbage collector proved nothing can ever wake it."""
    wait_minutes: int = 0
    """0 when the runtime printed no minutes: it does so only after a minute of waiting."""
    labels: Labels = ()
    locked_to_thread: bool = False
    frames_elided: bool = False
    scan: bool = False
    durable: bool = False
    bubble: int | None = None


@dataclass(slots=True, unsafe_hash=True)
class Stack:
    """Goroutines that share frames, state, leak mark, labels and creation site.

    Stack, Group and Verdict are read-only by convention, not frozen: a frozen dataclass sets each field
    through object.__setattr__, 8 times slower to build, and a dump of distinct stacks makes one of each
    per goroutine. They hash and compare by value as before."""

    frames: tuple[Frame, ...]
    count: int
    state: str | None = None
    """None for debug=0/1, which carry no state."""
    leaked: bool = False
    labels: Labels = ()
    created_by: Frame | None = None
    ids: tuple[int, ...] = ()
    """A few goroutine IDs (debug=2 only)."""
    parent_ids: tuple[int, ...] = ()
    wait_minutes: tuple[tuple[int, int], ...] = ()
    """Histogram (minutes, goroutines), debug=2 only; empty when the form has no wait times."""
    elided: bool = False
    locked_to_thread: int = 0


@dataclass(frozen=True, slots=True)
class Snapshot:
    source: str
    form: Form
    profile: str
    """`goroutine` or `goroutineleak` (debug=2 dumps cannot tell; a `(leaked)` mark says it all)."""
    total: int
    stacks: tuple[Stack, ...]
    warnings: tuple[str, ...] = ()
    truncated: bool = False
    declared_total: int | None = None
    """`total N` from a debug=1 header, to compare with what was read."""
    skipped_lines: int = 0
    """Text around the dump (test logs, panic messages, register dumps)."""
    unrecognised_lines: int = 0
    """Lines inside a goroutine that fit no known format: a format change or corruption."""

    @property
    def has_wait_reasons(self) -> bool:
        return self.form is Form.DEBUG2


@dataclass(frozen=True, slots=True)
class WaitStats:
    """Minutes waited, as the runtime rounds them down (0 means under a minute)."""

    min: int
    median: int
    max: int


_NOT_YET = Frame("", "", -1)
"""Stands for a property not computed yet (compared by identity)."""


@dataclass(slots=True, unsafe_hash=True)
class Group:
    key: str
    """Stable across dumps and forms: a hash of the signature, or the label/creation-site value."""
    by: str
    signature: Signature
    count: int
    leaked: int
    states: tuple[tuple[str, int], ...]
    """Most common first; empty for debug=0/1."""
    blocking: str | None
    """The blocking operation in the runtime's words (`chan send`, `sync.WaitGroup.Wait`), or None."""
    frames: tuple[Frame, ...]
    """Frames of the group's most common stack, leaf first."""
    created_by: Frame | None
    labels: tuple[tuple[Labels, int], ...]
    wait: WaitStats | None
    ids: tuple[int, ...]
    parent_ids: tuple[int, ...]
    stacks: int
    """How many distinct stacks were merged into this group."""
    elided: bool = False
    _first_user: Frame | None = field(default=_NOT_YET, init=False, repr=False, compare=False)
    """first_user_frame once asked for (classification, naming and rendering each ask): _NOT_YET before."""

    @property
    def state(self) -> str | None:
        return self.states[0][0] if self.states else None

    @property
    def user_frames(self) -> tuple[Frame, ...]:
        return tuple(f for f in self.frames if f.is_user)

    @property
    def first_user_frame(self) -> Frame | None:
        found = self._first_user
        if found is _NOT_YET:
            found = next((f for f in self.frames if f.is_user), None)
            object.__setattr__(self, "_first_user", found)
        return found

    @property
    def display_frame(self) -> Frame | None:
        """The frame a group is named by everywhere: its first frame in user code (`main.waitBatch`, not the
        `sync.runtime_SemacquireWaitGroup` it is parked in); else its first frame outside the runtime."""
        return (
            self.first_user_frame
            or next((f for f in self.frames if not f.is_runtime), None)
            or (self.frames[0] if self.frames else None)
        )

    @property
    def display_name(self) -> str:
        frame = self.display_frame
        return frame.function if frame is not None else "(no frames)"


class Classification(enum.StrEnum):
    LEAKED = "leaked"
    SUSPECT = "suspect"
    BLOCKED = "blocked"
    RUNNING = "running"
    BENIGN = "benign"

    @property
    def rank(self) -> int:
        """Most suspicious first."""
        return _RANKS[self]


_RANKS = {c: i for i, c in enumerate(Classification)}


@dataclass(frozen=True, slots=True)
class Thresholds:
    min_count: int = 100
    """LeakProf: this many goroutines parked on one operation is a leak, not a queue."""
    min_wait: int = 10
    """Minutes a goroutine may wait on a channel or lock before it counts as stuck."""


DEFAULT_THRESHOLDS = Thresholds()


@dataclass(slots=True, unsafe_hash=True)
class Verdict:
    group: Group
    classification: Classification
    reason: str


@dataclass(frozen=True, slots=True)
class Inspection:
    snapshot: Snapshot
    verdicts: tuple[Verdict, ...]
    matching: str | None = None
    """Set when only the groups with a frame matching this regular expression are kept (--match)."""

    @property
    def has_leaks(self) -> bool:
        return any(v.classification in (Classification.LEAKED, Classification.SUSPECT) for v in self.verdicts)


def signature_key(signature: Signature) -> str:
    """Short stable hash of a signature, for JSON output, diffs and a later `watch` command."""
    text = "\n".join(f"{fn} {file}:{line}" for fn, file, line in signature)
    return hashlib.sha1(text.encode(), usedforsecurity=False).hexdigest()[:12]
