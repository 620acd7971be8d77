"""Classroom accounts: who may use a private-workspace server, and which workspace is theirs.

A student joins with the teacher's class code (``LAB_CLASS_CODE``) and picks a name and
a password of their own; later sign-ins need only the name and the password. The
teacher signs in with ``LAB_TEACHER_PASSWORD``. Everything lives in one folder beside
the workspaces, so backing up ``<runs dir>`` backs up the class:

    <runs dir>/classroom/accounts.json   name -> salted scrypt hash, workspace id, sign-out generation
    <runs dir>/classroom/failures.json   wrong passwords and class codes, per name, browser, address
                                         (the rate limits: ``lab.classroom.throttle``)
    <runs dir>/classroom/.lock           flock'd around every read-modify-write

Two web servers may share the folder: every change is a read-modify-write under an
exclusive ``flock`` and lands by write-then-rename, so neither loses the other's sign-up
and a reader never sees half a file. Passwords are never stored, only
``hashlib.scrypt(password, salt, n=2**14, r=8, p=1)`` (16 MiB, ~150 ms measured on a busy course core: cheap
for one sign-in, slow for a guesser; the rate limits stop the guesser first: every guess is
counted under the lock *before* its hash runs, see ``lab.classroom.throttle``).
"""

from __future__ import annotations

import contextlib
import hashlib
import hmac
import json
import os
import secrets
import shutil
import time
import unicodedata
from dataclasses import dataclass
from datetime import datetime, timezone
from pathlib import Path

from filelock import FileLock

from lab.classroom import throttle
from lab.classroom.messages import MESSAGES
from lab.classroom.throttle import Client
from lab.errors import LabError, keyed
from lab.files import atomic_write
from lab.paths import runs_dir

NAME_MIN, NAME_MAX = 2, 32  # characters, after NFKC
PASSWORD_MIN, PASSWORD_MAX = 8, 128
SCRYPT = {"n": 2 ** 14, "r": 8, "p": 1, "dklen": 32}
TEACHER = "#teacher"  # the teacher's key in the files: "#" is never in a student's name
_PUNCT = " -_."


class AccountError(LabError):
    """A sign-in or sign-up refused; ``key`` names the catalogue text the page shows, ``values``
    its placeholders. Raise ``keyed(MESSAGES, key, AccountError, ...)``."""

    @property
    def values(self) -> dict:
        return self.params


@dataclass(frozen=True)
class Account:
    key: str  # the name case-folded: "Anna" and "anna" are one account
    name: str  # as the student typed it (NFKC)
    workspace: str  # the folder <runs dir>/workspaces/<workspace>
    created: str = ""
    generation: int = 0  # bumped by sign-out: tokens of older generations stop working

    @property
    def is_teacher(self) -> bool:
        return self.key == TEACHER


def class_code() -> str:
    return os.environ.get("LAB_CLASS_CODE", "").strip()


def teacher_password() -> str:
    return os.environ.get("LAB_TEACHER_PASSWORD", "")


# --- names and passwords ----------------------------------------------------------------------
def _letter_script(ch: str) -> str | None:
    if "a" <= ch.lower() <= "z":
        return "latin"
    if "\u0400" <= ch <= "\u045f":  # Russian and the other Cyrillic letters of the basic block
        return "cyrillic"
    return None


def check_name(raw: str) -> str:
    """The name as stored, or AccountError: 2..32 letters (Latin or Cyrillic, not mixed),
    digits, spaces, '-', '_', '.'; starts with a letter.

    Full-width letters, look-alikes from other scripts and invisible characters are refused
    rather than folded, so two names that look the same on the teacher's page are the same
    name: "Аnna" with a Cyrillic "А" is not let in beside a Latin "Anna".
    """
    name = " ".join(str(raw).split())
    if unicodedata.normalize("NFKC", name) != name:
        raise keyed(MESSAGES, "classroom.err.name_chars", AccountError, name=str(raw))
    if not NAME_MIN <= len(name) <= NAME_MAX:
        raise keyed(MESSAGES, "classroom.err.name_length", AccountError, min=NAME_MIN, max=NAME_MAX)
    scripts = set()
    for ch in name:
        script = _letter_script(ch)
        if script:
            scripts.add(script)
        elif not ("0" <= ch <= "9" or ch in _PUNCT):
            raise keyed(MESSAGES, "classroom.err.name_char", AccountError, name=str(raw), char=ch)
    if not _letter_script(name[0]):
        raise keyed(MESSAGES, "classroom.err.name_start", AccountError)
    if len(scripts) > 1:
        raise keyed(MESSAGES, "classroom.err.name_mixed", AccountError)
    return name


def name_key(name: str) -> str:
    return check_name(name).casefold()


def check_password(password: str) -> str:
    if not PASSWORD_MIN <= len(password) <= PASSWORD_MAX:
        raise keyed(MESSAGES, "classroom.err.password_length", AccountError, min=PASSWORD_MIN, max=PASSWORD_MAX)
    return password


