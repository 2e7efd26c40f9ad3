"""The language server (`leaktrail lsp`): the scan and the fixes, in the editor."""
