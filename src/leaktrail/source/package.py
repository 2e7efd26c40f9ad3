"""The package index: every rule asks it what a name is, instead of guessing from the name.

Files are parsed lazily: a package-wide question ("who closes this channel?") first narrows the files by
a substring of their bytes, so most files of a large package are never parsed.
"""

from __future__ import annotations

import bisect
import re
from collections.abc import Callable, Iterable, Iterator, Mapping
from dataclasses import dataclass, field
from functools import cached_property, partial
from itertools import accumulate, islice
from operator import lt
from pathlib import Path

from leaktrail.source.gomod import Module, parse_version
from leaktrail.source.parse import Node, Tree, captures, parse, text
from leaktrail.source.types import GoType

_TOPLEVEL = re.compile(rb"^(?:func(?:[ \t]*\([^)\n]*\))?|type|var)[ \t]+(\w+)", re.M)
_TOPLEVEL_AFTER_NL = re.compile(rb"\n(?:func(?:[ \t]*\([^)\n]*\))?|type|var)[ \t]+(\w+)")
"""_TOPLEVEL after each newline (plus a match at the start): led by a literal, the regex engine jumps
from newline to newline instead of trying `^` at every byte (4 times faster)."""
_GROUPED = {"type": b"\ntype (", "var": b"\nvar ("}
_KEYWORD_BEFORE = {
    "func": rb"func[ \t]*(?:\([^)\n]*\)[ \t]*)?",
    "method": rb"func[ \t]*(?:\([^)\n]*\)[ \t]*)?",
    "type": rb"type[ \t]+",
    "var": rb"var[ \t]+(?:\w+[ \t]*,[ \t]*)*",
}
_WORD = re.compile(rb"\w+")
_NON_WORD_TO_SPACE = bytes(
    b if chr(b).isascii() and (chr(b).isalnum() or b == 0x5F) else 0x20 for b in range(256)
)
r"""bytes.translate table: the bytes `\w` matches (ASCII letters, digits, `_`) kept, every other byte a
space, so that split() yields exactly the matches of _WORD (2-3 times faster than findall)."""
_MANY_WORDS = 48
"""A needle inside more distinct words than this is found in many files: a substring test of each
file's vocabulary answers faster than collecting the words and testing the word sets."""
_INDEX_AFTER = 64
"""Building the word index costs about as much as 60 scans of the package's bytes (measured)."""
_WORDS_EAGER_BYTES = 2 * 1024 * 1024
"""files_with_word builds the word index at once in a package this big (it will be asked many times)."""
_EAGER_AFTER = 4
"""…and files_containing once it has read such a package this many times over: a package of the module
loaded only to answer a question or two (is `context.With` in it?) never pays for the index."""


_HEADS = {
    # What may follow each keyword in _KEYWORD_BEFORE, as zero-width matches (every occurrence of the
    # keyword is tried, even inside a name the previous match read): group 1 is the text a looked-up
    # name must start.
    "func": (
        re.compile(rb"func(?=[ \t]*(\w+))"),
        re.compile(rb"func(?=[ \t]*\([^)\n]*\)[ \t]*(\w+))"),
    ),
    "type": (re.compile(rb"type(?=[ \t]+(\w+))"),),
    "var": (re.compile(rb"var(?=[ \t]+((?:\w+[ \t]*,[ \t]*)*\w+))"),),
}


def _decl_heads(data: bytes, kind: str) -> list[bytes]:
    """The words a name following `kind`'s keyword (_KEYWORD_BEFORE) can start, sorted: each word
    after `func` or its receiver, after `type`, and each name of a `var a, b, c` list."""
    heads: set[bytes] = set()
    for pattern in _HEADS["func" if kind == "method" else kind]:
        for m in pattern.finditer(data):
            heads.update(_WORD.findall(m.group(1)))
    return sorted(heads)


def _declared_inline(data: bytes, word: bytes, kind: str, heads: list[bytes] | None = None) -> bool:
    """re.search(_KEYWORD_BEFORE[kind] + re.escape(word), data) is not None, for a name (a word)
    from the file's heads: a pattern compiled and run per looked-up name cost more than the lookups."""
    if not _WORD.fullmatch(word):
        return re.search(_KEYWORD_BEFORE[kind] + re.escape(word), data) is not None
    if heads is None:
        heads = _decl_heads(data, kind)
    i = bisect.bisect_left(heads, word)
    return i < len(heads) and heads[i].startswith(word)


def _starts_spec(data: bytes, word: bytes) -> bool:
    """`word` somewhere first on a line, or right after `(`, `;` or `,` (spaces and tabs between).
    A loop over find: a regex without a literal prefix tried every position of big files."""
    at = data.find(word)
    while at >= 0:
        i = at - 1
        while i >= 0 and data[i] in b" \t":
            i -= 1
        if i < 0 or data[i] in b"\n(;,":
            return True
        at = data.find(word, at + 1)
    return False


_LITERAL_SEARCH: dict[bytes, Callable[[bytes], object]] = {}
"""The registered needles' tests (register_needles), each the faster way for that needle."""


def _finder(needle: bytes) -> Callable[[bytes], object]:
    """A test of `needle in data` (a truthy answer or a falsy one)."""
    found = _LITERAL_SEARCH.get(needle)
    return found if found is not None else partial(_contained, needle)


