"""Prediction: a model's answer on the student's own picture, every preprocessing step shown.

The page only reads widgets and draws: decoding, preparation and the model call are
``lab.predict`` (the same functions ``python -m lab predict`` uses). Every bad file ends
as ``st.error`` with a translated message; the session keeps working.
"""

from __future__ import annotations

from dataclasses import dataclass

import altair as alt
import numpy as np
import pandas as pd
import streamlit as st
import torch
from PIL import Image

from lab.model.checkpoint import Checkpoint
from lab.model.checkpoint_messages import MESSAGES as CHECKPOINT_MESSAGES
from lab.errors import LabError, keyed
from lab.paths import runs_dir
from lab.predict.source_data import checkpoint_data, open_test_image, open_test_indices
from lab.data.image_io import NOTE_KEYS
from lab.predict import Options, Prediction, Target, class_examples, predict_dataset_image, \
    predict_image
from lab.predict.digits import BOX_FRACTION
from lab.predict.preprocess import STEP_DETAIL_KEYS, STEP_KEYS
from lab.ui import inputs, state
from lab.ui.charts import cache as charts_cache
from lab.ui.checkpoints import choose_model as choose_model_for
from lab.ui.data import load_dataset, load_splits
from lab.ui.format import dataset_label
from lab.ui.lab_errors import error_text
from lab.i18n import translate
from lab.ui.i18n import t
from lab.ui.inside.sources import link_from_prediction
from lab.ui.router import ensure_app_router

MODEL_SOURCES = {"session": "predict.source.session", "journal": "predict.source.journal",
                 "upload": "predict.source.upload"}
IMAGE_SOURCES = {"upload": "predict.image.upload", "camera": "predict.image.camera", "dataset": "predict.image.dataset"}
OPTION_LABELS = {
    "exif": "predict.opt.exif", "invert": "predict.opt.invert", "contrast": "predict.opt.contrast",
    "crop": "predict.opt.crop", "normalize": "predict.opt.normalize", "center": "predict.opt.center_photo"
}

ensure_app_router()  # a direct URL (/training) must still go through app.py

TOP_K = 5
SHOW_PX = 132  # small step images are enlarged to about this many pixels, without smoothing
EXAMPLES = 6
STEPS_PER_ROW = 5
TOGGLES_PER_ROW = 3  # six toggles in one row cut their labels short


@dataclass
class Picture:
    """What to predict on: file bytes (upload, camera) or a dataset test image."""

    name: str
    data: bytes | None = None
    pixels: torch.Tensor | None = None  # uint8 (C, H, W)
    label: str | None = None  # the true class of a dataset image


def main() -> None:
    st.title(t("nav.predict"))
    st.caption(t("predict.intro"))
    left, right = st.columns(2, gap="large")
    with left:
        st.subheader(t("predict.model_header"))
        checkpoint = guarded(choose_model)
    if checkpoint is None:
        return
    with right:
        st.subheader(t("predict.image_header"))
        picture = guarded(choose_picture, checkpoint)
    target = guarded(Target.of, checkpoint)
    if picture is None or target is None:
        return
    options = choose_options(target, dataset_image=picture.pixels is not None)
    prediction = guarded(run_prediction, checkpoint, picture, options)
    if prediction is None:
        return
    show_steps(prediction, options)
    show_result(prediction, checkpoint, picture)


def guarded(fn, *args):
    """Call ``fn``; a LabError becomes a translated st.error and None (the page goes on)."""
    try:
        return fn(*args)
    except LabError as exc:
        st.error(t("error.prefix", message=error_text(exc)))
        return None


def labeller(keys: dict[str, str]):
    """A widget's format_func for option keys, bound to the language of this run (the
    function is also called later, outside the run, e.g. by AppTest)."""
    lang = state.language()
    return lambda key: translate(keys[key], lang)



# --- the model ------------------------------------------------------------------------------
def choose_model() -> Checkpoint | None:
    chosen = choose_model_for("predict")
    if chosen is None:
        return None
    describe_model(chosen.checkpoint)
    return chosen.checkpoint


