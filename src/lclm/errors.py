"""The one exception family for expected failures.

The CLI turns an ``LclmError`` into one line on stderr and its ``exit_code``;
anything else is a bug and keeps its traceback.
"""

from __future__ import annotations


class LclmError(Exception):
    """An expected failure with a one-line message for the user."""

    exit_code = 1


class UsageError(LclmError):
    """The user asked for something that cannot be done as asked."""

    exit_code = 2


class StoreError(LclmError):
    """The paper store is missing, empty or malformed."""


class YamlSyntaxError(StoreError):
    """A store file that is not valid YAML, or uses what a store forbids (aliases, tags)."""


class InputError(LclmError):
    """A file or text given to lclm cannot be read as what it should be."""


class FetchError(LclmError):
    """A metadata service could not give a record."""


class DuplicateError(LclmError):
    """A paper is already in the store."""