def _literal_search(needle: bytes) -> Callable[[bytes], object]:
    """`needle in data` the faster way for this needle. The `in` operator steps by the needle's last
    byte: slow when that byte is a common one (a space, a tab, a letter of a short needle), as in
    `go `, `<-`, `Cond`. The regex engine's search for a literal jumps from one occurrence of its first
    byte to the next: faster for short needles and for those led by a capital letter (`WithCancel`,
    `Context`), about twice as fast for `go ` (measured on the Go standard library); a single byte
    (memchr) and long needles led by a common byte keep `in`. Only for needles asked in every package:
    compiling a pattern costs more than one package's search."""
    if 2 <= len(needle) <= 6 or (len(needle) > 6 and 0x41 <= needle[0] <= 0x5A):
        return re.compile(re.escape(needle)).search
    return partial(_contained, needle)


def _contained(needle: bytes, data: bytes) -> bool:
    return needle in data


_GATES: dict[bytes, int] = {}
"""Needles that answer for longer ones (the rules' prefilters and package needs, and the word runs
three or more of them share), with how many registered needles hold each."""
_GATES_OF: dict[bytes, tuple[bytes, ...]] = {}


def register_needles(needles: Iterable[bytes]) -> None:
    """Make the needles that many rules ask about, and the words several of them share, gates of the
    needles that hold them (Package._gated): their file lists are computed once per package anyway."""
    registered = set(needles)
    runs: dict[bytes, set[bytes]] = {}
    for n in registered:
        for run in _WORD.findall(n):
            if len(run) >= 4:
                runs.setdefault(run, set()).add(n)
    candidates = registered | {run for run, holders in runs.items() if len(holders) >= 3}
    for g in candidates:
        if len(g) >= 4:
            held = sum(1 for n in registered if g in n and g != n)
            if held:
                _GATES[g] = max(_GATES.get(g, 0), held)
    _GATES_OF.clear()
    for n in registered | set(_GATES):
        if n not in _LITERAL_SEARCH:
            _LITERAL_SEARCH[n] = _literal_search(n)


def _gates_of(needle: bytes) -> tuple[bytes, ...]:
    """The gates inside `needle` (not itself), the one held by the most registered needles first."""
    gates = _GATES_OF.get(needle)
    if gates is None:
        inside = [g for g in _GATES if g != needle and g in needle]
        inside.sort(key=lambda g: (-_GATES[g], -len(g), g))
        if len(_GATES_OF) >= 100_000:
            _GATES_OF.clear()
        gates = _GATES_OF[needle] = tuple(inside)
    return gates


class _WordIndex:
    """The maximal words of each file of a package, and all of them joined into one blob: a substring
    query reads the vocabulary (a few % of the bytes), then asks each file's set for the words found."""

    def __init__(self, files: list[GoFile]) -> None:
        self.files = files
        table = _NON_WORD_TO_SPACE
        self.sets = [frozenset(f.data.translate(table).split()) for f in files]
        ordered = sorted(frozenset().union(*self.sets), key=len)
        self.blob = b"\n" + b"\n".join(ordered) + b"\n"
        # The words sorted by length: a needle lies only in words at least as long, which start at
        # self._longer[len(needle)] (a search for a long name reads a fraction of the blob).
        lengths = list(map(len, ordered))
        starts = list(accumulate(map((1).__add__, lengths), initial=0))  # each word's newline before it
        self._longer = (
            [starts[bisect.bisect_left(lengths, n)] for n in range(lengths[-1] + 1)] if ordered else []
        )

    def first(self, needle: bytes) -> int:
        """Where `needle` (a word) first occurs in the blob, -1 when nowhere."""
        if len(needle) >= len(self._longer):
            return -1
        return self.blob.find(needle, self._longer[len(needle)])

    @cached_property
    def vocabularies(self) -> list[bytes]:
        """Each file's words joined: a needle found in many words is looked for in these (a few % of
        the file's bytes), stopping at the first hit in each. (Joined when first needed.)"""
        return [b"\n".join(words) for words in self.sets]

    def containing(self, needle: bytes) -> list[GoFile]:
        words: set[bytes] = set()
        blob = self.blob
        at = self.first(needle)
        while at >= 0:
            if len(words) > _MANY_WORDS:
                return [
                    f
                    for f, vocabulary in zip(self.files, self.vocabularies, strict=True)
                    if needle in vocabulary
                ]
            start = blob.rfind(b"\n", 0, at) + 1
            end = blob.find(b"\n", at)
            words.add(blob[start:end])
            at = blob.find(needle, end)
        if not words:
            return []
        return [f for f, s in zip(self.files, self.sets, strict=True) if not s.isdisjoint(words)]