def describe_model(ck: Checkpoint) -> None:
    shape = "×".join(str(v) for v in ck.input_shape)
    st.caption(t("predict.model_summary", dataset=dataset_label(ck.dataset or ck.config.data.dataset), classes=len(ck.classes),
                 shape=shape, mean=_fmt(ck.mean), std=_fmt(ck.std)))
    if Target.of(ck).digits:
        st.caption(t("predict.digit_model"))


def _fmt(values) -> str:
    return ", ".join(f"{v:.4f}" for v in values)


# --- the picture --------------------------------------------------------------------------------
def choose_picture(ck: Checkpoint) -> Picture | None:
    sources = ["upload", "camera", "dataset"]
    # kept in state: the radio is not drawn while no model is chosen, and Streamlit would
    # drop a widget-only value then (changing the model source reset the picture source)
    source = st.radio(t("predict.image_source"), sources, index=sources.index(state.predict_picture_source()),
                      format_func=labeller(IMAGE_SOURCES), horizontal=True,
                      key=state.translated_choice("predict_image_source"),
                      on_change=lambda: state.set_predict_picture_source(st.session_state["predict_image_source"]))
    if source == "upload":
        upload = inputs.upload("picture", t("predict.upload_image"), key="predict_image_file")
        picture = Picture(upload.name, data=upload.getvalue()) if upload is not None else None
    elif source == "camera":
        shot = st.camera_input(t("predict.camera"), key="predict_camera")
        picture = Picture("camera.jpg", data=shot.getvalue()) if shot is not None else None
    else:
        picture = dataset_picture(ck)
    if picture is None:
        st.info(t("predict.waiting_image"))
    return picture


def dataset_picture(ck: Checkpoint) -> Picture | None:
    splits = load_splits(checkpoint_data(ck))  # never a folder path from an uploaded file
    last = len(splits.test_y) - 1
    if last < 0:
        raise keyed(CHECKPOINT_MESSAGES, "checkpoint.no_test_images", dataset=ck.config.data.dataset)
    allowed, public = open_test_indices(splits.test_y, runs_dir())  # classroom: the open half only
    first = int(allowed[0]) if len(allowed) else 0
    index = int(inputs.number(t("predict.test_index", last=last), (0, last), first, key="predict_test_index"))
    if public:
        st.caption(t("predict.open_half", open=len(allowed), total=len(splits.test_y)))
    shown = guarded(open_test_image, splits.test_x, splits.test_y, index, runs_dir())
    if shown is None:
        return None
    pixels, label = shown
    name = ck.classes[label] if label < len(ck.classes) else str(label)
    st.markdown(t("predict.true_label", label=name))
    return Picture(f"test #{index}", pixels=pixels, label=name)


# --- switches --------------------------------------------------------------------------------------
def choose_options(target: Target, dataset_image: bool) -> Options:
    """One toggle per optional step that applies to this model and picture."""
    if dataset_image:
        keys = ["normalize"]  # a test image is already in training form
    elif target.digits:
        keys = ["exif", "invert", "contrast", "crop", "center", "normalize"]
    else:
        keys = ["exif", "center", "normalize"]
    st.markdown(f"**{t('predict.options')}**")
    values = {}
    columns = st.columns(TOGGLES_PER_ROW)
    for i, key in enumerate(keys):
        if key == "center" and target.digits:  # MNIST's 20/28 of the model's side
            label = t("predict.opt.center_digits_box", box=max(1, round(min(target.height, target.width) * BOX_FRACTION)))
        else:
            label = t(OPTION_LABELS[key])
        with columns[i % TOGGLES_PER_ROW]:
            values[key] = st.toggle(label, value=True, key=f"predict_opt_{key}")
    return Options(**values)


def run_prediction(ck: Checkpoint, picture: Picture, options: Options) -> Prediction:
    if picture.pixels is not None:
        return predict_dataset_image(ck, picture.pixels, TOP_K, options)
    return predict_image(ck, picture.data, options, TOP_K, name=picture.name)


