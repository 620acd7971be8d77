"""Classroom accounts: names, salted password hashes, the wrong-password lock, and two
servers sharing one accounts file."""

from __future__ import annotations

import json
import multiprocessing
import stat

import pytest
from classroom_helpers import CODE

from lab.classroom.accounts import (
    AccountError,
    Classroom,
    check_name,
    hash_password,
    password_matches,
)
from lab.classroom.throttle import RULES

FREE_FAILURES = RULES["client_name"].free
LOCK_FIRST_S = RULES["client_name"].first_s


@pytest.mark.parametrize("name", ["Anna", "anna.k", "Иван Петров", "Ёжик-2", "b2", "Li_Wei"])
def test_names_of_latin_or_cyrillic_letters_digits_and_simple_marks_are_kept(name):
    assert check_name(name) == name


@pytest.mark.parametrize("name, key", [
    ("Ａnna", "classroom.err.name_chars"),  # full-width A (name_chars: styled letters; name_char: one bad character)
    ("Anna\u200b", "classroom.err.name_char"),  # zero-width space
    ("Аnna", "classroom.err.name_mixed"),  # Cyrillic А + Latin nna: looks like "Anna"
    ("Ἀnna", "classroom.err.name_char"),  # Greek
    ("anna<script>", "classroom.err.name_char"),
    ("../etc", "classroom.err.name_char"),
    ("a", "classroom.err.name_length"),
    ("x" * 33, "classroom.err.name_length"),
    ("2pac", "classroom.err.name_start"),
    ("ﬁona", "classroom.err.name_chars"),  # the "fi" ligature NFKC would fold
])
def test_odd_names_are_refused_with_a_reason(name, key):
    with pytest.raises(AccountError) as err:
        check_name(name)
    assert err.value.key == key


def test_spaces_inside_a_name_are_collapsed():
    assert check_name("  Anna   Karenina ") == "Anna Karenina"


def test_passwords_are_stored_only_as_salted_scrypt_hashes(room):
    room.sign_up(CODE, "Anna", "correct horse")
    text = (room.dir / "accounts.json").read_text()
    assert "correct horse" not in text
    record = json.loads(text)["accounts"]["anna"]["password"]
    assert len(bytes.fromhex(record["salt"])) == 16 and len(bytes.fromhex(record["hash"])) == 32
    assert stat.S_IMODE((room.dir / "accounts.json").stat().st_mode) == 0o600
    one, two = hash_password("same"), hash_password("same")
    assert one["hash"] != two["hash"]  # a fresh salt each time
    assert password_matches("same", one) and not password_matches("Same", one)


def test_sign_up_needs_the_class_code_and_a_free_name(room):
    with pytest.raises(AccountError) as err:
        room.sign_up("wrong", "Anna", "correct horse")
    assert err.value.key == "classroom.err.code"
    anna = room.sign_up(CODE, "Anna", "correct horse")
    for taken in ("Anna", "ANNA", " anna "):
        with pytest.raises(AccountError) as err:
            room.sign_up(CODE, taken, "another password")
        assert err.value.key == "classroom.err.taken"
    with pytest.raises(AccountError) as err:
        room.sign_up(CODE, "Boris", "short")
    assert err.value.key == "classroom.err.password_length"
    assert [a.name for a in room.students()] == ["Anna"]
    assert room.sign_in("anna", "correct horse") == anna


def test_without_a_class_code_nobody_can_sign_up(room, monkeypatch):
    monkeypatch.delenv("LAB_CLASS_CODE")
    with pytest.raises(AccountError) as err:
        room.sign_up("", "Anna", "correct horse")
    assert err.value.key == "classroom.err.no_code"


