"""The one exception type the lab raises for bad user input.

Pages show its message in the session's language; the CLI prints it as one line on
stderr and exits with status 2. Anything else escaping is a bug in the lab, not the
user's fault.

Every LabError carries a catalogue key and its parameters. ``keyed(MESSAGES, key, cls, **params)``
is the one factory: ``MESSAGES`` is the area's table of English templates (the English lives
once, beside the code that raises it; the catalogue, ``lab/i18n/texts/engine_messages.py``,
takes it from there and adds Russian). Templates are filled by ``lab.i18n.numbers.fill``, so
``{n:count}`` and ``{n:plural:...}`` work in both languages. ``str(exc)`` is always the
English, for the CLI and logs.
"""

from __future__ import annotations

from typing import Any

from lab.i18n.numbers import fill


class LabError(Exception):
    """A problem the user can fix: the message says what and how."""

    def __init__(self, message: str = "", *, key: str | None = None, params: dict[str, Any] | None = None):
        super().__init__(message)
        self.key = key
        self.params = dict(params or {})


def keyed(messages: dict[str, str], key: str, cls: type[LabError] = LabError, **params) -> LabError:
    """A ``cls`` error whose English comes from ``messages[key]`` and whose page text is ``key``.

    A parameter may be a message of the same table, ``(key, params)``: its English fills the
    English, and the page translates it."""
    return cls(english(messages, key, params), key=key, params=params)


def english(messages: dict[str, str], key: str, params: dict[str, Any]) -> str:
    """``messages[key]`` filled, nested ``(key, params)`` parameters of ``messages`` first."""
    filled = {k: english(messages, *v) if _is_message(v, messages) else v for k, v in params.items()}
    return fill(messages[key], "en", **filled)


def _is_message(value, messages) -> bool:
    return (isinstance(value, tuple) and len(value) == 2 and isinstance(value[0], str)
            and isinstance(value[1], dict) and value[0] in messages)


def as_message(exc: BaseException):
    """An error as a message parameter: ``(key, params)`` when it is keyed, else its English."""
    key = getattr(exc, "key", None)
    return (key, dict(getattr(exc, "params", {}) or {})) if key else str(exc)


def as_record(exc: BaseException) -> dict:
    """``{"error_key", "error_params"}`` for a run's summary.json (JSON values only), or ``{}``
    for an error without a key: the page then shows the stored English."""
    key = getattr(exc, "key", None)
    return {"error_key": key, "error_params": _plain(getattr(exc, "params", {}) or {})} if key else {}


def _plain(value):
    if isinstance(value, dict):
        return {str(k): _plain(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [_plain(v) for v in value]
    return value if value is None or isinstance(value, (str, int, float, bool)) else str(value)


def within(messages: dict[str, str], key: str, inner: BaseException, cls: type[LabError] = LabError,
           **params) -> LabError:
    """``messages[key]`` around another error (its ``{message}``): the English says ``str(inner)``,
    the page translates ``inner`` by its own key."""
    text = fill(messages[key], "en", message=str(inner),
                **{k: english(messages, *v) if _is_message(v, messages) else v for k, v in params.items()})
    return cls(text, key=key, params={**params, "message": as_message(inner)})
