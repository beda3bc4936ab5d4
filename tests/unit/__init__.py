"""Unit tests: no daemon, no app (pure functions, files in a temporary folder, the
command line's own answers)."""
