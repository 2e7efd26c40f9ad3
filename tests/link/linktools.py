"""A small synthetic Go module and a debug=2 dump "from another machine" that ran it. Not named conftest:
tests/ has several, and `from conftest import` would pick whichever was imported first."""

from __future__ import annotations

import io
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from leaktrail.model import Finding, Severity
from leaktrail.runtime import Inspection, Thresholds, inspect, read_snapshot

LISTEN_GO = """\
package orders

import (
	"sync"
	"time"
)

type Service struct{ n int }

func (s *Service) apply(v int) { s.n += v }

// listen applies events until ch is closed.
func (s *Service) listen(ch <-chan int) {
	for ev := range ch { // @range
		s.apply(ev) // @apply
	}
}

func (s *Service) subscribe() {
	ch := make(chan int)
	go s.listen(ch) // @go-listen
	ch <- 1
}

func (s *Service) poll(paid <-chan bool) {
	for {
		select { // @select
		case <-paid:
			return
		case <-time.After(time.Minute): // @after
		}
	}
}

func (s *Service) startPoll(paid chan bool) {
	go s.poll(paid) // @go-poll
}

func (s *Service) ship(n int) {
	var wg sync.WaitGroup
	for range n {
		wg.Add(1)
		go func() {
			if n > 1 {
				return // @skip-done
			}
			wg.Done()
		}()
	}
	go func() { // @go-wait
		wg.Wait() // @wait
	}()
}

func (s *Service) mystery(ch chan int) {
	go func() { // @go-mystery
		ch <- 1 // @mystery-send
	}()
}
"""

GO_MOD = "module example.com/svc\n\ngo 1.22\n"


@dataclass
class Tree:
    root: Path
    listen: Path

    def line(self, marker: str, path: Path | None = None) -> int:
        lines = (path or self.listen).read_text().splitlines()
        return next(i for i, text in enumerate(lines, 1) if f"// @{marker}" in text)


def goroutines(
    n: int,
    state: str,
    frames: Sequence[tuple[str, str]],
    created: tuple[str, str] | None,
    first_id: int = 10,
) -> str:
    """`n` debug=2 goroutine records with the same stack; frames are (function, file:line), leaf first."""
    out = []
    for i in range(n):
        lines = [f"goroutine {first_id + i} [{state}]:"]
        for fn, loc in frames:
            lines += [f"{fn}(...)", f"\t{loc} +0x25"]
        if created is not None:
            lines += [f"created by {created[0]} in goroutine 1", f"\t{created[1]} +0x66"]
        out.append("\n".join(lines))
    return "\n\n".join(out) + "\n"


def read_dump(text: str, min_count: int = 3) -> Inspection:
    snapshot = read_snapshot(io.BytesIO(text.encode()), "dump.txt")
    return inspect(snapshot, "stack", Thresholds(min_count=min_count))


def finding(rule: str, path: Path, line: int, slug: str = "slug") -> Finding:
    return Finding(rule, slug, Severity.ERROR, str(path), line, 2, f"{rule} message")


PKG = "example.com/svc/orders"
CI = "/home/runner/work/svc/svc/orders/listen.go"
