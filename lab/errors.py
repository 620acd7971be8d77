"""The one exception type the lab raises for bad user input.

Pages show its message in the session's language; the CLI prints it as one line on
stderr and exits with status 2. Anything else escaping is a bug in the lab, not the
user's fault.

A message the pages translate carries a catalogue key and its parameters: raise it with
``keyed(MESSAGES, key, **params)``, where ``MESSAGES`` is the engine module's table of
English templates (the English lives once, beside the code that raises it; the
catalogue, ``lab/ui/texts/engine_messages.py``, takes it from there and adds Russian).
``str(exc)`` is always the English, for the CLI and logs.
"""

from __future__ import annotations

from typing import Any


class LabError(Exception):
    """A problem the user can fix: the message says what and how."""

    def __init__(self, message: str = "", *, key: str | None = None, params: dict[str, Any] | None = None):
        super().__init__(message)
        self.key = key
        self.params = dict(params or {})


def keyed(messages: dict[str, str], key: str, cls: type[LabError] = LabError, **params) -> LabError:
    """A ``cls`` error whose English comes from ``messages[key]`` and whose page text is ``key``."""
    return cls(messages[key].format(**params), key=key, params=params)
