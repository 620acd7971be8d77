"""CNN Lab: the entry point. It only routes: every page is registered here explicitly.

    streamlit run app.py [-- --data-dir D]
"""

from __future__ import annotations

import argparse
import sys

import streamlit as st

from lab.ui import state
from lab.ui.i18n import t
from lab.ui.sidebar import render_sidebar, render_summary
from lab.workspaces import maybe_expire_workspaces

st.set_page_config(page_title="CNN Lab", page_icon=":material/neurology:", layout="wide")


def _startup_args() -> None:
    # `streamlit run app.py -- --data-dir D` passes D here
    parser = argparse.ArgumentParser(add_help=False)
    parser.add_argument("--data-dir")
    args, _ = parser.parse_known_args(sys.argv[1:])
    if args.data_dir and state.data_dir() is None:
        state.set_data_dir(args.data_dir)


_startup_args()
state.workspace_id()
maybe_expire_workspaces()  # classroom servers: drop idle private workspaces, at most hourly

PAGES = [
    st.Page("pages/home.py", title=t("nav.home"), icon=":material/home:", default=True, url_path="home"),
    st.Page("pages/dataset.py", title=t("nav.dataset"), icon=":material/dataset:", url_path="dataset"),
    st.Page("pages/architecture.py", title=t("nav.architecture"), icon=":material/account_tree:", url_path="architecture"),
    st.Page("pages/augmentation.py", title=t("nav.augmentation"), icon=":material/auto_awesome:", url_path="augmentation"),
    st.Page("pages/training.py", title=t("nav.training"), icon=":material/model_training:", url_path="training"),
    st.Page("pages/predict.py", title=t("nav.predict"), icon=":material/image_search:", url_path="predict"),
    st.Page("pages/inside.py", title=t("nav.inside"), icon=":material/visibility:", url_path="inside"),
    st.Page("pages/journal.py", title=t("nav.journal"), icon=":material/menu_book:", url_path="journal"),
]

page = st.navigation(PAGES)
summary = render_sidebar()
try:
    page.run()
finally:  # after the page, so the summary shows what the page just chose (st.stop included)
    render_summary(summary)
