"""Streaming parser for Go's full goroutine dumps (debug=2, panics, SIGQUIT, `go test -timeout`).

A line state machine in the manner of panicparse: text around the dump is skipped and counted, and every
line inside a goroutine that fits no format the go1.27.3 runtime prints (`traceback.go`) is counted and
reported, so a future format change shows up as a warning instead of silently missing goroutines.

Speed: a stream is read in chunks and cut into goroutines at blank lines; a goroutine of the ordinary
shape (header, function/file line pairs, `created by`) is parsed as one block (split, rpartition and
dict lookups in C), and a text seen before (a leak: a million goroutines on a few stacks) is not parsed
again. Everything else goes through the line machine, which stays the reference
(tests/runtime/test_fast_paths.py).
"""

from __future__ import annotations

import operator
import re
from collections import Counter
from collections.abc import Hashable, Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from itertools import repeat
from typing import Any

from leaktrail.runtime.aggregate import MAX_IDS, StackAcc, StackCollector
from leaktrail.runtime.model import Form, Frame, Goroutine, Labels, Snapshot
from leaktrail.runtime.waitreasons import KNOWN_STATES

RUNTIME_CAP = 64 << 20
"""runtime/pprof stops a debug=2 dump at 64 MiB, often mid-line (pprof.go writeGoroutineStacks)."""

_SUFFIXES = ((" (durable)", "durable"), (" (scan)", "scan"), (" (leaked)", "leaked"))


@dataclass(frozen=True, slots=True)
class Header:
    id: int
    state: str
    leaked: bool = False
    scan: bool = False
    durable: bool = False
    wait_minutes: int = 0
    locked_to_thread: bool = False
    bubble: int | None = None
    labels: Labels = ()
    unknown_parts: tuple[str, ...] = ()


def parse_header(line: str) -> Header | None:
    """`goroutine N[ gp=… m=…] [REASON[ (leaked)][ (scan)][ (durable)][, M minutes]…][ {labels}]:`."""
    if not line.startswith("goroutine ") or not line.endswith(":"):
        return None
    rest = line[10:-1]
    sp = rest.find(" ")
    if sp <= 0 or not rest[:sp].isdigit():
        return None
    gid = int(rest[:sp])
    rest = rest[sp + 1 :]
    if rest.startswith("gp="):
        # GOTRACEBACK=system and crash dumps: " gp=0x… m=N mp=0x…" or " gp=0x… m=nil".
        bracket = rest.find(" [")
        if bracket < 0:
            return None
        rest = rest[bracket + 1 :]
    if not rest.startswith("["):
        return None
    close = rest.find("]")
    if close < 0:
        return None
    bracket_text = rest[1:close]
    tail = rest[close + 1 :]
    labels: Labels = ()
    if tail:
        if not (tail.startswith(" {") and tail.endswith("}")):
            return None
        parsed = parse_labels(tail[1:])
        if parsed is None:
            return None
        labels = parsed
    parts = bracket_text.split(", ")
    state = parts[0]
    flags = {"leaked": False, "scan": False, "durable": False}
    # Peel suffixes from the right, but only while the remainder is not itself a known reason:
    # "chan receive (durable)" is a reason, "select (no cases) (leaked)" is a reason plus a mark.
    while state not in KNOWN_STATES:
        for suffix, flag in _SUFFIXES:
            if state.endswith(suffix) and not flags[flag]:
                state = state[: -len(suffix)]
                flags[flag] = True
                break
        else:
            break
    minutes = 0
    locked = False
    bubble: int | None = None
    unknown: list[str] = []
    for part in parts[1:]:
        if part.endswith(" minutes") and part[:-8].isdigit():
            minutes = int(part[:-8])
        elif part == "locked to thread":
            locked = True
        elif part.startswith("synctest bubble ") and part[16:].isdigit():
            bubble = int(part[16:])
        else:
            unknown.append(part)
    return Header(
        id=gid,
        state=state,
        leaked=flags["leaked"],
        scan=flags["scan"],
        durable=flags["durable"],
        wait_minutes=minutes,
        locked_to_thread=locked,
        bubble=bubble,
        labels=labels,
        unknown_parts=tuple(unknown),
    )