def test_wrong_passwords_lock_the_name_and_the_lock_grows(room):
    room.sign_up(CODE, "Anna", "correct horse")
    now = 1_000_000.0
    for i in range(FREE_FAILURES):
        with pytest.raises(AccountError) as err:
            room.sign_in("Anna", f"guess {i}", now=now + i)
        assert err.value.key == "classroom.err.wrong"
    # locked now: even the right password is refused until the lock ends
    with pytest.raises(AccountError) as err:
        room.sign_in("Anna", "correct horse", now=now + FREE_FAILURES)
    assert err.value.key == "classroom.err.locked"
    assert err.value.values["wait"] == ("classroom.wait.seconds", {"n": LOCK_FIRST_S - 1})
    later = now + FREE_FAILURES + LOCK_FIRST_S
    with pytest.raises(AccountError):
        room.sign_in("Anna", "guess again", now=later)  # the 6th failure doubles the lock
    assert RULES["client_name"].lock_seconds(FREE_FAILURES + 1) == 2 * LOCK_FIRST_S
    with pytest.raises(AccountError) as err:
        room.sign_in("Anna", "correct horse", now=later + LOCK_FIRST_S)
    assert err.value.key == "classroom.err.locked"
    assert room.sign_in("Anna", "correct horse", now=later + 2 * LOCK_FIRST_S).name == "Anna"
    counts = room._read("failures.json")  # success starts the name's count again; the address's stays
    assert list(counts) == ["client|unknown"] and counts["client|unknown"]["count"] == FREE_FAILURES + 1


def test_the_lock_is_per_name(room):
    room.sign_up(CODE, "Anna", "correct horse")
    room.sign_up(CODE, "Boris", "battery staple")
    for i in range(FREE_FAILURES + 1):
        with pytest.raises(AccountError):
            room.sign_in("Anna", "nope", now=100.0 + i)
    assert room.sign_in("Boris", "battery staple", now=106.0).name == "Boris"


def test_unknown_names_get_the_same_answer_as_wrong_passwords(room):
    room.sign_up(CODE, "Anna", "correct horse")
    messages = set()
    for name in ("Anna", "Nobody", "Ａnna"):
        with pytest.raises(AccountError) as err:
            room.sign_in(name, "wrong password")
        messages.add((err.value.key, str(err.value)))
    assert messages == {("classroom.err.wrong", "the name or the password is wrong")}


def test_the_teacher_signs_in_with_the_teacher_password_only(room):
    with pytest.raises(AccountError):
        room.sign_in_teacher("teach-me-pleasE")
    teacher = room.sign_in_teacher("teach-me-please")
    assert teacher.is_teacher and room.students() == []
    with pytest.raises(AccountError):
        room.sign_in("#teacher", "teach-me-please")  # not a student name


def test_removing_a_student_deletes_their_workspace_and_frees_the_name(room):
    anna = room.sign_up(CODE, "Anna", "correct horse")
    ws = room.workspace_dir(anna)
    (ws / "20260101-000000-abcdef").mkdir(parents=True)
    room.remove("anna")
    assert not ws.exists() and room.find("Anna") is None
    assert room.sign_up(CODE, "Anna", "new password").workspace != anna.workspace


def _sign_up_many(args):
    root, names = args
    import os
    os.environ["LAB_CLASS_CODE"] = CODE
    room = Classroom(root)
    for n in names:
        room.sign_up(CODE, n, "correct horse")


def test_two_servers_signing_up_at_once_lose_nobody(room):
    names = [[f"s{i}x{j}" for j in range(6)] for i in range(2)]
    ctx = multiprocessing.get_context("fork")
    with ctx.Pool(2) as pool:
        pool.map(_sign_up_many, [(str(room.base), ns) for ns in names])
    assert sorted(a.name for a in room.students()) == sorted(sum(names, []))


def test_a_provider_vouched_identity_gets_an_account_nobody_can_sign_into_by_password(room):
    ext = room.external("Anna@School.example")
    assert ext.key == "oidc:anna@school.example" and room.external("anna@school.example") == ext
    with pytest.raises(AccountError):
        room.sign_in("oidc:anna@school.example", "")
    with pytest.raises(AccountError):
        room.external("two words")
