"""Engine errors on a page, in the page's language.

A ``LabError`` raised with a message key (``LabError.key`` / ``.params``) is shown through
the text catalogue; a parameter that is itself a message, ``(key, params)``, is translated
first. An error without a key (or with one the catalogue lacks) shows its English message
as it is. The CLI prints ``str(exc)``: always the English.
"""

from __future__ import annotations

import streamlit as st

from lab.i18n import catalogue
from lab.ui.i18n import t


def message_text(key: str, params: dict) -> str:
    filled = {k: message_text(*v) if _is_message(v) else v for k, v in params.items()}
    return t(key, **filled)


def _is_message(value) -> bool:
    return (isinstance(value, (tuple, list)) and len(value) == 2 and isinstance(value[0], str)
            and isinstance(value[1], dict) and value[0] in catalogue())


def error_text(exc: BaseException) -> str:
    """The error's message in the session's language."""
    key = getattr(exc, "key", None)
    if key and key in catalogue():
        try:
            return message_text(key, getattr(exc, "params", {}) or {})
        except (KeyError, IndexError, ValueError):  # a catalogue text with other placeholders: a bug, but
            return str(exc)  # the student still reads what is wrong
    return str(exc)


def show_error(exc: BaseException, where=None) -> None:
    """``Problem: ...`` as an error box (in ``where``, a column or container, if given)."""
    (where or st).error(t("error.prefix", message=error_text(exc)))
