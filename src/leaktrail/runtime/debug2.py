"""Streaming parser for Go's full goroutine dumps (debug=2, panics, SIGQUIT, `go test -timeout`).

A line state machine in the manner of panicparse: text around the dump is skipped and counted, and every
line inside a goroutine that fits no format the go1.27.3 runtime prints (`traceback.go`) is counted and
reported, so a future format change shows up as a warning instead of silently missing goroutines.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field

from leaktrail.runtime.aggregate import StackCollector
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

_Raw = tuple[int, Header, tuple[int, ...], list[Frame], Frame | None, int | None, bool]
"""(id, header, frame indices, frames, created_by, parent id, frames elided) of one goroutine."""


def _split_header(line: str) -> tuple[int, str] | None:
    """`goroutine N rest` → (N, rest); the rest repeats across goroutines, so its parse is cached."""
    sp = line.find(" ", 10)
    if sp <= 10:
        return None
    digits = line[10:sp]
    if not digits.isdigit():
        return None
    return int(digits), line[sp:]


def _raw_goroutines(lines: Iterable[str], st: Debug2Stats, frame_index: dict[Frame, int]) -> Iterator[_Raw]:
    """The state machine. Hot path: a frame is two lines whose text repeats across goroutines, so both
    the function/location pair and the header remainder are parsed once and then looked up."""
    header_cache: dict[str, Header | None] = {}
    frame_cache: dict[tuple[str, str], tuple[Frame, int]] = {}
    creator_cache: dict[tuple[str, str], Frame] = {}
    state = _OUTSIDE
    header: Header | None = None
    gid = 0
    frames: list[Frame] = []
    fidx: list[int] = []
    func = ""
    inlined = False
    created_by: Frame | None = None
    created_func = ""
    parent_id: int | None = None
    elided = False
    raw = ""
    nbytes = 0

    for raw in lines:
        nbytes += len(raw)
        if state != _OUTSIDE and not raw.endswith("\n"):
            break  # the last line of a dump cut mid-line: the goroutine being read is incomplete
        first = raw[:1]
        if first == "\t":
            if state == _NEED_FILE:
                key = (func, raw)
                cached = frame_cache.get(key)
                if cached is None:
                    loc = parse_file_line(raw.rstrip("\r\n"))
                    if loc is None:
                        st.unrecognised_line(raw.rstrip("\r\n"))
                        state = _FRAMES
                        continue
                    frame = Frame(func, loc[0], loc[1], inlined)
                    index = frame_index.get(frame)
                    if index is None:
                        index = frame_index[frame] = len(frame_index)
                    cached = frame_cache[key] = (frame, index)
                frames.append(cached[0])
                fidx.append(cached[1])
                state = _FRAMES
                continue
            line = raw.rstrip("\r\n")
            if state == _NEED_CREATED_FILE:
                ckey = (created_func, line)
                created_by = creator_cache.get(ckey)
                if created_by is None:
                    loc = parse_file_line(line)
                    if loc is None:
                        st.unrecognised_line(line)
                    else:
                        created_by = creator_cache[ckey] = Frame(created_func, loc[0], loc[1])
                state = _FRAMES
                continue
            if state == _OUTSIDE:
                st.skipped_lines += 1
            elif state == _ANCESTOR or line == "\tgoroutine running on other thread; stack unavailable":
                pass
            else:
                st.unrecognised_line(line)
            continue

        line = raw.rstrip("\r\n")
        if first == "g" and line.startswith("goroutine "):
            split = _split_header(line)
            if split is not None:
                rest = split[1]
                h = header_cache.get(rest)
                if h is None and rest not in header_cache:
                    h = header_cache[rest] = parse_header("goroutine 0" + rest)
                if h is not None:
                    if state != _OUTSIDE:
                        if state in (_NEED_FILE, _NEED_CREATED_FILE):
                            st.unrecognised_line(func or created_func)
                        if header is not None:
                            yield gid, header, tuple(fidx), frames, created_by, parent_id, elided
                    st.headers_seen += 1
                    gid, header = split[0], h
                    frames, fidx, created_by, parent_id, elided = [], [], None, None, False
                    state = _FRAMES
                    continue

        if state == _OUTSIDE:
            if line:
                st.skipped_lines += 1
            continue

        if state in (_NEED_FILE, _NEED_CREATED_FILE):
            # A function line with no file line after it.
            st.unrecognised_line(func or created_func)
            state = _FRAMES

        if not line:
            if header is not None:
                yield gid, header, tuple(fidx), frames, created_by, parent_id, elided
            header = None
            state = _OUTSIDE
            continue

        if state == _ANCESTOR:
            # Ancestor traces (GODEBUG=tracebackancestors) describe other goroutines; recognised, not kept.
            if line.endswith(")") or line.startswith(("created by ", "...", "[")):
                continue
            state = _FRAMES

        # state == _FRAMES: a function line, created-by, an elision marker, or the end of the dump.
        if line.endswith(")"):
            paren = line.rfind("(")
            if paren > 0:
                func = line[:paren]
                if func == "panic":
                    func = "runtime.gopanic"  # printFuncName's special case
                inlined = line.endswith("(...)")
                state = _NEED_FILE
                continue
        if line.startswith("created by "):
            text = line[11:]
            marker = text.rfind(" in goroutine ")
            if marker >= 0 and text[marker + 14 :].isdigit():
                created_func, parent_id = text[:marker], int(text[marker + 14 :])
            else:
                created_func, parent_id = text, None
            state = _NEED_CREATED_FILE
            continue
        if line.startswith("...") and line.endswith("frames elided..."):
            elided = True
            continue
        if line.startswith("[originating from goroutine ") and line.endswith("]:"):
            state = _ANCESTOR
            continue
        if line.startswith(("non-Go function at pc=", "runtime: ")):
            continue
        if frames or created_by is not None:
            # Output after the last goroutine with no blank line (e.g. `go test`'s "exit status 2").
            if header is not None:
                yield gid, header, tuple(fidx), frames, created_by, parent_id, elided
            header = None
            state = _OUTSIDE
            st.skipped_lines += 1
            continue
        st.unrecognised_line(line)

    # End of input.
    st.bytes_read = nbytes
    last_line_complete = raw.endswith("\n") or not raw
    if state != _OUTSIDE and header is not None:
        cut_mid_line = not last_line_complete or state in (_NEED_FILE, _NEED_CREATED_FILE)
        # Every goroutine but main ends with `created by` unless its creator is a hidden runtime
        # function; a user frame last and no creator means the text stops at a line boundary mid-stack.
        cut_at_line = (
            created_by is None
            and gid != 1
            and bool(frames)
            and (not frames[-1].is_runtime or nbytes == RUNTIME_CAP)  # the cap can cut after a runtime frame
            and state != _ANCESTOR
        )
        if cut_mid_line or cut_at_line or not (frames or created_by):
            st.truncated = True
            st.cut_goroutine = gid
        else:
            yield gid, header, tuple(fidx), frames, created_by, parent_id, elided
    elif not last_line_complete:
        st.truncated = True
    if nbytes == RUNTIME_CAP:
        st.truncated = True


def _count_header(st: Debug2Stats, header: Header) -> None:
    st.goroutines += 1
    if header.state not in KNOWN_STATES:
        st.unknown_states[header.state] += 1
    for part in header.unknown_parts:
        st.unknown_header_parts[part] += 1


def iter_goroutines(lines: Iterable[str], stats: Debug2Stats | None = None) -> Iterator[Goroutine]:
    """Yield goroutines one at a time from text lines (with or without their newlines)."""
    st = stats if stats is not None else Debug2Stats()
    for gid, h, _fidx, frames, created_by, parent_id, elided in _raw_goroutines(lines, st, {}):
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


def parse_debug2(lines: Iterable[str], source: str) -> Snapshot:
    """Aggregate as the lines stream by: per goroutine, one dict lookup keyed by small ints."""
    stats = Debug2Stats()
    collector = StackCollector()
    frame_index: dict[Frame, int] = {}
    leaked_seen = False
    for gid, h, fidx, frames, created_by, parent_id, elided in _raw_goroutines(lines, stats, frame_index):
        _count_header(stats, h)
        # Headers and creators are interned by the parser, so their ids identify them cheaply; the header
        # still carries the wait minutes, which only feed the histogram (parse_header caches per text).
        key = (fidx, h.state, h.leaked, h.labels, id(created_by))
        collector.add(
            key,
            frames,
            h.state,
            h.leaked,
            h.labels,
            created_by,
            gid,
            parent_id,
            h.wait_minutes,
            elided,
            h.locked_to_thread,
        )
        leaked_seen = leaked_seen or h.leaked
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
