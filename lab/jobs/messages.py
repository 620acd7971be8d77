"""Error messages of the job queue: English templates keyed for the catalogue, Russian in
``lab/i18n/texts/engine_messages.py``. Raise ``lab.errors.keyed(MESSAGES, key, ...)``."""

from __future__ import annotations


MESSAGES = {
    "queue.unreachable": "cannot reach the job queue {url}: {error}",
}

