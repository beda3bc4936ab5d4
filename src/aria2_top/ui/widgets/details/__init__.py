"""The details pane and its tabs."""
