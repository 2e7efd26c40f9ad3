"""The byte-level token proofs (GoFile.lacks_token, literal_spans) answer what the tree holds: a lookup
that skips a file because its bytes prove a name is no token of it must skip only files whose tree has no
node of that name — in trees with syntax errors too (the checker's own broken test files included)."""

from __future__ import annotations

import bisect
import random
import re
from pathlib import Path

from tests.rules.stdpkgs import TESTDATA, goroot_src, package, std_dirs

from leaktrail.source import package as pkgmod
from leaktrail.source.package import GoFile, NamesIndex, Package
from leaktrail.source.parse import Node, captures, text

_STD = ("sync", "context", "net/http", "go/ast", "cmd/compile/internal/ssa", "runtime", "encoding/json")
_BROKEN = ("internal/types/testdata/check", "internal/types/testdata/fixedbugs", "go/parser/testdata")
_LEAVES = "[(identifier) (field_identifier) (type_identifier) (package_identifier) (label_name)] @i"
_LITERALS = "[(comment) (raw_string_literal) (rune_literal)] @l"
_CRAFTED = [
    # field names after every byte a field_identifier may follow (comments, line breaks, `,`, `;`, `)`)
    b"package p\ntype T struct { /* c */ a int; b, /* d */ c int\n\t// e\n\td int }\n"
    b"type I interface { /* c */ M(); N()\n}\nfunc (r T) /* c */ M() {}\n"
    b"func f(x T, y ...int) { _ = x. /* c */ a; _ = x.\n\tb; _ = x .c; _ = T{a: 1}; g(y...); _ = x.(I) }\n",
    b"package p\r\ntype T struct {\r\n\ta int\r\n}\r\nfunc f(x T) {\r\n\t_ = x.\r\n\t\ta\r\n}\r\n",
    b"package p\ntype T struct {\x0c a int }\nfunc f(x T) { _ = x.\x0ba; _ = x.\xc2\xa0a }\n",
    b"package p\nvar x = 0x1fstop\n",  # a number literal glued to a name: two tokens
    b"package p\nvar x = 1.5e3stop + .5stop + 07stop + 1_stop + 3istop\n",
    b"package p\n// stop here\nvar s = \"stop\" + `stop` + 's'\n/* stop */ func f() {}\n",
    b'package p\nvar s = "a\\x4stop"\n',  # a bad escape: tree-sitter may lex the rest otherwise
    b'package p\nvar s = "unterminated stop\nvar t = stop\n',
    b"package p\nvar r = '\\''; var stop = 1\n",
    b"package p\nvar r = '\xc3\xa9' + stop\n",
    b"package p\n/* unterminated stop\n",
    b"package p\nvar s = `raw stop",
    b"package p\nvar x = a $ stop\n",
    b"package p\nvar x = a\x0cstop\n",
    b"package p\nvar \xc3\xa9stop = 1\nvar stop\xc3\xa9 = 2\n",
    b"package p\nfunc x make() {}\nfunc (r T) = stop() {}\ntype = T int\n",
    b"package p\ntype T struct { = stop int }\nfunc f() { foo(a stop); x := y stop.w }\n",
    b'package p\nvar x = "a\\\nstop"\n',
    b"package p\x00stop\n",
    b'package p\nvar x = new("\\nstop\\x41stop\\u0041stop\\012stop\\\\stop")\n',
    b'package p\nvar x = new("\\nstop")\n',  # tree-sitter: escape_sequence, identifier `stop`
    b'package p\nvar x = new("\\x41stop")\n',
    b'package p\nvar x = new("A") + new("stop // x") // stop\n',
]


def _sources() -> list[tuple[str, bytes]]:
    out = [(f"crafted{i}", data) for i, data in enumerate(_CRAFTED)]
    out += [(str(p), p.read_bytes()) for p in sorted(TESTDATA.rglob("*.go"))]
    for d in std_dirs(_STD):
        out += [(str(p), p.read_bytes()) for p in sorted(d.glob("*.go"))[:25]]
    src = goroot_src()
    if src is not None:
        for name in _BROKEN:
            files = sorted(p for p in (src / name).rglob("*") if p.is_file())
            out += [(str(p), p.read_bytes()) for p in files[:150]]
    return out


