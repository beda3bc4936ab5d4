"""``aria2-top --serve``: the dashboard in a browser. :mod:`.serve` holds what the
flags mean and is imported by the command line; :mod:`.server` (textual-serve's
server, made to let in only the user) is imported only when serving.

Runs the app as a subprocess: imports no ``ui``.
"""
