"""Predict before you run: what the student expects a change to do, kept with the run.

Optional per run. Before pressing Train (or with ``lab train --expect better --why
"..."``) the student says whether the change will make validation accuracy better, worse
or leave it the same, and why. It is kept in the run's ``meta.json`` as
``{"expectation": {"direction": ..., "why": ...}}``; the journal shows it beside what
happened (``outcome``) so a wrong guess is seen, not forgotten.

What happened is read from the change in best validation accuracy against the run it was
compared with: "same" while the change stays within the seed-to-seed spread when one is
known (``lab.runs.seeds``), else within ``SAME_POINTS`` percentage points.
"""

from __future__ import annotations

from lab.errors import keyed
from lab.runs.messages import MESSAGES as RUNS_MESSAGES

DIRECTIONS = ("better", "worse", "same")
MAX_WHY = 500  # characters: a sentence or two, not an essay in a JSON file
SAME_POINTS = 0.5  # |change| of best validation accuracy below this (percentage points) reads "same"


def expectation(direction: str | None, why: str = "") -> dict | None:
    """The record to keep, or None when the student predicted nothing. LabError on a bad value."""
    why = (why or "").strip()
    if not direction:
        if why:
            raise keyed(RUNS_MESSAGES, "runs.expect_why_alone")
        return None
    if direction not in DIRECTIONS:
        raise keyed(RUNS_MESSAGES, "runs.expect_direction", direction=repr(direction))
    if len(why) > MAX_WHY:
        raise keyed(RUNS_MESSAGES, "runs.expect_why_long", limit=MAX_WHY, n=len(why))
    return {"direction": direction, "why": why}


def outcome(d_val_accuracy: float | None, spread: float | None = None) -> str | None:
    """"better" | "worse" | "same" for a change of best validation accuracy (0..1), or None."""
    if d_val_accuracy is None:
        return None
    tolerance = spread if spread is not None else SAME_POINTS / 100
    if abs(d_val_accuracy) <= tolerance:
        return "same"
    return "better" if d_val_accuracy > 0 else "worse"
