"""Which findings explain a group, when the source is not what ran, and the source -> runtime ranking."""

from __future__ import annotations

from pathlib import Path

import pytest
from linktools import CI, PKG, Tree, finding, goroutines, read_dump

from leaktrail.link import RULE_STATES, Linker, SourceTree, rank_findings
from leaktrail.link.explain import is_lead
from leaktrail.runtime import Classification, Group, Inspection
from leaktrail.runtime.waitreasons import WAIT_REASONS


def only(ins: Inspection, function: str) -> tuple[Group, Classification]:
    found = [
        v for v in ins.verdicts if v.group.first_user_frame and v.group.first_user_frame.function == function
    ]
    assert len(found) == 1, [v.group.first_user_frame for v in ins.verdicts]
    return found[0].group, found[0].classification


def listen_dump(tree: Tree, n: int = 3, line: int | None = None, state: str = "chan receive") -> str:
    return goroutines(
        n,
        state,
        [(f"{PKG}.(*Service).listen", f"{CI}:{line or tree.line('range')}")],
        (f"{PKG}.(*Service).subscribe", f"{CI}:{tree.line('go-listen')}"),
    )


def test_rule_states_speak_the_runtimes_words() -> None:
    for rule, states in RULE_STATES.items():
        assert states, rule
        assert states <= set(WAIT_REASONS), (rule, states - set(WAIT_REASONS))


def test_finding_on_the_blocked_line(tree: Tree) -> None:
    ins = read_dump(listen_dump(tree))
    g, cls = only(ins, f"{PKG}.(*Service).listen")
    assert cls is Classification.SUSPECT
    gl001 = finding("GL001", tree.listen, tree.line("range"), "range-never-closed")
    other = finding("GL018", tree.listen, tree.line("apply"))  # a lock rule: not a chan receive
    link = Linker(SourceTree.load(tree.root), [gl001, other], Path.cwd()).link(g)
    assert [(e.finding, e.via) for e in link.explanations] == [(gl001, "blocked-line")]
    assert link.explanations[0].text == "for ev := range ch { // @range"
    assert link.blocked is not None and link.blocked.path == tree.listen
    assert link.created is not None and link.created.line == tree.line("go-listen")
    assert link.stale == ()
    assert not is_lead(ins.verdicts[0], link)


def test_finding_on_the_creation_site(tree: Tree) -> None:
    g, _ = only(read_dump(listen_dump(tree)), f"{PKG}.(*Service).listen")
    gl007 = finding("GL007", tree.listen, tree.line("go-listen"))
    link = Linker(SourceTree.load(tree.root), [gl007], Path.cwd()).link(g)
    assert [(e.finding.rule, e.via) for e in link.explanations] == [("GL007", "creation-site")]


def test_same_function_needs_a_matching_state(tree: Tree) -> None:
    dump = goroutines(
        4,
        "select",
        [(f"{PKG}.(*Service).poll", f"{CI}:{tree.line('select')}")],
        (f"{PKG}.(*Service).startPoll", f"{CI}:{tree.line('go-poll')}"),
    )
    g, _ = only(read_dump(dump), f"{PKG}.(*Service).poll")
    gl012 = finding("GL012", tree.listen, tree.line("after"))
    # GL001 explains only `chan receive`: in the same function, it does not explain a select
    gl001 = finding("GL001", tree.listen, tree.line("after") + 1)
    link = Linker(SourceTree.load(tree.root), [gl012, gl001], Path.cwd()).link(g)
    assert [(e.finding.rule, e.via) for e in link.explanations] == [("GL012", "function")]


def test_sibling_closure_via_the_creating_function(tree: Tree) -> None:
    dump = goroutines(
        2,
        "sync.WaitGroup.Wait",
        [
            ("sync.(*WaitGroup).Wait", "/usr/lib/go/src/sync/waitgroup.go:118"),
            (f"{PKG}.(*Service).ship.func2", f"{CI}:{tree.line('wait')}"),
        ],
        (f"{PKG}.(*Service).ship", f"{CI}:{tree.line('go-wait')}"),
    )
    g, _ = only(read_dump(dump), f"{PKG}.(*Service).ship.func2")
    gl004 = finding("GL004", tree.listen, tree.line("skip-done"))
    gl006 = finding("GL006", tree.listen, tree.line("mystery-send"))  # another function: never
    link = Linker(SourceTree.load(tree.root), [gl004, gl006], Path.cwd()).link(g)
    assert [(e.finding.rule, e.via) for e in link.explanations] == [("GL004", "creator-function")]
    assert link.stale == ()


def test_suppressed_findings_explain_nothing(tree: Tree) -> None:
    g, _ = only(read_dump(listen_dump(tree)), f"{PKG}.(*Service).listen")
    f = finding("GL001", tree.listen, tree.line("range"))
    from dataclasses import replace

    link = Linker(SourceTree.load(tree.root), [replace(f, suppressed=True)], Path.cwd()).link(g)
    assert link.explanations == ()


