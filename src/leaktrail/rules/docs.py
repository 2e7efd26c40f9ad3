"""Rule documentation pages: the same text `leaktrail rules CODE` prints, written to docs/rules/.

python -m leaktrail.rules.docs docs/rules
"""

from __future__ import annotations

import sys
from pathlib import Path

from leaktrail.model import RuleInfo
from leaktrail.rules import all_rules


def render(info: RuleInfo) -> str:
    return f"# {info.code} {info.slug} ({info.severity})\n\n{info.summary}.\n\n{info.doc}\n"


def write_all(target: Path) -> list[Path]:
    target.mkdir(parents=True, exist_ok=True)
    written = []
    for rule in all_rules():
        path = target / f"{rule.code}.md"
        path.write_text(render(rule.info), encoding="utf-8")
        written.append(path)
    return written


if __name__ == "__main__":
    for p in write_all(Path(sys.argv[1] if len(sys.argv) > 1 else "docs/rules")):
        print(p)
