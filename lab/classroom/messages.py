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
    "classroom.cap_number": "{name}={raw}: expected a whole number",
    "classroom.cap_negative": "{name}={raw}: must be 0 or more",
    "classroom.student_not_classroom": "--student: {path} is not a classroom runs folder (it has no "
                                       "classroom/accounts.json)",
    "classroom.which_student": "{path} is a classroom runs folder: pass --student NAME to say whose runs "
                               "(students: {students})",
    "classroom.none_yet": "none yet",
    "classroom.no_student_in": "no student {name} in {path}",
    "classroom.not_their_run": "{ref}: not a run of {student} (it belongs to another workspace)",
    "classroom.the_student": "the given student",
    # sign-up and sign-in refused (lab.classroom.accounts.AccountError): the sign-in page shows them too
    "classroom.err.name_chars": "{name!r}: use plain Latin or Cyrillic letters, digits, spaces, '-', '_' or '.' "
                                "(no full-width or styled ones)",
    "classroom.err.name_char": "{name!r}: {char!r} is not allowed in a name; use plain Latin or Cyrillic letters, "
                               "digits, spaces, '-', '_' or '.'",
    "classroom.err.name_length": "a name has {min} to {max} characters",
    "classroom.err.name_start": "a name starts with a letter",
    "classroom.err.name_mixed": "a name uses Latin or Cyrillic letters, not both",
    "classroom.err.password_length": "a password has {min} to {max} characters",
    "classroom.err.no_code": "this server has no class code (LAB_CLASS_CODE): students cannot sign up",
    "classroom.err.code": "the class code is wrong: ask your teacher",
    "classroom.err.taken": "the name {name!r} is taken: pick another one",
    "classroom.err.wrong": "the name or the password is wrong",
    "classroom.err.no_teacher": "this server has no teacher password (LAB_TEACHER_PASSWORD)",
    "classroom.err.locked": "too many wrong passwords for this name from your network: try again in {wait}, "
                            "or ask your teacher to unlock it",
    "classroom.err.locked_device": "too many wrong passwords for this name from this browser: try again in {wait}, "
                                   "or ask your teacher to unlock it",
    "classroom.err.locked_name": "this name has had too many wrong passwords from other browsers: from a browser "
                                 "it has never signed in on, try again in {wait}, or ask your teacher to unlock it",
    "classroom.err.locked_client": "too many wrong passwords from your network: try again in {wait}, "
                                   "or ask your teacher to unlock it",
    "classroom.err.code_locked": "too many wrong class codes from your network: try again in {wait}",
    "classroom.err.code_locked_all": "too many wrong class codes on this server: try again in {wait}, "
                                     "or ask your teacher",
    "classroom.wait.seconds": "{n:plural:second|seconds}",
    "classroom.wait.minutes": "{n:plural:minute|minutes}",
    "classroom.err.no_identity": "the provider gave no usable identity ({identity!r})",
    "classroom.sign_in_first": "sign in first: this classroom server keeps every workspace private",
}

