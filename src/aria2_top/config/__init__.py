"""Settings: the config file's keys declared once (:mod:`.keys`), read and merged
with the command line and the environment (:mod:`.settings`), and the setup screen's
choices written back keeping the user's file as it was (:mod:`.writer`).

Imports ``model`` only (and, for paths, the platform's folders).
"""
