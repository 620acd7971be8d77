"""The classroom gate: on a private-workspace server nobody reaches a page unsigned.

``app.py`` calls ``signed_in()`` before it builds the navigation. A session is signed in
by the form below, or by the token cookie its browser sent (a refresh, a new tab). The
token lives in a cookie rather than the URL, so a copied or bookmarked URL carries
nothing: it opens the sign-in form. Streamlit (< 1.68) cannot set a cookie from Python,
so the page writes it with one line of JavaScript (``st.html``); the server reads it
back through ``st.context.cookies`` when the next session opens. ``SameSite=Strict``
keeps other sites from sending it; ``Secure`` is added behind HTTPS. JavaScript can read
it (no ``HttpOnly`` from a script): the app renders no HTML of the students' own.

Each sign-in also leaves a long-lived *device cookie* (``tokens.DEVICE_COOKIE``): a browser
that has signed in as a name keeps its own count of wrong passwords for it, so nobody
else's guesses lock the owner out. Every guess is counted per browser, address and name
before its password is hashed (``lab.classroom.throttle``); the address is Streamlit's
``st.context.ip_address``, or the reverse proxy's ``X-Forwarded-For`` for a connection from
this machine.

Optional: where ``.streamlit/secrets.toml`` configures an OpenID provider (``[auth]``),
``st.login`` signs a student in by their provider's e-mail instead of a password; their
account is made on first use, as with the class code.
"""

from __future__ import annotations

import json

import streamlit as st

from lab.classroom.accounts import Account, AccountError, Classroom
from lab.classroom.throttle import Client
from lab.classroom.tokens import (
    COOKIE,
    DEVICE_COOKIE,
    account_for,
    client_from,
    device_days,
    issue,
    issue_device,
    read_device,
    server_secret,
    token_hours,
)
from lab.ui import state
from lab.ui.i18n import t
from lab.ui.lab_errors import error_text
from lab.ui.sidebar import language_switch
from lab.classroom.workspaces import private_workspaces


def signed_in() -> bool:
    """True when the pages may run: a laptop, or a session signed in to a live account."""
    if not private_workspaces():
        return True
    classroom = Classroom()
    account = state.account()
    if account is not None and _current(classroom, account) is None:
        state.set_account(None)  # removed by the teacher, or signed out in another tab
        account = None
    if account is None and not state.signed_out():
        token = st.context.cookies.get(COOKIE)
        account = account_for(token, classroom)
        if account is not None:
            state.set_account(account, token)
    if account is None:
        account = _oidc_account(classroom)
    return account is not None


def _current(classroom: Classroom, account: Account) -> Account | None:
    now = classroom.account(account.key)
    if now is None or (now.workspace, now.generation) != (account.workspace, account.generation):
        return None
    return now


# --- the form ------------------------------------------------------------------------------
def sign_in_page() -> None:
    """The only page of a session not signed in (``app.py`` registers it alone)."""
    _write_cookie(None)  # a stale or foreign token in this browser goes
    with st.sidebar:
        language_switch()
    st.title(t("classroom.title"))
    st.caption(t("classroom.intro"))
    if state.signed_out():
        st.info(t("classroom.signed_out"), icon=":material/logout:")
    mine, new, teacher = st.tabs([t("classroom.tab_sign_in"), t("classroom.tab_new"), t("classroom.tab_teacher")])
    with mine, st.form("signin_existing"):
        name = st.text_input(t("classroom.name"), key="signin_name", max_chars=64)
        password = st.text_input(t("classroom.password"), type="password", key="signin_password", max_chars=128)
        if st.form_submit_button(t("classroom.submit_sign_in"), type="primary", icon=":material/login:"):
            _attempt(lambda room, client: room.sign_in(name, password, client=client))
    with new, st.form("signin_new"):
        code = st.text_input(t("classroom.code"), type="password", key="signup_code", max_chars=128)
        name = st.text_input(t("classroom.name"), key="signup_name", max_chars=64, help=t("classroom.name_help"))
        password = st.text_input(t("classroom.password"), type="password", key="signup_password",
                                 max_chars=128, help=t("classroom.password_new_help"))
        again = st.text_input(t("classroom.password_again"), type="password", key="signup_again", max_chars=128)
        if st.form_submit_button(t("classroom.submit_new"), type="primary", icon=":material/person_add:"):
            if password != again:
                st.error(t("classroom.err.password_again"))
            else:
                _attempt(lambda room, client: room.sign_up(code, name, password, client=client))
    with teacher, st.form("signin_teacher"):
        password = st.text_input(t("classroom.teacher_password"), type="password", key="signin_teacher",
                                 max_chars=128)
        if st.form_submit_button(t("classroom.submit_sign_in"), type="primary", icon=":material/school:"):
            _attempt(lambda room, client: room.sign_in_teacher(password, client=client))
    _oidc_button()


