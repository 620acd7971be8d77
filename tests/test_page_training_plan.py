"""The Training page's plan for the next run: predict its effect, repeat it with 3 seeds
(both languages). No worker runs here: the runs stay queued, which is all this checks."""

from __future__ import annotations

import pytest

from lab.runs import journal
from lab.runs.store import RunStore
from lab.i18n import translate
from test_page_training import open_training


@pytest.fixture()
def no_workers(runs_dir, monkeypatch):
    monkeypatch.setenv("LAB_WORKERS", "0")
    return runs_dir


@pytest.mark.parametrize("lang", ["en", "ru"])
def test_a_prediction_and_three_seeds_are_queued_as_one_group(no_workers, lang):
    at = open_training(lang)
    assert not at.exception
    assert translate("expect.title", lang) in [e.label for e in at.expander]
    direction = at.radio(key="training_plan_direction_0")
    assert direction.value == "" and direction.label == translate("expect.direction", lang)
    repeat = at.checkbox(key="training_plan_seeds_0")
    assert repeat.label == translate("seeds.repeat", lang) and not repeat.value
    direction.set_value("better")
    at.text_input(key="training_plan_why_0").input("a smaller model overfits less")
    repeat.check()
    at.number_input(key="training_form_epochs").set_value(1)
    next(b for b in at.button if b.label == translate("training.train", lang)).click().run()
    assert not at.exception
    runs = journal.in_order(RunStore(no_workers))
    assert [r.config().train.seed for r in runs] == [0, 1, 2]
    assert len({r.meta()["group"] for r in runs}) == 1
    assert all(r.meta()["expectation"] == {"direction": "better", "why": "a smaller model overfits less"}
               for r in runs)
    # the next run starts with an empty plan
    assert at.radio(key="training_plan_direction_1").value == "" and not at.checkbox(key="training_plan_seeds_1").value


def test_without_a_prediction_one_run_is_queued_with_none(no_workers):
    at = open_training("en")
    next(b for b in at.button if b.label == translate("training.train", "en")).click().run()
    assert not at.exception
    [run] = RunStore(no_workers).list()
    assert "expectation" not in run.meta() and "group" not in run.meta()
