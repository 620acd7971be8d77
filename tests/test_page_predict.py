"""The Prediction page, driven like a student would: pick a model, upload a picture, read
the answer and the steps; a broken file gives a message and the next upload still works."""

from __future__ import annotations

import pytest
import torch
from streamlit.testing.v1 import AppTest

from lab.i18n import translate
from test_predict_support import digit_image, paper_digit, png_bytes, trained_checkpoint_path


@pytest.fixture(scope="module")
def ckpt_path(mnist, tmp_path_factory):
    return trained_checkpoint_path(mnist, tmp_path_factory)


@pytest.fixture()
def journal_run(runs_dir, ckpt_path):
    """A finished run in this browser's journal whose best checkpoint is the test model."""
    from lab.config import ExperimentConfig
    from lab.runs.store import RunStore

    run = RunStore(runs_dir).create(ExperimentConfig(), name="baseline")
    run.checkpoint_path("best").write_bytes(ckpt_path.read_bytes())
    run.write_summary({"status": "finished", "best_val_accuracy": 0.96})
    return run


def open_page(lang: str = "en") -> AppTest:
    at = AppTest.from_file("../app.py", default_timeout=120)
    at.session_state["lab.language"] = lang
    at.run()
    at.switch_page("pages/predict.py")
    return at.run()


def captions(at) -> str:
    return " ".join(c for img in at.image for c in img.captions)


def texts(at) -> str:
    return " ".join(m.value for m in at.markdown) + " " + " ".join(c.value for c in at.caption)


@pytest.mark.parametrize("lang", ["en", "ru"])
def test_upload_a_paper_digit_and_read_the_prediction(journal_run, mnist, lang):
    at = open_page(lang)
    assert not at.exception
    assert at.title[0].value == translate("nav.predict", lang)
    assert journal_run.id in at.selectbox[-1].value  # the journal's run is picked
    at.file_uploader[0].upload("paper.png", png_bytes(paper_digit(mnist.test_x[0])), "image/png")
    at.run()
    assert not at.exception and not at.error
    assert translate("predict.answer", lang, label="7", percent="")[:-3] in texts(at)
    for step in ("invert", "crop", "fit", "center", "normalize"):
        assert translate(f"predict.step.{step}", lang) in captions(at), step
    assert len(at.get("vega_lite_chart")) == 1  # the top-k bar chart


def test_switching_off_centring_changes_what_the_model_sees(journal_run, mnist):
    at = open_page()
    at.file_uploader[0].upload("paper.png", png_bytes(paper_digit(mnist.test_x[0])), "image/png")
    at.run()
    toggle = next(tg for tg in at.toggle if tg.label == translate("predict.opt.center_digits_box", "en", box=20))
    toggle.set_value(False).run()
    assert not at.exception
    assert f"{translate('predict.step.center', 'en')}: {translate('predict.step_off', 'en')}" in captions(at)


@pytest.mark.parametrize("lang", ["en", "ru"])
def test_a_broken_file_gets_a_message_and_the_next_upload_works(journal_run, mnist, lang):
    at = open_page(lang)
    at.file_uploader[0].upload("digit.png", b"this is not a picture", "image/png")
    at.run()
    assert not at.exception
    assert at.error and translate("predict.error.not_image", lang, name="digit.png") in at.error[0].value
    at.file_uploader[0].clear()
    at.file_uploader[0].upload("digit.png", png_bytes(digit_image(mnist.test_x[1])), "image/png")
    at.run()
    assert not at.exception and not at.error
    assert translate("predict.answer", lang, label="2", percent="")[:-3] in texts(at)


def test_a_test_image_from_the_dataset_gets_the_evaluations_answer(journal_run, mnist, ckpt_path):
    from lab.model.checkpoint import load_checkpoint
    from lab.train.evaluate import predict_logits

    model = load_checkpoint(ckpt_path)
    expected = predict_logits(model.model, mnist.test_x[:10], model.mean, model.std, "cpu").argmax(1)
    at = open_page()
    at.radio(key="predict_image_source").set_value("dataset").run()
    for index in (0, 8):
        at.number_input(key="predict_test_index").set_value(index).run()
        assert not at.exception and not at.error
        assert f"**{model.classes[int(expected[index])]}**" in " ".join(m.value for m in at.markdown
                                                                          if "model says" in m.value)


def test_an_uploaded_checkpoint_and_a_camera_photo(runs_dir, ckpt_path, mnist):
    at = open_page()
    at.radio(key="predict_model_source").set_value("upload").run()
    at.file_uploader(key="predict_model_file").upload("mnist.pt", ckpt_path.read_bytes()).run()
    assert not at.exception and not at.error
    at.radio(key="predict_image_source").set_value("camera").run()
    photo = png_bytes(paper_digit(mnist.test_x[0]).convert("RGB"), "JPEG", quality=90)
    at.camera_input(key="predict_camera").upload("photo.jpg", photo).run()
    assert not at.exception and not at.error
    assert "**7**" in texts(at)


def test_a_poisoned_checkpoint_upload_is_refused_on_the_page(runs_dir, tmp_path, ckpt_path):
    from test_predict_model import Payload

    marker = tmp_path / "pwned"
    payload = torch.load(ckpt_path, weights_only=False)
    payload["extra"] = {"x": Payload(marker)}
    evil = tmp_path / "evil.pt"
    torch.save(payload, evil)
    at = open_page("ru")
    at.radio(key="predict_model_source").set_value("upload").run()
    at.file_uploader(key="predict_model_file").upload("evil.pt", evil.read_bytes()).run()
    assert not at.exception and at.error and not marker.exists()


