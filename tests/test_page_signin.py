"""The classroom gate in AppTest: the sign-in form is all a stranger gets, in English and
Russian; signing up, signing in and signing out; the teacher's extra page."""

from __future__ import annotations

import pytest
from classroom_helpers import CODE
from streamlit.testing.v1 import AppTest

from lab.i18n import translate


def app(lang: str = "en") -> AppTest:
    at = AppTest.from_file("../app.py", default_timeout=60)
    at.session_state["lab.language"] = lang
    return at.run()


def through_app(at: AppTest) -> AppTest:
    """The next run starts at app.py again, as a browser's does. AppTest re-enables
    Streamlit's legacy pages/ mode before each run, and would otherwise run the page the
    last run ended on by itself, without app.py's gate and sidebar (see lab/ui/router.py)."""
    at._finished_page_script_hash = ""
    return at


def pages(at: AppTest) -> list[str]:
    return [info.get("page_name") for info in at._registered_pages.values()]


def form_inputs(at: AppTest, form: str):
    return {w.key: w for w in at.text_input if w.key and w.key.startswith(form)}


@pytest.mark.parametrize("lang", ["en", "ru"])
def test_a_stranger_gets_only_the_sign_in_form(room, lang):
    at = app(lang)
    assert not at.exception
    assert at.title[0].value == translate("classroom.title", lang)
    assert [tab.label for tab in at.tabs] == [translate(k, lang) for k in
                                              ("classroom.tab_sign_in", "classroom.tab_new", "classroom.tab_teacher")]
    # nothing of the lab: no experiment summary, no journal
    assert translate("sidebar.experiment", lang) not in [s.value for s in at.sidebar.subheader]
    assert not at.dataframe


def sign_up(at: AppTest, name: str, password: str, code: str = CODE, again: str | None = None) -> AppTest:
    at.text_input(key="signup_code").input(code)
    at.text_input(key="signup_name").input(name)
    at.text_input(key="signup_password").input(password)
    at.text_input(key="signup_again").input(password if again is None else again)
    return at.button[1].click().run()  # the second form's submit button


@pytest.mark.parametrize("lang", ["en", "ru"])
def test_signing_up_opens_the_lab_and_sign_out_is_one_click(room, lang):
    at = app(lang)
    at = sign_up(at, "Anna", "correct horse")
    assert not at.exception
    assert at.title[0].value == translate("nav.home", lang)
    assert translate("classroom.signed_in_as", lang, name="Anna") in [m.value for m in at.sidebar.markdown]
    assert room.find("Anna") is not None
    at = through_app(at).sidebar.button(key="classroom_sign_out").click().run()
    assert at.title[0].value == translate("classroom.title", lang)
    assert at.info[0].value == translate("classroom.signed_out", lang)
    assert room.find("Anna").generation == 1  # her tokens everywhere stopped working


@pytest.mark.parametrize("name, password, code, again, key, params", [
    ("Anna", "correct horse", "wrong code", None, "classroom.err.code", {}),
    ("Ａnna", "correct horse", CODE, None, "classroom.err.name_chars", {"name": "Ａnna"}),
    ("Anna", "short", CODE, None, "classroom.err.password_length", {"min": 8, "max": 128}),
    ("Anna", "correct horse", CODE, "correct horsE", "classroom.err.password_again", {}),
])
def test_a_refused_sign_up_says_why_in_both_languages(room, name, password, code, again, key, params):
    for lang in ("en", "ru"):
        at = sign_up(app(lang), name, password, code, again)
        assert at.title[0].value == translate("classroom.title", lang)
        assert translate(key, lang, **params) in [e.value for e in at.error]
    assert room.students() == []


def test_a_wrong_password_is_refused_and_the_name_cannot_be_taken_twice(room):
    room.sign_up(CODE, "Anna", "correct horse")
    at = app()
    at.text_input(key="signin_name").input("anna")
    at.text_input(key="signin_password").input("wrong guess")
    at = at.button[0].click().run()
    assert [e.value for e in at.error] == [translate("classroom.err.wrong", "en")]
    at = sign_up(app(), "ANNA", "another one!")
    assert [e.value for e in at.error] == [translate("classroom.err.taken", "en", name="ANNA")]
    at = app()
    at.text_input(key="signin_name").input("anna")
    at.text_input(key="signin_password").input("correct horse")
    at = at.button[0].click().run()
    assert at.title[0].value == translate("nav.home", "en")


def test_only_the_teacher_gets_the_teacher_page(room):
    at = sign_up(app(), "Anna", "correct horse")
    assert translate("nav.teacher", "en") not in pages(at)
    assert translate("nav.leaderboard", "en") in pages(at)
    at = app()
    at.text_input(key="signin_teacher").input("teach-me-please")
    at = at.button[2].click().run()
    assert translate("classroom.signed_in_teacher", "en") in [m.value for m in at.sidebar.markdown]
    assert translate("nav.teacher", "en") in pages(at)
    at.switch_page("pages/teacher.py").run()
    assert not at.exception
    assert at.title[0].value == translate("teacher.title", "en")


def test_the_teacher_page_run_on_its_own_refuses_a_student(room):
    anna = room.sign_up(CODE, "Anna", "correct horse")
    at = AppTest.from_file("../pages/teacher.py", default_timeout=60)
    at.session_state["lab.room.account"] = anna
    at.run()
    assert [e.value for e in at.error] == [translate("teacher.only", "en")]
    assert not at.dataframe


class _ProviderUser(dict):
    """What ``st.user`` holds after an OpenID provider signed the browser in."""
    is_logged_in = True


@pytest.mark.parametrize("lang", ["en", "ru"])
def test_an_openid_provider_is_offered_and_its_user_gets_an_account_of_their_own(room, monkeypatch, lang):
    at = AppTest.from_file("../app.py", default_timeout=60)
    at.session_state["lab.language"] = lang
    at.secrets["auth"] = {"provider_name": "School", "redirect_uri": "http://localhost:8501/oauth2callback",
                          "cookie_secret": "x" * 32, "client_id": "lab", "client_secret": "s",
                          "server_metadata_url": "https://id.school.example/.well-known/openid-configuration"}
    at.run()
    assert translate("classroom.sso", lang, provider="School") in [b.label for b in at.button]
    # the provider answered: st.user is logged in (AppTest cannot run the redirect itself)
    monkeypatch.setattr("streamlit.user", _ProviderUser(email="Anna@School.example"))
    through_app(at).run()
    assert not at.exception
    assert at.title[0].value == translate("nav.home", lang)
    account = room.external("anna@school.example")
    assert account.key == "oidc:anna@school.example" and len(room.students()) == 1
