"""Typed accessors for everything kept in ``st.session_state``.

Pages never touch ``st.session_state`` with string keys of their own: they call these
functions, so a key is spelled once and a setting survives a change of page (a value
held only in a widget's key is dropped when its page is not drawn).
"""

from __future__ import annotations

import secrets

import streamlit as st

from lab.config import ExperimentConfig
from lab.ui.i18n import DEFAULT_LANGUAGE, LANGUAGES, language_from_locale

_LANG = "lab.language"
_EXPERIMENT = "lab.experiment"
_WORKSPACE = "lab.workspace"
_DATA_DIR = "lab.data_dir"


def language() -> str:
    if _LANG not in st.session_state:
        st.session_state[_LANG] = _browser_language()
    return st.session_state[_LANG]


def set_language(lang: str) -> None:
    st.session_state[_LANG] = lang if lang in LANGUAGES else DEFAULT_LANGUAGE


def _browser_language() -> str:
    try:
        return language_from_locale(st.context.locale)
    except Exception:  # bare mode or an older Streamlit without st.context.locale
        return DEFAULT_LANGUAGE


def experiment() -> ExperimentConfig:
    """The current experiment; each page edits its part of it."""
    if _EXPERIMENT not in st.session_state:
        st.session_state[_EXPERIMENT] = ExperimentConfig()
    return st.session_state[_EXPERIMENT]


def set_experiment(config: ExperimentConfig) -> None:
    st.session_state[_EXPERIMENT] = config


def data_dir() -> str | None:
    """The data directory the app was started with (``-- --data-dir D``), if any."""
    return st.session_state.get(_DATA_DIR)


def set_data_dir(path: str | None) -> None:
    st.session_state[_DATA_DIR] = path


def workspace_id() -> str:
    """This browser's private workspace, kept in the URL (``?ws=...``) so a refresh
    finds it again. Ids are random and unguessable; a malformed one is replaced."""
    if _WORKSPACE not in st.session_state:
        ws = st.query_params.get("ws", "")
        if not (ws.isalnum() and 8 <= len(ws) <= 32):
            ws = secrets.token_hex(8)
        st.session_state[_WORKSPACE] = ws
    st.query_params["ws"] = st.session_state[_WORKSPACE]
    return st.session_state[_WORKSPACE]


def run_store():
    """The journal of this browser's workspace (``lab.workspaces``)."""
    from lab.runs import RunStore
    from lab.workspaces import workspace_root

    return RunStore(workspace_root(workspace_id()))
