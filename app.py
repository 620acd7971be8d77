"""CNN Lab: the entry point. It only routes: every page is registered here explicitly.

    streamlit run app.py [-- --data-dir D]
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

import streamlit as st

from lab.ui import inputs, state
from lab.ui.draft import restore_draft, save_draft_if_changed
from lab.ui.i18n import t
from lab.ui.router import app_navigation
from lab.ui.sidebar import render_sidebar, render_summary
from lab.ui.signin import account_box, sign_in_page, signed_in
from lab.classroom.workspaces import maybe_expire_workspaces, private_workspaces

# A local file: a :material/...: page icon makes every browser fetch it from fonts.gstatic.com,
# which an offline classroom cannot reach (tests/browser/test_classroom.py records the requests)
st.set_page_config(page_title="CNN Lab", page_icon=str(Path(__file__).parent / "lab" / "ui" / "assets" / "favicon.png"),
                   layout="wide")


def _startup_args() -> None:
    # `streamlit run app.py -- --data-dir D` passes D here
    parser = argparse.ArgumentParser(add_help=False)
    parser.add_argument("--data-dir")
    args, _ = parser.parse_known_args(sys.argv[1:])
    if args.data_dir and state.data_dir() is None:
        state.set_data_dir(args.data_dir)


_startup_args()
if not private_workspaces():
    # a laptop: the person at it wrote the code, tracebacks help (.streamlit/config.toml hides
    # them from a classroom's students)
    st.set_option("client.showErrorDetails", "full")
elif not signed_in():
    # classroom: the sign-in form is the only page until a student or the teacher signs in
    # the default page, so its URL is the root one: after sign-in Home is at the same URL
    # (a page URL the new navigation lacks would cost the next click a redirect rerun)
    st.navigation([st.Page(sign_in_page, title=t("nav.sign_in"), icon=":material/login:", default=True)],
                  position="hidden").run()
    st.stop()
state.workspace_id()
restore_draft()  # a reload, a reconnect or a restarted server: the experiment as it was left
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
    st.Page("pages/mistakes.py", title=t("nav.mistakes"), icon=":material/rule:", url_path="mistakes"),
]
if private_workspaces():
    PAGES.append(st.Page("pages/leaderboard.py", title=t("nav.leaderboard"), icon=":material/leaderboard:",
                         url_path="leaderboard"))
if state.is_teacher():  # students never see it, not even its name
    PAGES.append(st.Page("pages/teacher.py", title=t("nav.teacher"), icon=":material/school:", url_path="teacher"))

page = app_navigation(PAGES)  # st.navigation, in the sidebar (lab.ui.router: none of pages/' files)
inputs.style()  # Streamlit's English-only widget words, in the page's language
summary = render_sidebar()
account_box()
try:
    page.run()
finally:  # after the page, so the summary shows what the page just chose (st.stop included)
    render_summary(summary)
    save_draft_if_changed()  # the page's choices, kept for the next session (written only on change)