# runtime.printquoted writes \n \r \t \\ \" \xNN \uNNNN \UNNNNNNNN; Go's %q (debug=1 labels) adds \a \b \f \v.
_ESCAPES = {"n": "\n", "r": "\r", "t": "\t", "\\": "\\", '"': '"', "a": "\a", "b": "\b", "f": "\f", "v": "\v"}
_HEX_LEN = {"x": 2, "u": 4, "U": 8}


def read_token(text: str, pos: int, stops: str) -> tuple[str, int] | None:
    """A bare token ([A-Za-z0-9./_]) or a quoted string as runtime.printquoted writes it."""
    if pos < len(text) and text[pos] == '"':
        out: list[str] = []
        i = pos + 1
        while i < len(text):
            c = text[i]
            if c == '"':
                return "".join(out), i + 1
            if c == "\\" and i + 1 < len(text):
                e = text[i + 1]
                if e in _ESCAPES:
                    out.append(_ESCAPES[e])
                    i += 2
                    continue
                if e in _HEX_LEN:
                    n = _HEX_LEN[e]
                    digits = text[i + 2 : i + 2 + n]
                    try:
                        out.append(chr(int(digits, 16)))
                    except ValueError:
                        return None
                    i += 2 + n
                    continue
                return None
            out.append(c)
            i += 1
        return None
    end = pos
    while end < len(text) and text[end] not in stops:
        end += 1
    if end == pos:
        return None
    return text[pos:end], end


def parse_labels(text: str) -> Labels | None:
    """`{k: v, "q k": "v"}` from a debug=2 header; None when malformed."""
    if not (text.startswith("{") and text.endswith("}")):
        return None
    pairs: list[tuple[str, str]] = []
    pos = 1
    if text == "{}":
        return ()
    while True:
        tok = read_token(text, pos, ":")
        if tok is None or not text.startswith(": ", tok[1]):
            return None
        key, pos = tok[0], tok[1] + 2
        tok = read_token(text, pos, ",}")
        if tok is None:
            return None
        value, pos = tok
        pairs.append((key, value))
        if text.startswith(", ", pos):
            pos += 2
            continue
        if pos == len(text) - 1:
            break
        return None
    return tuple(sorted(pairs))


def parse_file_line(text: str) -> tuple[str, int] | None:
    """`\\t/path/file.go:123 +0x1f[ fp=0x… sp=0x… pc=0x…]` (paths may contain spaces)."""
    s = text[1:] if text.startswith("\t") else text
    cut = s.find(" fp=0x")
    if cut >= 0:
        s = s[:cut]
    cut = s.rfind(" +0x")
    if cut >= 0:
        s = s[:cut]
    colon = s.rfind(":")
    if colon <= 0:
        return None
    num = s[colon + 1 :]
    if not num.isdigit():
        return None
    return s[:colon], int(num)


@dataclass(slots=True)
class Debug2Stats:
    goroutines: int = 0
    skipped_lines: int = 0
    unrecognised: int = 0
    unrecognised_examples: list[str] = field(default_factory=list)
    unknown_states: Counter[str] = field(default_factory=Counter)
    unknown_header_parts: Counter[str] = field(default_factory=Counter)
    truncated: bool = False
    cut_goroutine: int | None = None
    bytes_read: int = 0
    headers_seen: int = 0

    def unrecognised_line(self, line: str) -> None:
        self.unrecognised += 1
        if len(self.unrecognised_examples) < 3:
            self.unrecognised_examples.append(line[:120])


_OUTSIDE, _FRAMES, _NEED_FILE, _NEED_CREATED_FILE, _ANCESTOR = range(5)

