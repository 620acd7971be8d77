"""Augmentation: edit the training transforms and see exactly what training will see.

Thin: ``lab.augment`` parses, validates, augments (the same call the training loop
makes), warns and writes the v2.Compose code; this page reads widgets and draws. The
per-transform controls are generated from ``lab.augment.SPECS`` through the small
``WIDGETS`` table below, not written by hand for each transform.
"""

from __future__ import annotations

import hashlib

import streamlit as st
import torch

from lab import augment as aug
from lab.augment import preview as pv
from lab.config import TransformStep
from lab.config.bounds import SEED
from lab.errors import LabError
from lab.runs.course import progress
from lab.data.image_io import plain_picture
from lab.ui import inputs, state
from lab.ui.data import dataset_stats, load_dataset, load_splits, show_data_notes
from lab.ui.format import count as thousands
from lab.ui.i18n import t
from lab.ui.lab_errors import error_text
from lab.ui.router import ensure_app_router

ensure_app_router()  # a direct URL (/training) must still go through app.py

SEED_KEY = "augmentation_seed"  # widget key of the preview seed (the re-roll button bumps it)


# --- widgets generated from each transform's declarative description --------------------------
def _off(p: aug.ParamSpec):
    """What the widget shows for an argument that is not given (torchvision default None)."""
    return {"range": (1.0, 1.0), "pair": (0.0, 0.0), "int": 0, "float": 0.0}.get(p.widget, p.default)


def _shown(p: aug.ParamSpec, value):
    """The widget value for a config value, or None when the widget cannot show it."""
    if value is None:
        value = p.default if p.default is not None else _off(p)
    if p.widget in ("range", "pair"):
        return (float(value[0]), float(value[1])) if isinstance(value, (list, tuple)) and len(value) == 2 else None
    if p.widget in ("prob", "float"):
        return float(value) if isinstance(value, (int, float)) and not isinstance(value, bool) else None
    if p.widget == "int":
        return int(value) if isinstance(value, int) and not isinstance(value, bool) else None
    if p.widget == "choice":
        return value if value in p.choices else None
    if p.widget == "bool":
        return value if isinstance(value, bool) else None
    return None


def _slider(p, value, key):
    return st.slider(p.name, float(p.lo), float(p.hi), value, float(p.step), key=key)


def _number(p, value, key):
    lo, hi = min(p.lo, value), max(p.hi, value)  # a value typed in the text form stays representable
    if p.widget == "int":
        return inputs.number(p.name, (int(lo), int(hi)), value, int(p.step), key=key)
    return inputs.number(p.name, (float(lo), float(hi)), value, float(p.step), key=key)


def _pair(p, value, key):
    left, right = st.columns(2)
    bound = (float(p.lo), float(p.hi))
    return (inputs.number(f"{p.name}[0]", bound, value[0], float(p.step), key=key + "0", where=left),
            inputs.number(f"{p.name}[1]", bound, value[1], float(p.step), key=key + "1", where=right))


WIDGETS = {
    "prob": _slider,
    "range": _slider,
    "float": _number,
    "int": _number,
    "pair": _pair,
    "choice": lambda p, value, key: st.selectbox(p.name, p.choices, index=p.choices.index(value), key=key),
    "bool": lambda p, value, key: st.checkbox(p.name, value, key=key),
}


def _to_config(p: aug.ParamSpec, value):
    """Widget value -> config value; None means "leave the argument out" (its default)."""
    value = list(value) if isinstance(value, tuple) else value
    if isinstance(value, float) and value.is_integer() and p.widget == "float":
        value = int(value)  # RandomRotation(10), not RandomRotation(10.0)
    if p.required:
        return value
    off = _off(p)
    if value == (list(off) if isinstance(off, tuple) else off) or value == p.default:
        return None
    return value


def edit_step(i: int, step: TransformStep, version: str) -> TransformStep:
    spec = aug.SPECS[step.name]
    params = dict(step.params)
    text_only = []
    for p in spec.params:
        current = _shown(p, step.params.get(p.name))
        if p.widget == "none" or current is None:
            text_only.append(p.name)
            continue
        value = WIDGETS[p.widget](p, current, f"aug_{version}_{i}_{p.name}")
        if value == current:  # untouched: keep the argument exactly as written
            continue
        value = _to_config(p, value)
        if value is None:
            params.pop(p.name, None)
        else:
            params[p.name] = value
    if text_only:
        st.caption(t("augmentation.text_only", names=", ".join(text_only)))
    if not spec.batched:
        st.caption(t("augmentation.per_image_note"))
    return TransformStep(step.name, params)


