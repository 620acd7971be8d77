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

import difflib
from collections.abc import Iterable
from typing import Any

from lab.i18n.numbers import fill

# Messages any area's message may take as a parameter (``did_you_mean``); Russian in
# lab/i18n/texts/engine_messages.py like every engine message.
MESSAGES = {
    "errors.did_you_mean": " (did you mean {name}?)",
}
CLOSE_ENOUGH = 0.75  # difflib's similarity: RandomRotaion~RandomRotation 0.96, mnsit~mnist 0.8, adma~adam 0.75; resnet50~lenet5 0.71 is no typo


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
    """``messages[key]`` filled, nested ``(key, params)`` parameters of ``messages`` (or of this
    module's shared ``MESSAGES``) first."""
    filled = {k: english(messages, *v) if _is_message(v, messages) else v for k, v in params.items()}
    return fill(messages[key] if key in messages else MESSAGES[key], "en", **filled)


def _is_message(value, messages) -> bool:
    return (isinstance(value, tuple) and len(value) == 2 and isinstance(value[0], str)
            and isinstance(value[1], dict) and (value[0] in messages or value[0] in MESSAGES))


def did_you_mean(name, known: Iterable[str]):
    """The ``close`` parameter of an "unknown name" message: ``("errors.did_you_mean", {"name": N})``
    when ``name`` looks like a typo of ``N``, one of ``known`` (case aside: "randomrotation" ->
    RandomRotation), else "" (nothing is said). One helper for every lookup a student types:
    transforms and their arguments, presets, layers, optimizers, datasets, config fields."""
    known = [str(k) for k in known]
    by_lower = {k.lower(): k for k in known}
    typed = str(name).strip().strip("'\"").lower()
    close = difflib.get_close_matches(typed, list(by_lower), n=1, cutoff=CLOSE_ENOUGH)
    if not close or by_lower[close[0]] == str(name):
        return ""
    return ("errors.did_you_mean", {"name": by_lower[close[0]]})


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
    text = fill(messages[key] if key in messages else MESSAGES[key], "en", message=str(inner),
                **{k: english(messages, *v) if _is_message(v, messages) else v for k, v in params.items()})
    return cls(text, key=key, params={**params, "message": as_message(inner)})
