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

A second, long-lived token, the *device cookie* (``DEVICE_COOKIE``, ``LAB_DEVICE_DAYS``, default
180), says "this browser has signed in as this account before": ``{"k": account key, "d": a
random id}`` under its own salt, so neither token passes for the other. Sign-out leaves it;
it signs nobody in. It only lets its browser keep its own count of wrong passwords, so that
guesses from elsewhere cannot lock the owner out (``lab.classroom.throttle``).

The secret: ``LAB_SECRET`` if set (several servers behind one proxy share it), else a
random one made once in ``<runs dir>/classroom/secret`` with mode 0600.
"""

from __future__ import annotations

import os
import secrets
from pathlib import Path

from itsdangerous import BadData, URLSafeTimedSerializer

from lab.classroom.accounts import Account, Classroom
from lab.classroom.throttle import Client, address_of
from lab.files import atomic_write
from lab.paths import runs_dir

COOKIE = "cnnlab_session"
DEVICE_COOKIE = "cnnlab_device"
_SALT = "cnn-lab.sign-in"  # the purpose: a key derived for sign-in tokens only
_DEVICE_SALT = "cnn-lab.device"  # device cookies: another derived key, so one never passes for the other


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


def device_days() -> float:
    return float(os.environ.get("LAB_DEVICE_DAYS", "180"))


def _serializer(secret: bytes, salt: str = _SALT) -> URLSafeTimedSerializer:
    return URLSafeTimedSerializer(secret, salt=salt)


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


# --- the device cookie and who is guessing -------------------------------------------------------
def issue_device(account: Account, secret: bytes, device: str = "") -> str:
    """A device token for ``account``; ``device`` keeps a browser's id when it signs in again."""
    return _serializer(secret, _DEVICE_SALT).dumps({"k": account.key, "d": device or secrets.token_hex(8)})


def read_device(token: str | None, secret: bytes) -> tuple[str, str]:
    """(account key, device id) of a genuine, unexpired device token; ("", "") for anything else."""
    if not token or len(token) > 1024:
        return "", ""
    try:
        payload = _serializer(secret, _DEVICE_SALT).loads(token, max_age=device_days() * 86400)
    except BadData:
        return "", ""
    if not isinstance(payload, dict) or not all(isinstance(payload.get(k), str) for k in ("k", "d")):
        return "", ""
    return payload["k"], payload["d"]


def client_from(peer: str | None, headers, device_token: str | None, secret: bytes) -> Client:
    """Who is guessing, from what the connection says: its address (``throttle.address_of``) and
    its device cookie, if genuine. The sign-in form calls this; so do the tests of the limits."""
    key, device = read_device(device_token, secret)
    return Client(address=address_of(peer, headers), device_key=key, device=device)
