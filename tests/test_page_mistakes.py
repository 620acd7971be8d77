"""The Mistakes page on a real trained run: confident mistakes, suspected label errors shown
large with the student's marks, and the test split only on request (counted), both languages."""

from __future__ import annotations

import pytest
from streamlit.testing.v1 import AppTest

from run_helpers import copy_run
from lab.runs.evaluation import count_test_looks
from lab.runs.mistakes import marks
from lab.i18n import translate


def open_mistakes(lang: str = "en") -> AppTest:
    at = AppTest.from_file("../app.py", default_timeout=120)
    at.session_state["lab.language"] = lang
    at.run()
    at.switch_page("pages/mistakes.py")
    return at.run()


@pytest.mark.parametrize("lang", ["en", "ru"])
def test_validation_mistakes_and_label_suspects_with_marks(mnist_cnn_run, runs_dir, lang):
    run = copy_run(mnist_cnn_run, runs_dir)
    at = open_mistakes(lang)
    assert not at.exception
    assert at.title[0].value == translate("nav.mistakes", lang)
    assert at.selectbox(key="mistakes_run").value == run.id and at.radio(key="mistakes_split").value == "val"
    tabs = [tab.label for tab in at.tabs]
    assert tabs == [translate("mistakes.tab.mistakes", lang), translate("mistakes.tab.labels", lang)]
    captions = [c.value for c in at.caption]
    assert any(c.startswith("#") for c in captions)  # each mistake names its dataset index
    label_buttons = [b for b in at.button if b.label == translate("mistakes.mark_label", lang)]
    assert len(label_buttons) == 10  # the ten most doubtful labels, each with its two buttons
    index = int(label_buttons[0].key.split("_")[2])
    label_buttons[0].click().run()
    assert not at.exception
    assert marks(runs_dir, "mnist", "val") == {index: "label"}
    assert translate("mistakes.marked.label", lang) in [s.value for s in at.success]
    assert count_test_looks(runs_dir) == 0


def test_the_test_split_waits_for_a_click_and_counts_as_a_look(mnist_cnn_run, runs_dir):
    copy_run(mnist_cnn_run, runs_dir)
    at = open_mistakes("ru")
    at.radio(key="mistakes_split").set_value("test").run()
    assert not at.exception
    assert [w.value for w in at.warning] == [translate("mistakes.test_warning", "ru", n=0)]
    assert not at.tabs and count_test_looks(runs_dir) == 0  # nothing of the test set shown yet
    next(b for b in at.button if b.label == translate("mistakes.score_test", "ru")).click().run()
    assert not at.exception
    assert count_test_looks(runs_dir) == 1 and len(at.tabs) == 2
    at.run()  # a rerun reads the stored scores: no second look
    assert count_test_looks(runs_dir) == 1 and not at.warning


def test_no_trained_run_says_where_to_train(runs_dir):
    at = open_mistakes("ru")
    assert not at.exception
    assert [i.value for i in at.info] == [translate("mistakes.no_runs", "ru")]