@dataclass(eq=False)
class GoFile:
    path: Path
    display: str
    data: bytes
    is_test: bool
    package: Package | None = None

    @cached_property
    def tree(self) -> Tree:
        return parse(self.data)

    @cached_property
    def root(self) -> Node:
        return self.tree.root_node  # (a new Node object on every access of root_node)

    @property
    def parsed(self) -> bool:
        return "tree" in self.__dict__

    @cached_property
    def imports(self) -> dict[str, str]:
        """Local name -> import path. Dot imports are stored under "." joined by NUL."""
        result: dict[str, str] = {}
        for child in self.root.named_children:
            if child.type != "import_declaration":
                continue
            for spec in _import_specs(child):
                path_node = spec.child_by_field_name("path")
                if path_node is None:
                    continue
                path = text(path_node).strip('"`')
                name_node = spec.child_by_field_name("name")
                if name_node is None:
                    local = path.rsplit("/", 1)[-1]
                    if local.startswith("go-"):
                        local = local[3:]
                    result[local] = path
                elif name_node.type == "dot":
                    result["."] = f"{result['.']}\0{path}" if "." in result else path
                elif name_node.type != "blank_identifier":
                    result[text(name_node)] = path
        return result

    def import_path(self, local: str) -> str | None:
        path = self.imports.get(local)
        if path == "golang.org/x/net/context":
            return "context"
        return path

    def dot_imports(self) -> list[str]:
        dots = self.imports.get(".")
        return dots.split("\0") if dots else []

    @cached_property
    def toplevel_names(self) -> frozenset[str]:
        """Names declared at column 0 (`func F`, `func (r T) M`, `type T`, `var v`), read without parsing."""
        data = self.data
        found = _TOPLEVEL_AFTER_NL.findall(data)
        first = _TOPLEVEL.match(data)
        if first is not None:
            found.append(first.group(1))
        return frozenset(m.decode("utf-8", "replace") for m in found)

    def decl_heads(self, kind: str) -> list[bytes]:
        """_decl_heads of this file, read once per keyword (Package.declaring asks per name)."""
        key = "func" if kind == "method" else kind
        heads = self._heads.get(key)
        if heads is None:
            heads = self._heads[key] = _decl_heads(self.data, key)
        return heads

    @cached_property
    def _heads(self) -> dict[str, list[bytes]]:
        return {}

    def has_group(self, kind: str) -> bool:
        """The file holds `type (` or `var (` (spaces or tabs between), for Package.declaring."""
        found = self._groups.get(kind)
        if found is None:
            found = self._groups[kind] = re.search(kind.encode() + rb"[ \t]*\(", self.data) is not None
        return found

    @cached_property
    def _groups(self) -> dict[str, bool]:
        return {}

    def holds(self, needle: bytes) -> bool:
        """`needle in data`, kept per needle (Package.declaring asks each file about `\ntype (` again
        for every name it looks up)."""
        found = self._holds.get(needle)
        if found is None:
            found = self._holds[needle] = needle in self.data
        return found

    @cached_property
    def _holds(self) -> dict[bytes, bool]:
        return {}

    @cached_property
    def identifiers(self) -> Mapping[str, list[Node]]:
        """Every identifier of the file by name, in document order."""
        return NamesIndex(self, "identifier")

    @cached_property
    def field_identifiers(self) -> Mapping[str, list[Node]]:
        """Every field/method name occurrence (`x.f`, `T{f: …}` keys are identifiers) by name."""
        return NamesIndex(self, "field_identifier")

    @cached_property
    def literals(self) -> Literals:
        """The file's comments and literals, read from the left as far as lookups need them."""
        return Literals(self.data)

    def lacks_token(self, needle: bytes, at: int = 0) -> bool:
        """No token of the file is `needle` (an ASCII identifier), read from the bytes alone (True
        only when that is certain), for trees with syntax errors too. tree-sitter-go lexes a token where the
        previous one ends (whitespace and comments skipped); an identifier runs over every ASCII letter,
        digit and `_` that follows, and a token ends inside a run of those bytes only where a number
        literal (`0x1fstop`) or an escape sequence (`\\nstop`, lexed as code where the grammar wants
        no string) ends (a byte no token starts with is skipped alone, and every ASCII letter, digit or
        `_` starts one), so an occurrence inside a longer word, unless the word starts with a digit or
        follows a backslash, is no token — whatever the file's other bytes. Every other occurrence must
        lie in a comment or a raw string or rune literal after bytes that lex cleanly (Literals, read
        only then and only as far as needed). `at`: the first occurrence, if known."""
        if not _IDENT.fullmatch(needle):
            return False
        data = self.data
        if at <= 0:
            at = data.find(needle)
            if at < 0:
                return True
        word = WORD_BYTE
        size = len(needle)
        last = len(data)
        while at >= 0:
            end = at + size
            if end == last or not word[data[end]]:
                start = at
                while start > 0 and word[data[start - 1]]:
                    start -= 1
                if (
                    start == at or 0x30 <= data[start] <= 0x39 or data[start - 1] == 0x5C
                ) and not self.literals.covers(at, end):
                    return False
            at = data.find(needle, at + 1)
        return True

    @cached_property
    def decls(self) -> FileDecls:
        return FileDecls.of(self.root)


_LITERAL_OR_COMMENT = re.compile(
    rb"(//[^\n]*|/\*.*?\*/|`[^`]*`"
    rb"|'(?:[^'\\\n\x80-\xff]|[\xc2-\xf4][\x80-\xbf]{1,3}"
    rb"|\\(?:x[0-9a-fA-F]{2}|[0-7]{3}|u[0-9a-fA-F]{4}|U[0-9a-fA-F]{8}|[abfnrtv\\'\"]))')"
    rb'|"(?:[^"\\\n]|\\(?:x[0-9a-fA-F]{2,}|u[0-9a-fA-F]{4}|U[0-9a-fA-F]{8}|[^xuU\n]))*"',
    re.S,
)
"""Go's comments, raw string and rune literals (group 1) and interpreted string literals, as
tree-sitter-go lexes them (its escape sequences; a rune holds one character), found from the left."""
_CODE_BYTES = b"\t\n\r !%&()*+,-./0123456789:;<=>ABCDEFGHIJKLMNOPQRSTUVWXYZ[]^_abcdefghijklmnopqrstuvwxyz{|}~"
"""The bytes Go code holds outside comments and literals (ASCII only: a file with other bytes there
is read by parsing it)."""