_Raw = tuple[int, Header, tuple[int, ...], Sequence[Frame], Frame | None, int | None, bool, Hashable | None]
"""(id, header, frame indices, frames, created_by, parent id, frames elided, stack key or None) of one
goroutine; the fast path hands over the key parse_debug2 aggregates by, computed once per distinct text."""
_Block = tuple[Header, tuple[int, ...], Sequence[Frame], Frame | None, int | None, str, str, Hashable]
"""A goroutine's text after its ID, parsed: header, _Body's fields, and the stack key."""

_Body = tuple[tuple[int, ...], Sequence[Frame], Frame | None, int | None, str, str]
"""A parsed goroutine body: (frame indices, frames, created_by, parent id, last function, creator)."""

CHUNK = 1 << 16
"""Characters read at a time from a stream: whole goroutines are cut out of a chunk and parsed as blocks
(64 Ki: as fast as bigger chunks, and the peak memory of a 1,000,000-goroutine dump stays near the
interpreter's own)."""
_BLOCK_CACHE_MAX = 4096
_BLOCK_CACHE_CHARS = 8 << 20
"""Bounds on the cache of parsed goroutine texts (a leak repeats a few bodies a million times; a dump of
all-different stacks must not keep them all)."""
_CARRY_MAX = 4 * CHUNK
"""Text with no blank line for this long (a CRLF dump, one huge goroutine) is read line by line."""

_rpartition = str.rpartition
_endswith = str.endswith
_head = operator.itemgetter(0)
_LINE = re.compile(r"[^\r\n]*(?:\r\n?|\n)|[^\r\n]+")
"""Lines as a text stream opened with newline="" yields them: ended by \\n, \\r\\n or \\r, ends kept."""


def _split_header(line: str) -> tuple[int, str] | None:
    """`goroutine N rest` → (N, rest); the rest repeats across goroutines, so its parse is cached."""
    sp = line.find(" ", 10)
    if sp <= 10:
        return None
    digits = line[10:sp]
    if not digits.isdecimal():
        return None
    return int(digits), line[sp:]