# --- drawing --------------------------------------------------------------------------------------------
def show_steps(pred: Prediction, options: Options) -> None:
    st.subheader(t("predict.steps_header"))
    steps = pred.prepared.steps
    for start in range(0, len(steps), STEPS_PER_ROW):
        for col, step in zip(st.columns(STEPS_PER_ROW), steps[start:start + STEPS_PER_ROW]):
            with col:  # every step the same width, so the chain reads as one row of equals
                st.image(enlarge(step.image), caption=step_caption(step, options), width="stretch")
    for note in pred.prepared.notes:
        st.info(t(NOTE_KEYS[note.code], **note.fmt))


def step_caption(step, options: Options) -> str:
    title = t(STEP_KEYS[step.key])
    if not step.applied:
        flag = {"center_crop": "center"}.get(step.key, step.key)
        off = step.optional and not getattr(options, flag, True)
        return f"{title}: {t('predict.step_off') if off else t('predict.step_not_needed')}"
    key = STEP_DETAIL_KEYS.get(step.key)
    if step.key == "fit":  # the box follows the model's size (17x17 for 24 px), not always 20x20
        title, key = t("predict.step.fit_box", **step.detail), "predict.detail.fit_box"
    elif step.key == "resize":
        key = "predict.detail.resize_from" if "from_width" in step.detail else "predict.detail.photo_resize"
    if step.detail and key:
        return f"{title}: {t(key, **step.detail)}"
    return title


def enlarge(a: np.ndarray) -> np.ndarray:
    """Blow tiny images (28x28) up by whole pixels so each one stays a crisp square."""
    h, w = a.shape[:2]
    factor = max(1, SHOW_PX // max(h, w))
    if factor == 1:
        return a
    im = Image.fromarray(a)
    return np.asarray(im.resize((w * factor, h * factor), Image.Resampling.NEAREST))


def show_result(pred: Prediction, ck: Checkpoint, picture: Picture) -> None:
    st.subheader(t("predict.result_header"))
    label, p = pred.top[0]
    st.markdown(t("predict.answer", label=label, percent=f"{p * 100:.1f}"))
    if pred.warnings:
        lines = "\n".join(f"- {t(NOTE_KEYS[w.code], **w.fmt)}" for w in pred.warnings)
        st.warning(f"{t('predict.unlike_training')}\n{lines}")
    chart_col, input_col = st.columns([3, 1])
    with chart_col:
        charts_cache.show(top_chart(pred))
    with input_col:
        st.image(enlarge(hwc(pred.prepared.pixels)), caption=t("predict.input"))
    link_from_prediction(ck, picture.data, picture.pixels, picture.label, pred.prepared.options)
    show_examples(pred, ck)


def top_chart(pred: Prediction) -> alt.Chart:
    cls, prob = t("predict.chart_class"), t("predict.chart_probability")
    frame = pd.DataFrame({cls: [c for c, _ in pred.top], prob: [p for _, p in pred.top]})
    return alt.Chart(frame).mark_bar().encode(
        x=alt.X(f"{prob}:Q", scale=alt.Scale(domain=[0, 1]), axis=alt.Axis(format="%")),
        y=alt.Y(f"{cls}:N", sort="-x"),
        tooltip=[cls, alt.Tooltip(f"{prob}:Q", format=".2%")],
    ).properties(height=36 * len(frame) + 20)


def show_examples(pred: Prediction, ck: Checkpoint) -> None:
    """A few training images of the predicted class, to compare with the model's input."""
    label = pred.label
    try:
        data_cfg = checkpoint_data(ck)
        data = load_dataset(data_cfg)
        if list(data.classes) != list(ck.classes):
            raise keyed(CHECKPOINT_MESSAGES, "checkpoint.other_classes")
        train = load_splits(data_cfg)
    except LabError as exc:
        st.caption(t("predict.examples_missing", reason=error_text(exc)))
        return
    images = class_examples(train.train_x, train.train_y, pred.index, EXAMPLES)
    st.markdown(f"**{t('predict.examples', label=label)}**")
    for col, img in zip(st.columns(EXAMPLES), images):
        with col:
            st.image(enlarge(hwc(img)))


def hwc(pixels: torch.Tensor) -> np.ndarray:
    """uint8 (C, H, W) -> (H, W) or (H, W, 3) for st.image."""
    a = pixels.permute(1, 2, 0).numpy()
    return a[..., 0] if a.shape[2] == 1 else a


main()
