"""aria2-top: the htop of downloads, a live terminal dashboard for aria2c."""

__version__ = "0.1.0"
