"""The experiment survives a reload: restore the workspace's draft, save it on change, start fresh.

``app.py`` calls ``restore_draft`` before the page and ``save_draft_if_changed`` after it; the
sidebar shows ``draft_notice`` ("Restored your experiment from 14:05", "Start fresh"). The
file itself is ``lab.runs.draft``'s; what goes in it is ``lab.ui.state``'s (``draft_view``).
Saving is cheap: the draft's text is compared with the one last written, and only a change is
written (one small file, atomically).
"""

from __future__ import annotations

from datetime import datetime
from zoneinfo import ZoneInfo

import streamlit as st

from lab.errors import LabError
from lab.files import os_reason
from lab.runs import draft as drafts
from lab.ui import state
from lab.ui.i18n import t
from lab.ui.lab_errors import error_text, message_text

_WORKSPACE = "lab.draft.workspace"  # the workspace whose draft this session holds
_KEPT = "lab.draft.kept"  # the draft text last read or written: the same text is not written again
_RESTORED = "lab.draft.restored"  # when the restored draft was saved (seconds), None: nothing restored
_PROBLEM = "lab.draft.problem"  # a LabError: the draft on disk could not be read
_SAVE_FAILED = "lab.draft.save_failed"  # why the last save failed (a message parameter), or None


def _root():
    return state.run_store().root


def restore_draft() -> None:
    """On a session's first run in a workspace (a reload, a reconnect, a restarted server, a
    new sign-in), put the workspace's draft into the session. Later runs do nothing."""
    workspace = state.workspace_id()
    if st.session_state.get(_WORKSPACE) == workspace:
        return
    if st.session_state.get(_WORKSPACE) is not None:  # signed out and in as someone else
        state.start_fresh()
    st.session_state[_WORKSPACE] = workspace
    st.session_state[_RESTORED] = None
    st.session_state[_PROBLEM] = None
    if not state.has_experiment():  # a session that already chose one keeps it (tests set it up)
        try:
            found = drafts.load_draft(_root(), workspace)
        except LabError as exc:
            st.session_state[_PROBLEM] = exc
            drafts.set_aside(_root(), workspace)
            found = None
        if found is not None:
            state.apply_draft(found.experiment, found.view)
            st.session_state[_RESTORED] = found.saved_at
    st.session_state[_KEPT] = _text()


def _text() -> str:
    return drafts.draft_text(state.experiment(), state.draft_view())


def save_draft_if_changed() -> bool:
    """Write the session's draft when it differs from the one last read or written; True if written."""
    if st.session_state.get(_WORKSPACE) != state.workspace_id():
        return False  # restore_draft has not run for this workspace (a page run on its own)
    text = _text()
    if text == st.session_state.get(_KEPT):
        return False
    try:
        drafts.save_draft(_root(), state.workspace_id(), text)
    except OSError as exc:  # a full or read-only disk: the page works on, the notice says why
        st.session_state[_SAVE_FAILED] = os_reason(exc)
        return False
    st.session_state[_KEPT] = text
    st.session_state[_SAVE_FAILED] = None
    return True


def _start_fresh() -> None:
    """Button callback: the draft file goes, and the session starts from the defaults."""
    workspace = state.workspace_id()
    drafts.discard_draft(_root(), workspace)
    state.start_fresh()
    st.session_state[_WORKSPACE] = workspace
    st.session_state[_RESTORED] = None
    st.session_state[_KEPT] = _text()  # the defaults: nothing to write until something changes


def draft_notice() -> None:
    """The sidebar's word on the draft: restored (when, and "Start fresh"), unreadable, or unsaved."""
    problem = st.session_state.get(_PROBLEM)
    if problem is not None:
        st.warning(t("draft.unreadable", reason=error_text(problem)), icon=":material/warning:")
    failed = st.session_state.get(_SAVE_FAILED)
    if failed:
        st.warning(message_text("draft.not_saved", {"reason": failed}), icon=":material/warning:")
    saved_at = st.session_state.get(_RESTORED)
    if saved_at:
        st.info(t("draft.restored", time=clock(saved_at)), icon=":material/history:")
        st.button(t("draft.start_fresh"), icon=":material/restart_alt:", key="draft_start_fresh",
                  help=t("draft.start_fresh_help"), on_click=_start_fresh)


def clock(seconds: float) -> str:
    """HH:MM of ``seconds`` in the browser's time zone (the server's where the browser gave none)."""
    try:
        zone = ZoneInfo(st.context.timezone) if st.context.timezone else None
    except Exception:  # an unknown zone name, or bare mode without a browser
        zone = None
    when = datetime.fromtimestamp(seconds, zone) if zone else datetime.fromtimestamp(seconds)
    return when.strftime("%H:%M")
