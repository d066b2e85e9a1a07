"""The exceptions of lossc (raised by the compiled extension too).

``Error`` is a ``ValueError``; ``SpecError`` is a spec that does not compile
(its message is the same rendered diagnostic as the command-line tool's,
with ``file``, ``line`` and ``column`` of the first location); ``InputError``
is a call whose arrays do not fit the objective (unknown or missing input,
wrong dtype, rank or shape, over the memory budget).
"""


class Error(ValueError):
    """Any failure of lossc."""


class SpecError(Error):
    """The spec does not compile: ``str(e)`` is the rendered diagnostic."""

    def __init__(self, message, file=None, line=None, column=None):
        super().__init__(message)
        self.diagnostic = message
        self.file = file
        self.line = line
        self.column = column


class InputError(Error):
    """The arrays given do not fit the objective."""

    def __init__(self, message, file=None, line=None, column=None):
        super().__init__(message)
        self.file = file
        self.line = line
        self.column = column


# Shown as `lossc.SpecError` (the public name), not the private module.
for _cls in (Error, SpecError, InputError):
    _cls.__module__ = "lossc"
