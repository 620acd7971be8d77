"""The Inside-the-model page, driven like a student would, in both languages: a journal
run, a test image, the views with their shapes; an upload, a bad file, the canvas, the
Prediction page's link, and a checkpoint without its initial filters."""

from __future__ import annotations

import pytest
import torch
from streamlit.testing.v1 import AppTest

from lab.i18n import translate
from test_page_predict import journal_run  # noqa: F401  (a finished run whose best.pt is a real MNIST model)
from test_predict_support import paper_digit, png_bytes, trained_checkpoint_path


@pytest.fixture(scope="module")
def ckpt_path(mnist, tmp_path_factory):
    return trained_checkpoint_path(mnist, tmp_path_factory)


@pytest.fixture()
def filtered_run(journal_run, ckpt_path):
    """The Prediction tests' journal run, which also kept its first layer at initialisation."""
    from lab.model.checkpoint import load_checkpoint
    from lab.inspect import save_initial_filters
    from lab.model import build_model

    torch.manual_seed(0)
    save_initial_filters(journal_run.dir, build_model(load_checkpoint(ckpt_path).config.model, (1, 28, 28), 10))
    return journal_run


def open_page(lang: str = "en", page: str = "pages/inside.py") -> AppTest:
    at = AppTest.from_file("../app.py", default_timeout=120)
    at.session_state["lab.language"] = lang
    at.run()
    at.switch_page(page)
    return at.run()


def texts(at) -> str:
    return " ".join(m.value for m in at.markdown) + " " + " ".join(c.value for c in at.caption)


def captions(at) -> str:
    return " ".join(c for img in at.image for c in img.captions)


@pytest.mark.parametrize("lang", ["en", "ru"])
def test_a_test_image_shows_every_view_with_shapes_and_receptive_fields(filtered_run, lang):
    at = open_page(lang)
    assert not at.exception
    assert at.title[0].value == translate("nav.inside", lang)
    assert filtered_run.id in at.selectbox(key="inside_run").value
    assert at.radio(key="inside_image_source").value == "draw"  # a digit model: drawing comes first
    assert translate("inside.draw_empty", lang) in " ".join(i.value for i in at.info)
    at.radio(key="inside_image_source").set_value("dataset").run()
    assert not at.exception and not at.error
    assert translate("inside.true_label", lang, label="7") in texts(at)
    assert translate("inside.answer", lang, label="7", percent="")[:-4] in texts(at)
    body = texts(at)
    for name, shape, rf in (("block1.act1", "32×26×26", "3×3"), ("block1.pool", "32×13×13", "4×4")):
        assert translate("inside.layer_caption", lang, name=name, stage=translate(
            "inside.stage." + ("pool" if "pool" in name else "activation"), lang), shape=shape, rf=rf) in body
    for key in ("features_header", "filters_header", "why_header", "occlusion_header"):
        assert translate(f"inside.{key}", lang) in [s.value for s in at.subheader], key
    assert translate("inside.filters_initial", lang, top="")[:-3] in captions(at)  # the run kept its initial filters
    assert sum(translate("inside.gradcam_caption", lang, rank=r, label="", percent="")[:3] in captions(at)
               for r in (1, 2, 3)) == 3
    assert len(at.get("vega_lite_chart")) == 1  # the softmax over all ten classes


def test_opening_a_weaker_channel_and_another_test_image(journal_run):
    at = open_page()
    at.radio(key="inside_image_source").set_value("dataset").run()
    at.selectbox(key="inside_open_layer").set_value("block1.pool").run()
    at.number_input(key="inside_open_rank").set_value(32).run()
    assert not at.exception
    weakest = next(c for c in captions(at).split("block1.pool, channel ")[1:])
    assert "mean response" in weakest
    at.number_input(key="inside_test_index").set_value(1).run()
    assert translate("inside.true_label", "en", label="2") in texts(at)
    at.button(key="inside_random").click().run()
    assert not at.exception and not at.error