def _tokens(root: Node) -> dict[str, int]:
    found: dict[str, int] = {}
    for node in captures(_LEAVES, root).get("i", []):
        found[text(node)] = found.get(text(node), 0) + 1
    return found


def test_literal_spans_are_the_trees_comments_and_literals() -> None:
    clean = broken = 0
    for path, data in _sources():
        spans = pkgmod.literal_spans(data)
        if spans is None:
            continue
        root = GoFile(Path("x.go"), "x.go", data, False).root
        starts, ends = spans
        if not root.has_error:
            nodes = captures(_LITERALS, root).get("l", [])
            assert [(n.start_byte, n.end_byte) for n in nodes] == list(zip(starts, ends, strict=True)), path
            clean += 1
        else:
            broken += 1
        # In every tree: no name token lies inside a comment or a literal.
        for node in captures(_LEAVES, root).get("i", []):
            import bisect

            i = bisect.bisect_right(starts, node.start_byte) - 1
            assert i < 0 or ends[i] <= node.start_byte, (path, text(node), node.start_point)
    assert clean > 300 and (goroot_src() is None or broken > 20), (clean, broken)


def _clean_spans(data: bytes) -> tuple[list[int], list[int], int]:
    """The comments, raw strings and runes of the longest prefix that lexes cleanly, and its end: the
    spans found from the left by literal_spans's regex, up to the first gap holding a byte no code has
    (the reference for Literals)."""
    starts: list[int] = []
    ends: list[int] = []
    last = 0
    for m in pkgmod._LITERAL_OR_COMMENT.finditer(data):
        gap = data[last : m.start()]
        if gap.translate(None, pkgmod._CODE_BYTES) or b"/*" in gap:
            return starts, ends, last
        if m.start(1) >= 0:
            starts.append(m.start())
            ends.append(m.end())
        last = m.end()
    return starts, ends, len(data)


def test_lazy_literals_are_the_spans() -> None:
    """Literals, read as far as asked (in any order), answers what the spans of the file's clean prefix
    answer (of the whole file's spans, when it lexes cleanly)."""
    rng = random.Random(5)
    for path, data in _sources():
        spans = pkgmod.literal_spans(data)
        starts, ends, _ = _clean_spans(data)
        if spans is not None:
            assert (starts, ends) == spans, path
        lazy = pkgmod.Literals(data)
        words = [m.span() for m in re.finditer(rb"[A-Za-z_]\w*", data)]
        if len(words) > 400:
            words = sorted(rng.sample(words, 200)) + rng.sample(words, 200)
        for at, end in words:
            i = bisect.bisect_right(starts, at) - 1
            assert lazy.covers(at, end) == (i >= 0 and ends[i] >= end), (path, at)


def test_lacks_token_only_for_names_no_node_holds() -> None:
    proven = checked = 0
    for path, data in _sources():
        f = GoFile(Path("x.go"), "x.go", data, False)
        words = set(re.findall(rb"[A-Za-z_][A-Za-z0-9_]*", data))
        words.update({b"stop", b"make", b"zzAbsent"})
        answers = {w: f.lacks_token(w) for w in sorted(words)}
        assert not f.parsed
        tokens = _tokens(f.root)
        for w, lacks in answers.items():
            checked += 1
            if lacks:
                proven += 1
                assert w.decode() not in tokens, (path, w)
    assert proven > 1000 and checked > 20000, (proven, checked)


