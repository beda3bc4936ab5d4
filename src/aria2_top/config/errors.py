"""The one error of the settings: a file that cannot be read, or a command line that
cannot be followed, said in words (a wrong value in the file is no error: a warning
and the default)."""

from __future__ import annotations


class ConfigError(Exception):
    """The config file or a setting is unusable; the message says why, in words."""
