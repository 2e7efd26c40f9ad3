"""leaktrail: find, prove and fix goroutine leaks in Go services."""

__version__ = "0.1.0"
