from __future__ import annotations

import time

import pytest

from leaktrail.suppress import Suppressions


def sup(go: str) -> Suppressions:
    return Suppressions.from_source(go.encode())


def covered(s: Suppressions, rule: str, lines: range) -> list[int]:
    return [n for n in lines if s.covers(n, rule)]


# -- //leaktrail:ignore ----------------------------------------------------------------------------

SAME_LINE = """\
package p

func f() {
	go worker() //leaktrail:ignore GL007 lives as long as the process
	go worker()
}
"""


def test_ignore_same_line() -> None:
    s = sup(SAME_LINE)
    assert covered(s, "GL007", range(1, 8)) == [4]
    assert not s.covers(4, "GL001")


LINE_ABOVE = """\
package p

func f() {
	//leaktrail:ignore GL001 the producer closes it in another package
	for v := range ch {
		use(v)
	}
}
"""


def test_ignore_line_above_covers_next_line_only() -> None:
    s = sup(LINE_ABOVE)
    assert covered(s, "GL001", range(1, 10)) == [4, 5]
    assert not s.covers(5, "GL002")


@pytest.mark.parametrize(
    "directive",
    [
        "//leaktrail:ignore GL001,GL002 reason",
        "//leaktrail:ignore GL001, GL002",
        "//leaktrail:ignore gl001 ,  GL002",
    ],
)
def test_ignore_multiple_codes(directive: str) -> None:
    s = sup(f"package p\n\n{directive}\nx := 1\n")
    for rule in ("GL001", "GL002"):
        assert covered(s, rule, range(1, 6)) == [3, 4]
    assert not s.covers(4, "GL003")


def test_ignore_without_codes_covers_every_rule() -> None:
    s = sup("package p\n//leaktrail:ignore because the test harness owns it\ngo f()\ngo g()\n")
    assert s.covers(3, "GL007") and s.covers(3, "GL023")
    assert not s.covers(4, "GL007")


def test_ignore_reason_starting_with_a_code_like_word_is_still_a_reason() -> None:
    s = sup("package p\n//leaktrail:ignore GLobal worker\ngo f()\n")
    assert s.covers(3, "GL007")  # no codes: all rules


def test_ignore_skips_explanation_comments_below_it_but_not_blank_lines() -> None:
    s = sup("package p\n//leaktrail:ignore GL007\n// explained at length\ngo f()\n")
    assert s.covers(4, "GL007")
    s = sup("package p\n//leaktrail:ignore GL007\n\ngo f()\n")
    assert not s.covers(4, "GL007")


def test_ignore_requires_a_word_boundary() -> None:
    s = sup("package p\ngo f() //leaktrail:ignored GL007\n")
    assert not s.covers(2, "GL007")


def test_inline_ignore_does_not_reach_the_next_line() -> None:
    s = sup("package p\nx := 1 //leaktrail:ignore GL001\nfor range ch {}\n")
    assert covered(s, "GL001", range(1, 4)) == [2]


# -- //nolint --------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "comment",
    [
        "//nolint",
        "//nolint:leaktrail",
        "//nolint:all",
        "//nolint:errcheck,leaktrail // reason",
        "//nolint:errcheck, leaktrail",
        "//nolint:LeakTrail",
        "//nolint // reason",
        "//nolint:GL007",
        "//nolint:gl007,errcheck",
        "//nolint:leaktrail racy on purpose",
        # golangci trims "/" and spaces before matching, so these are directives there too
        # (nolintlint merely asks for the machine-readable "//nolint" spelling).
        "// nolint",
        "// nolint:leaktrail",
        "//  nolint: leaktrail",
    ],
)
def test_nolint_suppresses(comment: str) -> None:
    s = sup(f"package p\n\nfunc f() {{\n\tgo f() {comment}\n}}\n")
    assert s.covers(4, "GL007"), comment
    assert not s.covers(3, "GL007") and not s.covers(5, "GL007")


@pytest.mark.parametrize(
    "comment",
    [
        "//nolint:errcheck",
        "//nolint:errcheck,govet // leaktrail is fine here",
        "//nolint:GL001",
        "//nolint:",
        "//nolinter",
        "// nolinting is important",
        "// see nolint docs",
        "/* nolint */",
        "/*nolint*/",
        "//nolint\t",  # golangci requires a space, colon or end after "nolint"
    ],
)
def test_not_a_leaktrail_directive(comment: str) -> None:
    s = sup(f"package p\n\nfunc f() {{\n\tgo f() {comment}\n}}\n")
    assert not s.covers(4, "GL007"), comment


