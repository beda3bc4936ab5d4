"""The aria2c processes the tests started, found by their command line."""

from __future__ import annotations

from pathlib import Path


def aria2c_under(folder: Path) -> dict[int, str]:
    """Every running aria2c whose command line names a path under ``folder``, by PID
    (Linux: read from /proc; elsewhere none are found)."""
    found: dict[int, str] = {}
    marker = str(folder)
    for entry in Path("/proc").glob("[0-9]*"):
        try:
            words = (entry / "cmdline").read_bytes().split(b"\0")
        except OSError:
            continue  # gone meanwhile, or not ours to read
        line = " ".join(word.decode(errors="replace") for word in words if word)
        if words and Path(words[0].decode(errors="replace")).name == "aria2c" and marker in line:
            found[int(entry.name)] = line
    return found
