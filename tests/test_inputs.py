"""Number fields say their range in words, upload boxes state one limit per kind of file and
refuse another kind in the page's language (lab.ui.inputs), on every form that uses them."""

from __future__ import annotations

import pytest

from lab.config.bounds import BLOCK, TRAIN
from lab.config.limits import MB
from lab.i18n import translate
from lab.ui.inputs import KINDS, nearest
from test_page_training import open_training


def test_a_number_outside_its_bound_becomes_the_nearest_allowed_one():
    assert nearest(0, TRAIN["epochs"]) == 1
    assert nearest(501, TRAIN["epochs"]) == 500
    assert nearest(5, TRAIN["epochs"]) == 5
    assert nearest(1.0, TRAIN["momentum"]) == 0.999  # an open end: the value next to it
    assert nearest(0.0, TRAIN["step_gamma"]) == 0.01
    assert nearest(-3, BLOCK["padding"]) == 0


def test_each_kind_of_file_has_the_labs_own_limit():
    assert {k: v.max_bytes // MB for k, v in KINDS.items()} == {"picture": 64, "checkpoint": 256, "archive": 512}


@pytest.mark.parametrize("lang", ["en", "ru"])
def test_epochs_0_is_answered_with_the_range_in_words(runs_dir, lang):
    """It was neither taken nor explained: the field turned red and epochs silently stayed 5."""
    at = open_training(lang)
    at.number_input(key="training_form_epochs").set_value(0).run()
    assert not at.exception
    label = translate("training.epochs", lang)
    said = translate("inputs.outside", lang, range=translate("inputs.range", lang, label=label, low=1, high=500),
                     value=0, used=1)
    assert said in [e.value for e in at.error]
    assert at.session_state["lab.experiment"].train.epochs == 1
    at.number_input(key="training_form_epochs").set_value(3).run()
    assert said not in [e.value for e in at.error]
    assert at.session_state["lab.experiment"].train.epochs == 3


def test_a_learning_rate_above_its_bound_says_so(runs_dir):
    at = open_training("en")
    at.number_input(key="training_form_lr").set_value(50.0).run()
    assert "Learning rate goes from 1e-6 to 10: 50 is not taken, the experiment uses 10." in [e.value for e in at.error]