def test_a_session_model_is_offered_first(runs_dir, ckpt_path, mnist):
    from lab.model.checkpoint import load_checkpoint
    from lab.ui import state

    ck = load_checkpoint(ckpt_path)
    entry = {"name": "my first CNN", "run_id": "none", "model": ck.model, "classes": ck.classes, "mean": ck.mean,
             "std": ck.std, "input_shape": ck.input_shape, "metrics": {}}
    at = AppTest.from_file("../app.py", default_timeout=120)
    at.session_state[state._MODELS] = [entry]
    at.run()
    at.switch_page("pages/predict.py").run()
    assert at.radio(key="predict_model_source").value == "session"
    at.file_uploader(key="predict_image_file").upload("d.png", png_bytes(digit_image(mnist.test_x[0]))).run()
    assert not at.exception and not at.error
    assert "**7**" in texts(at)


def session_entry(ck, run_id: str, name: str) -> dict:
    return {"name": name, "run_id": run_id, "model": ck.model, "classes": ck.classes, "mean": ck.mean,
            "std": ck.std, "input_shape": ck.input_shape, "metrics": {}}


def test_the_newest_session_model_is_the_default_and_a_new_one_becomes_active(runs_dir, ckpt_path):
    from lab.model.checkpoint import load_checkpoint
    from lab.ui import state

    ck = load_checkpoint(ckpt_path)
    at = AppTest.from_file("../app.py", default_timeout=120)
    at.session_state[state._MODELS] = [session_entry(ck, "run-a", "first"), session_entry(ck, "run-b", "second")]
    at.run()
    at.switch_page("pages/predict.py").run()
    assert at.selectbox[0].value == "run-b"  # the latest, not the first of the session
    at.selectbox[0].set_value("run-a").run()  # the student picks the older one: it stays picked
    assert at.selectbox[0].value == "run-a" and at.session_state[state._ACTIVE_MODEL] == "run-a"
    # a model trained now (the training page adds it and makes it active) is shown at once
    at.session_state[state._MODELS] = [*at.session_state[state._MODELS], session_entry(ck, "run-c", "third")]
    at.session_state[state._ACTIVE_MODEL] = "run-c"
    at.run()
    assert not at.exception and at.selectbox[0].value == "run-c"


def test_changing_the_model_source_keeps_the_picture_source(journal_run):
    at = open_page()
    at.radio(key="predict_image_source").set_value("dataset").run()
    at.radio(key="predict_model_source").set_value("upload").run()  # no model file yet: no picture column
    at.radio(key="predict_model_source").set_value("journal").run()
    assert not at.exception and at.radio(key="predict_image_source").value == "dataset"


@pytest.fixture()
def cropped_run(runs_dir, ckpt_path):
    """A digit model that takes 24x24 (trained with RandomCrop(24)): untrained weights do for captions."""
    from lab.augment import parse_transforms
    from lab.model.checkpoint import save_checkpoint
    from lab.config import ExperimentConfig
    from lab.model import build_model
    from lab.runs.store import RunStore

    cfg = ExperimentConfig()
    cfg.augment.transforms = parse_transforms("RandomCrop(24)")
    run = RunStore(runs_dir).create(cfg, name="cropped")
    save_checkpoint(run.checkpoint_path("best"), build_model(cfg.model, (1, 24, 24), 10), cfg,
                    [str(i) for i in range(10)], [0.1307], [0.3081], (1, 24, 24))
    return run


@pytest.mark.parametrize("lang", ["en", "ru"])
def test_captions_say_what_happens_for_a_24_pixel_model(cropped_run, mnist, lang):
    at = open_page(lang)
    at.file_uploader(key="predict_image_file").upload("d.png", png_bytes(digit_image(mnist.test_x[0]))).run()
    assert not at.exception and not at.error
    # MNIST's 20/28 of 24 px is a 17-px box: the caption and the switch say 17x17, not 20x20
    assert translate("predict.step.fit_box", lang, box=17) in captions(at)
    assert translate("predict.step.fit", lang) not in captions(at)
    assert translate("predict.opt.center_digits_box", lang, box=17) in [tg.label for tg in at.toggle]
    at.radio(key="predict_image_source").set_value("dataset").run()
    assert not at.exception and not at.error
    crop = (f"{translate('predict.step.eval_crop', lang)}: "
            f"{translate('predict.detail.eval_crop', lang, width=24, height=24, from_width=28, from_height=28)}")
    assert crop in captions(at)  # it said "Resize: 24×24" for a centre crop


@pytest.mark.parametrize("lang", ["en", "ru"])
def test_the_picture_box_states_one_limit_in_the_pages_language(journal_run, lang):
    """One limit per kind of file, stated once: a picture stops at 64 MB (the lab's limit), not
    the server's 512 MB cap that Streamlit's own English line rounds to "1GB"."""
    at = open_page(lang)
    shown = [c.value for c in at.caption if "MB" in c.value or "МБ" in c.value]
    assert shown == [translate("inputs.upload_limit", lang, endings="PNG, JPG, JPEG, WEBP, BMP, GIF", mb=64)]


@pytest.mark.parametrize("lang", ["en", "ru"])
def test_a_text_file_is_refused_in_the_pages_language(journal_run, lang):
    """Streamlit refused it in the browser with "text/plain files are not allowed" (English)."""
    at = open_page(lang)
    at.file_uploader(key="predict_image_file").upload("notes.txt", b"hello", "text/plain").run()
    assert not at.exception
    assert [e.value for e in at.error] == [translate("inputs.wrong_kind", lang, name="notes.txt",
                                                     what=translate("inputs.kind.picture", lang),
                                                     endings="PNG, JPG, JPEG, WEBP, BMP, GIF")]

