"""Error messages of picking a dataset picture: English templates keyed for the catalogue,
Russian in ``lab/i18n/texts/engine_messages.py``. Raise ``lab.errors.keyed(MESSAGES, key, ...)``."""

from __future__ import annotations

MESSAGES = {
    "predict.hidden_test_image": "test image {index} is in the half of the test split that this classroom's "
                                 "leaderboard keeps hidden; {open:count} of the {total:count} test images are open "
                                 "to look at",
}
