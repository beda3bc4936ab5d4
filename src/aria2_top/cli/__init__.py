"""The ``aria2-top`` command: its arguments, the dashboard, and its verbs (``add``,
``history``…) for scripts and the shell.

The top layer: it may import every other package.
"""
