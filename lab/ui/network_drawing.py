"""The Architecture page's drawing of the network (``lab.model.drawing``), redrawn from
the plan on every edit."""

from __future__ import annotations

import streamlit as st

from lab.model.drawing import network_svg
from lab.model.plan import Plan
from lab.ui.i18n import t


def show_network_drawing(plan: Plan) -> None:
    st.markdown(f"**{t('architecture_drawing.title')}**")
    # its own size, shrunk only to fit: stretched, a small network's drawing grew to twice its
    # size, labels and an empty band above it included
    st.image(network_svg(plan, t("architecture_drawing.in_features")), width="content")
    st.caption(t("architecture_drawing.caption"))
