"""Adopting leaktrail on a large codebase: report only what is new, since a git revision or against a
baseline of accepted findings, so a team can gate merges before the backlog is fixed."""
