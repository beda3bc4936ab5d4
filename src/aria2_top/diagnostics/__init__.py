"""When something goes wrong: crash reports, the ``--debug`` log (both with no secret
and no control character in them), and the versions of what runs.

Imports ``model`` and ``storage`` only.
"""
