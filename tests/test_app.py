"""The app starts, routes every page, and speaks both languages."""

from streamlit.testing.v1 import AppTest

from lab.i18n import translate


def run_app(lang: str = "en") -> AppTest:
    at = AppTest.from_file("../app.py", default_timeout=60)
    at.session_state["lab.language"] = lang
    return at.run()


def test_app_starts_on_home_without_errors():
    at = run_app()
    assert not at.exception
    assert at.title[0].value == translate("nav.home", "en")


def test_sidebar_summarises_the_current_experiment_in_russian():
    at = run_app("ru")
    assert not at.exception
    sidebar_text = " ".join(m.value for m in at.sidebar.markdown)
    assert translate("sidebar.data", "ru") in sidebar_text
    assert "MNIST" in sidebar_text