def literal_spans(data: bytes) -> tuple[list[int], list[int]] | None:
    """The (starts, ends) of the comments and raw string and rune literals of a Go file, in order: each
    is one token wherever it stands (a comment anywhere, the others lexed whole even where the grammar
    wants none), so no name token lies inside one, even in a tree with syntax errors. Not interpreted
    strings: a `"` where the grammar wants no string starts a token of its own and tree-sitter-go may
    lex the text after it as names (`new("A")`). None when anything outside comments and literals is a
    byte tree-sitter-go may lex otherwise (an unterminated literal or comment, a stray `$`, `\\`, `?`,
    a non-ASCII character, a form feed, NUL)."""
    starts: list[int] = []
    ends: list[int] = []
    code: list[bytes] = []
    last = 0
    for m in _LITERAL_OR_COMMENT.finditer(data):
        s, e = m.span()
        code.append(data[last:s])
        if m.start(1) >= 0:
            starts.append(s)
            ends.append(e)
        last = e
    code.append(data[last:])
    joined = b" ".join(code)
    if joined.translate(None, _CODE_BYTES) or b"/*" in joined:
        return None
    return starts, ends


_CLEAN_PREFIX = re.compile(
    rb"(?:[\t\n\r !%&()*+,\-.0-9:;<=>A-Z\[\]^_a-z{|}~]+|/(?![/*])"
    rb"|//[^\n]*\n|/\*.*?\*/|`[^`]*`"
    rb"|'(?:[^'\\\n\x80-\xff]|[\xc2-\xf4][\x80-\xbf]{1,3}"
    rb"|\\(?:x[0-9a-fA-F]{2}|[0-7]{3}|u[0-9a-fA-F]{4}|U[0-9a-fA-F]{8}|[abfnrtv\\'\"]))'"
    rb'|"(?:[^"\\\n]|\\(?:x[0-9a-fA-F]{2,}|u[0-9a-fA-F]{4}|U[0-9a-fA-F]{8}|[^xuU\n]))*")*',
    re.S,
)
"""Code bytes (_CODE_BYTES), a `/` that starts no comment, and whole comments and literals
(_LITERAL_OR_COMMENT; a line comment with its newline), repeated: matched from a token boundary, it
stops where the bytes stop lexing cleanly or at the start of a comment or literal that does not end
before its end position — in C, instead of a step in Python per comment and literal."""


class Literals:
    """Where the comments and raw string and rune literals of a file lie (literal_spans), read from
    the left only as far as asked: tree-sitter-go lexes from the left, so a prefix that lexes cleanly
    is lexed alike whatever bytes follow it."""

    def __init__(self, data: bytes) -> None:
        self._data = data
        self._marks = [0]
        """Positions after a clean prefix, where no comment or literal is open (sorted)."""

    def covers(self, at: int, end: int) -> bool:
        """[at, end) lies in one comment or raw string or rune literal, after bytes that lex cleanly."""
        data = self._data
        marks = self._marks
        start = marks[bisect.bisect_right(marks, at) - 1]
        stop = _CLEAN_PREFIX.match(data, start, at).end()  # type: ignore[union-attr]  # (matches "")
        i = bisect.bisect_left(marks, stop)
        if i == len(marks) or marks[i] != stop:
            marks.insert(i, stop)
        if stop == at:
            return False  # the bytes before `at` lex to whole tokens: it starts one, in code
        found = _LITERAL_OR_COMMENT.match(data, stop)
        return found is not None and found.start(1) >= 0 and found.end() >= end


_ANY_BYTE = bytes([1]) * 256
_FOLLOWS = {
    "field_identifier": bytes(
        1 if b >= 0x80 or chr(b) in ".){;,\n/\r\x00\x0b\x0c" else 0 for b in range(256)
    ),
    "identifier": bytes(0 if b == 0x2E else 1 for b in range(256)),
}
"""The bytes a node of the kind may follow in a tree without syntax errors, spaces and tabs between
(tree-sitter-go 0.25's grammar: a field_identifier is a selector's field after `.`, a method's name
after its receiver's `)`, or a field or interface method name first in its declaration, after `{`, a
terminator (newline, `;`, NUL) or a `,` of a name list; comments (`*/`) and other white space (`\r`,
vertical tab, form feed, non-ASCII spaces) may come between. An identifier never follows `.`: after it
come fields, type names of qualified types and `(` of assertions). 1: may follow."""
_IDENT = re.compile(rb"[A-Za-z_][A-Za-z0-9_]*")
_SHORT_NAMES: dict[bytes, re.Pattern[bytes]] = {}
"""NamesIndex's patterns for names of one or two characters (at most a few thousand)."""
WORD_BYTE = bytes(1 if chr(b).isascii() and (chr(b).isalnum() or b == 0x5F) else 0 for b in range(256))
"""1 for the bytes of an ASCII Go word (letters, digits, `_`), indexed by byte: the byte readings' `\\b`."""