def set_steps(steps: list[TransformStep]) -> None:
    state.experiment().augment.transforms = steps
    st.rerun()


# Buttons act in callbacks: they run before the script, so a rerun (the app's router, a
# widget edit) can never drop a click.
def _store(steps: list[TransformStep]) -> None:
    state.experiment().augment.transforms = steps


def _apply_text(key: str) -> None:
    try:
        _store(aug.parse_transforms(st.session_state[key]))
    except LabError:
        pass  # the script shows the problem under the text, which keeps what was typed


def _add(image_size: int) -> None:
    name = st.session_state["aug_add_name"]
    _store(list(state.experiment().augment.transforms) + [aug.new_step(name, image_size)])


def _move_up(i: int) -> None:
    steps = list(state.experiment().augment.transforms)
    steps[i - 1], steps[i] = steps[i], steps[i - 1]
    _store(steps)


def _remove(i: int) -> None:
    _store([s for k, s in enumerate(state.experiment().augment.transforms) if k != i])


def steps_editor(steps: list[TransformStep], image_size: int) -> None:
    text = aug.format_transforms(steps)
    version = hashlib.sha1(text.encode()).hexdigest()[:8]  # new widgets whenever the list changes
    text_key = f"aug_text_{version}"
    with st.form(f"aug_form_{version}"):
        typed = st.text_area(t("augmentation.text_label"), text, help=t("augmentation.text_help"), height=80,
                             key=text_key)
        st.form_submit_button(t("augmentation.apply_text"), icon=":material/check:", on_click=_apply_text,
                              args=(text_key,))
    if typed.strip() != text:  # applied text that did not parse: say why, keep what was typed
        try:
            aug.parse_transforms(typed)
        except LabError as exc:
            st.error(t("augmentation.error", message=error_text(exc)))
    if not steps:
        st.info(t("augmentation.none"))
    edited = []
    for i, step in enumerate(steps):
        with st.expander(t("augmentation.step_title", i=i + 1, tf=aug.format_step(step)), expanded=False):
            edited.append(edit_step(i, step, version))
            up, remove = st.columns(2)
            if i:
                up.button(t("augmentation.move_up"), key=f"aug_up_{version}_{i}", icon=":material/arrow_upward:",
                          on_click=_move_up, args=(i,))
            remove.button(t("augmentation.remove"), key=f"aug_rm_{version}_{i}", icon=":material/delete:",
                          on_click=_remove, args=(i,))
    if edited != steps:
        try:
            aug.validate_steps(edited)
        except LabError as exc:
            st.error(t("augmentation.error", message=error_text(exc)))
        else:
            set_steps(edited)
    pick, add, clear = st.columns([3, 1, 1], vertical_alignment="bottom")
    pick.selectbox(t("augmentation.add_label"), aug.NAMES, key="aug_add_name")
    add.button(t("augmentation.add"), icon=":material/add:", on_click=_add, args=(image_size,))
    if steps:
        clear.button(t("augmentation.clear"), icon=":material/clear_all:", on_click=_store, args=([],))


# --- preview ------------------------------------------------------------------------------------
def _reroll() -> None:
    st.session_state[SEED_KEY] = int(st.session_state.get(SEED_KEY, 0)) + 1


def pick_originals(x: torch.Tensor, y: torch.Tensor, classes: list[str], seed: int):
    """(uint8 originals, their labels) from the chosen source, or None while waiting for an upload."""
    sources = {"random": t("augmentation.source_random"), "class": t("augmentation.source_class"),
               "upload": t("augmentation.source_upload")}
    source = st.segmented_control(t("augmentation.source"), list(sources), format_func=sources.get,
                                  default="random", required=True, key=state.translated_choice("aug_source"))
    count = st.slider(t("augmentation.samples"), 1, 8, 4, key="aug_count")
    if source == "upload":
        file = inputs.upload("picture", t("augmentation.upload"))
        if file is None:
            st.info(t("augmentation.upload_hint"))
            return None
        try:  # the lab's one decoder: pixel limit, EXIF orientation and alpha rule as everywhere
            image, _ = plain_picture(file.getvalue(), "grayscale" if x.shape[1] == 1 else "rgb", file.name)
        except LabError as exc:
            st.error(t("augmentation.bad_image", error=exc))
            return None
        return pv.image_to_tensor(image, x.shape[1], tuple(x.shape[2:])), ["upload"]
    label = None
    if source == "class":
        label = st.selectbox(t("augmentation.class"), range(len(classes)), format_func=lambda c: classes[c],
                             key="aug_class")
    idx = pv.pick_samples(y, count, seed, label)
    return x[idx], [classes[int(c)] for c in y[idx]]