def hash_password(password: str, salt: bytes | None = None) -> dict:
    salt = salt or secrets.token_bytes(16)
    digest = hashlib.scrypt(password.encode("utf-8"), salt=salt, **SCRYPT)
    return {"salt": salt.hex(), "hash": digest.hex(), **{k: SCRYPT[k] for k in ("n", "r", "p")}}


def password_matches(password: str, stored: dict) -> bool:
    digest = hashlib.scrypt(password.encode("utf-8"), salt=bytes.fromhex(stored["salt"]),
                            n=stored["n"], r=stored["r"], p=stored["p"], dklen=len(stored["hash"]) // 2)
    return hmac.compare_digest(digest.hex(), stored["hash"])


# an unknown name costs a hash too, so the time taken does not tell which names exist
# (the hash never matches: no password's scrypt is all zeros)
_NO_ACCOUNT = {"salt": "00" * 16, "hash": "00" * 32, **{k: SCRYPT[k] for k in ("n", "r", "p")}}
# what a refused guess is told, by the rule whose lock refused it
_LOCKED = {"device": "classroom.err.locked_device", "client_name": "classroom.err.locked",
           "name": "classroom.err.locked_name", "client": "classroom.err.locked_client",
           "code_client": "classroom.err.code_locked", "code_all": "classroom.err.code_locked_all"}


def wait_words(seconds: float) -> tuple[str, dict]:
    """A wait as a message parameter, ``(key, params)``: whole seconds under a minute, else
    whole minutes, rounded up (never "0 seconds")."""
    whole = max(1, int(-(-seconds // 1)))
    if whole < 60:
        return "classroom.wait.seconds", {"n": whole}
    return "classroom.wait.minutes", {"n": -(-whole // 60)}


def locked_error(rule: str, seconds: float) -> AccountError:
    return keyed(MESSAGES, _LOCKED[rule], AccountError, wait=wait_words(seconds))


# --- the class ------------------------------------------------------------------------------
class Classroom:
    """The accounts of one runs folder (see the module doc)."""

    def __init__(self, root: str | Path | None = None):
        self.base = runs_dir(root)
        self.dir = self.base / "classroom"

    # files
    @contextlib.contextmanager
    def _locked(self):
        # every read-change-write of the accounts, across the app's sessions and the CLI; filelock
        # is flock on Linux and macOS (as before) and LockFileEx on Windows, where fcntl is missing
        self.dir.mkdir(parents=True, exist_ok=True)
        with FileLock(str(self.dir / ".lock"), mode=0o600):
            yield

    def _read(self, name: str) -> dict:
        try:
            return json.loads((self.dir / name).read_text(encoding="utf-8"))
        except FileNotFoundError:
            return {}

    def _write(self, name: str, data: dict) -> None:
        # password hashes: never world-readable; on disk before the rename (a lost account is lost work)
        atomic_write(self.dir / name, json.dumps(data, indent=1, ensure_ascii=False), mode=0o600, fsync=True)

    def workspace_dir(self, account: Account) -> Path:
        return self.base / "workspaces" / account.workspace

    # reading
    def accounts(self) -> dict[str, dict]:
        return self._read("accounts.json").get("accounts", {})

    def account(self, key: str) -> Account | None:
        record = self.accounts().get(key)
        if record is None:
            return None
        return Account(key=key, name=record["name"], workspace=record["workspace"],
                       created=record.get("created", ""), generation=record.get("generation", 0))

    def find(self, name: str) -> Account | None:
        """The student called ``name`` (any case), or None."""
        try:
            return self.account(name_key(name))
        except AccountError:
            return None

    def students(self) -> list[Account]:
        found = [self.account(k) for k in self.accounts() if k != TEACHER]
        return sorted(found, key=lambda a: a.key)

    def is_classroom(self) -> bool:
        """Has this runs folder been used by a classroom server (any account made)?"""
        return (self.dir / "accounts.json").is_file()

    # changing
    def _new_record(self, name: str, password: str | None) -> dict:
        record = {"name": name, "workspace": secrets.token_hex(8), "generation": 0,
                  "created": datetime.now(timezone.utc).isoformat(timespec="seconds")}
        if password is not None:
            record["password"] = hash_password(password)
        return record

    def sign_up(self, code: str, name: str, password: str, client: Client | None = None,
                now: float | None = None) -> Account:
        """A new student with the class code; AccountError if the code, name or password is refused.
        Wrong codes are limited per ``client`` and on the whole server (``lab.classroom.throttle``)."""
        expected = class_code()
        if not expected:
            raise keyed(MESSAGES, "classroom.err.no_code", AccountError)
        buckets = throttle.code_buckets(client or Client())
        self._reserve(buckets, now)
        if not hmac.compare_digest(code.strip().encode(), expected.encode()):
            raise keyed(MESSAGES, "classroom.err.code", AccountError)
        self._release(buckets)  # the code was right: whatever else is wrong, it was no guess
        name = check_name(name)
        check_password(password)
        key = name.casefold()
        record = self._new_record(name, password)  # scrypt outside the lock: others need not wait
        with self._locked():
            data = self._read("accounts.json")
            accounts = data.setdefault("accounts", {})
            if key in accounts:
                raise keyed(MESSAGES, "classroom.err.taken", AccountError, name=name)
            accounts[key] = record
            self._write("accounts.json", data)
        return self.account(key)

    def sign_in(self, name: str, password: str, now: float | None = None, client: Client | None = None) -> Account:
        """The student if the password is theirs; AccountError otherwise (same words, and the same
        hashing time, whether the name exists or not). Wrong passwords are limited per browser,
        address and name (``lab.classroom.throttle``)."""
        try:
            key = name_key(name)
        except AccountError:
            raise keyed(MESSAGES, "classroom.err.wrong", AccountError) from None

        def ok(record):
            stored = record.get("password") if record else None
            return password_matches(password, stored or _NO_ACCOUNT) and stored is not None

        self._check_secret(key, ok, now, client or Client())
        return self.account(key)

    def sign_in_teacher(self, password: str, now: float | None = None, client: Client | None = None) -> Account:
        expected = teacher_password()
        if not expected:
            raise keyed(MESSAGES, "classroom.err.no_teacher", AccountError)
        self._check_secret(TEACHER, lambda _record: hmac.compare_digest(password.encode(), expected.encode()), now,
                           client or Client())
        with self._locked():  # the teacher's workspace is made on first sign-in
            data = self._read("accounts.json")
            if TEACHER not in data.setdefault("accounts", {}):
                data["accounts"][TEACHER] = self._new_record("teacher", None)
                self._write("accounts.json", data)
        return self.account(TEACHER)

    def _check_secret(self, key: str, ok, now: float | None, client: Client) -> None:
        buckets = throttle.password_buckets(key, client)
        self._reserve(buckets, now)  # counted before the hash: parallel guesses meet the limit one by one
        if not ok(self.accounts().get(key)):
            raise keyed(MESSAGES, "classroom.err.wrong", AccountError)
        self._release(buckets)

    # the guess limits (lab.classroom.throttle), read and changed under the accounts' lock
    def _reserve(self, buckets: list[tuple[str, str]], now: float | None) -> None:
        with self._locked():
            now = time.time() if now is None else now  # read under the lock: a waiting guess is not "earlier"
            data = throttle.forget_old(self._read("failures.json"), now)
            refused = throttle.reserve(data, buckets, now)
            if refused is None:
                self._write("failures.json", data)
        if refused is not None:
            raise locked_error(*refused)

    def _release(self, buckets: list[tuple[str, str]]) -> None:
        with self._locked():
            data = self._read("failures.json")
            throttle.release(data, buckets)
            self._write("failures.json", data)

    def locks(self, now: float | None = None) -> list[dict]:
        """The sign-in and class-code locks in force (``throttle.locks``), for the teacher."""
        return throttle.locks(self._read("failures.json"), time.time() if now is None else now)

    def unlock(self, key: str | None = None) -> int:
        """The teacher's override: forget the wrong guesses at account ``key`` (every lock, when
        None) so its owner signs in from anywhere at once; how many counts were dropped."""
        with self._locked():
            data = self._read("failures.json")
            gone = throttle.unlock(data, key)
            self._write("failures.json", data)
        return len(gone)

    def external(self, identity: str) -> Account:
        """The account of someone an OpenID provider vouches for (``st.login``), made on first use.

        Keyed "oidc:<e-mail>": the colon never occurs in a chosen name, so nobody can take
        it by password, and it has no password to guess."""
        identity = identity.strip()
        if not identity or len(identity) > 254 or any(ch.isspace() or not ch.isprintable() for ch in identity):
            raise keyed(MESSAGES, "classroom.err.no_identity", AccountError, identity=identity)
        key = "oidc:" + identity.casefold()
        with self._locked():
            data = self._read("accounts.json")
            if key not in data.setdefault("accounts", {}):
                data["accounts"][key] = self._new_record(identity, None)
                self._write("accounts.json", data)
        return self.account(key)

    def sign_out(self, key: str) -> None:
        """End every session of this account: tokens made before now stop working."""
        with self._locked():
            data = self._read("accounts.json")
            record = data.get("accounts", {}).get(key)
            if record is not None:
                record["generation"] = record.get("generation", 0) + 1
                self._write("accounts.json", data)

    def remove(self, key: str) -> None:
        """Delete a student's account and their whole workspace (runs, checkpoints)."""
        account = self.account(key)
        if account is None or account.is_teacher:
            raise keyed(MESSAGES, "classroom.no_student", name=key)
        with self._locked():
            data = self._read("accounts.json")
            data.get("accounts", {}).pop(key, None)
            self._write("accounts.json", data)
        shutil.rmtree(self.workspace_dir(account), ignore_errors=True)

    def workspace_owners(self) -> set[str]:
        """Workspace ids that belong to an account (the TTL sweep leaves them alone)."""
        return {record["workspace"] for record in self.accounts().values()}
