"""An architecture that cannot run on the images disables Train before the click, says
why, and links to the Architecture page (it used to fail only after Train)."""

from __future__ import annotations

import pytest
from streamlit.testing.v1 import AppTest

from lab.config import ExperimentConfig
from lab.model import preset
from lab.i18n import catalogue, translate


@pytest.mark.parametrize("lang", ["en", "ru"])
def test_train_is_disabled_with_the_reason_for_a_model_that_does_not_fit(runs_dir, lang):
    broken = ExperimentConfig()
    broken.model = preset("mnist_cnn", "mnist")
    broken.model.blocks = broken.model.blocks * 2  # six 2x2 poolings on 28x28 pixels
    at = AppTest.from_file("../app.py", default_timeout=60)
    at.session_state["lab.language"] = lang
    at.session_state["lab.experiment"] = broken
    at.switch_page("pages/training.py")
    at.run()
    assert not at.exception
    train = next(b for b in at.button if b.label == translate("training.train", lang))
    assert train.disabled
    prefix = catalogue()["training.cannot_train"][lang].split("{")[0]  # the template before its reason
    where = {"en": "block 5, pool", "ru": "блок 5, pool"}[lang]  # the reason in the page's language too
    assert any(e.value.startswith(prefix) and where in e.value for e in at.error), [e.value for e in at.error]
    assert at.get("page_link")  # the way to the Architecture page

    at.session_state["lab.experiment"] = ExperimentConfig()  # the course's baseline fits
    at.run()
    assert not next(b for b in at.button if b.label == translate("training.train", lang)).disabled