def test_unexplained_suspect_group_is_a_lead(tree: Tree) -> None:
    dump = goroutines(
        5,
        "chan send",
        [(f"{PKG}.(*Service).mystery.func1", f"{CI}:{tree.line('mystery-send')}")],
        (f"{PKG}.(*Service).mystery", f"{CI}:{tree.line('go-mystery')}"),
    )
    ins = read_dump(dump)
    v = ins.verdicts[0]
    assert v.classification is Classification.SUSPECT
    link = Linker(SourceTree.load(tree.root), [], Path.cwd()).link(v.group)
    assert link.mapped and is_lead(v, link)


def test_frames_outside_the_tree_are_no_lead(tree: Tree) -> None:
    dump = goroutines(5, "chan send", [("other.com/x.F", "/ci/x/x.go:3")], None)
    v = read_dump(dump).verdicts[0]
    link = Linker(SourceTree.load(tree.root), [], Path.cwd()).link(v.group)
    assert not link.mapped and not is_lead(v, link)


@pytest.mark.parametrize(
    ("marker", "state", "function", "message"),
    [
        # the line the dump names is a call, not the receive the frame implies
        ("apply", "chan receive", "listen", "is `s.apply(ev) // @apply`, not a channel receive"),
        ("range", "select", "listen", "not a select"),
        ("range", "chan receive", "subscribe", "is in func (Service).listen, but"),
    ],
)
def test_source_that_is_not_what_ran(
    tree: Tree, marker: str, state: str, function: str, message: str
) -> None:
    dump = goroutines(3, state, [(f"{PKG}.(*Service).{function}", f"{CI}:{tree.line(marker)}")], None)
    g = read_dump(dump).verdicts[0].group
    link = Linker(SourceTree.load(tree.root), [], Path.cwd()).link(g)
    assert len(link.stale) == 1 and message in link.stale[0], link.stale


def test_line_past_the_end_of_the_file(tree: Tree) -> None:
    g, _ = only(read_dump(listen_dump(tree, line=500)), f"{PKG}.(*Service).listen")
    link = Linker(SourceTree.load(tree.root), [], Path.cwd()).link(g)
    assert any("the file has only" in s for s in link.stale)
    assert link.blocked is not None and link.blocked.text is None


def test_blocked_call_into_the_standard_library(tree: Tree) -> None:
    # the blocked frame calls wg.Wait: the statement must name the callee
    dump = goroutines(
        2,
        "sync.WaitGroup.Wait",
        [
            ("sync.(*WaitGroup).Wait", "/usr/lib/go/src/sync/waitgroup.go:118"),
            (f"{PKG}.(*Service).ship.func2", f"{CI}:{tree.line('wait') - 1}"),
        ],
        None,
    )
    g = read_dump(dump).verdicts[0].group
    link = Linker(SourceTree.load(tree.root), [], Path.cwd()).link(g)
    assert len(link.stale) == 1 and "not a call to Wait" in link.stale[0]


def test_rank_findings_by_goroutines_and_confirmation(tree: Tree) -> None:
    leaked = listen_dump(tree, n=4).replace("[chan receive]", "[chan receive (leaked)]")
    polls = goroutines(
        7,
        "select",
        [(f"{PKG}.(*Service).poll", f"{CI}:{tree.line('select')}")],
        (f"{PKG}.(*Service).startPoll", f"{CI}:{tree.line('go-poll')}"),
        first_id=100,
    )
    ins = read_dump(leaked + "\n" + polls)
    gl001 = finding("GL001", tree.listen, tree.line("range"))
    gl012 = finding("GL012", tree.listen, tree.line("after"))
    idle = finding("GL006", tree.listen, tree.line("mystery-send"))
    findings = [gl001, gl012, idle]
    links = Linker(SourceTree.load(tree.root), findings, Path.cwd()).link_all([ins])
    ranked = rank_findings(findings, [ins], links)
    assert [(e.finding.rule, e.goroutines, e.leaked, e.confirmed) for e in ranked] == [
        ("GL012", 7, 0, False),
        ("GL001", 4, 4, True),
        ("GL006", 0, 0, False),
    ]


def test_channel_types_and_comments_are_not_operations(tree: Tree) -> None:
    text = tree.listen.read_text()
    text = text.replace(
        "func (s *Service) listen(ch <-chan int) {\n",
        "func (s *Service) listen(ch <-chan int) {\n\t_ = 1 // <-ch\n",
    )
    tree.listen.write_text(text)
    # the dump still says the receive is at the old range line, which now holds `_ = 1 // <-ch`
    dump = goroutines(
        3, "chan receive", [(f"{PKG}.(*Service).listen", f"{CI}:{tree.line('range') - 1}")], None
    )
    link = Linker(SourceTree.load(tree.root), [], Path.cwd()).link(read_dump(dump).verdicts[0].group)
    assert len(link.stale) == 1 and "is `_ = 1 // <-ch`, not a channel receive" in link.stale[0]
    dump = goroutines(
        3, "chan receive", [(f"{PKG}.(*Service).listen", f"{CI}:{tree.line('range') - 2}")], None
    )
    link = Linker(SourceTree.load(tree.root), [], Path.cwd()).link(read_dump(dump).verdicts[0].group)
    assert len(link.stale) == 1 and "not a channel receive" in link.stale[0]


