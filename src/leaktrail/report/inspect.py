"""Render `leaktrail inspect` results as text (coloured with rich on a terminal) or JSON.

Renderers are pure: they return the whole report as one string without a trailing newline.
"""

from __future__ import annotations

import functools
import io
import json
import operator
import secrets
from collections import Counter
from collections.abc import Callable, Sequence
from itertools import compress, count
from typing import TYPE_CHECKING, Any

from rich.console import Console
from rich.control import strip_control_codes
from rich.text import Text

from leaktrail.runtime.gcpause import gc_paused
from leaktrail.runtime.group import is_wrapper
from leaktrail.runtime.model import Classification, Frame, Group, Inspection, Verdict

if TYPE_CHECKING:
    from collections.abc import Mapping

    from leaktrail.link import GroupLink

MAX_FRAMES = 6
MAX_IDS = 5

STYLES: dict[Classification, str] = {
    Classification.LEAKED: "bold red",
    Classification.SUSPECT: "bold yellow",
    Classification.BLOCKED: "cyan",
    Classification.RUNNING: "green",
    Classification.BENIGN: "dim",
}


def frame_json(frame: Frame | None) -> dict[str, Any] | None:
    if frame is None:
        return None
    return _frame_doc(frame)


def _frame_doc(frame: Frame) -> dict[str, Any]:
    return {"function": frame.function, "file": frame.file, "line": frame.line}


def group_json(
    verdict: Verdict, link: GroupLink | None = None, frame_docs: dict[int, dict[str, Any]] | None = None
) -> dict[str, Any]:
    """`frame_docs` shares one dict per frame object (by id: the frames outlive the rendering) across the
    groups of one rendering, whose encoder only reads them: parsers share frame objects, so a dump of
    20,000 distinct stacks has 400,000 frames but a few hundred of them."""
    g = verdict.group
    created = frame_json(g.created_by)
    if created is not None:
        created["parent_ids"] = list(g.parent_ids)
    if frame_docs is None:
        frames = [frame_json(f) for f in g.frames]
    else:
        frames = list(map(frame_docs.get, map(id, g.frames)))
        if None in frames:
            frames = [frame_docs.get(id(f)) or frame_docs.setdefault(id(f), _frame_doc(f)) for f in g.frames]
    doc: dict[str, Any] = {
        "key": g.key,
        "function": g.display_name,
        "count": g.count,
        "state": g.state,
        "states": dict(g.states),
        "blocking": g.blocking,
        "classification": verdict.classification.value,
        "reason": verdict.reason,
        "leaked": g.leaked > 0,
        "leaked_count": g.leaked,
        "frames": frames,
        "first_user_frame": frame_json(g.first_user_frame),
        "created_by": created,
        "labels": [{"labels": dict(ls), "count": n} for ls, n in g.labels],
        "wait_minutes": (
            {"min": g.wait.min, "median": g.wait.median, "max": g.wait.max} if g.wait is not None else None
        ),
        "ids": list(g.ids),
        "stacks": g.stacks,
        "frames_elided": g.elided,
    }
    if link is not None:
        from leaktrail.link import render as link_render

        doc.update(link_render.group_json(verdict, link))
    return doc


def inspection_json(
    ins: Inspection,
    links: Mapping[str, GroupLink] | None = None,
    frame_docs: dict[int, dict[str, Any]] | None = None,
    *,
    with_groups: bool = True,
) -> dict[str, Any]:
    """`frame_docs`: see group_json; pass a dict only when the result is encoded, not modified.
    Without `with_groups`, "groups" is an empty list (render_json writes them as text)."""
    s = ins.snapshot
    return {
        "source": s.source,
        "format": s.form.value,
        "profile": s.profile,
        "total": s.total,
        "declared_total": s.declared_total,
        "truncated": s.truncated,
        "warnings": list(s.warnings),
        "skipped_lines": s.skipped_lines,
        "unrecognised_lines": s.unrecognised_lines,
        "states": dict(state_summary(ins)),
        "classifications": {
            c.value: sum(v.group.count for v in ins.verdicts if v.classification is c) for c in Classification
        },
        "groups": [group_json(v, links.get(v.group.key) if links else None, frame_docs) for v in ins.verdicts]
        if with_groups
        else [],
    }