def test_an_uploaded_picture_and_then_a_broken_file(journal_run, mnist):
    at = open_page("ru")
    at.radio(key="inside_image_source").set_value("upload").run()
    at.file_uploader(key="inside_image_file").upload("seven.png", png_bytes(paper_digit(mnist.test_x[0]))).run()
    assert not at.exception and not at.error
    assert "**7**" in texts(at)
    assert translate("predict.step.invert", "ru") in texts(at)  # the Prediction page's preprocessing, said so
    at.file_uploader(key="inside_image_file").clear()
    at.file_uploader(key="inside_image_file").upload("x.png", b"not a picture").run()
    assert not at.exception
    assert translate("predict.error.not_image", "ru", name="x.png") in at.error[0].value


def test_an_uploaded_checkpoint_without_its_run_says_the_initial_filters_are_missing(runs_dir, ckpt_path):
    at = open_page()
    at.radio(key="inside_model_source").set_value("upload").run()
    at.file_uploader(key="inside_model_file").upload("mnist.pt", ckpt_path.read_bytes()).run()
    at.radio(key="inside_image_source").set_value("dataset").run()
    assert not at.exception and not at.error
    assert translate("inside.no_initial", "en") in " ".join(i.value for i in at.info)


def test_the_prediction_pages_result_links_here_with_its_model_and_picture(journal_run, mnist):
    at = open_page(page="pages/predict.py")
    at.file_uploader(key="predict_image_file").upload("paper.png", png_bytes(paper_digit(mnist.test_x[0]))).run()
    assert not at.exception and not at.error
    links = [el for el in at.get("page_link") if el.proto.page == "pages/inside.py" or "inside" in el.proto.page]
    assert links and links[0].proto.label == translate("inside.from_predict", "en")
    at.switch_page("pages/inside.py").run()
    assert not at.exception and not at.error
    assert at.radio(key="inside_model_source").value == "prediction"
    assert at.radio(key="inside_image_source").value == "prediction"
    assert "**7**" in texts(at)


def test_a_session_model_is_offered(runs_dir, ckpt_path):
    from lab.model.checkpoint import load_checkpoint
    from lab.ui import state

    ck = load_checkpoint(ckpt_path)
    entry = {"name": "my first CNN", "run_id": "none", "model": ck.model, "classes": ck.classes, "mean": ck.mean,
             "std": ck.std, "input_shape": ck.input_shape, "metrics": {}}
    at = AppTest.from_file("../app.py", default_timeout=120)
    at.session_state[state._MODELS] = [entry]
    at.session_state["lab.experiment"] = ck.config
    at.run()
    at.switch_page("pages/inside.py").run()
    assert at.radio(key="inside_model_source").value == "session"
    at.radio(key="inside_image_source").set_value("dataset").run()
    assert not at.exception and not at.error
    assert "**7**" in texts(at)


@pytest.mark.parametrize("lang", ["en", "ru"])
def test_the_prediction_pages_session_model_shows_its_runs_initial_filters(filtered_run, ckpt_path, mnist, lang):
    """The default source ("The Prediction page's model") finds the run folder of a model trained in
    this session exactly as "A run from the journal" does: one function decides (model_run_dir)."""
    from lab.model.checkpoint import load_checkpoint
    from lab.ui import state

    ck = load_checkpoint(ckpt_path)
    entry = {"name": "my first CNN", "run_id": filtered_run.id, "model": ck.model, "classes": ck.classes,
             "mean": ck.mean, "std": ck.std, "input_shape": ck.input_shape, "metrics": {}}
    at = AppTest.from_file("../app.py", default_timeout=120)
    at.session_state["lab.language"] = lang
    at.session_state[state._MODELS] = [entry]
    at.session_state["lab.experiment"] = ck.config
    at.run()
    at.switch_page("pages/predict.py").run()
    assert at.radio(key="predict_model_source").value == "session"
    at.file_uploader(key="predict_image_file").upload("paper.png", png_bytes(paper_digit(mnist.test_x[0]))).run()
    assert not at.exception and not at.error
    at.switch_page("pages/inside.py").run()
    assert at.radio(key="inside_model_source").value == "prediction"
    assert not at.exception and not at.error
    assert translate("inside.no_initial", lang) not in " ".join(i.value for i in at.info)
    assert translate("inside.filters_initial", lang, top="")[:-3] in captions(at)
    # the same model chosen as this session's model, and a run from the journal: the same answer
    for source in ("session", "journal"):
        at.radio(key="inside_model_source").set_value(source).run()
        assert translate("inside.filters_initial", lang, top="")[:-3] in captions(at), source
