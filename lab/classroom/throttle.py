"""How many wrong guesses a classroom server takes, from whom, before it makes the guesser wait.

The counts live in ``<runs dir>/classroom/failures.json`` and change only under the accounts'
file lock (``Classroom._locked``), so every server process sharing the folder, and a
restarted one, sees the same counts. Each guess is *reserved* before it is checked: the
count goes up and the lock is decided under the file lock, then the password hash
(~150 ms) runs outside it, and only a guess that turned out right gives its reservation
back. Twenty guesses sent at once therefore meet the limit one by one; the old
check-then-count order let all of them through (issue 24, item 2).

Whom the counts are kept for, after OWASP's "Slow Down Online Guessing Attacks with Device
Cookies" and django-axes' lockout by user *and* address:

- ``device``: a browser that has signed in as this name before (it holds a signed device
  cookie, ``lab.classroom.tokens.DEVICE_COOKIE``) counts its own wrong passwords only.
  Nobody else's guesses lock it, so a stranger cannot lock the owner out of their own
  browser, whatever they try and from wherever.
- ``client_name``: any other browser, per network address and name: one guesser locks
  themselves, not the name.
- ``name``: all unknown browsers together, per name: many addresses guessing one name
  (a botnet, or a class on separate machines) lock it for unknown browsers only; the
  owner's own browser still gets in with the right password, the teacher lifts the lock.
- ``client``: wrong passwords from one address against any names: trying one password
  against every name (spraying) stops after ``client``'s free guesses.
- ``code_client`` and ``code_all``: wrong class codes per address and on the whole server.

A lock starts when a count reaches its rule's free guesses and doubles with each further
one, up to 15 minutes; a count is forgotten an hour after its last guess and its lock.
"""

from __future__ import annotations

import ipaddress
from dataclasses import dataclass

FORGET_S = 3600.0  # a bucket with no guess for an hour (and no lock left) is dropped


@dataclass(frozen=True)
class Rule:
    free: int  # wrong guesses before the lock starts
    first_s: float  # the first lock; doubles with each further wrong guess
    max_s: float = 900.0  # the longest lock: 15 minutes

    def lock_seconds(self, count: int) -> float:
        if count < self.free:
            return 0.0
        return min(self.max_s, self.first_s * 2 ** (count - self.free))


RULES = {
    "device": Rule(free=5, first_s=30.0),
    "client_name": Rule(free=5, first_s=30.0),
    "name": Rule(free=10, first_s=30.0),  # above client_name's 5: one guesser meets their own lock first
    "client": Rule(free=20, first_s=60.0),  # a class behind one address mistypes; a sprayer stops at 20
    "code_client": Rule(free=5, first_s=30.0),
    "code_all": Rule(free=30, first_s=60.0),  # every address together: a class code is typed once each
}
# buckets that a right guess clears (it proves the guesser is the owner); the others only get their
# reservation back, so signing in to one's own account does not reset a spraying count
CLEARED_BY_SUCCESS = ("device", "client_name", "name", "code_client")


@dataclass(frozen=True)
class Client:
    """Who is guessing: a network address (``address``) and, where the browser holds a genuine
    device cookie, the account that signed in from it and the cookie's id (``device``)."""

    address: str = "unknown"
    device_key: str = ""  # the account key the device cookie vouches for ("" when none)
    device: str = ""  # the device cookie's random id


def address_of(peer: str | None, headers) -> str:
    """The guesser's address as the lab counts it.

    ``peer`` is the connection's address (Streamlit's ``st.context.ip_address``: None for a
    connection from this machine). A connection from this machine is the reverse proxy
    README asks for, so the address it appended to ``X-Forwarded-For`` (the right-most one;
    the ones before it the client may have made up) or its ``X-Real-IP`` is the client's.
    A direct connection's headers are the client's own words and are ignored. IPv6 counts
    by /64, the block one household or one host gets, so a guesser cannot step through it.
    """
    if peer:
        return _normalised(peer)
    forwarded = [part.strip() for part in str(_header(headers, "x-forwarded-for")).split(",") if part.strip()]
    if forwarded:
        return _normalised(forwarded[-1])
    real = str(_header(headers, "x-real-ip")).strip()
    return _normalised(real) if real else "local"


