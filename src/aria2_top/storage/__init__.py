"""aria2-top's own files: private files (0600 in a 0700 folder) and the SQLite file
of the history of downloads.

Imports ``model`` only.
"""