INDENT_MAX_GROUPS = 1000
"""Above this many groups each group is written on one line: json's indenting encoder is pure Python and
took seconds on a dump of 20,000 distinct stacks; the compact one is C (the document stays indented)."""


def render_json(inspections: Sequence[Inspection], links: Mapping[str, GroupLink] | None = None) -> str:
    """One source: its object; several: a list of objects, in the order given."""
    with gc_paused():
        return _render_json(inspections, links)


def _render_json(inspections: Sequence[Inspection], links: Mapping[str, GroupLink] | None) -> str:
    if sum(len(i.verdicts) for i in inspections) <= INDENT_MAX_GROUPS:
        frame_docs: dict[int, dict[str, Any]] = {}
        docs = [inspection_json(i, links, frame_docs) for i in inspections]
        return json.dumps(docs[0] if len(docs) == 1 else docs, indent=2)
    docs = [inspection_json(i, links, with_groups=False) for i in inspections]
    depth = 1 if len(docs) == 1 else 2
    pad = "  " * depth
    token = secrets.token_hex(16)
    texts = JsonTexts()
    groups: dict[str, list[str]] = {}
    for n, (ins, d) in enumerate(zip(inspections, docs, strict=True)):
        placeholder = f"\0{token} groups {n}\0"
        d["groups"] = placeholder
        parts: list[str] = []
        between = f",\n{pad}  "
        for v in ins.verdicts:
            _group_parts(v, links.get(v.group.key) if links else None, texts, parts)
            parts.append(between)
        if parts:
            parts[-1] = f"\n{pad}]"
            parts.insert(0, f"[\n{pad}  ")
        else:
            parts.append("[]")
        groups[json.dumps(placeholder)] = parts
    # The document with each placeholder replaced by its groups, one per line, in a single join (the
    # groups are most of the text: tens of MB for 20,000 distinct stacks, so copied once: each group is
    # a list of pieces, its frames' texts among them, not a string of its own).
    rest = json.dumps(docs[0] if len(docs) == 1 else docs, indent=2)
    pieces: list[str] = []
    for placeholder, group_parts in groups.items():
        before, _, rest = rest.partition(placeholder)
        pieces.append(before)
        pieces += group_parts
    pieces.append(rest)
    return "".join(pieces)


_esc: Callable[[str], str] = json.encoder.encode_basestring_ascii
"""What json.dumps writes for a string (ensure_ascii, its default): the C function its encoder calls."""


def _nullable(text: str | None) -> str:
    return "null" if text is None else _esc(text)


class JsonTexts:
    """The JSON text of values that repeat across the groups of one rendering, each made once: frames
    (by id: the frames outlive the rendering; parsers share frame objects, so a dump of 20,000 distinct
    stacks has 360,000 frames but a few hundred frame objects), and the runs of fields that depend on
    what groups share (state, operation, verdict; creator, labels, wait times)."""

    __slots__ = ("frames", "heads", "names", "sep_frames", "tails")

    def __init__(self) -> None:
        self.frames: dict[int, str] = {}
        self.sep_frames: dict[int, str] = {}
        """", " and the frame's text: a frame that is not first in its list."""
        self.names: dict[str, str] = {}
        self.heads: dict[tuple[object, ...], str] = {}
        self.tails: dict[tuple[object, ...], str] = {}

    def frame(self, frame: Frame) -> str:
        text = self.frames.get(id(frame))
        if text is None:
            text = self.frames[id(frame)] = (
                f'{{"function": {_esc(frame.function)}, "file": {_esc(frame.file)}, "line": {frame.line}}}'
            )
            self.sep_frames[id(frame)] = ", " + text
        return text