class _Machine:
    """The line state machine in the manner of panicparse, plus a fast path for a whole goroutine.

    `line` is the reference: it accepts any text. `paragraph` takes one goroutine cut out at blank lines
    and, when it has the ordinary shape (header, function/file line pairs, optional `created by` pair),
    parses it as a block with the same caches and the same result the lines would give; a text after the
    goroutine ID seen before (the usual leak: a million goroutines on a few stacks) is not parsed again.
    Anything else goes line by line.
    """

    def __init__(self, st: Debug2Stats, frame_index: dict[Frame, int]) -> None:
        self.st = st
        self.frame_index = frame_index
        self.header_cache: dict[str, Header | None] = {}
        self.frame_cache: dict[tuple[str, str], tuple[Frame, int]] = {}
        self.pair_cache: dict[tuple[str, str], tuple[Frame, int]] = {}
        """(function line up to its last parenthesis, file line) → frame_cache's answer, for the fast
        path (whether the frame is inlined does not matter: frame_cache's first answer stands)."""
        self.creator_cache: dict[tuple[str, str], Frame] = {}
        self.block_cache: dict[str, _Block] = {}
        self.block_chars = 0
        self.state = _OUTSIDE
        self.header: Header | None = None
        self.gid = 0
        self.frames: list[Frame] = []
        self.fidx: list[int] = []
        self.func = ""
        self.inlined = False
        self.created_by: Frame | None = None
        self.created_func = ""
        self.parent_id: int | None = None
        self.elided = False
        self.raw = ""
        self.nbytes = 0
        self.stopped = False

    def _header(self, rest: str) -> Header | None:
        h = self.header_cache.get(rest)
        if h is None and rest not in self.header_cache:
            h = self.header_cache[rest] = parse_header("goroutine 0" + rest)
        return h

    def _frame(self, func: str, line: str, inlined: bool) -> tuple[Frame, int] | None:
        """A frame from its function and (stripped) file line, parsed once per distinct pair."""
        key = (func, line)
        cached = self.frame_cache.get(key)
        if cached is None:
            loc = parse_file_line(line)
            if loc is None:
                return None
            frame = Frame(func, loc[0], loc[1], inlined)
            index = self.frame_index.get(frame)
            if index is None:
                index = self.frame_index[frame] = len(self.frame_index)
            cached = self.frame_cache[key] = (frame, index)
        return cached

    def _creator(self, func: str, line: str) -> Frame | None:
        key = (func, line)
        created_by = self.creator_cache.get(key)
        if created_by is None:
            loc = parse_file_line(line)
            if loc is not None:
                created_by = self.creator_cache[key] = Frame(func, loc[0], loc[1])
        return created_by

    def _current(self) -> _Raw | None:
        if self.header is None:
            return None
        return (
            self.gid,
            self.header,
            tuple(self.fidx),
            self.frames,
            self.created_by,
            self.parent_id,
            self.elided,
            None,
        )

    def paragraph(self, p: str) -> _Raw | None:
        """One goroutine (its text up to the blank line, which is not included) read while outside one;
        None when it must be read line by line (nothing has been counted then). Its text after the ID
        repeats across the goroutines of a leak, so that text is parsed once."""
        sp = p.find(" ", 10)
        digits = p[10:sp]
        if sp <= 10 or not digits.isdecimal():
            return None
        rest = p[sp:]
        block = self.block_cache.get(rest)
        if block is None:
            block = self._block(rest)
            if block is None:
                return None
            if len(self.block_cache) >= _BLOCK_CACHE_MAX or self.block_chars >= _BLOCK_CACHE_CHARS:
                self.block_cache.clear()
                self.block_chars = 0
            self.block_cache[rest] = block
            self.block_chars += len(rest)
        h, fidx, frames, created_by, parent_id, func, created_func, key = block
        self.st.headers_seen += 1
        if func:
            self.func = func
        if created_func:
            self.created_func = created_func
        self.nbytes += len(p) + 2
        return int(digits), h, fidx, frames, created_by, parent_id, False, key

    def _block(self, rest: str) -> _Block | None:
        """`[state…]:` and the frames below it, when the text has the ordinary shape."""
        nl = rest.find("\n")
        if nl < 0 or "\r" in rest:
            return None
        h = self._header(rest[:nl])
        if h is None:
            return None
        body = self._body(rest[nl + 1 :])
        if body is None:
            return None
        fidx, frames, created_by, parent_id, func, created_func = body
        key = (fidx, h.state, h.leaked, h.labels, id(created_by))
        return h, fidx, frames, created_by, parent_id, func, created_func, key

    def _body(self, body: str) -> _Body | None:
        """Function/file line pairs and an optional `created by` pair, or None for anything else (elided
        frames, ancestors, unparseable lines: the line machine reports those). The lines are cut by
        `split`, each function line at its last parenthesis by `rpartition`, and the (function, file line)
        pairs looked up in one `map`: no Python code runs per frame once its text has been seen."""
        lines = body.split("\n")
        created_by: Frame | None = None
        parent_id: int | None = None
        created_func = ""
        if len(lines) < 2:
            return None
        if lines[-2].startswith("created by "):
            line = lines[-2]
            file_line = lines[-1]
            if line.endswith(")") or not file_line.startswith("\t"):
                return None  # a function line after all, or no file line: as the line machine sees them
            text = line[11:]
            marker = text.rfind(" in goroutine ")
            if marker >= 0 and text[marker + 14 :].isdigit():
                created_func, parent_id = text[:marker], int(text[marker + 14 :])
            else:
                created_func = text
            created_by = self._creator(created_func, file_line)
            if created_by is None:
                return None
            del lines[-2:]
            if not lines:
                return (), [], created_by, parent_id, "", created_func
        if len(lines) % 2:
            return None
        # A function line is cut at its last parenthesis, which must close the line; the file line below
        # it starts with a tab. (function, file line) pairs are checked once, when first seen.
        funcs = lines[0::2]
        if not all(map(_endswith, funcs, repeat(")"))):
            return None
        parts = list(map(_rpartition, funcs, repeat("(")))
        keys = list(zip(map(_head, parts), lines[1::2], strict=True))
        got = list(map(self.pair_cache.get, keys))
        if not all(got):  # (frame, index) pairs are true, misses None
            for i, key in enumerate(keys):
                if got[i] is None:
                    func, file_line = key
                    if not func or func[0] == "\t" or not file_line.startswith("\t"):
                        return None
                    if func == "panic":
                        func = "runtime.gopanic"  # printFuncName's special case
                    cached = self._frame(func, file_line, parts[i][2] == "...)")
                    if cached is None:
                        return None
                    got[i] = self.pair_cache[key] = cached
        func = keys[-1][0]
        frames, fidx = zip(*got, strict=True)
        return (
            fidx,
            frames,
            created_by,
            parent_id,
            "runtime.gopanic" if func == "panic" else func,
            created_func,
        )

    def lines(self, lines: Iterable[str]) -> Iterator[_Raw]:
        """`line` over lines, up to the end or the line that stops the reading."""
        if self.stopped:
            return
        for raw in lines:
            done = self.line(raw)
            if done is not None:
                yield done
            if self.stopped:
                return

    def line(self, raw: str) -> _Raw | None:
        """Feed one line (with its line end); returns the goroutine it completes, if any."""
        self.nbytes += len(raw)
        self.raw = raw
        st = self.st
        state = self.state
        if state != _OUTSIDE and not raw.endswith("\n"):
            self.stopped = True  # the last line of a dump cut mid-line: the goroutine read is incomplete
            return None
        first = raw[:1]
        if first == "\t":
            line = raw.rstrip("\r\n")
            if state == _NEED_FILE:
                cached = self._frame(self.func, line, self.inlined)
                if cached is None:
                    st.unrecognised_line(line)
                else:
                    self.frames.append(cached[0])
                    self.fidx.append(cached[1])
                self.state = _FRAMES
                return None
            if state == _NEED_CREATED_FILE:
                self.created_by = self._creator(self.created_func, line)
                if self.created_by is None:
                    st.unrecognised_line(line)
                self.state = _FRAMES
                return None
            if state == _OUTSIDE:
                st.skipped_lines += 1
            elif state == _ANCESTOR or line == "\tgoroutine running on other thread; stack unavailable":
                pass
            else:
                st.unrecognised_line(line)
            return None

        line = raw.rstrip("\r\n")
        if first == "g" and line.startswith("goroutine "):
            split = _split_header(line)
            if split is not None:
                h = self._header(split[1])
                if h is not None:
                    done = None
                    if state != _OUTSIDE:
                        if state in (_NEED_FILE, _NEED_CREATED_FILE):
                            st.unrecognised_line(self.func or self.created_func)
                        done = self._current()
                    st.headers_seen += 1
                    self.gid, self.header = split[0], h
                    self.frames, self.fidx, self.created_by = [], [], None
                    self.parent_id, self.elided = None, False
                    self.state = _FRAMES
                    return done

        if state == _OUTSIDE:
            if line:
                st.skipped_lines += 1
            return None

        if state in (_NEED_FILE, _NEED_CREATED_FILE):
            # A function line with no file line after it.
            st.unrecognised_line(self.func or self.created_func)
            state = self.state = _FRAMES

        if not line:
            done = self._current()
            self.header = None
            self.state = _OUTSIDE
            return done

        if state == _ANCESTOR:
            # Ancestor traces (GODEBUG=tracebackancestors) describe other goroutines; recognised, not kept.
            if line.endswith(")") or line.startswith(("created by ", "...", "[")):
                return None
            state = self.state = _FRAMES

        # state == _FRAMES: a function line, created-by, an elision marker, or the end of the dump.
        if line.endswith(")"):
            paren = line.rfind("(")
            if paren > 0:
                func = line[:paren]
                if func == "panic":
                    func = "runtime.gopanic"  # printFuncName's special case
                self.func = func
                self.inlined = line.endswith("(...)")
                self.state = _NEED_FILE
                return None
        if line.startswith("created by "):
            text = line[11:]
            marker = text.rfind(" in goroutine ")
            if marker >= 0 and text[marker + 14 :].isdigit():
                self.created_func, self.parent_id = text[:marker], int(text[marker + 14 :])
            else:
                self.created_func, self.parent_id = text, None
            self.state = _NEED_CREATED_FILE
            return None
        if line.startswith("...") and line.endswith("frames elided..."):
            self.elided = True
            return None
        if line.startswith("[originating from goroutine ") and line.endswith("]:"):
            self.state = _ANCESTOR
            return None
        if line.startswith(("non-Go function at pc=", "runtime: ")):
            return None
        if self.frames or self.created_by is not None:
            # Output after the last goroutine with no blank line (e.g. `go test`'s "exit status 2").
            done = self._current()
            self.header = None
            self.state = _OUTSIDE
            st.skipped_lines += 1
            return done
        st.unrecognised_line(line)
        return None

    def end(self) -> _Raw | None:
        """End of input: the goroutine being read, unless the text stops in the middle of it."""
        st = self.st
        st.bytes_read = self.nbytes
        raw = self.raw
        frames = self.frames
        last_line_complete = raw.endswith("\n") or not raw
        done = None
        if self.state != _OUTSIDE and self.header is not None:
            cut_mid_line = not last_line_complete or self.state in (_NEED_FILE, _NEED_CREATED_FILE)
            # Every goroutine but main ends with `created by` unless its creator is a hidden runtime
            # function; a user frame last and no creator means the text stops at a line boundary mid-stack.
            cut_at_line = (
                self.created_by is None
                and self.gid != 1
                and bool(frames)
                # the cap can cut after a runtime frame
                and (not frames[-1].is_runtime or self.nbytes == RUNTIME_CAP)
                and self.state != _ANCESTOR
            )
            if cut_mid_line or cut_at_line or not (frames or self.created_by):
                st.truncated = True
                st.cut_goroutine = self.gid
            else:
                done = self._current()
        elif not last_line_complete:
            st.truncated = True
        if self.nbytes == RUNTIME_CAP:
            st.truncated = True
        return done