class NamesIndex(Mapping[str, list[Node]]):
    """The nodes of one kind (identifier, field_identifier) of a file by their text, in document order.

    A rule asks about a few names per file; capturing every identifier of the file (a third of its
    nodes) cost more than the whole rest of the name lookups. A name is found where its bytes occur
    as a whole word, asking the tree for the node at each occurrence (in C). A tree with syntax
    errors may hold tokens glued together, so it is indexed in full, as before."""

    def __init__(self, file: GoFile, kind: str) -> None:
        self._file = file
        self._kind = kind
        self._found: dict[str, list[Node]] = {}
        self._full: dict[str, list[Node]] | None = None
        self._starts: dict[str, list[int]] = {}

    def _all(self) -> dict[str, list[Node]]:
        if self._full is None:
            index: dict[str, list[Node]] = {}
            for node in captures(f"({self._kind}) @i", self._file.root).get("i", []):
                index.setdefault(text(node), []).append(node)
            self._full = index
        return self._full

    def _find(self, name: str) -> list[Node]:
        if self._full is not None:
            return self._full.get(name, [])
        hit = self._found.get(name)
        if hit is None:
            try:
                needle = name.encode()
            except UnicodeEncodeError:  # (no node's text holds a lone surrogate)
                return []
            data = self._file.data
            first = data.find(needle) if name and "\ufffd" not in name else 0
            if first < 0:
                # No node's text is a name the file's bytes do not hold: answered without the tree
                # (a lookup in every file of a package parsed files that never mention the name).
                hit = self._found[name] = []
                return hit
            if not self._file.parsed and self._file.lacks_token(needle, first):
                # Every occurrence lies inside a longer word or in a comment or literal: no token,
                # so no node, is the name (answered without parsing a file the lookup only scans).
                hit = self._found[name] = []
                return hit
            root = self._file.root
            if root.has_error or not name or "\ufffd" in name:
                return self._all().get(name, [])
            hit = []
            kind = self._kind
            word = WORD_BYTE
            # The tree has no syntax error: a node of the kind follows (past spaces and tabs) only
            # certain bytes, and the others are not asked of the tree (see _FOLLOWS).
            follows = _FOLLOWS.get(kind, _ANY_BYTE)
            size = len(needle)
            last = len(data)
            if size <= 2 and _WORD.fullmatch(needle):
                # A short name occurs inside most words: the regex engine skips those not followed by
                # a word end (same answers: an occurrence overlapping a previous one is inside a word).
                pattern = _SHORT_NAMES.get(needle)
                if pattern is None:
                    pattern = _SHORT_NAMES[needle] = re.compile(needle + rb"(?![A-Za-z0-9_])")
                for m in pattern.finditer(data, first):
                    at = m.start()
                    if at == 0 or not word[data[at - 1]]:
                        j = at - 1
                        while j >= 0 and (data[j] == 0x20 or data[j] == 0x09):
                            j -= 1
                        if j >= 0 and not follows[data[j]]:
                            continue
                        node = root.named_descendant_for_byte_range(at, at + size)
                        if node is not None and node.type == kind and node.byte_range == (at, at + size):
                            hit.append(node)
                self._found[name] = hit
                return hit
            at = first
            while at >= 0:
                end = at + size
                if (at == 0 or not word[data[at - 1]]) and (end == last or not word[data[end]]):
                    j = at - 1
                    while j >= 0 and (data[j] == 0x20 or data[j] == 0x09):
                        j -= 1
                    if j < 0 or follows[data[j]]:
                        node = root.named_descendant_for_byte_range(at, end)
                        if node is not None and node.type == kind and node.byte_range == (at, end):
                            hit.append(node)
                at = data.find(needle, end)
            self._found[name] = hit
        return hit

    def between(self, name: str, lo: int, hi: int) -> list[Node]:
        """The nodes of this name starting at or after `lo` and before `hi`, in document order: those of
        one function of a big file, by bisection instead of a test of each of the file's nodes."""
        nodes = self._find(name) if isinstance(name, str) else []
        if len(nodes) < 16:
            return [n for n in nodes if lo <= n.start_byte < hi]
        starts = self._starts.get(name)
        if starts is None or len(starts) != len(nodes):
            starts = self._starts[name] = [n.start_byte for n in nodes]
        if not all(map(lt, starts, islice(starts, 1, None))):
            return [n for n in nodes if lo <= n.start_byte < hi]
        return nodes[bisect.bisect_left(starts, lo) : bisect.bisect_left(starts, hi)]

    def get(self, name: str, default: object = None) -> list[Node] | None:  # type: ignore[override]
        hit = self._find(name) if isinstance(name, str) else None
        return hit if hit else default  # type: ignore[return-value]

    def __getitem__(self, name: str) -> list[Node]:
        hit = self._find(name) if isinstance(name, str) else None
        if not hit:
            raise KeyError(name)
        return hit

    def __contains__(self, name: object) -> bool:
        return isinstance(name, str) and bool(self._find(name))

    def __iter__(self) -> Iterator[str]:
        return iter(self._all())

    def __len__(self) -> int:
        return len(self._all())


def _import_specs(decl: Node) -> list[Node]:
    specs: list[Node] = []
    for child in decl.named_children:
        if child.type == "import_spec":
            specs.append(child)
        elif child.type == "import_spec_list":
            specs.extend(c for c in child.named_children if c.type == "import_spec")
    return specs


