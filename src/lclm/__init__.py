"""lclm: keep a curated research-paper list as reviewable YAML."""

__version__ = "0.1.0"