def _raw_goroutines(
    source: Iterable[str], st: Debug2Stats, frame_index: dict[Frame, int], chunk: int = CHUNK
) -> Iterator[_Raw]:
    """Goroutines from a text stream (read in chunks and cut at blank lines: goroutines of the ordinary
    shape are parsed whole, other text goes line by line) or from an iterable of lines."""
    m = _Machine(st, frame_index)
    read: Any = getattr(source, "read", None)
    if read is None:
        yield from m.lines(source)
    else:
        paragraph = m.paragraph
        carry = ""
        while not m.stopped:
            text: str = read(chunk)
            if not text:
                break
            if carry:
                text = carry + text
            parts = text.split("\n\n")
            carry = parts.pop()
            for p in parts:
                if m.state == _OUTSIDE and p.startswith("goroutine ") and not m.stopped:
                    got = paragraph(p)
                    if got is not None:
                        yield got
                        continue
                yield from m.lines(_LINE.findall(p + "\n\n"))
            if len(carry) > _CARRY_MAX:
                cut = carry.rfind("\n") + 1
                yield from m.lines(_LINE.findall(carry, 0, cut))
                carry = carry[cut:]
        yield from m.lines(_LINE.findall(carry))
    done = m.end()
    if done is not None:
        yield done


def _count_header(st: Debug2Stats, header: Header) -> None:
    st.goroutines += 1
    _count_unusual(st, header)


