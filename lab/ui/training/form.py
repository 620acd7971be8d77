"""The hyperparameters of the Training page: live widgets, no ``st.form``.

Every edit writes the values into the session's experiment at once
(``state.experiment().train`` and ``.data.train_limit``), so "what changed since the
last run" and the course's rules see them before Train is pressed. Values are checked
by the config's own validation, so the page and a JSON file agree. The widgets' values
live under their keys (``KEY + field``), seeded from the experiment when absent: a
"restore the parent's value" button sets the key, and the widget shows it.
"""

from __future__ import annotations

import streamlit as st
import torch

from lab.config import BreakConfig, ConfigError, TrainConfig, from_dict, to_dict
from lab.config.bounds import DATA, TRAIN
from lab.classroom.caps import Caps
from lab.errors import LabError
from lab.train.device import amp_dtype, pick_device
from lab.train.recipes import Recipe, apply_recipe, fast_recipe
from lab.ui import inputs, state
from lab.ui.i18n import t
from lab.ui.lab_errors import error_text

SCHEDULE_NAMES = {
    "none": "training.schedule.none", "step": "training.schedule.step", "cosine": "training.schedule.cosine",
    "onecycle": "training.schedule.onecycle"
}
BREAK_TEXTS = {  # label, help
    "softmax_output": ("training.break.softmax_output", "training.break.softmax_output_help"),
    "no_normalization": ("training.break.no_normalization", "training.break.no_normalization_help"),
    "shuffle_labels": ("training.break.shuffle_labels", "training.break.shuffle_labels_help"),
    "lr_x100": ("training.break.lr_x100", "training.break.lr_x100_help")
}

OPTIMIZERS = ["adam", "adamw", "sgd"]
OPTIMIZER_NAMES = {"adam": "Adam", "adamw": "AdamW", "sgd": "SGD (momentum)"}
SCHEDULES = ["none", "step", "cosine", "onecycle"]
BATCH_SIZES = [16, 32, 64, 128, 256, 512, 1024]
KEY = "training_form_"  # widget keys; tests find widgets by them


def devices() -> list[str]:
    found = ["auto", "cpu"]
    if torch.cuda.is_available():
        found.append("cuda")
    if getattr(torch.backends, "mps", None) and torch.backends.mps.is_available():
        found.append("mps")
    return found


TRAIN_FIELDS = ("optimizer", "lr", "weight_decay", "momentum", "schedule", "step_epochs", "step_gamma", "epochs",
                "batch_size", "label_smoothing", "grad_clip", "mixed_precision", "early_stopping", "seed", "device")


def _written(exp) -> dict:
    return {"train": to_dict(exp.train), "train_limit": int(exp.data.train_limit), "breaks": to_dict(exp.breaks)}


def _seed_widgets(exp, caps: Caps) -> None:
    """Widget keys start from the experiment: on the first run, after a page change dropped
    them, and whenever someone else changed the experiment since the widgets last wrote it
    (the Journal loaded a run's config, a "restore" button undid a change)."""
    changed_elsewhere = state.training_form_written() not in (None, _written(exp))
    cfg = exp.train
    max_epochs = field_range("epochs", caps.max_epochs)[1]
    limit_cap = caps.max_train_size or None
    values = {name: getattr(cfg, name) for name in TRAIN_FIELDS}
    values["epochs"] = min(int(cfg.epochs), max_epochs)
    values["train_limit"] = int(exp.data.train_limit if not limit_cap
                                else min(exp.data.train_limit or limit_cap, limit_cap))
    values["report_every"] = state.report_every()
    values.update({f"break_{name}": getattr(exp.breaks, name) for name in BreakConfig.names()})
    if values["device"] not in devices():
        values["device"] = cfg.device
    for name, value in values.items():
        if changed_elsewhere or KEY + name not in st.session_state:
            st.session_state[KEY + name] = value