def client() -> Client:
    """Who this session is, for the guess limits: its address and its browser's device cookie."""
    # the browser sends its cookies when the session opens: a device cookie this session wrote
    # (sign in, sign out, sign in again) is not among them yet, so the session's own copy counts too
    device = st.context.cookies.get(DEVICE_COOKIE) or st.session_state.get(_DEVICE_KEY)
    return client_from(st.context.ip_address, st.context.headers, device, server_secret())


def _attempt(sign) -> None:
    try:
        account = sign(Classroom(), client())
    except AccountError as exc:
        st.error(error_text(exc), icon=":material/error:")  # a lock's wait is a nested message: "2 minutes"
        return
    state.set_account(account, issue(account, server_secret()))
    st.rerun()  # now with every page


# the device token this session issued (state.py is another area's file; one key, kept here)
_DEVICE_KEY = "lab.classroom.device_token"


def _device_token(account: Account) -> str | None:
    """The device token this browser should hold for ``account``; None when it holds one already."""
    secret = server_secret()
    sent = st.context.cookies.get(DEVICE_COOKIE)
    key, device = read_device(sent, secret)
    if key == account.key:
        return None
    mine = st.session_state.get(_DEVICE_KEY)
    if read_device(mine, secret)[0] != account.key:
        mine = st.session_state[_DEVICE_KEY] = issue_device(account, secret, device)
    return mine


# --- signed in: the sidebar box and the cookie ------------------------------------------------
def account_box() -> None:
    """Who is signed in and a one-click sign-out, at the foot of the sidebar."""
    account = state.account()
    if account is None:
        return
    with st.sidebar:
        st.divider()
        st.markdown(t("classroom.signed_in_teacher") if account.is_teacher
                    else t("classroom.signed_in_as", name=account.name))
        # not on_click: with st.navigation a callback may run after this script's gate, and the
        # page would then run signed out; the rerun below comes before any page runs
        if st.button(t("classroom.sign_out"), icon=":material/logout:", key="classroom_sign_out"):
            _sign_out()
            st.rerun()
        _write_cookie(state.session_token())
        device = _device_token(account)
        if device is not None:
            _set_cookie(DEVICE_COOKIE, device, int(device_days() * 86400))


def _sign_out() -> None:
    account = state.account()
    if account is not None:
        Classroom().sign_out(account.key)  # every token of the account stops working, in every tab
    state.sign_out()
    if _oidc_configured() and getattr(st.user, "is_logged_in", False):
        st.logout()


def _write_cookie(token: str | None) -> None:
    """Keep ``token`` in this browser's cookie (None: delete it); nothing when it is already so."""
    sent = st.context.cookies.get(COOKIE)  # what the browser sent when this session opened
    if token is not None and sent == token:
        return
    if token is None and sent is None and not state.signed_out():
        return
    _set_cookie(COOKIE, token or "", int(token_hours() * 3600) if token else 0)


def _set_cookie(name: str, value: str, age: int) -> None:
    line = json.dumps(f"{name}={value}; Path=/; Max-Age={age}; SameSite=Strict")
    st.html(f"<script>document.cookie = {line} + (location.protocol === 'https:' ? '; Secure' : '');</script>",
            unsafe_allow_javascript=True)


# --- optional OpenID sign-in (st.login) ---------------------------------------------------------
def _oidc_configured() -> bool:
    try:
        return "auth" in st.secrets
    except Exception:  # no secrets.toml at all
        return False


def _oidc_button() -> None:
    if _oidc_configured():
        provider = st.secrets["auth"].get("provider_name", "OpenID")
        st.button(t("classroom.sso", provider=provider), icon=":material/key:", on_click=st.login)


def _oidc_account(classroom: Classroom) -> Account | None:
    """A student signed in by the provider: their account is the provider's e-mail's name."""
    if not _oidc_configured() or state.signed_out() or not getattr(st.user, "is_logged_in", False):
        return None
    try:
        account = classroom.external(str(st.user.get("email") or st.user.get("sub") or ""))
    except AccountError as exc:
        st.error(t(exc.key, **exc.values))
        return None
    state.set_account(account, issue(account, server_secret()))
    return account