def _count_unusual(st: Debug2Stats, header: Header) -> None:
    if header.state not in KNOWN_STATES:
        st.unknown_states[header.state] += 1
    for part in header.unknown_parts:
        st.unknown_header_parts[part] += 1


def iter_goroutines(lines: Iterable[str], stats: Debug2Stats | None = None) -> Iterator[Goroutine]:
    """Yield goroutines one at a time from text lines (with or without their newlines)."""
    st = stats if stats is not None else Debug2Stats()
    for gid, h, _fidx, frames, created_by, parent_id, elided, _key in _raw_goroutines(lines, st, {}):
        _count_header(st, h)
        yield Goroutine(
            id=gid,
            state=h.state,
            frames=tuple(frames),
            created_by=created_by,
            parent_id=parent_id,
            leaked=h.leaked,
            wait_minutes=h.wait_minutes,
            labels=h.labels,
            locked_to_thread=h.locked_to_thread,
            frames_elided=elided,
            scan=h.scan,
            durable=h.durable,
            bubble=h.bubble,
        )


def parse_debug2(lines: Iterable[str], source: str, *, chunk: int = CHUNK) -> Snapshot:
    """Aggregate as the goroutines stream by: per goroutine, one dict lookup and a few counters (the
    collector's work, inlined: a leak can be a million goroutines). `lines` is a text stream (read in
    `chunk`-character pieces) or an iterable of lines with their line ends."""
    stats = Debug2Stats()
    collector = StackCollector()
    accs = collector.accs
    frame_index: dict[Frame, int] = {}
    leaked_seen = False
    total = 0
    for gid, h, fidx, frames, created_by, parent_id, elided, key in _raw_goroutines(
        lines, stats, frame_index, chunk
    ):
        total += 1
        if h.state not in KNOWN_STATES or h.unknown_parts:
            _count_unusual(stats, h)
        if key is None:
            # Headers and creators are interned by the parser, so their ids identify them cheaply; the
            # header still carries the wait minutes, which only feed the histogram.
            key = (fidx, h.state, h.leaked, h.labels, id(created_by))
        acc = accs.get(key)
        if acc is None:
            acc = accs[key] = StackAcc(tuple(frames), h.state, h.leaked, h.labels, created_by)
            leaked_seen = leaked_seen or h.leaked
        acc.count += 1
        if len(acc.ids) < MAX_IDS:
            acc.ids.append(gid)
        if parent_id is not None and len(acc.parent_ids) < MAX_IDS and parent_id not in acc.parent_ids:
            acc.parent_ids.append(parent_id)
        minutes = acc.minutes
        minutes[h.wait_minutes] = minutes.get(h.wait_minutes, 0) + 1
        if elided:
            acc.elided = True
        if h.locked_to_thread:
            acc.locked += 1
    stats.goroutines = collector.total = total
    return Snapshot(
        source=source,
        form=Form.DEBUG2,
        profile="goroutineleak" if leaked_seen else "goroutine",
        total=collector.total,
        stacks=collector.stacks(),
        warnings=tuple(debug2_warnings(stats)),
        truncated=stats.truncated,
        skipped_lines=stats.skipped_lines,
        unrecognised_lines=stats.unrecognised,
    )


def debug2_warnings(st: Debug2Stats) -> list[str]:
    out = []
    if st.truncated:
        cut = f"; goroutine {st.cut_goroutine} was cut off and is not counted" if st.cut_goroutine else ""
        cap = " (exactly 64 MiB: the runtime's debug=2 cap)" if st.bytes_read == RUNTIME_CAP else ""
        out.append(f"dump is truncated{cap}: read {st.goroutines} complete goroutines{cut}")
    if st.unrecognised:
        examples = "; ".join(repr(e) for e in st.unrecognised_examples)
        out.append(f"{st.unrecognised} unrecognised line(s) inside goroutines, e.g. {examples}")
    for state_name, n in st.unknown_states.most_common():
        out.append(f"unknown goroutine state {state_name!r} on {n} goroutine(s) (newer Go?)")
    for part, n in st.unknown_header_parts.most_common():
        out.append(f"unknown header field {part!r} on {n} goroutine(s)")
    return out
