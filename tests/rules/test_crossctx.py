"""The per-function WaitGroup/context summaries (leaktrail.rules.crossctx) on the GL004/GL002 testdata's
helper packages: what each helper does to the WaitGroup or context it is handed."""

from __future__ import annotations

from pathlib import Path

from leaktrail.rules.crossctx import ParamFacts, stored_params, summary
from leaktrail.rules.interproc import package_context
from leaktrail.source.gomod import ModuleFinder
from leaktrail.source.module import load

TESTDATA = Path(__file__).resolve().parent / "testdata"


def _facts(rule: str, sub: str, func: str) -> dict[int, ParamFacts]:
    module = ModuleFinder().for_dir(TESTDATA / rule)
    pkg = load(module, f"{module.path}/{sub}")
    assert pkg is not None
    found = pkg.lookup_func(func)
    assert found is not None
    return summary(package_context(pkg), found[0], found[1])


def test_deferred_done_is_done_on_every_path() -> None:
    facts = _facts("GL004", "pool", "Serve")[0]
    assert facts.done and facts.done_always and facts.missed is None and not facts.spawns


def test_goroutine_started_with_the_done() -> None:
    facts = _facts("GL004", "pool", "Launch")[0]
    assert facts.done and facts.spawns and facts.done_always


def test_done_skipped_by_an_early_return() -> None:
    facts = _facts("GL004", "pool", "Settle")[0]
    assert facts.done and not facts.done_always
    assert facts.missed is not None and facts.missed.type == "return_statement"


def test_add_only_and_add_then_done() -> None:
    enroll = _facts("GL003", "tally", "Enroll")[0]
    assert enroll.adds and not enroll.done
    count = _facts("GL003", "tally", "Count")[0]
    assert count.adds and count.done_always


def test_context_waited_on_and_parameters_left_alone() -> None:
    drain = _facts("GL002", "relay", "Drain")
    assert drain[0].blocks_on_done and 1 not in drain


def test_goroutine_started_on_the_context() -> None:
    watch = _facts("GL002", "relay", "Watch")[0]
    assert watch.starts_waiter and not watch.blocks_on_done


def _stores(rule: str, sub: str, owner: str, method: str) -> dict[int, tuple[str, str]]:
    module = ModuleFinder().for_dir(TESTDATA / rule)
    pkg = load(module, f"{module.path}/{sub}" if sub else module.path)
    assert pkg is not None
    found = pkg.lookup_method(owner, method)
    assert found is not None
    return stored_params(package_context(pkg), found[0], found[1])


def test_setter_parks_its_parameter_in_the_receiver() -> None:
    assert _stores("GL002", "relay", "Session", "SetCancel") == {0: ("stop", "Session")}


def test_setter_through_another_setter_and_under_a_lock() -> None:
    assert _stores("GL002", "", "pipe", "Attach") == {0: ("cancel", "pipe")}
    assert _stores("GL002", "", "hookRegistry", "Register") == {0: ("cancel", "hookRegistry")}


def test_methods_that_call_or_read_the_field_store_nothing() -> None:
    assert _stores("GL002", "relay", "Session", "Close") == {}
    assert _stores("GL002", "relay", "Mux", "Watch") == {}
