"""Keep every page behind ``app.py``'s router, even on a direct URL.

Streamlit still honours the old multipage convention: while a folder named ``pages/``
sits beside the main script and ``st.navigation`` has not yet run in this process, a
request for ``/training`` runs ``pages/training.py`` on its own, without ``app.py``:
file names in the sidebar, no language switch, no shared state set-up. That is what a
student sees after the server restarts and their browser reloads a page. Each page
calls ``ensure_app_router()`` first; in that situation it switches Streamlit to the
app's own navigation and reruns, which runs ``app.py`` and lands on the same page.
"""

from __future__ import annotations

import streamlit as st


def app_navigation(pages: list):
    """``st.navigation(pages)`` in the sidebar. ``.streamlit/config.toml`` sets
    ``client.showSidebarNavigation = false`` so that the old multipage mode (a fresh server's
    first page load, before this runs) lists no page files; that option hides the app's own
    sidebar navigation too, so it is turned back on here, before the app's pages are sent."""
    st.set_option("client.showSidebarNavigation", True)
    return st.navigation(pages)


def ensure_app_router() -> None:
    try:
        # Streamlit's internals: imported here, guarded, since a release may move or drop them
        from streamlit.runtime import Runtime  # (see above)
        from streamlit.runtime.pages_manager import PagesManager  # (see above)
    except ImportError:  # a Streamlit without the legacy mode: nothing to do
        return
    # AppTest re-enables the legacy mode before every run it makes; a rerun there would
    # only drop the button press under test. Its page tests drive pages directly.
    if type(Runtime._instance).__module__ == "unittest.mock":
        return
    if PagesManager.uses_pages_directory:
        PagesManager.uses_pages_directory = False
        st.rerun()
