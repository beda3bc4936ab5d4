"""The widgets: the downloads table, the stats bar, the view line, the prompt, and
the details pane (:mod:`.details`)."""
