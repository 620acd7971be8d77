"""Error messages of scoring a run and of the classroom (``lab.runs.evaluation``,
``lab.classroom.leaderboard``, ``lab.classroom.accounts``, the session's sign-in gate): English templates keyed
for the catalogue, Russian in ``lab/i18n/texts/engine_messages.py``. Raise ``lab.errors.keyed(MESSAGES, key, ...)``.

A module of its own, without torch: ``lab.classroom.accounts`` and the text catalogue import it.
"""

from __future__ import annotations


MESSAGES = {
    "evaluation.no_test": "{dataset} has no test split (an image folder without test/)",
    "board.classes": "{run}: its classes are not those of {dataset}",
    "board.budget": "the budget is 0 (no limit) or a positive number of images × epochs",
    "board.teacher": "the teacher does not take part",
    "board.dataset": "the contest is on {contest}, not {dataset}",
    "classroom.no_student": "no student {name!r}",
    "classroom.sign_in_first": "sign in first: this classroom server keeps every workspace private",
}

