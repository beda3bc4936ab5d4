"""``--debug``: a log file in the data folder, with no secret in it.

Every module logs to ``logging.getLogger(__name__)``, below the ``aria2_top``
logger. Without ``--debug`` that logger has only a :class:`logging.NullHandler`
(set in the package): nothing is written, and the DEBUG lines cost one
``isEnabledFor`` each. With it, :func:`start_debug_log` adds a file handler at
DEBUG level: ``debug.log`` in the data folder, 0600 from its first byte, appended to
at every start and rotated at :data:`MAX_BYTES` (two older files kept:
``debug.log.1``, ``debug.log.2``). The handler's :class:`SecretFilter` replaces every
known secret, ``token:…`` and ``user:pass@`` in each line and traceback before it is
written, and shows its control characters as ``\\xNN`` (the same
:func:`~aria2_top.model.masking.for_file` as crash reports).
"""

from __future__ import annotations

import logging
import logging.handlers
import os
from collections.abc import Iterable
from io import TextIOWrapper
from pathlib import Path

from aria2_top.model.masking import for_file
from aria2_top.storage.private_files import ensure_private_dir, open_private

LOGGER_NAME = "aria2_top"
LOG_NAME = "debug.log"
MAX_BYTES = 5 * 2**20
BACKUP_COUNT = 2
LINE_FORMAT = "%(asctime)s %(levelname)-7s %(name)s: %(message)s"


class SecretFilter(logging.Filter):
    """Replaces the secrets it knows, ``token:…`` and URI credentials in a record's
    message, arguments and traceback (the record is changed in place, then kept)."""

    def __init__(self, secrets: Iterable[str | None] = ()) -> None:
        super().__init__()
        self.secrets: set[str] = set()
        self.add(secrets)

    def add(self, secrets: Iterable[str | None]) -> None:
        """Hide these too from now on (empty ones are no secret)."""
        self.secrets.update(secret for secret in secrets if secret)

    def scrub(self, text: str, *, keep_newlines: bool = False) -> str:
        return for_file(text, self.secrets, keep_newlines=keep_newlines)

    def filter(self, record: logging.LogRecord) -> bool:
        try:
            message = record.getMessage()
        except (TypeError, ValueError):  # a format that does not fit its arguments
            message = f"{record.msg} {record.args!r}"
        record.msg = self.scrub(message)
        record.args = None
        if record.exc_info and not record.exc_text:
            record.exc_text = logging.Formatter().formatException(record.exc_info)
        if record.exc_text:
            record.exc_text = self.scrub(record.exc_text, keep_newlines=True)
        if record.stack_info:
            record.stack_info = self.scrub(record.stack_info, keep_newlines=True)
        return True


class PrivateRotatingFileHandler(logging.handlers.RotatingFileHandler):
    """A rotating log whose files are 0600 from their first byte (the data folder's
    rule), the current one and each new one after a rotation."""

    def _open(self) -> TextIOWrapper:
        fd = open_private(Path(self.baseFilename), os.O_WRONLY | os.O_CREAT | os.O_APPEND)
        return os.fdopen(fd, "a", encoding=self.encoding, errors=self.errors)


def debug_log_path(data_dir: Path) -> Path:
    """Where ``--debug`` writes: ``debug.log`` in the data folder."""
    return data_dir / LOG_NAME


def start_debug_log(data_dir: Path, secrets: Iterable[str | None] = ()) -> Path:
    """Log everything from DEBUG up to ``debug.log`` in ``data_dir`` with ``secrets``
    (and any ``token:…``) kept out; its path. Raises OSError when it cannot be opened."""
    path = debug_log_path(data_dir)
    ensure_private_dir(data_dir)
    handler = PrivateRotatingFileHandler(
        path, maxBytes=MAX_BYTES, backupCount=BACKUP_COUNT, encoding="utf-8"
    )
    handler.setFormatter(logging.Formatter(LINE_FORMAT))
    handler.addFilter(SecretFilter(secrets))
    logger = logging.getLogger(LOGGER_NAME)
    logger.addHandler(handler)
    logger.setLevel(logging.DEBUG)
    return path


def stop_debug_log() -> None:
    """Close the debug log (tests; the end of the process closes it otherwise)."""
    logger = logging.getLogger(LOGGER_NAME)
    for handler in _file_handlers():
        logger.removeHandler(handler)
        handler.close()
    logger.setLevel(logging.NOTSET)


def _file_handlers() -> list[PrivateRotatingFileHandler]:
    return [
        handler
        for handler in logging.getLogger(LOGGER_NAME).handlers
        if isinstance(handler, PrivateRotatingFileHandler)
    ]


def active_log_path() -> Path | None:
    """The debug log being written, or None without ``--debug``."""
    handlers = _file_handlers()
    return Path(handlers[0].baseFilename) if handlers else None


def hide_secrets(*secrets: str | None) -> None:
    """Keep these out of the debug log too (a daemon's secret learnt later: the
    private daemon's, a restarted one's). Nothing to do without ``--debug``."""
    for handler in _file_handlers():
        for log_filter in handler.filters:
            if isinstance(log_filter, SecretFilter):
                log_filter.add(secrets)


def enable_textual_devtools() -> None:
    """Turn on Textual's debug mode and devtools for the app created after this, as
    ``textual run --dev`` does (the ``TEXTUAL`` variable's features). The devtools
    connect only when ``textual console`` (package textual-dev) runs; else nothing
    happens."""
    features = {f.strip() for f in os.environ.get("TEXTUAL", "").split(",") if f.strip()}
    os.environ["TEXTUAL"] = ",".join(sorted(features | {"debug", "devtools"}))
