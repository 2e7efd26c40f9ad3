"""`leaktrail rules`: the catalogue, or one rule's documentation."""

from __future__ import annotations

import click


@click.command()
@click.argument("rule", required=False)
@click.option("--format", "fmt", type=click.Choice(["text", "json"]), default="text", show_default=True)
def rules(rule: str | None, fmt: str) -> None:
    """List every rule, or print one rule's documentation (by code or slug)."""
    import json

    from leaktrail.rules import all_rules, find_rule
    from leaktrail.rules.docs import render

    if rule is None:
        if fmt == "json":
            click.echo(
                json.dumps(
                    [
                        {
                            "code": r.code,
                            "slug": r.info.slug,
                            "severity": str(r.info.severity),
                            "summary": r.info.summary,
                        }
                        for r in all_rules()
                    ],
                    indent=2,
                )
            )
            return
        for r in all_rules():
            click.echo(f"{r.code}  {r.info.slug:<28} {r.info.severity!s:<8} {r.info.summary}")
        return
    found = find_rule(rule)
    if found is None:
        raise click.UsageError(f"unknown rule {rule!r} (see `leaktrail rules`)")
    if fmt == "json":
        click.echo(
            json.dumps(
                {
                    "code": found.code,
                    "slug": found.info.slug,
                    "severity": str(found.info.severity),
                    "summary": found.info.summary,
                    "doc": found.info.doc,
                },
                indent=2,
            )
        )
        return
    click.echo(render(found.info), nl=False)