def show_preview(originals: torch.Tensor, labels: list[str], steps, n: int, seed: int) -> None:
    shown = pv.preview(originals, steps, n, seed)
    scale = max(1, 112 // max(originals.shape[2:]))
    st.caption(t("augmentation.preview_caption", n=n, seed=seed))
    for row in range(len(originals)):
        cols = st.columns(n + 1)
        cols[0].image(pv.to_pil(originals[row], scale), caption=t("augmentation.original", label=labels[row]))
        for k in range(n):
            caption = pv.brief(shown.records[row][k]) or t("augmentation.unchanged")
            cols[k + 1].image(pv.to_pil(shown.augmented[row, k], scale), caption=caption,
                              alt=pv.describe(shown.records[row][k]))
    if steps:
        with st.expander(t("augmentation.all_params")):
            st.dataframe(pv.records_table(shown), hide_index=True)


def show_model_view(x: torch.Tensor, steps, seed: int, mean, std, batch_size: int) -> None:
    st.subheader(t("augmentation.model_header"))
    n = min(batch_size, 64)
    order = torch.randperm(len(x), generator=torch.Generator().manual_seed(seed))[:n]
    model_x, viewable = pv.model_view(x[order], steps, seed, mean, std)
    st.image(pv.tile(viewable, columns=16, scale=2))
    st.caption(t("augmentation.model_caption", n=n, seed=seed, shape=f"({', '.join(map(str, model_x.shape))})",
                 min=model_x.min().item(), max=model_x.max().item(), mean=model_x.mean().item(),
                 std=model_x.std().item()))


# --- the page -------------------------------------------------------------------------------------
def baseline_first() -> None:
    """The course's order, said before any step is added: while the journal holds no baseline
    run, the first run trains without augmentation (the Training page offers it in one click)."""
    if progress(state.run_store()).baseline is None:
        st.info(t("augmentation.baseline_first"), icon=":material/flag:")


def render() -> None:
    st.title(t("nav.augmentation"))
    st.markdown(t("augmentation.intro"))
    baseline_first()
    cfg = state.experiment()
    try:
        data = load_dataset(cfg.data)
        splits = load_splits(cfg.data)
        mean, std = dataset_stats(cfg.data)
    except LabError as exc:
        st.error(t("error.prefix", message=error_text(exc)))
        return
    show_data_notes(data)
    c, h, w = data.shape
    st.markdown(t("augmentation.dataset_line", name=data.name, c=c, h=h, w=w, n=thousands(len(splits.train_y))))
    steps = list(cfg.augment.transforms)

    st.subheader(t("augmentation.steps_header"))
    steps_editor(steps, h)
    try:
        aug.validate_steps(steps)
        warnings = aug.warnings_for(steps, cfg.data.dataset, c, input_shape=data.shape)
    except LabError as exc:  # e.g. a crop larger than these images, from a loaded config
        st.error(t("augmentation.error", message=error_text(exc)))
        return
    if warnings:
        st.subheader(t("augmentation.warnings_header"))
        for key, params in warnings:
            st.warning(t(key, **params), icon=":material/warning:")

    st.subheader(t("augmentation.preview_header"))
    seed_col, reroll_col, n_col = st.columns([2, 1, 3], vertical_alignment="bottom")
    st.session_state.setdefault(SEED_KEY, 0)  # a widget's key: the re-roll button bumps it
    seed = int(inputs.number(t("augmentation.seed"), SEED, key=SEED_KEY, where=seed_col))
    reroll_col.button(t("augmentation.reroll"), icon=":material/casino:", on_click=_reroll)
    n = n_col.slider(t("augmentation.versions"), 1, 12, 8, key="aug_versions")
    picked = pick_originals(splits.train_x, splits.train_y, data.classes, seed)
    if picked is not None:
        show_preview(picked[0], picked[1], steps, n, seed)
    show_model_view(splits.train_x, steps, seed, mean, std, cfg.train.batch_size)

    st.subheader(t("augmentation.code_header"))
    st.caption(t("augmentation.code_caption"))
    st.code(aug.compose_source(steps, mean, std, data.shape, aug.folder_of(cfg.data)), language="python")


render()
