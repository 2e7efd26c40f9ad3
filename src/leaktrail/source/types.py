"""A small model of Go types, enough for rules to ask what a value is without a type checker."""

from __future__ import annotations

from dataclasses import dataclass

BASIC = frozenset(
    [
        "bool",
        "string",
        "int",
        "int8",
        "int16",
        "int32",
        "int64",
        "uint",
        "uint8",
        "uint16",
        "uint32",
        "uint64",
        "uintptr",
        "byte",
        "rune",
        "float32",
        "float64",
        "complex64",
        "complex128",
        "error",
        "any",
        "comparable",
    ]
)


@dataclass(frozen=True, slots=True)
class GoType:
    kind: str
    """named, pointer, chan, slice, array, map, func, struct, interface, tuple, basic."""
    name: str = ""
    pkg: str = ""
    """Import path of a named type; "" for a type declared in the package being analysed."""
    elem: GoType | None = None
    key: GoType | None = None
    dir: str = ""
    """Channel direction: "" (both), "send" or "recv"."""
    items: tuple[GoType, ...] = ()
    """Results of a func type, members of a tuple."""

    def __str__(self) -> str:
        k = self.kind
        if k == "named":
            return f"{self.pkg}.{self.name}" if self.pkg else self.name
        if k == "basic":
            return self.name
        if k == "pointer":
            return f"*{self.elem}"
        if k == "chan":
            prefix = {"": "chan ", "send": "chan<- ", "recv": "<-chan "}[self.dir]
            return f"{prefix}{self.elem}"
        if k in ("slice", "array"):
            return f"[]{self.elem}"
        if k == "map":
            return f"map[{self.key}]{self.elem}"
        if k == "tuple":
            return "(" + ", ".join(map(str, self.items)) + ")"
        return k

    def deref(self) -> GoType:
        return self.elem if self.kind == "pointer" and self.elem is not None else self

    def is_named(self, pkg: str, name: str) -> bool:
        t = self.deref()
        return t.kind == "named" and t.pkg == pkg and t.name == name

    @property
    def is_chan(self) -> bool:
        return self.kind == "chan"

    def first(self) -> GoType:
        """The first value of a multi-value expression (what `x := f()` would take)."""
        return self.items[0] if self.kind == "tuple" and self.items else self


def named(pkg: str, name: str) -> GoType:
    return GoType("named", name=name, pkg=pkg)


def basic(name: str) -> GoType:
    return GoType("basic", name=name)


def pointer(elem: GoType) -> GoType:
    return GoType("pointer", elem=elem)


def chan(elem: GoType | None, direction: str = "") -> GoType:
    return GoType("chan", elem=elem, dir=direction)


def tuple_of(items: tuple[GoType, ...]) -> GoType:
    return items[0] if len(items) == 1 else GoType("tuple", items=items)


def parse_type(spec: str) -> GoType:
    """Parse the standard-library table's notation ("*net/http.Response", "<-chan time.Time")."""
    s = spec.strip()
    if s.startswith("*"):
        return pointer(parse_type(s[1:]))
    if s.startswith("[]"):
        return GoType("slice", elem=parse_type(s[2:]))
    if s.startswith("<-chan "):
        return chan(parse_type(s[7:]), "recv")
    if s.startswith("chan<- "):
        return chan(parse_type(s[7:]), "send")
    if s.startswith("chan "):
        return chan(parse_type(s[5:]))
    if s.startswith("func"):
        results = s[s.index(")") + 1 :].strip().strip("()")
        return GoType("func", items=tuple(parse_type(r) for r in results.split(",") if r.strip()))
    if s.startswith("map["):
        depth, i = 0, 3
        while i < len(s):
            depth += s[i] == "["
            depth -= s[i] == "]"
            if depth == 0:
                break
            i += 1
        return GoType("map", key=parse_type(s[4:i]), elem=parse_type(s[i + 1 :]))
    if s in BASIC:
        return basic(s)
    if s == "struct{}":
        return GoType("struct")
    if s == "interface{}":
        return GoType("interface")
    pkg, _, name = s.rpartition(".")
    return named(pkg, name)
