"""The one exception family for expected failures.

The CLI turns an ``LclmError`` into one line on stderr and its ``exit_code``;
anything else is a bug and keeps its traceback.
"""

from __future__ import annotations


class LclmError(Exception):
    """An expected failure with a one-line message for the user.

    Where it is known, the error carries where the problem is as fields
    (``path``, ``line``, ``column``, ``field``), so no one has to read them
    back out of the text; ``str()`` gives ``path:line:column: field: message``
    with the parts that are unknown left out.
    """

    exit_code = 1

    def __init__(
        self, message: str = "", *, path: object = None, line: int = 0, column: int = 0, field: str = ""
    ) -> None:
        super().__init__(message)
        self.message = message
        self.path = "" if path is None else str(path)
        self.line = line
        self.column = column
        self.field = field

    def __str__(self) -> str:
        where = self.path
        if where and self.line:
            where += f":{self.line}" + (f":{self.column}" if self.column else "")
        return ": ".join(part for part in (where, self.field, self.message) if part)


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
