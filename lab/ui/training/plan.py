"""The Training page's plan for the next run: predict its effect, repeat it with seeds.

Outside the hyperparameters form, read when Train is pressed: "Predict before you run"
(better / worse / same, and why; ``lab.runs.expectations``) and "Repeat with 3 seeds"
(``lab.runs.seeds``). Both are kept with the run(s) and shown in the journal.
"""

from __future__ import annotations

import streamlit as st

from lab.runs.expectations import MAX_WHY, expectation
from lab.ui import state
from lab.ui.i18n import t

REPEAT_SEEDS = 3
KEY = "training_plan_"  # widget keys (+ the plan generation); tests find widgets by them


def run_plan() -> tuple[int, dict | None]:
    """Draw the plan; returns (runs to train, the student's expectation or None)."""
    gen = state.plan_generation()
    with st.expander(t("expect.title"), icon=":material/psychology:"):
        names = {"": t("expect.none"), "better": t("expect.better"), "worse": t("expect.worse"),
                 "same": t("expect.same")}
        direction = st.radio(t("expect.direction"), list(names), format_func=names.get, horizontal=True,
                             key=state.translated_choice(f"{KEY}direction_{gen}"))
        why = st.text_input(t("expect.why"), max_chars=MAX_WHY, placeholder=t("expect.why_placeholder"),
                            key=f"{KEY}why_{gen}")
    repeat = st.checkbox(t("seeds.repeat"), help=t("seeds.repeat_help"), key=f"{KEY}seeds_{gen}")
    expected = expectation(direction, why) if direction else None  # a reason without a direction: no prediction
    return (REPEAT_SEEDS if repeat else 1), expected
