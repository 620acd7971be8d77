"""Signed, expiring sign-in tokens: what a classroom browser keeps instead of a bare id.

A token is ``itsdangerous.URLSafeTimedSerializer`` over ``{"k": account key, "w": its workspace,
"g": sign-out generation}``: the payload, the time it was made and an HMAC-SHA1 of both under a key
derived from the server secret. itsdangerous (already installed with Streamlit, which
uses it for ``st.login``) rather than our own ``hmac`` code: it gets the constant-time
comparison, the timestamp inside the signature, key derivation with a purpose salt
and the URL-safe encoding right, and says "expired" apart from "forged".

A token is worth nothing on another server (another secret), after ``LAB_TOKEN_HOURS``
(default 12), after the student signs out (the generation moved on) or once the
account is removed.

The secret: ``LAB_SECRET`` if set (several servers behind one proxy share it), else a
random one made once in ``<runs dir>/classroom/secret`` with mode 0600.
"""

from __future__ import annotations

import os
import secrets
from pathlib import Path

from itsdangerous import BadData, URLSafeTimedSerializer

from lab.classroom.accounts import Account, Classroom
from lab.files import atomic_write
from lab.paths import runs_dir

COOKIE = "cnnlab_session"
_SALT = "cnn-lab.sign-in"  # the purpose: a key derived for sign-in tokens only


def token_hours() -> float:
    return float(os.environ.get("LAB_TOKEN_HOURS", "12"))


def server_secret(root: str | Path | None = None) -> bytes:
    env = os.environ.get("LAB_SECRET", "")
    if env:
        return env.encode("utf-8")
    path = runs_dir(root) / "classroom" / "secret"
    try:
        return path.read_bytes()
    except FileNotFoundError:
        pass
    path.parent.mkdir(parents=True, exist_ok=True)
    # create if absent: of two servers starting at once, one wins and both read the winner's secret
    atomic_write(path, secrets.token_hex(32).encode(), mode=0o600, fsync=True, create_only=True)
    return path.read_bytes()


def _serializer(secret: bytes) -> URLSafeTimedSerializer:
    return URLSafeTimedSerializer(secret, salt=_SALT)


def issue(account: Account, secret: bytes) -> str:
    return _serializer(secret).dumps({"k": account.key, "w": account.workspace, "g": account.generation})


def read(token: str | None, secret: bytes, max_age_s: float | None = None) -> dict | None:
    """The payload of a genuine, unexpired token; None for anything else."""
    if not token or len(token) > 1024:
        return None
    max_age = token_hours() * 3600 if max_age_s is None else max_age_s
    try:
        payload = _serializer(secret).loads(token, max_age=max_age)
    except BadData:  # bad signature, expired, malformed: all the same to the caller
        return None
    return payload if isinstance(payload, dict) else None


def account_for(token: str | None, classroom: Classroom, secret: bytes | None = None) -> Account | None:
    """The account a token signs in, if it still may: it exists and has not signed out since."""
    payload = read(token, server_secret(classroom.base) if secret is None else secret)
    if payload is None:
        return None
    account = classroom.account(str(payload.get("k", "")))
    # the workspace too: a new student taking a removed student's name is someone else
    if account is None or payload.get("g") != account.generation or payload.get("w") != account.workspace:
        return None
    return account
