"""Error messages of the job queue: English templates keyed for the catalogue, Russian in
``lab/i18n/texts/engine_messages.py``. Raise ``lab.errors.keyed(MESSAGES, key, ...)``."""

from __future__ import annotations


MESSAGES = {
    "queue.unknown_name": "queue name {name}: use one of {known}",
    "queue.bad_url": "queue {url}: use redis://HOST:PORT/DB, or leave LAB_QUEUE unset for the embedded queue",
    "queue.unreachable": "cannot reach the job queue {url}: {error}",
    "queue.worker_down": "the job queue {url} does not answer ({error}); trying again, at most every {cap} s",
    "queue.worker_back": "the job queue {url} answers again",
}

