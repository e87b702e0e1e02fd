"""Placeholder: not built yet."""

from __future__ import annotations
