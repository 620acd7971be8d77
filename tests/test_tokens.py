"""Sign-in tokens: only this server's genuine, unexpired, unrevoked tokens sign anyone in."""

from __future__ import annotations

import stat

import itsdangerous.timed
import pytest
from classroom_helpers import CODE

from lab.classroom import tokens


@pytest.fixture()
def anna(room):
    return room.sign_up(CODE, "Anna", "correct horse")


def test_a_token_signs_its_account_in(room, anna):
    token = tokens.issue(anna, tokens.server_secret())
    assert tokens.account_for(token, room) == anna
    assert anna.workspace not in token and "Anna" not in token  # no bare id to copy


def test_the_secret_is_made_once_and_private(room):
    first = tokens.server_secret()
    assert len(first) == 64 and tokens.server_secret() == first
    path = room.dir / "secret"
    assert stat.S_IMODE(path.stat().st_mode) == 0o600


def test_lab_secret_wins_over_the_file(room, anna, monkeypatch):
    file_token = tokens.issue(anna, tokens.server_secret())
    monkeypatch.setenv("LAB_SECRET", "shared-by-two-servers")
    assert tokens.account_for(file_token, room) is None
    assert tokens.account_for(tokens.issue(anna, b"shared-by-two-servers"), room) == anna


def test_a_token_from_another_server_is_refused(room, anna):
    foreign = tokens.issue(anna, b"another server's secret")
    assert tokens.account_for(foreign, room) is None


# not the very last character: its low bits are base64 padding, so some flips decode to
# the same signature bytes (not a forgery: nothing signed changed)
@pytest.mark.parametrize("where", [0, 10, -5, -2])
def test_a_tampered_token_is_refused(room, anna, where):
    token = tokens.issue(anna, tokens.server_secret())
    i = where % len(token)
    flipped = "A" if token[i] != "A" else "B"
    assert tokens.account_for(token[:i] + flipped + token[i + 1:], room) is None


def test_a_payload_naming_someone_else_cannot_be_signed_without_the_secret(room, anna):
    boris = room.sign_up(CODE, "Boris", "battery staple")
    token = tokens.issue(anna, tokens.server_secret())
    _payload, rest = token.split(".", 1)
    forged_payload = tokens.issue(boris, b"x").split(".", 1)[0]
    assert tokens.account_for(f"{forged_payload}.{rest}", room) is None


@pytest.mark.parametrize("junk", ["", "0000000000000000", "a1b2c3d4e5f60708", "x" * 5000, "....", None])
def test_fabricated_tokens_are_refused(room, anna, junk):
    assert tokens.account_for(junk, room) is None


def test_a_token_expires(room, anna, monkeypatch):
    secret = tokens.server_secret()
    monkeypatch.setenv("LAB_TOKEN_HOURS", "2")
    real = itsdangerous.timed.time.time()

    class Then:
        @staticmethod
        def time():
            return real - 3 * 3600  # made three hours ago

    monkeypatch.setattr(itsdangerous.timed, "time", Then)
    old = tokens.issue(anna, secret)
    monkeypatch.undo()
    monkeypatch.setenv("LAB_TOKEN_HOURS", "2")
    assert tokens.read(old, secret) is None
    monkeypatch.setenv("LAB_TOKEN_HOURS", "4")
    assert tokens.read(old, secret) == {"k": "anna", "w": anna.workspace, "g": 0}


def test_signing_out_ends_every_token_of_the_account(room, anna):
    secret = tokens.server_secret()
    laptop, phone = tokens.issue(anna, secret), tokens.issue(anna, secret)
    room.sign_out(anna.key)
    assert tokens.account_for(laptop, room) is None and tokens.account_for(phone, room) is None
    again = room.sign_in("Anna", "correct horse")
    assert tokens.account_for(tokens.issue(again, secret), room) == again


def test_a_removed_students_token_is_refused(room, anna):
    token = tokens.issue(anna, tokens.server_secret())
    room.remove(anna.key)
    assert tokens.account_for(token, room) is None
    room.sign_up(CODE, "Anna", "someone else now")  # a new Anna does not inherit the old token
    assert tokens.account_for(token, room) is None