def field_range(name: str, cap: int | None = None) -> tuple:
    """(min_value, max_value) of a train or data field's widget: the config's declared bound
    (``lab.config.bounds``), lowered to a classroom's cap where the teacher set one."""
    low, high = (TRAIN.get(name) or DATA[name]).widget_range()
    return low, min(high, cap) if cap else high


def mixed_precision_off(device: str) -> str | None:
    """None when a run on ``device`` (the form's choice) will compute in bf16/fp16; else the
    catalogue key saying why it stays in float32. The engine's own decision (``amp_dtype``):
    autocast pays where bf16 or fp16 is native, a CUDA GPU or a CPU with AVX512-BF16/AMX."""
    try:
        dev = pick_device(device)
    except LabError:  # a device this machine lacks (a loaded config): the run says so itself
        return None
    if amp_dtype(dev, True) is not None:
        return None
    return "training.mixed_precision_off_cpu" if dev.type == "cpu" else "training.mixed_precision_off_device"


def _mixed_precision(cfg: TrainConfig, device: str) -> bool:
    """The "Mixed precision" box as it will really be: where it cannot run, unticked and greyed
    with the reason, and the experiment keeps its setting for a machine where it can."""
    off = mixed_precision_off(device)
    if off is None:
        return bool(st.checkbox(t("training.mixed_precision"), help=t("training.mixed_precision_help"),
                                key=KEY + "mixed_precision"))
    st.checkbox(t("training.mixed_precision"), value=False, disabled=True, help=t("training.mixed_precision_help"),
                key=KEY + "mixed_precision_off")
    st.caption(t(off))
    return bool(cfg.mixed_precision)


def _apply_recipe(recipe: Recipe) -> None:
    # a callback: it runs before the script, so the form below is drawn from the new experiment
    state.set_experiment(apply_recipe(state.experiment(), recipe))
    state.forget_widgets(KEY)
    state.bump_architecture_editor()


def fast_recipe_button() -> None:
    """One click to the dataset's fast recipe (``lab.train.recipes``): model, augmentation, settings."""
    recipe = fast_recipe(state.experiment().data.dataset)
    if recipe is None:
        return
    settings = ", ".join(f"{k}={v}" for k, v in recipe.train.items())
    st.button(t("training.fast_recipe", target=f"{recipe.target:.0%}"), icon=":material/bolt:", key=KEY + "recipe",
              on_click=_apply_recipe, args=(recipe,),
              help=t("training.fast_recipe_help", model=recipe.preset, settings=settings,
                     augment=recipe.augment or "–", val=f"{recipe.val_fraction:.0%}"))


