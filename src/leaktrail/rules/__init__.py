"""The rule registry: one module per rule family registers its rules here."""

from __future__ import annotations

from collections.abc import Callable, Iterator

from leaktrail.model import RuleInfo, Severity
from leaktrail.rules.base import Check, Context, Report, Rule
from leaktrail.source.package import GoFile, register_needles

REGISTRY: dict[str, Rule] = {}


def rule(
    code: str,
    slug: str,
    severity: Severity,
    summary: str,
    prefilter: tuple[bytes, ...],
    package_needs: tuple[bytes, ...] = (),
) -> Callable[[Check], Check]:
    """Register a check; its docstring is the rule's documentation (printed by `leaktrail rules CODE`)."""

    def register(check: Check) -> Check:
        doc = _dedent(check.__doc__ or "")
        info = RuleInfo(code=code, slug=slug, severity=severity, summary=summary, doc=doc)
        REGISTRY[code] = Rule(info, check, prefilter, package_needs)
        return check

    return register


def extend(code: str, prefilter: tuple[bytes, ...]) -> Callable[[Check], Check]:
    """Add a check to an already registered rule (cross-call shapes, leaktrail.rules.crosscall): its
    reports carry that rule's code, its docstring is appended to the rule's documentation, and each
    check still sees only the files its own prefilter admits."""

    def register(check: Check) -> Check:
        base = REGISTRY[code]
        doc = f"{base.info.doc}\n\n{_dedent(check.__doc__ or '')}".strip()
        info = RuleInfo(base.info.code, base.info.slug, base.info.severity, base.info.summary, doc)
        needs = () if not base.package_needs else base.package_needs + prefilter

        def combined(ctx: Context) -> Iterator[Report]:
            # The package's answers for each needle (already asked by the rule's candidates): a file
            # set lookup instead of reading every file's bytes again.
            mine = _admitted(ctx, prefilter)
            theirs = _admitted(ctx, base.prefilter)
            lines: set[tuple[int, int]] = set()
            if theirs and (not base.package_needs or ctx.pkg.contains_any(base.package_needs)):
                for rep in base.check(ctx.for_files(theirs)):
                    lines.add((id(rep.file), rep.node.start_point[0]))
                    yield rep
            if mine:  # a line the rule already reported is not reported twice
                for rep in check(ctx.for_files(mine)):
                    if (id(rep.file), rep.node.start_point[0]) not in lines:
                        yield rep

        REGISTRY[code] = Rule(info, combined, tuple(dict.fromkeys(base.prefilter + prefilter)), needs)
        return check

    return register


def _admitted(ctx: Context, prefilter: tuple[bytes, ...]) -> list[GoFile]:
    """The files of ctx.files that contain one of the needles (in ctx.files order)."""
    pkg = ctx.pkg
    hits = {id(f) for f in pkg.files_containing_any(prefilter)}
    return [
        f for f in ctx.files if (id(f) in hits if f.package is pkg else any(n in f.data for n in prefilter))
    ]


def _dedent(doc: str) -> str:
    import inspect

    return inspect.cleandoc(doc)


def all_rules() -> list[Rule]:
    _load()
    return [REGISTRY[c] for c in sorted(REGISTRY)]


def rule_infos() -> dict[str, RuleInfo]:
    return {r.code: r.info for r in all_rules()}


def find_rule(key: str) -> Rule | None:
    """By code (GL002) or slug (lost-cancel), case-insensitive."""
    key = key.strip()
    for r in all_rules():
        if key.upper() == r.code or key.lower() == r.info.slug:
            return r
    return None


def _load() -> None:
    import importlib
    import importlib.util

    for family in _FAMILIES:
        name = f"leaktrail.rules.{family}"
        if importlib.util.find_spec(name) is not None:
            importlib.import_module(name)
    if not _registered:
        register_needles(n for r in REGISTRY.values() for n in r.prefilter + r.package_needs)
        _registered.append(True)


_registered: list[bool] = []


# One module per rule family. (test_every_rule_is_registered checks that all 21+ rules are present.)
_FAMILIES = (
    "channels",  # GL001
    "contexts",  # GL002
    "waitgroups",  # GL003, GL004
    "selects",  # GL005
    "senders",  # GL006
    "nilchans",  # GL021
    "workers",  # GL007, GL011, GL014, GL015
    "loopvars",  # GL016
    "ctxflow",  # GL008, GL009, GL010
    "timers",  # GL012, GL013
    "httpbody",  # GL017
    "locks",  # GL018, GL019, GL020
    "conds",  # GL023
    "lockwait",  # GL022
    "crosscall",  # more checks for GL001, GL002, GL004, GL006 (across calls); loads last
    "crossctx_checks",  # GL002, GL004 across packages (per-function WaitGroup/context summaries)
)

__all__ = ["REGISTRY", "Context", "Report", "Rule", "all_rules", "extend", "find_rule", "rule", "rule_infos"]