def test_creation_site_must_be_a_go_statement(tree: Tree) -> None:
    dump = goroutines(
        3,
        "chan receive",
        [(f"{PKG}.(*Service).listen", f"{CI}:{tree.line('range')}")],
        (f"{PKG}.(*Service).subscribe", f"{CI}:{tree.line('go-listen') - 1}"),
    )
    link = Linker(SourceTree.load(tree.root), [], Path.cwd()).link(read_dump(dump).verdicts[0].group)
    assert len(link.stale) == 1 and "is `ch := make(chan int)`, not a go statement" in link.stale[0]


@pytest.mark.parametrize(
    ("statement", "want"),
    [
        ("for ev := range ch {", "chan receive"),
        ("v := <-ch", "chan receive"),
        ("return <-ch", "chan receive"),
        ("case v := <-ch:", "chan receive"),
        ("ch <- v", "chan send"),
        ("s.out[i] <- v // <-x", "chan send"),
        ("case s.out <- v:", "chan send"),
        ("select {", "select"),
        ("select {}", "select (no cases)"),
        ("func f(ch <-chan int) {", None),
        ("s.apply(ev)", None),
    ],
)
def test_infer_operation(statement: str, want: str | None) -> None:
    from leaktrail.link.explain import infer_operation

    assert infer_operation(statement) == want


def test_debug1_profile_links_without_wait_reasons(tree: Tree) -> None:
    """debug=1: no states, no creation sites, runtime frames hidden at the top."""
    range_line, select_line = tree.line("range"), tree.line("mystery-send")
    text = (
        "goroutine profile: total 9\n"
        "5 @ 0x1 0x2 0x3\n"
        f"#\t0x1\t{PKG}.(*Service).listen+0x25\t\t{CI}:{range_line}\n"
        "#\t0x3\truntime.goexit+0x1\t\t/usr/lib/go/src/runtime/asm_amd64.s:1700\n"
        "\n"
        "4 @ 0x4 0x5\n"
        f"#\t0x4\t{PKG}.(*Service).mystery.func1+0x25\t\t{CI}:{select_line}\n"
        "#\t0x5\truntime.goexit+0x1\t\t/usr/lib/go/src/runtime/asm_amd64.s:1700\n"
    )
    ins = read_dump(text, min_count=2)
    assert all(v.group.blocking is None for v in ins.verdicts)
    go_line = tree.line("go-mystery")
    findings = [
        finding("GL001", tree.listen, range_line),  # on the line: always
        finding("GL006", tree.listen, select_line + 0),  # on the line too
        finding("GL009", tree.listen, go_line),  # the go statement that opens the closure
    ]
    linker = Linker(SourceTree.load(tree.root), findings, Path.cwd())
    listen, _ = only(ins, f"{PKG}.(*Service).listen")
    assert [(e.finding.rule, e.via) for e in linker.link(listen).explanations] == [("GL001", "blocked-line")]
    mystery, _ = only(ins, f"{PKG}.(*Service).mystery.func1")
    link = linker.link(mystery)
    assert [(e.finding.rule, e.via) for e in link.explanations] == [
        ("GL006", "blocked-line"),
        ("GL009", "creation-site"),
    ]
    assert link.created is not None and link.created.line == go_line


def test_debug1_state_is_inferred_from_the_statement(tree: Tree) -> None:
    text = (
        "goroutine profile: total 3\n"
        "3 @ 0x1 0x2 0x3\n"
        f"#\t0x1\t{PKG}.(*Service).poll+0x25\t\t{CI}:{tree.line('select')}\n"
        "#\t0x3\truntime.goexit+0x1\t\t/usr/lib/go/src/runtime/asm_amd64.s:1700\n"
    )
    g = read_dump(text, min_count=2).verdicts[0].group
    gl012 = finding("GL012", tree.listen, tree.line("after"))
    gl018 = finding("GL018", tree.listen, tree.line("after"))
    link = Linker(SourceTree.load(tree.root), [gl012, gl018], Path.cwd()).link(g)
    assert [(e.finding.rule, e.via) for e in link.explanations] == [("GL012", "function")]


def test_vendored_frames_on_top_leave_the_users_call_as_blocked_frame(tree: Tree) -> None:
    dump = goroutines(
        3,
        "select",
        [
            ("github.com/x/y.F", "/ci/svc/vendor/github.com/x/y/y.go:3"),
            (f"{PKG}.(*Service).mystery.func1", f"{CI}:{tree.line('mystery-send')}"),
        ],
        None,
    )
    g = read_dump(dump).verdicts[0].group
    gl009 = finding("GL009", tree.listen, tree.line("mystery-send"))
    link = Linker(SourceTree.load(tree.root), [gl009], Path.cwd()).link(g)
    assert link.blocked is not None and link.blocked.line == tree.line("mystery-send")
    assert [(e.finding.rule, e.via) for e in link.explanations] == [("GL009", "blocked-line")]
    # the statement is checked against the vendored callee's name: `ch <- 1` does not call F
    assert len(link.stale) == 1 and "not a call to F" in link.stale[0]