def _header(headers, name: str) -> str:
    try:
        return headers.get(name) or headers.get(name.title()) or ""
    except AttributeError:  # no headers at all (a script, a test)
        return ""


def _normalised(raw: str) -> str:
    try:
        ip = ipaddress.ip_address(raw.strip().strip("[]"))
    except ValueError:
        return "unknown"  # not an address: all such clients share one count
    if ip.version == 4:
        return str(ip)
    if ip.ipv4_mapped is not None:  # ::ffff:192.0.2.7 is 192.0.2.7
        return str(ip.ipv4_mapped)
    return str(ipaddress.ip_network(f"{ip}/64", strict=False))


def password_buckets(key: str, client: Client) -> list[tuple[str, str]]:
    """(rule, bucket id) for one password guess at account ``key`` from ``client``."""
    if client.device and client.device_key == key:
        return [("device", f"device|{key}|{client.device}")]
    return [("client_name", f"client_name|{client.address}|{key}"), ("name", f"name|{key}"),
            ("client", f"client|{client.address}")]


def code_buckets(client: Client) -> list[tuple[str, str]]:
    return [("code_client", f"code_client|{client.address}"), ("code_all", "code_all|*")]


def forget_old(data: dict, now: float) -> dict:
    """``data`` without buckets long quiet, so guessed names and addresses do not pile up."""
    return {k: v for k, v in data.items() if now - v.get("last", 0.0) < FORGET_S or v.get("until", 0.0) > now}


def reserve(data: dict, buckets: list[tuple[str, str]], now: float) -> tuple[str, float] | None:
    """Count one guess in every bucket, or refuse it: ``(rule, seconds to wait)`` of the longest
    lock in force (nothing counted then), None when the guess may be checked (``data`` changed)."""
    waits = [(data.get(bucket, {}).get("until", 0.0) - now, rule) for rule, bucket in buckets]
    wait, rule = max(waits)
    if wait > 0:
        return rule, wait
    for rule, bucket in buckets:
        count = data.get(bucket, {}).get("count", 0) + 1
        lock = RULES[rule].lock_seconds(count)
        data[bucket] = {"count": count, "last": now, "until": now + lock if lock else 0.0}
    return None


def release(data: dict, buckets: list[tuple[str, str]]) -> None:
    """A reserved guess was right: clear what it proves, give the rest their one guess back."""
    for rule, bucket in buckets:
        entry = data.get(bucket)
        if entry is None:
            continue
        entry["count"] -= 1
        if rule in CLEARED_BY_SUCCESS or entry["count"] <= 0:
            data.pop(bucket, None)
        elif entry["count"] < RULES[rule].free:
            entry["until"] = 0.0


def unlock(data: dict, key: str | None) -> list[str]:
    """Drop the locks of account ``key`` (every bucket naming it), or every lock (None); the
    buckets dropped. The teacher's override."""
    gone = [b for b in data if key is None or b.split("|")[-1] == key or b.split("|")[1:2] == [key]]
    for bucket in gone:
        del data[bucket]
    return gone


def locks(data: dict, now: float) -> list[dict]:
    """The locks in force now: rule, whom (a name or an address), seconds left; longest first."""
    found = []
    for bucket, entry in data.items():
        wait = entry.get("until", 0.0) - now
        if wait > 0:
            rule, *who = bucket.split("|")
            who = who[:1] if rule == "device" else who  # a device's id means nothing to the teacher
            found.append({"rule": rule, "who": " / ".join(w for w in who if w != "*") or "*",
                          "seconds": wait, "count": entry.get("count", 0)})
    return sorted(found, key=lambda lock: -lock["seconds"])
