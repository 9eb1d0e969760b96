"""User-facing errors: one exception type the CLI turns into one clear line and a non-zero exit."""

from __future__ import annotations


class UserError(Exception):
    """A problem with the user's input or environment, reported without a traceback.

    The message must say what was wrong (file, document id, field) and what to try next.
    `exit_code` follows the CLI convention: 1 for bad data, 2 for bad usage.
    """

    def __init__(self, message: str, exit_code: int = 1):
        super().__init__(message)
        self.message = message
        self.exit_code = exit_code

    def __str__(self) -> str:
        return self.message


class UsageError(UserError):
    """The command was called wrongly (missing path, incompatible options)."""

    def __init__(self, message: str):
        super().__init__(message, exit_code=2)
