"""The model: what aria2 tells, read into plain values, and every rule about it that
needs neither a daemon nor a disk nor a screen (downloads and their states, fields
read without trust, formats and units, columns, filters and sorts, files, pieces,
peers, which action applies in which state, whose files are whose, which speeds
are real, masking).

Pure: it imports nothing of aria2-top's but ``model`` (checked by import-linter).
"""