def test_names_index_is_the_full_index_for_every_word() -> None:
    """Every word of every file, asked of an unparsed file's index: the full index's answer."""
    for path, data in _sources():
        words = sorted({w.decode() for w in re.findall(rb"[A-Za-z_][A-Za-z0-9_]*", data)})[::3]
        for kind in ("identifier", "field_identifier"):
            f = GoFile(Path("x.go"), "x.go", data, False)
            fast = NamesIndex(f, kind)
            got = {w: fast.get(w, []) for w in words}
            full = NamesIndex(f, kind)._all()
            for w in words:
                assert got[w] == full.get(w, []), (path, kind, w)


def _old_lookup(pkg: Package, kind: str, recv: str, name: str) -> tuple[str, int, int] | None:
    """The lookup as it was: every file `declaring` lists, parsed and asked in order (file, node range)."""
    for f in pkg.declaring(kind, name):
        d = f.decls
        if kind == "method" and (recv, name) in d.methods:
            node = d.methods[(recv, name)]
        elif kind == "type" and name in d.types:
            node = d.types[name]
        elif kind == "func" and name in d.funcs:
            node = d.funcs[name]
        elif kind == "var" and name in d.vars:
            node = d.vars[name][0]
        else:
            continue
        return (f.display, node.start_byte, node.end_byte)
    return None


def _new_lookup(pkg: Package, kind: str, recv: str, name: str) -> tuple[str, int, int] | None:
    if kind == "var":
        hit = pkg.lookup_var(name)
        return None if hit is None else (hit[0].display, hit[1].start_byte, hit[1].end_byte)
    if kind == "method":
        found = pkg.lookup_method(recv, name)
    else:
        found = pkg.lookup_type(name) if kind == "type" else pkg.lookup_func(name)
    return None if found is None else (found[0].display, found[1].start_byte, found[1].end_byte)


def test_lookups_are_the_parsing_lookups() -> None:
    crafted = {
        "a.go": b'package p\n// func stop() and type stop\nvar s = "func make()"\nfunc makeX() {}\n',
        "b.go": b"package p\nfunc (r *T) stop() {}\nfunc make() {}\ntype T struct{}\n",
        "c.go": b"package p\nfunc (r *U) stop() {}\n// T\nvar v = 1\nfunc x make() {}\n",
    }
    sources = [crafted] + [{p.name: p.read_bytes() for p in sorted(d.glob("*.go"))} for d in std_dirs(_STD)]
    asked = skipped = 0
    for files in sources:
        old, new = package(TESTDATA, files), package(TESTDATA, files)
        names = {"stop", "make", "len", "T", "U", "v", "init", "String", "Lock", "zz"}
        for f in old.files:
            names.update(f.toplevel_names)
        recvs = sorted({k[0] for f in old.files for k in f.decls.methods} | {"T", "U", "zz"})[:40]
        for name in sorted(names)[:400]:
            for kind, recv in [("type", ""), ("func", ""), ("var", "")] + [("method", r) for r in recvs]:
                want = _old_lookup(old, kind, recv, name)
                assert _new_lookup(new, kind, recv, name) == want, (files.keys(), kind, recv, name)
                asked += 1
        skipped += sum(not f.parsed for f in new.files)
    assert asked > 10000 and skipped > 0, (asked, skipped)


def _declaring_cases() -> list[dict[str, bytes]]:
    crafted = {
        "a.go": b"package p\ntype (\n\tT int\n\tTT = T\n)\nvar (\n\tv, w = 1, 2\n)\nfunc lenx() {}\n",
        "b.go": b"package p\n// T v len\nfunc (r *T) len() {}\n  type U int\n\tvar q, v int\n"
        b'func f() { _ = len("") }\n',
        "c.go": b"package p\nvar(x int)\ntype(Y int)\nfunc g() { var T, len int; _ = T; _ = len }\n",
        "d.go": b"package p\nfunc h() { type local int; var lenient = 1; _ = lenient }\n",
    }
    out = [crafted, {"a.go": crafted["a.go"]}, {"b.go": crafted["b.go"], "d.go": crafted["d.go"]}]
    for d in std_dirs(("sync", "go/ast", "encoding/json")):
        out.append({p.name: p.read_bytes() for p in sorted(d.glob("*.go"))})
    big: dict[str, bytes] = {}
    for d in std_dirs(("go/types", "net/http", "runtime", "cmd/compile/internal/ssa")):
        big.update({f"{d.name}_{p.name}": p.read_bytes() for p in sorted(d.glob("*.go"))})
    if big:
        out.append(big)  # big enough for the word index (files_with_word builds it)
    return out


