"""The Training page's "Find a learning rate" section, in both languages: the button queues
the range test as a job (no worker here: the test runs the job itself, through the function
a worker runs), the finished test draws its chart with the suggestion and its rule, and one
button puts the suggestion into the form's learning rate: one change in "What changed",
kept in the draft."""

from __future__ import annotations

import json
import time

import pytest
from streamlit.testing.v1 import AppTest

from lab.config import ExperimentConfig
from lab.i18n import translate
from lab.model import preset
from lab.runs.store import RunStore
from lab.ui.training.lr_find import lr_text, usable_lr

from test_draft import every_run_through_app_py  # noqa: F401  (autouse: each rerun goes through app.py, which saves the draft)

JOB = "lab.training.lr_find_job"
WS = "lrfindworkspace1"


def tiny() -> ExperimentConfig:
    cfg = ExperimentConfig()
    cfg.data.dataset, cfg.data.train_limit = "mnist", 300
    cfg.model = preset("baseline", "mnist")
    cfg.train.epochs, cfg.train.seed, cfg.train.device = 1, 4, "cpu"
    return cfg


@pytest.fixture()
def parent(runs_dir, monkeypatch, shared_datasets):
    """No workers on this machine (the test runs the job), and one trained run to compare with."""
    from lab.train.session import prepare, run

    monkeypatch.setenv("LAB_WORKERS", "0")
    store = RunStore(runs_dir)
    trained = store.create(tiny(), name="parent")
    assert run(prepare(tiny(), shared_datasets), trained).status == "finished"
    return trained


def open_training(lang: str) -> AppTest:
    at = AppTest.from_file("../app.py", default_timeout=60)
    at.session_state["lab.language"] = lang
    at.session_state["lab.experiment"] = tiny()
    at.query_params["ws"] = WS
    at.run()  # app.py first: then switch_page finds the page it registered (AppTest's rule)
    return at.switch_page("pages/training.py").run()


def captions(at: AppTest) -> str:
    return " ".join(c.value for c in at.caption)


@pytest.mark.parametrize("lang", ["en", "ru"])
def test_the_range_test_runs_as_a_job_and_its_suggestion_goes_into_the_form(parent, runs_dir, shared_datasets, lang):
    from lab.jobs.submit import lr_find_job
    from lab.jobs.task import execute
    from lab.runs import draft

    at = open_training(lang)
    assert not at.exception
    assert any(s.value == translate("lr_find.title", lang) for s in at.subheader)
    assert translate("lr_find.intro", lang) in captions(at)
    at.button(key="lr_find_run").click().run()
    job = lr_find_job(runs_dir, at.session_state[JOB])
    assert job is not None and job.status == "queued"  # queued for a worker, not run in the server
    assert any(translate("training.status.queued", lang, position="?")[:12] in i.value for i in at.info)

    execute(job, "lr_find", str(shared_datasets))  # what the worker does with it
    at.run()
    assert not at.exception
    result = job.summary()["lr_find"]
    lr, rule = result["suggested_lr"], result["rule"]
    chart = next(c for c in at.get("arrow_vega_lite_chart") + at.get("vega_lite_chart")
                 if json.dumps(json.loads(c.proto.spec), ensure_ascii=False).count(translate("lr_find.axis_lr", lang)))
    line = json.loads(chart.proto.spec)["layer"][0]
    assert line["encoding"]["x"]["title"] == translate("lr_find.axis_lr", lang)
    assert line["encoding"]["x"]["scale"]["type"] == "log"  # the sweep is exponential: a log axis
    marker = translate("lr_find.marker", lang, lr=lr_text(lr), rule=translate(f"lr_find.rule.{rule}", lang))
    assert marker.encode() in chart.proto.SerializeToString()  # the suggestion, labelled with its value and rule
    said = " ".join(s.value for s in at.success)
    assert translate("lr_find.suggested", lang, lr=lr_text(lr), rule=translate(f"lr_find.rule.{rule}", lang)) in said
    assert RunStore(runs_dir).list() == [parent]  # the test is not a run: the journal holds the parent only

    value = usable_lr(lr)
    assert value != pytest.approx(1e-3)  # a real change to make
    at.button(key="lr_find_use").click().run()
    assert not at.exception
    assert at.number_input(key="training_form_lr").value == pytest.approx(value)
    assert at.session_state["lab.experiment"].train.lr == pytest.approx(value)
    assert translate("training.changes_one", lang) in captions(at)  # "What changed": the learning rate, alone
    table = " ".join(str(df.value.to_dict()) for df in at.dataframe)
    assert translate("training.lr", lang) in table
    assert translate("lr_find.in_form", lang, lr=lr_text(value)) in captions(at)
    kept = draft.load_draft(runs_dir, WS)
    assert kept is not None and kept.experiment.train.lr == pytest.approx(value)
    assert kept.view["lr_find_job"] == job.id  # the chart's job: a reload draws the chart again

    reloaded = AppTest.from_file("../app.py", default_timeout=60)  # a reload: a new session, the same workspace
    reloaded.session_state["lab.language"] = lang
    reloaded.query_params["ws"] = WS
    reloaded.run()
    reloaded.switch_page("pages/training.py").run()
    assert not reloaded.exception
    assert reloaded.session_state[JOB] == job.id
    assert translate("lr_find.suggested", lang, lr=lr_text(lr), rule=translate(f"lr_find.rule.{rule}", lang)) in \
        " ".join(s.value for s in reloaded.success)


def test_the_range_test_can_be_stopped_while_queued_and_while_it_runs(parent, runs_dir, shared_datasets):
    from lab.jobs.submit import lr_find_job
    from lab.jobs.task import execute

    at = open_training("ru")
    at.button(key="lr_find_run").click().run()
    queued = lr_find_job(runs_dir, at.session_state[JOB])
    assert at.button(key="lr_find_stop").label == translate("lr_find.stop", "ru")
    at.button(key="lr_find_stop").click().run()
    assert not at.exception
    assert not queued.dir.exists()  # a queued test never starts: its folder is gone
    assert lr_find_job(runs_dir, queued.id) is None and not at.info  # and the page no longer waits for it

    at.button(key="lr_find_run").click().run()
    job = lr_find_job(runs_dir, at.session_state[JOB])
    job.write_progress({"heartbeat": time.time(), "worker": "box:1"})  # a worker has taken it
    at.run()
    at.button(key="lr_find_stop").click().run()
    assert job.stop_requested() and at.button(key="lr_find_stop").disabled  # asked once
    execute(job, "lr_find", str(shared_datasets))  # the worker sees the request before its first step
    at.run()
    assert not at.exception and job.summary()["status"] == "stopped"
    assert translate("lr_find.stopped.stopped", "ru", steps=0) in captions(at)
    assert RunStore(runs_dir).list() == [parent]  # neither test became a run