def group_json_text(verdict: Verdict, link: GroupLink | None, texts: JsonTexts | None = None) -> str:
    """`json.dumps(group_json(verdict, link))`, written directly: for a dump of 20,000 distinct stacks,
    building the dicts and encoding them took most of the rendering. A test holds the two to the same
    bytes. `texts`: shared by the groups of one rendering."""
    parts: list[str] = []
    _group_parts(verdict, link, JsonTexts() if texts is None else texts, parts)
    return "".join(parts)


def _group_parts(verdict: Verdict, link: GroupLink | None, texts: JsonTexts, out: list[str]) -> None:
    """group_json_text's text, as pieces appended to `out`."""
    g = verdict.group
    first_user = g.first_user_frame
    display = first_user.function if first_user is not None else g.display_name
    name = texts.names.get(display)
    if name is None:
        name = texts.names[display] = _esc(display)
    head_key = (g.states, g.blocking, verdict.classification, verdict.reason, g.leaked)
    head = texts.heads.get(head_key)
    if head is None:
        head = texts.heads[head_key] = _head_text(verdict)
    out.append(f'{{"key": {_esc(g.key)}, "function": {name}, "count": {g.count}, {head}"frames": [')
    frames = g.frames
    if frames:
        got = list(map(texts.sep_frames.get, map(id, frames)))
        if not all(got):
            for f in frames:
                texts.frame(f)
            got = list(map(texts.sep_frames.get, map(id, frames)))
        got[0] = got[0][2:]  # type: ignore[index]  # all found now
        out += got  # type: ignore[arg-type]
    created = g.created_by
    parents = g.parent_ids if created is not None else ()
    tail_key = (id(first_user), id(created), parents, g.labels, id(g.wait))
    tail = texts.tails.get(tail_key)
    if tail is None:
        tail = texts.tails[tail_key] = _tail_text(g, texts)
    extra = ""
    if link is not None:
        from leaktrail.link import render as link_render

        extra = json.dumps(link_render.group_json(verdict, link))
        extra = "" if extra == "{}" else ", " + extra[1:-1]
    out.append(
        f'{tail}"ids": [{", ".join(map(str, g.ids))}], "stacks": {g.stacks}, '
        f'"frames_elided": {"true" if g.elided else "false"}{extra}}}'
    )


def _head_text(verdict: Verdict) -> str:
    """From "state" to "leaked_count", with the separator after it."""
    g = verdict.group
    states = ", ".join([f"{_esc(k)}: {n}" for k, n in dict(g.states).items()])
    return (
        f'"state": {_nullable(g.states[0][0] if g.states else None)}, "states": {{{states}}}, '
        f'"blocking": {_nullable(g.blocking)}, "classification": {_esc(verdict.classification)}, '
        f'"reason": {_esc(verdict.reason)}, "leaked": {"true" if g.leaked > 0 else "false"}, '
        f'"leaked_count": {g.leaked}, '
    )


def _tail_text(g: Group, texts: JsonTexts) -> str:
    """From "]" closing the frames to "wait_minutes", with the separator after it."""
    first_user = g.first_user_frame
    created = g.created_by
    wait = g.wait
    created_text = (
        "null"
        if created is None
        else f'{{"function": {_esc(created.function)}, "file": {_esc(created.file)}, '
        f'"line": {created.line}, "parent_ids": [{", ".join(map(str, g.parent_ids))}]}}'
    )
    labels = ", ".join(
        [
            f'{{"labels": {{{", ".join([f"{_esc(k)}: {_esc(v)}" for k, v in dict(ls).items()])}}}, '
            f'"count": {n}}}'
            for ls, n in g.labels
        ]
    )
    wait_text = (
        "null" if wait is None else f'{{"min": {wait.min}, "median": {wait.median}, "max": {wait.max}}}'
    )
    return (
        f'], "first_user_frame": {"null" if first_user is None else texts.frame(first_user)}, '
        f'"created_by": {created_text}, "labels": [{labels}], "wait_minutes": {wait_text}, '
    )


def state_summary(ins: Inspection) -> list[tuple[str, int]]:
    """By wait reason when the form has them; else by inferred operation (debug=0/1)."""
    counts: Counter[str] = Counter()
    for v in ins.verdicts:
        g = v.group
        if g.states:
            for state, n in g.states:
                counts[state] += n
        else:
            counts[g.blocking or "unknown"] += g.count
    return counts.most_common()


