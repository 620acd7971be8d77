"""Engine errors on a page, in the page's language.

A ``LabError`` raised with a message key (``LabError.key`` / ``.params``) is shown through
the text catalogue; one without a key (or with a key the catalogue lacks) shows its
English message as it is. The CLI prints ``str(exc)``: always the English.
"""

from __future__ import annotations

import streamlit as st

from lab.ui.i18n import catalogue, t


def error_text(exc: BaseException) -> str:
    """The error's message in the session's language."""
    key = getattr(exc, "key", None)
    if key and key in catalogue():
        return t(key, **getattr(exc, "params", {}))
    return str(exc)


def show_error(exc: BaseException, where=None) -> None:
    """``Problem: ...`` as an error box (in ``where``, a column or container, if given)."""
    (where or st).error(t("error.prefix", message=error_text(exc)))
