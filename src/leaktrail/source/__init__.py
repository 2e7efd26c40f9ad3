"""Go source: discovery, parsing, the per-package index, types and control flow."""
