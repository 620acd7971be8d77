"""Error messages of the job queue: English templates keyed for the catalogue, Russian in
``lab/i18n/texts/engine_messages.py``. Raise ``error(key, ...)``."""

from __future__ import annotations

from lab.errors import LabError, keyed

MESSAGES = {
    "queue.unreachable": "cannot reach the job queue {url}: {error}",
}


def error(key: str, **params) -> LabError:
    return keyed(MESSAGES, key, **params)