@dataclass
class FileDecls:
    """Top-level declarations of one file (only the top level is walked: cheap)."""

    types: dict[str, Node] = field(default_factory=dict)
    funcs: dict[str, Node] = field(default_factory=dict)
    methods: dict[tuple[str, str], Node] = field(default_factory=dict)
    vars: dict[str, tuple[Node, int]] = field(default_factory=dict)

    @classmethod
    def of(cls, root: Node) -> FileDecls:
        decls = cls()
        for child in root.named_children:
            kind = child.type
            if kind == "function_declaration":
                name = child.child_by_field_name("name")
                if name is not None:
                    decls.funcs[text(name)] = child
            elif kind == "method_declaration":
                name = child.child_by_field_name("name")
                recv = receiver_type_name(child)
                if name is not None and recv:
                    decls.methods[(recv, text(name))] = child
            elif kind == "type_declaration":
                for spec in child.named_children:
                    if spec.type in ("type_spec", "type_alias"):
                        name = spec.child_by_field_name("name")
                        if name is not None:
                            decls.types[text(name)] = spec
            elif kind == "var_declaration":
                for spec in _var_specs(child):
                    for i, name in enumerate(spec.children_by_field_name("name")):
                        decls.vars[text(name)] = (spec, i)
        return decls


def _var_specs(decl: Node) -> list[Node]:
    out: list[Node] = []
    for child in decl.named_children:
        if child.type == "var_spec":
            out.append(child)
        elif child.type == "var_spec_list":
            out.extend(c for c in child.named_children if c.type == "var_spec")
    return out


def receiver_type_name(method: Node) -> str:
    recv = method.child_by_field_name("receiver")
    if recv is None:
        return ""
    for param in recv.named_children:
        if param.type == "parameter_declaration":
            t = param.child_by_field_name("type")
            while t is not None and t.type in ("pointer_type", "generic_type", "parenthesized_type"):
                t = (
                    t.child_by_field_name("type")
                    if t.type == "generic_type"
                    else (t.named_children[0] if t.named_children else None)
                )
            return text(t) if t is not None else ""
    return ""