def _plural(n: int, word: str) -> str:
    return f"{n} {word}" if n == 1 else f"{n} {word}s"


def shown_frames(
    group: Group, flags: dict[int, tuple[bool, bool]] | None = None
) -> tuple[list[Frame], int, int]:
    """Frames worth reading: runtime frames and the standard library's internals above the API call the
    user made (e.g. `sync.(*Mutex).Lock`) are folded; returns frames, folded count, cut count. `flags`
    holds each frame's (shown, user code) by id for the groups of one rendering (frames are shared)."""
    frames = group.frames
    memo = {} if flags is None else flags
    got = list(map(memo.get, map(id, frames)))
    if not all(got):  # (bool, bool) pairs are true, misses None
        got = [memo.get(id(f)) or memo.setdefault(id(f), _frame_flags(f)) for f in frames]
    shown = list(map(_is_shown, got))  # type: ignore[arg-type]  # no None left
    users = list(map(_is_user, got))  # type: ignore[arg-type]
    kept = list(compress(frames, shown))
    if kept:
        users = list(compress(users, shown))
    else:
        kept = list(frames)
    first_user = next(compress(count(), users), None)
    if first_user is not None and first_user > 1:
        kept = kept[first_user - 1 :]
    folded = len(frames) - len(kept)
    return kept[:MAX_FRAMES], folded, max(0, len(kept) - MAX_FRAMES)


def _frame_flags(f: Frame) -> tuple[bool, bool]:
    return not f.is_runtime and not is_wrapper(f), f.is_user


_is_shown, _is_user = operator.itemgetter(0), operator.itemgetter(1)


class _PlainLine:
    """What the report uses of rich's Text, keeping the text only: building Text objects (spans, control
    code stripping per piece) took seconds for 20,000 groups, and uncoloured output needs none of it.
    Rich strips control codes from every piece; render_text strips them from the whole, which is the same
    (the stripping deletes single characters)."""

    __slots__ = ("parts",)

    def __init__(self, text: str = "", style: str = "") -> None:
        self.parts = [text]

    def append(self, text: str, style: str | None = None) -> _PlainLine:
        self.parts.append(text)
        return self

    @property
    def plain(self) -> str:
        return "".join(self.parts)


class _AnsiLine:
    """What the report uses of rich's Text, for a terminal: each piece wrapped in the SGR codes rich's own
    Style.render gives its style (standard colours), cut at newlines as rich cuts a Text into lines.
    Printing 20,000 groups of Text objects through a Console took 14 s; this gives the same characters
    (tests/report/test_inspect_ansi.py compares the two). Control codes are stripped from the whole
    report by render_text, as for plain text; a line holding a tab goes through rich (it expands tabs)."""

    __slots__ = ("_ansi", "base", "pieces")

    def __init__(self, text: str = "", style: str = "") -> None:
        self.base = style
        self.pieces: list[tuple[str, str]] = [(text, style)]
        self._ansi: str | None = None

    def append(self, text: str, style: str | None = None) -> _AnsiLine:
        self.pieces.append((text, _combined(self.base, style or "")))
        self._ansi = None
        return self

    @property
    def plain(self) -> str:
        return "".join(t for t, _ in self.pieces)

    def ansi(self) -> str | None:
        """The line's characters on a terminal, or None when only rich can tell (a tab)."""
        if self._ansi is None:
            out: list[str] = []
            for text, style in self.pieces:
                if "\t" in text:
                    return None
                if not style:
                    out.append(text)
                    continue
                codes = _sgr(style)
                for i, part in enumerate(text.split("\n")):
                    if i:
                        out.append("\n")
                    if part:
                        out.append(f"\x1b[{codes}m{part}\x1b[0m" if codes else part)
            self._ansi = "".join(out)
        return self._ansi

    def rich(self) -> Text:
        line = Text(self.pieces[0][0], style=self.base)
        for text, style in self.pieces[1:]:
            line.append(text, style=style or None)
        return line


