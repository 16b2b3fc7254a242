"""Errors that reach users: each says what is wrong and where."""

from dataclasses import dataclass


@dataclass
class InputError(Exception):
    """Unusable input: a file that is missing, empty, binary, unparseable or of unknown kind."""

    message: str
    file: str | None = None
    line: int | None = None
    field: str | None = None

    def __reduce__(self) -> tuple:
        # Exceptions pickle through their args, which a dataclass leaves empty: rebuild from the fields instead
        # (an InputError crosses from a task worker to the web process).
        return (type(self), (self.message, self.file, self.line, self.field))

    def __str__(self) -> str:
        where = self.file or "<input>"
        if self.line is not None:
            where += f":{self.line}"
        if self.field:
            where += f" (field '{self.field}')"
        return f"{where}: {self.message}"