@dataclass(eq=False)
class Package:
    dir: Path
    name: str
    files: list[GoFile]
    module: Module
    go_version: tuple[int, int] | None = None
    _by_needle: dict[bytes, list[GoFile]] = field(default_factory=dict, repr=False)
    _scanned: int = field(default=0, repr=False)
    """Bytes read by files_containing so far: once it exceeds _INDEX_AFTER × the package size, the
    word index pays for itself."""
    _words: _WordIndex | None = field(default=None, repr=False)
    _unions: dict[tuple[bytes, ...], list[GoFile]] = field(default_factory=dict, repr=False)
    _toplevel: dict[str, list[GoFile]] | None = field(default=None, repr=False)
    _heads: dict[str, tuple[list[bytes], list[int]]] = field(default_factory=dict, repr=False)
    _types: dict[str, tuple[GoFile, Node] | None] = field(default_factory=dict, repr=False)
    _funcs: dict[str, tuple[GoFile, Node] | None] = field(default_factory=dict, repr=False)
    _vars: dict[str, tuple[GoFile, Node, int] | None] = field(default_factory=dict, repr=False)
    _methods: dict[tuple[str, str], tuple[GoFile, Node] | None] = field(default_factory=dict, repr=False)
    type_cache: dict[tuple[str, str], GoType | None] = field(default_factory=dict, repr=False)
    struct_memo: dict[Node, list[tuple[tuple[str, ...], Node | None]]] = field(
        default_factory=dict, repr=False
    )
    """(names, type node) of each field declaration of a struct type node (resolve.Resolver._fields)."""
    member_memo: dict[tuple[str, GoType, str, int], GoType | None] = field(default_factory=dict, repr=False)
    """resolve.Resolver's field_type, field_owner and method_owner answers (tagged f, o, m)."""
    node_types: dict[tuple[int, Node, int], GoType | None] = field(default_factory=dict, repr=False)
    """resolve.type_from_node's answers, by file (id: the files live as long as the package), type
    node and depth."""

    def __post_init__(self) -> None:
        for f in self.files:
            f.package = self

    @classmethod
    def create(
        cls, directory: Path, name: str, files: list[GoFile], module: Module, go_version: str | None
    ) -> Package:
        version = parse_version(go_version) if go_version else None
        if version is None and module.go_version:
            version = parse_version(module.go_version)
        return cls(directory, name, files, module, version)

    def contains(self, needle: bytes) -> bool:
        """Some file of the package contains `needle` (stops at the first: a rule's package_needs)."""
        found = self._by_needle.get(needle)
        if found is not None:
            return bool(found)
        key = b"\0c" + needle
        hit = self._by_needle.get(key)
        if hit is None:
            search = _finder(needle)
            first = next((f for f in self.files if search(f.data)), None)
            hit = self._by_needle[key] = [first] if first is not None else []
            if first is None:
                self._by_needle[needle] = []  # files_containing's answer too: it is in no file
        return bool(hit)

    def files_containing(self, needle: bytes) -> list[GoFile]:
        """The files whose bytes contain `needle` (a substring test, in file order).

        A big package is asked thousands of these; scanning every file's bytes each time made the
        scan quadratic in the package size. Once the scans have read the package several times over,
        word-shaped needles are answered from a word index built in one pass (same answers: a word
        occurs in a file iff it is a substring of one of the file's maximal words)."""
        found = self._by_needle.get(needle)
        if found is None:
            runs = _WORD.findall(needle)
            if (
                self._words is None
                and runs
                and (
                    self._scanned > _INDEX_AFTER * self.size
                    or (self.size >= _WORDS_EAGER_BYTES and self._scanned > _EAGER_AFTER * self.size)
                )
            ):
                self._words = _WordIndex(self.files)
            if self._words is not None and runs and _WORD.fullmatch(needle):
                found = self._words.containing(needle)
            elif self._words is not None and runs:
                # `make(chan`: a file holding it holds each of its word runs inside its own words
                maybe = set(self.files)
                for run in runs:
                    maybe.intersection_update(self.files_containing(run))
                search = _finder(needle)
                found = [f for f in self.files if f in maybe and search(f.data)]
            else:
                base = self._gated(needle)
                self._scanned += self.size if base is self.files else sum(len(f.data) for f in base)
                search = _finder(needle)
                found = [f for f in base if search(f.data)]
            self._by_needle[needle] = found
        return found

    def _gated(self, needle: bytes) -> list[GoFile]:
        """The files that may hold `needle`: those holding one of its gates (a file without `chan`
        holds no `make(chan`), the narrowest of the gates already answered, else of the one shared by
        the most registered needles; every file when it has none."""
        gates = _gates_of(needle)
        if not gates:
            return self.files
        known = [found for g in gates if (found := self._by_needle.get(g)) is not None]
        if not known:
            known = [self.files_containing(gates[0])]
        return min(known, key=len)

    def files_containing_any(self, needles: tuple[bytes, ...]) -> list[GoFile]:
        """The files containing one of `needles`, in package order, each once (the union of
        files_containing's answers). When a needle is a single byte (memchr finds `(` at once in
        nearly every file), each file is tested for it first and for the others only where it is
        missing, instead of reading every file for each of the others."""
        if len(needles) == 1:
            return self.files_containing(needles[0])
        found = self._unions.get(needles)
        if found is None:
            single = [n for n in needles if len(n) == 1]
            if single:
                ordered = single + [n for n in needles if len(n) != 1]
                tests = [_finder(n) for n in ordered]
                found = [f for f in self.files if any(t(f.data) for t in tests)]
            else:
                hits = {id(f) for n in needles for f in self.files_containing(n)}
                found = [f for f in self.files if id(f) in hits]
            self._unions[needles] = found
        return found

    def contains_any(self, needles: tuple[bytes, ...]) -> bool:
        """Some file contains one of `needles` (any(contains(n) for n in needles)): the answers known
        first, then the files in order, each tested for every needle, stopping at the first file that
        holds one (instead of reading the whole package for each absent needle in turn)."""
        by_needle = self._by_needle
        left: list[bytes] = []
        for n in needles:
            found = by_needle.get(n)
            if found is None:
                found = by_needle.get(b"\0c" + n)
            if found is None:
                left.append(n)
            elif found:
                return True
        if not left:
            return False
        if len(left) == 1:
            return self.contains(left[0])
        tests = [_finder(n) for n in left]
        for f in self.files:
            data = f.data
            for test in tests:
                if test(data):
                    return True
        for n in left:
            by_needle[n] = []
        return False

    @cached_property
    def size(self) -> int:
        return sum(len(f.data) for f in self.files) or 1

    def files_with_word(self, word: str) -> list[GoFile]:
        """The files in which `word` occurs as a whole word (not inside a longer name): for short names
        (`c`, `mu`, `ch`) files_containing matches nearly every file of a package, this does not."""
        key = b"\0w" + word.encode()
        found = self._by_needle.get(key)
        if found is None:
            needle = word.encode()
            if self._words is None and self.size >= _WORDS_EAGER_BYTES:
                self._words = _WordIndex(self.files)
            if self._words is not None:
                found = [f for f, s in zip(self.files, self._words.sets, strict=True) if needle in s]
            else:
                pattern = re.compile(rb"(?<!\w)" + re.escape(needle) + rb"(?!\w)")
                found = [f for f in self.files_containing(needle) if pattern.search(f.data)]
            self._by_needle[key] = found
        return found

    def declaring(self, kind: str, name: str) -> list[GoFile]:
        """Files that may declare `name` at top level: the gofmt-shaped declarations found by one regex
        pass per file first (so a lookup does not parse every file that merely mentions the name),
        then any file with a grouped declaration block mentioning it, then every file mentioning it.

        The answer of _declaring_scan; for a function or method without reading every file for the name
        (most names asked are declared nowhere: `len`, a conversion, a method of another package's
        type): the files where it follows `func` or a receiver come from the package's sorted
        declaration heads, and of the files mentioning it only whether there are two is asked."""
        top = self._top(name)
        if top:
            return top
        word = name.encode()
        if kind not in ("func", "method") or not _WORD.fullmatch(word):
            # (a type or var may be declared in a grouped block: its spec is found by a search of the
            # files mentioning it; finding every spec's name beforehand costs more than those searches)
            return self._declaring_scan(kind, name)
        known = self._by_needle.get(word)
        if known is not None:
            return self._declaring_scan(kind, name)  # (the files mentioning it are known: as cheap)
        inline = self._inline(kind, word)
        chosen = inline
        mentioning = len(inline)
        if mentioning < 2:
            few = self._mentioning_up_to_two(word)
            if len(few) <= 1:
                return few
        return [f for f in self.files if id(f) in chosen]

    def _top(self, name: str) -> list[GoFile] | None:
        if self._toplevel is None:
            self._toplevel = {}
            for f in self.files:
                for n in f.toplevel_names:
                    self._toplevel.setdefault(n, []).append(f)
        return self._toplevel.get(name)

    def _inline(self, kind: str, word: bytes) -> set[int]:
        """The files (ids) of which a declaration head (_decl_heads) starts with `word`: those where
        _declared_inline holds, from the package's heads sorted once per keyword."""
        key = "func" if kind == "method" else kind
        heads = self._heads.get(key)
        if heads is None:
            pairs = sorted((h, i) for i, f in enumerate(self.files) for h in f.decl_heads(key))
            heads = self._heads[key] = ([h for h, _ in pairs], [id(self.files[i]) for _, i in pairs])
        words, owners = heads
        out: set[int] = set()
        i = bisect.bisect_left(words, word)
        while i < len(words) and words[i].startswith(word):
            out.add(owners[i])
            i += 1
        return out

    def _mentioning_up_to_two(self, word: bytes) -> list[GoFile]:
        """Two files holding `word` (a word), or all of them (in package order) when fewer: whether a
        name is mentioned in more than one file, without reading every file for a common name."""
        known = self._by_needle.get(word)
        if known is not None:
            return known[:2]
        out: list[GoFile] = []
        if self._words is not None:
            blob, sets = self._words.blob, self._words.sets
            holding: set[int] = set()
            at = self._words.first(word)
            while at >= 0 and len(holding) < 2:
                start = blob.rfind(b"\n", 0, at) + 1
                end = blob.find(b"\n", at)
                w = blob[start:end]
                for i, ws in enumerate(sets):
                    if w in ws:
                        holding.add(i)
                        if len(holding) >= 2:
                            break
                at = blob.find(word, end)
            return [self.files[i] for i in sorted(holding)][:2]
        search = _finder(word)
        for f in self.files:
            if search(f.data):
                out.append(f)
                if len(out) == 2:
                    break
        return out

    def _declaring_scan(self, kind: str, name: str) -> list[GoFile]:
        """declaring, reading every file for the name (the reference; used for names that are not
        words and when the files mentioning the name are known)."""
        top = self._top(name)
        if top:
            # The files (in package order) that every mention of `name` would narrow to below.
            return top
        found = self.files_containing(name.encode())
        if len(found) <= 1:
            return found
        grouped = _GROUPED.get(kind)
        if grouped is not None:
            narrowed = [f for f in found if f.holds(grouped)]
            if narrowed:
                found = narrowed
        # Not declared at column 0 anywhere (often not declared at all: `len`, a type parameter `T`, a
        # method of another package's type): keep only the files where the name follows its keyword
        # at any column (`func`, a receiver, the name), or, in a file with a grouped `type (…)` /
        # `var (…)`, starts a line or follows `(`, `;`, `,` — so a lookup does not parse every file
        # that merely mentions the name. (A comment or a line break inside the declaration's head
        # would hide it; gofmt never writes one there.)
        keyword = _KEYWORD_BEFORE.get(kind)
        if keyword is None:
            return found
        word = name.encode()
        return [
            f
            for f in found
            if _declared_inline(f.data, word, kind, f.decl_heads(kind))
            or (kind in _GROUPED and f.has_group(kind) and _starts_spec(f.data, word))
        ]

    def lookup_type(self, name: str) -> tuple[GoFile, Node] | None:
        if name not in self._types:
            self._types[name] = next(
                (
                    (f, f.decls.types[name])
                    for f in self.declaring("type", name)
                    if _may_declare(f, name) and name in f.decls.types
                ),
                None,
            )
        return self._types[name]

    def lookup_func(self, name: str) -> tuple[GoFile, Node] | None:
        if name not in self._funcs:
            self._funcs[name] = next(
                (
                    (f, f.decls.funcs[name])
                    for f in self.declaring("func", name)
                    if _may_declare(f, name) and name in f.decls.funcs
                ),
                None,
            )
        return self._funcs[name]

    def lookup_method(self, recv: str, name: str) -> tuple[GoFile, Node] | None:
        key = (recv, name)
        if key not in self._methods:
            self._methods[key] = next(
                (
                    (f, f.decls.methods[key])
                    for f in self.declaring("method", name)
                    if _may_declare(f, name, recv) and key in f.decls.methods
                ),
                None,
            )
        return self._methods[key]

    def lookup_var(self, name: str) -> tuple[GoFile, Node, int] | None:
        if name not in self._vars:
            hit = None
            for f in self.declaring("var", name):
                if _may_declare(f, name) and name in f.decls.vars:
                    spec, index = f.decls.vars[name]
                    hit = (f, spec, index)
                    break
            self._vars[name] = hit
        return self._vars[name]


def _may_declare(f: GoFile, *names: str) -> bool:
    """The file's declarations may hold these names (each a name or a receiver's type name, a token of
    its own): False only for an unparsed file whose bytes prove one of them is no token of it
    (GoFile.lacks_token), so a lookup of one name across a package does not parse every file that
    merely mentions it in a comment, a string or inside a longer word."""
    if f.parsed:
        return True
    return not any(f.lacks_token(n.encode("utf-8", "surrogatepass")) for n in names)
