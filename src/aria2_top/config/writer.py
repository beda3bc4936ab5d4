"""Writing what the setup screen (F2) chose back to the config file.

Only ``theme`` and the ``[table]`` keys are set; everything else in the file (the
user's comments, order, other keys, daemons and secrets) is kept as written, by
tomlkit. The file is replaced in one step (a new file beside it, then a rename), so
a crash never leaves half a config; a new file is made readable by its owner only,
an existing one keeps its mode.
"""

from __future__ import annotations

import contextlib
import os
import stat
import tempfile
from pathlib import Path

import tomlkit
from tomlkit import TOMLDocument
from tomlkit.exceptions import TOMLKitError
from tomlkit.items import Table

from aria2_top.config.errors import ConfigError
from aria2_top.config.table_setup import TableSetup


def setup_items(setup: TableSetup) -> dict[str, object]:
    """The ``[table]`` keys of ``setup`` (defaults are written too: the file then says
    what is in force)."""
    return {
        "columns": list(setup.columns),
        "widths": dict(setup.widths),
        "sort": setup.sort,
        "reverse": setup.reverse,
        "view": setup.view.label.casefold(),
    }


def save_setup(path: Path, setup: TableSetup | None, theme: str | None) -> None:
    """Set ``theme`` and ``[table]`` (``setup`` None: the theme only) in the config
    file at ``path`` (made, with its folder, when missing), keeping the rest of it; a
    ConfigError says why not."""
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        text = ""
    except (OSError, UnicodeDecodeError) as exc:
        raise ConfigError(f"cannot read {path}: {exc}") from exc
    try:
        document = tomlkit.parse(text)
    except TOMLKitError as exc:
        raise ConfigError(f"{path} is not valid TOML, so it was left as it is: {exc}") from exc
    if theme:
        document["theme"] = theme
    if setup is not None:
        _set_table(document, setup)
    _replace(path, tomlkit.dumps(document))


def _set_table(document: TOMLDocument, setup: TableSetup) -> None:
    table = document.get("table")
    if not isinstance(table, Table):
        table = tomlkit.table()
        document["table"] = table
    for key, value in setup_items(setup).items():
        if key == "widths":
            inline = tomlkit.inline_table()
            inline.update(value)  # type: ignore[call-overload]
            table[key] = inline
        else:
            table[key] = value


def _replace(path: Path, text: str) -> None:
    """Write ``text`` to ``path`` in one step, keeping its mode (0600 when new). A
    symlinked config (dotfiles kept elsewhere) is written through the link, to its
    target, and the link stays."""
    try:
        path = Path(os.path.realpath(path))
        path.parent.mkdir(parents=True, exist_ok=True)
        try:
            mode = stat.S_IMODE(path.stat().st_mode)
        except FileNotFoundError:
            mode = 0o600
        handle, name = tempfile.mkstemp(prefix=".config-", dir=path.parent)
        temporary = Path(name)
        try:
            with os.fdopen(handle, "w", encoding="utf-8") as out:
                out.write(text)
            temporary.chmod(mode)
            temporary.replace(path)
        except BaseException:
            with contextlib.suppress(OSError):
                temporary.unlink()
            raise
    except OSError as exc:
        raise ConfigError(f"cannot write {path}: {exc.strerror or exc}") from exc