def test_declaring_is_the_scan() -> None:
    """declaring answers what reading every file for the name answers: every name of the package's
    files (a sample in big ones) and crafted ones, for each kind, in packages with and without the
    word index, with and without the files mentioning the name already known."""
    rng = random.Random(3)
    asked = indexed = 0
    for sources in _declaring_cases():
        names = sorted({w.decode() for data in sources.values() for w in re.findall(rb"[A-Za-z_]\w*", data)})
        if len(names) > 300:
            names = rng.sample(names, 300)
        names += ["len", "T", "v", "x", "Y", "U", "q", "lenx", "zzAbsent", "é", "a.b"]
        for warm in (False, True):
            pkg, ref = package(TESTDATA, sources), package(TESTDATA, sources)
            if pkg.size >= pkgmod._WORDS_EAGER_BYTES:
                pkg.files_with_word("x")
                indexed += pkg._words is not None
            for name in names:
                if warm:
                    pkg.files_containing(name.encode())
                for kind in ("type", "func", "method", "var"):
                    got = [f.display for f in pkg.declaring(kind, name)]
                    assert got == [f.display for f in ref._declaring_scan(kind, name)], (kind, name)
                    asked += 1
    assert asked > 8_000 and (not std_dirs(("runtime",)) or indexed), (asked, indexed)


def test_word_index_by_length_is_the_scan() -> None:
    """The word index's blob, sorted by word length and searched from the first word as long as the
    needle, finds the files a byte search finds: words, their inner parts, needles longer than any word."""
    rng = random.Random(11)
    for sources in _declaring_cases()[-2:]:
        files = package(TESTDATA, sources).files
        index = pkgmod._WordIndex(files)
        words = sorted({w for f in files for w in re.findall(rb"\w+", f.data)})
        needles = rng.sample(words, min(400, len(words)))
        needles += [w[1:4] for w in needles[:100] if len(w) > 4] + [w[-3:] for w in needles[:100]]
        needles += [b"x" * 300, b"zzNowhere", b"_", b"e", max(words, key=len)]
        for needle in needles:
            assert index.containing(needle) == [f for f in files if needle in f.data], needle


def test_names_between_is_the_filter() -> None:
    """NamesIndex.between (a bisection over a name's nodes) is the range filter over them, for the
    functions of each file and random ranges, in trees with and without syntax errors."""
    rng = random.Random(17)
    checked = 0
    for _path, data in _sources()[::4]:
        f = GoFile(Path("x.go"), "x.go", data, False)
        counts: dict[str, int] = {}
        for w in re.findall(rb"[A-Za-z_]\w*", data):
            counts[w.decode()] = counts.get(w.decode(), 0) + 1
        names = sorted(counts, key=lambda n: -counts[n])[:12]
        funcs = captures("[(function_declaration) (method_declaration) (func_literal)] @f", f.root).get(
            "f", []
        )
        ranges = [(n.start_byte, n.end_byte) for n in funcs[:30]]
        for _ in range(10):
            a, b = rng.randint(0, len(data)), rng.randint(0, len(data))
            ranges.append((min(a, b), max(a, b)))
        for kind in ("identifier", "field_identifier"):
            index = NamesIndex(f, kind)
            for name in names:
                nodes = index.get(name) or []
                for lo, hi in ranges:
                    assert index.between(name, lo, hi) == [n for n in nodes if lo <= n.start_byte < hi]
                    checked += 1
    assert checked > 20_000, checked
