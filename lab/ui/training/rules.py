"""The course's rules on the Training page: ``lab.train.rules`` on the experiment as it is
being edited, with the journal's progress (``lab.runs.course``). Warnings, never a block."""

from __future__ import annotations

import streamlit as st

from lab.runs.course import progress
from lab.train.rules import course_rules
from lab.ui import state
from lab.ui.i18n import t


def show_rules(raw_shape: tuple[int, int, int]) -> None:
    findings = course_rules(state.experiment(), progress(state.run_store()), channels=int(raw_shape[0]),
                            raw_shape=tuple(int(v) for v in raw_shape))
    if not findings:
        return
    st.markdown(f"**{t('rules.header')}**")
    for key, params in findings:
        st.warning(t(key, **params), icon=":material/rule:")