@functools.cache
def _sgr(style: str) -> str:
    """The attributes rich writes for `style` in standard colours ("1;31" for "bold red")."""
    from rich.color import ColorSystem
    from rich.style import Style

    rendered = Style.parse(style).render("x", color_system=ColorSystem.STANDARD)
    return rendered[2 : rendered.index("m")] if rendered != "x" else ""


@functools.cache
def _combined(base: str, style: str) -> str:
    if not base or not style:
        return base or style
    from rich.style import Style

    return str(Style.parse(base) + Style.parse(style))


_Line = Text | _PlainLine | _AnsiLine


class _TextMemo:
    """What the groups of one text rendering share: frame flags (see shown_frames) and, for plain text,
    each frame's two lines."""

    __slots__ = ("flags", "frame_lines")

    def __init__(self) -> None:
        self.flags: dict[int, tuple[bool, bool]] = {}
        self.frame_lines: dict[int, Any] = {}


def _group_text(
    v: Verdict, link: GroupLink | None = None, line_type: type[_Line] = Text, memo: _TextMemo | None = None
) -> list[_Line]:
    memo = memo or _TextMemo()
    g = v.group
    style = STYLES[v.classification]
    head = line_type()
    head.append(f"{v.classification.value.upper():<8}", style=style)
    head.append(f" {_plural(g.count, 'goroutine')}", style="bold")
    if g.blocking or g.state:
        head.append(f"  {g.blocking or g.state}")
    if g.frames:
        head.append(f"  in {g.display_name}")
    if len(g.states) > 1:
        head.append("  (" + ", ".join(f"{n} {s}" for s, n in g.states) + ")", style="dim")
    if g.leaked:
        head.append(f"  [{g.leaked} proven leaked]", style="red")
    lines: list[_Line] = [head, line_type(f"  {v.reason}", style="italic")]
    frames, folded, cut = shown_frames(g, memo.flags)
    if folded:
        lines.append(line_type(f"  ({_plural(folded, 'runtime/internal frame')} folded)", style="dim"))
    for f in frames:
        if line_type is _PlainLine:
            plain = memo.frame_lines.get(id(f))
            if plain is None:
                plain = memo.frame_lines[id(f)] = _PlainLine(f"  {f.function}\n      {f.location}")
            lines.append(plain)
            continue
        if line_type is _AnsiLine:
            shared = memo.frame_lines.get(id(f))
            if shared is None:
                shared = memo.frame_lines[id(f)] = _AnsiLine("  ")
                shared.append(f.function, style="bold" if f.is_user else "")
                shared.append(f"\n      {f.location}", style="dim")
            lines.append(shared)
            continue
        line = line_type("  ")
        line.append(f.function, style="bold" if f.is_user else "")
        line.append(f"\n      {f.location}", style="dim")
        lines.append(line)
    if cut:
        lines.append(line_type(f"  … {_plural(cut, 'more frame')}", style="dim"))
    if g.elided:
        lines.append(line_type("  (the runtime elided frames in the middle of this stack)", style="dim"))
    if g.created_by is not None:
        parents = ", ".join(str(p) for p in g.parent_ids[:3])
        within = f" in goroutine {parents}" if parents else ""
        line = line_type(f"  created by {g.created_by.function}{within}")
        line.append(f"\n      {g.created_by.location}", style="dim")
        lines.append(line)
    extras = []
    if g.wait is not None and g.wait.max:
        extras.append(f"waiting {g.wait.min}/{g.wait.median}/{g.wait.max} min (min/median/max)")
    if g.labels:
        ls, n = g.labels[0]
        more = f" (+{len(g.labels) - 1} other sets)" if len(g.labels) > 1 else ""
        extras.append("labels {" + ", ".join(f"{k}: {val}" for k, val in ls) + "} " + f"×{n}{more}")
    if g.ids:
        ids = " ".join(str(i) for i in g.ids[:MAX_IDS])
        extras.append(f"ids {ids}{' …' if g.count > MAX_IDS else ''}")
    if extras:
        lines.append(line_type("  " + "; ".join(extras), style="dim"))
    if link is not None:
        from leaktrail.link import render as link_render

        lines.extend(link_render.group_text(v, link))
    return lines