def test_specific_nolint_code_only_covers_that_rule() -> None:
    s = sup("package p\ngo f() //nolint:GL007,GL011\n")
    assert s.covers(2, "GL007") and s.covers(2, "GL011")
    assert not s.covers(2, "GL001")


NOLINT_ABOVE_STATEMENT = """\
package p

func f(ch chan int) {
	//nolint:leaktrail // the caller drains ch
	go func() {
		ch <- 1
	}()
	ch <- 2
}
"""


def test_standalone_nolint_covers_the_whole_next_statement() -> None:
    s = sup(NOLINT_ABOVE_STATEMENT)
    assert covered(s, "GL006", range(1, 11)) == [4, 5, 6, 7]


NOLINT_ABOVE_FUNC = """\
package p

// Run starts the loop.
//nolint:leaktrail
// (more doc)
func Run(ch chan int) {
	go func() {
		for range ch {
		}
	}()
}

func Other() {
	go func() {}()
}
"""


def test_standalone_nolint_in_a_doc_comment_covers_the_function() -> None:
    s = sup(NOLINT_ABOVE_FUNC)
    assert covered(s, "GL001", range(1, 17)) == [4, *range(6, 12)]


def test_nolint_multiline_call_and_blank_line() -> None:
    s = sup("package p\n//nolint\nx := compute(a,\n\tb,\n)\ny := 2\n")
    assert covered(s, "GL010", range(1, 8)) == [2, 3, 4, 5]
    s = sup("package p\n//nolint\n\nx := 1\n")
    assert not s.covers(4, "GL010")


def test_nolint_statement_continued_by_an_operator() -> None:
    s = sup('package p\n//nolint\nok := a &&\n\tb\nc := ")"\nd := 1\n')
    assert covered(s, "GL001", range(1, 8)) == [2, 3, 4]


def test_nolint_before_a_closing_brace_covers_only_itself() -> None:
    s = sup("package p\nfunc f() {\n\tx()\n\t//nolint\n}\n\nfunc g() {}\n")
    assert covered(s, "GL001", range(1, 8)) == [4, 5]


def test_nolint_and_ignore_combine() -> None:
    s = sup("package p\n//leaktrail:ignore GL001\ngo f() //nolint:GL002\n")
    assert s.covers(3, "GL001") and s.covers(3, "GL002")
    assert not s.covers(3, "GL003")


# -- strings, speed and robustness -----------------------------------------------------------------

IN_STRINGS = """\
package p

var a = "//nolint"
var b = "x //leaktrail:ignore"
var c = `
//nolint
go f()
`
var d = '/' // ordinary comment
go g()
var e = "\\" //nolint"
"""


def test_directives_inside_string_literals_are_ignored() -> None:
    s = sup(IN_STRINGS)
    assert not any(s.covers(n, "GL007") for n in range(1, 12))
    assert not s


def test_string_followed_by_a_real_directive() -> None:
    s = sup('package p\nlog("a // b") //nolint:leaktrail\n')
    assert s.covers(2, "GL001")


def test_crlf_line_endings() -> None:
    s = Suppressions.from_source(b"package p\r\n//nolint\r\ngo f()\r\nx := 1 //leaktrail:ignore GL001\r\n")
    assert covered(s, "GL007", range(1, 6)) == [2, 3]
    assert s.covers(4, "GL001")


def test_no_directive_means_empty_and_fast_path() -> None:
    s = Suppressions.from_source(b"package p\n\nfunc f() {}\n")
    assert not s
    assert not s.covers(1, "GL001")


def test_invalid_utf8_and_unterminated_literals_do_not_crash() -> None:
    s = Suppressions.from_source(
        b'package p\nx := "\xff unterminated\ngo f() //nolint\ny := `never closed //nolint\n'
    )
    assert s.covers(3, "GL007")
    assert not s.covers(4, "GL007")


def test_fast_on_a_large_file() -> None:
    body = "".join(f'\tx{i} := fmt.Sprintf("%d // not a comment", {i}) // note {i}\n' for i in range(20_000))
    source = f"package p\n\nfunc f() {{\n{body}\tgo g() //nolint:leaktrail\n}}\n".encode()
    start = time.perf_counter()
    s = Suppressions.from_source(source)
    elapsed = time.perf_counter() - start
    assert s.covers(20_004, "GL007")
    assert elapsed < 1.0, f"took {elapsed:.2f}s for {len(source)} bytes"