def hyperparameters_form(train_disabled: bool = False) -> tuple[str | None, str]:
    """Draw the hyperparameters; returns (action, run name), action "train" | "overfit" | None."""
    exp = state.experiment()
    cfg = exp.train
    caps = Caps.from_env()
    _seed_widgets(exp, caps)
    with st.container(border=True):
        st.subheader(t("training.hyper"))
        c1, c2, c3, c4 = st.columns(4)
        with c1:
            optimizer = st.selectbox(t("training.optimizer"), OPTIMIZERS, format_func=OPTIMIZER_NAMES.get,
                                     key=state.translated_choice(KEY + "optimizer"))
            lr = inputs.number(t("training.lr"), field_range("lr"), step=1e-4, format="%.6f", key=KEY + "lr")
            weight_decay = inputs.number(t("training.weight_decay"), field_range("weight_decay"), step=1e-4,
                                         format="%.5f", key=KEY + "weight_decay")
            momentum = inputs.number(t("training.momentum"), field_range("momentum"), step=0.05, key=KEY + "momentum")
        with c2:
            epochs = inputs.number(t("training.epochs"), field_range("epochs", caps.max_epochs), step=1,
                                   key=KEY + "epochs")
            sizes = sorted(set(BATCH_SIZES) | {int(cfg.batch_size), int(st.session_state[KEY + "batch_size"])})
            batch_size = st.selectbox(t("training.batch_size"), sizes, key=KEY + "batch_size")
            schedule_names = {s: t(SCHEDULE_NAMES[s]) for s in SCHEDULES}
            schedule = st.selectbox(t("training.schedule"), SCHEDULES, format_func=schedule_names.get,
                                    key=state.translated_choice(KEY + "schedule"))
            s1, s2 = st.columns(2)
            step_epochs = inputs.number(t("training.step_epochs"), field_range("step_epochs"), key=KEY + "step_epochs",
                                        where=s1)
            step_gamma = inputs.number(t("training.step_gamma"), field_range("step_gamma"), step=0.05,
                                       key=KEY + "step_gamma", where=s2)
        with c3:
            label_smoothing = inputs.number(t("training.label_smoothing"), field_range("label_smoothing"), step=0.05,
                                            key=KEY + "label_smoothing")
            grad_clip = inputs.number(t("training.grad_clip"), field_range("grad_clip"), step=0.5, key=KEY + "grad_clip")
            early_stopping = inputs.number(t("training.early_stopping"), field_range("early_stopping"),
                                           key=KEY + "early_stopping")
            report_every = inputs.number(t("training.report_every"), (1, 100), key=KEY + "report_every")
        with c4:
            train_limit = inputs.number(t("training.train_limit"), field_range("train_limit", caps.max_train_size),
                                        step=500, help=t("training.train_limit_help"), key=KEY + "train_limit")
            seed = inputs.number(t("training.seed"), field_range("seed"), key=KEY + "seed")
            options = devices() + ([cfg.device] if cfg.device not in devices() else [])
            device = st.selectbox(t("training.device"), options, key=KEY + "device")
            mixed = _mixed_precision(cfg, device)
        breaks_box(exp)
        values = {"optimizer": optimizer, "lr": float(lr), "weight_decay": float(weight_decay),
                  "momentum": float(momentum), "schedule": schedule, "step_epochs": int(step_epochs),
                  "step_gamma": float(step_gamma), "epochs": int(epochs), "batch_size": int(batch_size),
                  "label_smoothing": float(label_smoothing), "grad_clip": float(grad_clip),
                  "mixed_precision": bool(mixed), "early_stopping": int(early_stopping), "seed": int(seed),
                  "device": device}
        valid = True
        try:  # live: the experiment holds what the widgets show, before Train
            exp.train = from_dict(TrainConfig, {**to_dict(cfg), **values}, "train")
        except ConfigError as exc:
            st.error(t("error.prefix", message=error_text(exc)))
            valid = False
        exp.data.train_limit = int(train_limit)
        state.set_report_every(int(report_every))
        state.set_training_form_written(_written(exp))
        n1, n2, n3 = st.columns([2, 1, 1], vertical_alignment="bottom")
        if KEY + "name" not in st.session_state:  # drawn again after a change of page or a reload
            st.session_state[KEY + "name"] = state.run_name()
        name = n1.text_input(t("training.run_name"), key=KEY + "name")
        state.set_run_name(name)
        train = n2.button(t("training.train"), type="primary", icon=":material/play_arrow:",
                          disabled=train_disabled or not valid, width="stretch")
        overfit = n3.button(t("training.overfit"), icon=":material/science:", help=t("training.overfit_help"),
                            disabled=train_disabled or not valid, width="stretch")
    if not (train or overfit):
        return None, ""
    return ("train" if train else "overfit"), name.strip()


def breaks_box(exp) -> None:
    """"Break it on purpose": one switch per classic bug, each off by default, written into
    the experiment (``exp.breaks``) like any other setting, so the journal keeps it."""
    on = exp.breaks.on()
    with st.expander(t("training.breaks", n=len(on)) if on else t("training.breaks_off"), expanded=bool(on),
                     icon=":material/bug_report:"):
        st.caption(t("training.breaks_intro"))
        cols = st.columns(len(BreakConfig.names()))
        values = {name: bool(col.toggle(t(BREAK_TEXTS[name][0]), help=t(BREAK_TEXTS[name][1]),
                                        key=KEY + f"break_{name}"))
                  for col, name in zip(cols, BreakConfig.names())}
    exp.breaks = BreakConfig(**values)
