"""The app under Pilot on the test suite's own fake daemon (tests/support/
fake_daemon.py): sane until told not to be, hostile on demand, deterministic."""