def inspection_text(
    ins: Inspection, links: Mapping[str, GroupLink] | None = None, line_type: type[_Line] = Text
) -> list[_Line]:
    """The report's lines as rich Text (or, with `line_type` _PlainLine, as their plain text only)."""
    s = ins.snapshot
    memo = _TextMemo()
    out: list[_Line] = []
    title = line_type()
    title.append(s.source, style="bold")
    kind = "goroutineleak profile" if s.profile.startswith("goroutineleak") else "goroutines"
    if ins.matching is None:
        ngroups = _plural(len(ins.verdicts), "group")
        title.append(f" ({s.form.value} {kind}): {_plural(s.total, 'goroutine')} in {ngroups}")
    else:
        shown = sum(v.group.count for v in ins.verdicts)
        title.append(
            f" ({s.form.value} {kind}): {_plural(s.total, 'goroutine')}; {shown} in "
            f"{_plural(len(ins.verdicts), 'group')} matching {ins.matching}"
        )
    out.append(title)
    if s.declared_total is not None and s.declared_total != s.total:
        out.append(line_type(f"header declares {s.declared_total} goroutines", style="yellow"))
    for w in s.warnings:
        out.append(line_type(f"warning: {w}", style="yellow"))
    summary = state_summary(ins)
    if summary:
        out.append(line_type("states: " + ", ".join(f"{n} {state}" for state, n in summary)))
    verdicts = line_type("verdict: ")
    parts = []
    for c in Classification:
        groups = [v for v in ins.verdicts if v.classification is c]
        if groups:
            parts.append(
                (c, f"{_plural(len(groups), 'group')} {c.value} ({sum(v.group.count for v in groups)})")
            )
    for i, (c, part) in enumerate(parts):
        if i:
            verdicts.append(", ")
        verdicts.append(part, style=STYLES[c])
    out.append(verdicts)
    for v in ins.verdicts:
        out.append(line_type(""))
        out.extend(_group_text(v, links.get(v.group.key) if links else None, line_type, memo))
    return out


def text_line(color: bool) -> type[_PlainLine] | type[_AnsiLine]:
    """The line type for render_lines: coloured pieces on a terminal, the text only otherwise."""
    return _AnsiLine if color else _PlainLine


def render_lines(lines: Sequence[Text | _AnsiLine | _PlainLine], color: bool) -> str:
    """The lines as one string, control codes stripped (as rich's Text strips them from its pieces)."""
    if not color:
        return _stripped("\n".join(t.plain for t in lines))
    buf = io.StringIO()
    console = Console(file=buf, force_terminal=True, color_system="standard", width=200, soft_wrap=True)
    out: list[str] = []
    for t in lines:
        ansi = t.ansi() if isinstance(t, _AnsiLine) else None
        if ansi is None:
            console.print(t.rich() if isinstance(t, _AnsiLine) else t)
            ansi = buf.getvalue()[:-1]  # without the newline print ends the line with
            buf.seek(0)
            buf.truncate()
        out.append(ansi)
    return _stripped("\n".join(out).rstrip("\n"))


def _stripped(text: str) -> str:
    # str.translate deletes characters slowly (seconds for tens of MB): only when there is one to delete.
    return strip_control_codes(text) if any(c in text for c in _CONTROL_CODES) else text


def render_text(
    inspections: Sequence[Inspection], *, color: bool = False, links: Mapping[str, GroupLink] | None = None
) -> str:
    with gc_paused():
        if color:
            blocks = [render_lines(inspection_text(i, links, _AnsiLine), color) for i in inspections]
        else:
            blocks = [
                "\n".join([t.plain for t in inspection_text(i, links, _PlainLine)]) for i in inspections
            ]
    return _stripped("\n\n".join(blocks))


_CONTROL_CODES = "".join(c for c in map(chr, range(256)) if not strip_control_codes(c))
"""The characters rich's Text strips from what it is given (BEL, BS, VT, FF and CR)."""
