"""`inspect --match REGEX [--count]`: the seed's first step (count the goroutines in the suspect functions)
on every evidence form, files and a real net/http/pprof server."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner
from leaky_expect import EXPECTED_COUNTS

from leaktrail.cli import main

FIXTURES = Path(__file__).parent / "fixtures"
FORMS = [
    "goroutine.debug2.txt",
    "goroutine.debug1.txt",
    "goroutine.debug0.pb.gz",
    "goroutineleak.debug2.txt",
    "goroutineleak.debug1.txt",
    "goroutineleak.debug0.pb.gz",
]


def run(*args: str) -> tuple[int, str, str]:
    result = CliRunner().invoke(main, list(args))
    if result.exception is not None and not isinstance(result.exception, SystemExit):
        raise result.exception
    return result.exit_code, result.stdout, result.stderr


def _expected(pattern_names: list[str]) -> int:
    return sum(EXPECTED_COUNTS[n] for n in pattern_names)


@pytest.mark.parametrize("name", FORMS)
def test_count_on_every_form(name: str) -> None:
    names = [n for n in EXPECTED_COUNTS if "mutex" in n.lower() or "select" in n.lower()]
    assert names
    code, out, err = run("inspect", str(FIXTURES / name), "--match", r"main\.(mutex|select)", "--count")
    assert out.strip() == str(_expected(names)), err
    assert code in (0, 1)


@pytest.mark.parametrize("name", FORMS)
def test_per_function_counts_in_json(name: str) -> None:
    _code, out, _err = run(
        "inspect", str(FIXTURES / name), "--match", "mutexHeldForever", "--format", "json", "--source", ""
    )
    doc = json.loads(out)
    match = doc["match"]
    [fn] = match["functions"]
    assert fn["function"] == "main.mutexHeldForever"
    assert fn["total"] == EXPECTED_COUNTS["main.mutexHeldForever"] == match["total"]
    assert fn["leaked"] + fn["suspect"] + fn["other"] == fn["total"]
    if name.startswith("goroutineleak"):
        assert fn["leaked"] == fn["total"]
    assert [g["function"] for g in doc["groups"]] == ["main.mutexHeldForever"]


def test_text_lists_each_matched_function() -> None:
    code, out, _ = run(
        "inspect", str(FIXTURES / "goroutineleak.debug2.txt"), "--match", r"main\.", "--source", ""
    )
    head = out.split("\n\n", 1)[0].splitlines()
    assert head[0].startswith(r"--match main\. in ")
    listed = {line.split()[1]: int(line.split()[0].replace(",", "")) for line in head[1:]}
    assert {k: v for k, v in listed.items() if k in EXPECTED_COUNTS} == EXPECTED_COUNTS
    assert code == 1


def test_no_match_counts_zero_and_is_clean() -> None:
    code, out, _ = run(
        "inspect", str(FIXTURES / "goroutine.debug2.txt"), "--match", "nothingLikeThis", "--count"
    )
    assert (code, out.strip()) == (0, "0")


def test_bad_usage_is_one_line() -> None:
    code, _, err = run("inspect", str(FIXTURES / "goroutine.debug2.txt"), "--match", "(")
    assert code == 2 and "not a regular expression" in err and err.strip().count("\n") == 0
    code, _, err = run("inspect", str(FIXTURES / "goroutine.debug2.txt"), "--count")
    assert code == 2 and "--count needs --match" in err


def test_url_and_leak_profile(leaky_server: str) -> None:
    _code, out, err = run("inspect", leaky_server, "--leak-profile", "--match", "mutexHeldForever", "--count")
    assert out.strip() == str(EXPECTED_COUNTS["main.mutexHeldForever"]), err
    _code, out, err = run(
        "inspect", leaky_server, "--leak-profile", "--match", "mutexHeldForever", "--format", "json"
    )
    [fn] = json.loads(out)["match"]["functions"]
    assert fn["leaked"] == EXPECTED_COUNTS["main.mutexHeldForever"]
