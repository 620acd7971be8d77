"""The Teacher page (AppTest, both languages): every student's runs with live status, epoch
and best validation accuracy; the queue; stopping any run; removing a student."""

from __future__ import annotations

import time

import pytest
from classroom_helpers import CODE, plant_run
from streamlit.testing.v1 import AppTest

from lab.config import ExperimentConfig
from lab.runs.store import RunStore
from lab.i18n import translate


@pytest.fixture()
def class_of_two(room, mnist):
    anna = room.sign_up(CODE, "Anna", "correct horse")
    boris = room.sign_up(CODE, "Boris", "battery staple")
    done = plant_run(room, anna, mnist, steps=0, name="anna-done")
    store = RunStore(room.workspace_dir(boris))
    cfg = ExperimentConfig()
    cfg.train.epochs = 5
    training = store.create(cfg, name="boris-training")
    for epoch, acc in ((1, 0.71), (2, 0.83)):
        training.append({"event": "epoch", "epoch": epoch, "epochs": 5, "val_accuracy": acc, "val_loss": 0.5})
    training.write_progress({"heartbeat": time.time(), "worker": "host-a:123", "epoch": 3})
    waiting = store.create(cfg, name="boris-waiting", status="queued")
    return {"anna": anna, "boris": boris, "done": done, "training": training, "waiting": waiting}


def teacher_page(room, lang: str) -> AppTest:
    at = AppTest.from_file("../pages/teacher.py", default_timeout=60)
    at.session_state["lab.language"] = lang
    at.session_state["lab.classroom.account"] = room.sign_in_teacher("teach-me-please")
    return at.run()


def table(at: AppTest, index: int = 0) -> list[dict]:
    return at.dataframe[index].value.to_dict("records")


@pytest.mark.parametrize("lang", ["en", "ru"])
def test_the_teacher_sees_every_students_runs_live(room, class_of_two, lang):
    at = teacher_page(room, lang)
    assert not at.exception, at.exception
    assert at.title[0].value == translate("teacher.title", lang)
    col = {k: translate(f"teacher.col.{k}", lang) for k in ("student", "run", "status", "epoch", "best_val_accuracy")}
    rows = {r[col["run"]]: r for r in table(at)}
    assert set(rows) == {"anna-done", "boris-training", "boris-waiting"}
    assert rows["boris-training"][col["status"]] == translate("journal.status.running", lang)
    assert rows["boris-training"][col["epoch"]] == "2/5"
    assert rows["boris-training"][col["best_val_accuracy"]] == 83.0
    assert rows["boris-waiting"][col["status"]] == translate("journal.status.queued", lang)
    assert rows["anna-done"][col["student"]] == "Anna"
    assert rows["anna-done"][col["status"]] == translate("journal.status.finished", lang)
    # the queue lists Boris's waiting run; no worker process runs in this test
    assert translate("teacher.no_workers", lang) in [c.value for c in at.caption]
    queued = table(at, 1)
    assert [q[translate("teacher.col.student", lang)] for q in queued] == ["Boris"]


def test_the_teacher_stops_a_training_run_and_a_queued_one(room, class_of_two):
    training, waiting = class_of_two["training"], class_of_two["waiting"]
    at = teacher_page(room, "en")
    pick = at.selectbox(key="teacher_stop_pick")
    assert set(pick.options) >= {"Boris: boris-training (running)", "Boris: boris-waiting (queued)"}
    at = pick.select(training.id).run()
    at = at.button(key="teacher_stop").click().run()
    assert training.stop_requested()  # the worker ends it within one batch
    at.selectbox(key="teacher_stop_pick").select(waiting.id).run()
    at.button(key="teacher_stop").click().run()
    assert not waiting.dir.exists()  # a queued run never starts


def test_removing_a_student_needs_confirmation_and_refuses_while_they_train(room, class_of_two):
    anna = class_of_two["anna"]
    at = teacher_page(room, "en")
    at.selectbox(key="teacher_remove_pick").select("anna").run()
    button = at.button(key="teacher_remove_anna")
    assert button.disabled
    at.checkbox(key="teacher_remove_ok_anna").check().run()
    at.button(key="teacher_remove_anna").click().run()
    assert room.find("Anna") is None and not room.workspace_dir(anna).exists()
    at = teacher_page(room, "en")
    at.selectbox(key="teacher_remove_pick").select("boris").run()
    assert translate("teacher.remove_running", "en", name="Boris") in [c.value for c in at.caption]
    assert room.find("Boris") is not None
