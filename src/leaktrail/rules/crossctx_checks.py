"""WaitGroup and context shapes whose other half sits in another package of the module (issue 12),
added to GL002/GL004 with `rules.extend`; they read the per-function summaries of
leaktrail.rules.crossctx. Each check's docstring is appended to its rule's documentation."""

from __future__ import annotations

from collections.abc import Iterator

import leaktrail.rules.contexts
import leaktrail.rules.waitgroups  # noqa: F401
from leaktrail.rules import extend
from leaktrail.rules.base import Context, Report
from leaktrail.rules.crossctx import callee_of, summary
from leaktrail.rules.goroutines import go_target, same_function
from leaktrail.rules.waitgroups import wg_calls
from leaktrail.source.package import GoFile
from leaktrail.source.parse import Node, line_of, text, unparen
from leaktrail.source.resolve import enclosing_func


@extend("GL004", (b".Add(",))
def done_missed_in_other_package(ctx: Context) -> Iterator[Report]:
    """
    ## Across packages: a goroutine that runs another package's function
    `wg.Add(1); go worker.Run(&wg, job)` where `Run`, in another package of the module, calls
    `wg.Done()` without `defer` and has a path that returns without it: `wg.Wait()` blocks forever once
    that path is taken. Reported at the `go` statement (the exit that skips Done is named in the
    message). Silent when `Run` defers `Done`, calls it on every path, or hands it to a goroutine that does.
    """
    for file in ctx.files:
        for go in ctx.query(file, "(go_statement) @g").get("g", []):
            call = next((c for c in go.named_children if c.type == "call_expression"), None)
            if call is None or go_target(ctx, file, go) is not None:
                continue  # a goroutine of this package: the rule itself checks its body
            target = callee_of(ctx, file, call)
            if target is None:
                continue
            facts = summary(target.ctx, target.file, target.func)
            parent = enclosing_func(go)
            args = call.child_by_field_name("arguments")
            if not facts or parent is None or args is None:
                continue
            for i, arg in enumerate(args.named_children):
                f = facts.get(i)
                if f is None or f.missed is None or f.done_always:
                    continue
                name = _wg_name(arg)
                if name is None or not _added_before(ctx, file, parent, go, name):
                    continue
                fname = text(target.func.child_by_field_name("name"))
                where = f"{target.file.path.name}:{line_of(f.missed)}"
                yield Report(
                    file,
                    go,
                    f"{fname} calls {name}.Done() without defer, but its exit at {where} skips it: the "
                    f"{name}.Add before this go statement is never matched and {name}.Wait() blocks "
                    f"forever; make {fname} defer the Done",
                )
                break


def _wg_name(arg: Node) -> str | None:
    arg = unparen(arg)
    if arg.type == "unary_expression" and text(arg.child_by_field_name("operator")) == "&":
        inner = arg.child_by_field_name("operand")
        arg = unparen(inner) if inner is not None else arg
    return text(arg) if arg.type in ("identifier", "selector_expression") else None


def _added_before(ctx: Context, file: GoFile, parent: Node, go: Node, name: str) -> bool:
    """The starting function Adds to `name` before the go statement (or later in the same loop)."""
    for call, _m, recv in wg_calls(ctx, file, parent, ("Add",)):
        if recv != name or not same_function(call, parent):
            continue
        if call.start_byte < go.start_byte:
            return True
        loop = go.parent
        while loop is not None and loop != parent and loop.type != "for_statement":
            loop = loop.parent
        if (
            loop is not None
            and loop.type == "for_statement"
            and loop.start_byte <= call.start_byte < loop.end_byte
        ):
            return True
    return False
