"""The hyperparameters form of the Training page.

Inside an ``st.form`` so that editing ten numbers does not rerun the page ten times;
pressing Train or "Overfit one batch" writes the values into the session's experiment
(``state.experiment().train`` and ``.data.train_limit``) and says which was pressed.
Values are checked by the config's own validation, so the form and a JSON file agree.
"""

from __future__ import annotations

import streamlit as st
import torch

from lab.config import TrainConfig, from_dict, to_dict
from lab.caps import Caps
from lab.train.device import bf16_support
from lab.train.recipes import Recipe, apply_recipe, fast_recipe
from lab.ui import state
from lab.ui.i18n import t

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


def mixed_precision_available() -> bool:
    """Autocast pays where bf16 or fp16 is native: a CUDA GPU, or a CPU with AVX512-BF16/AMX."""
    return "cuda" in devices() or bf16_support(torch.device("cpu")) is not None


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
    """Draw the form; returns (action, run name), action "train" | "overfit" | None."""
    exp = state.experiment()
    cfg = exp.train
    caps = Caps.from_env()
    with st.form("training_form", border=True):
        st.subheader(t("training.hyper"))
        c1, c2, c3, c4 = st.columns(4)
        with c1:
            optimizer = st.selectbox(t("training.optimizer"), OPTIMIZERS, index=OPTIMIZERS.index(cfg.optimizer),
                                     format_func=OPTIMIZER_NAMES.get, key=KEY + "optimizer")
            lr = st.number_input(t("training.lr"), min_value=1e-6, max_value=10.0, value=float(cfg.lr),
                                 step=1e-4, format="%.6f", key=KEY + "lr")
            weight_decay = st.number_input(t("training.weight_decay"), min_value=0.0, max_value=1.0,
                                           value=float(cfg.weight_decay), step=1e-4, format="%.5f",
                                           key=KEY + "weight_decay")
            momentum = st.number_input(t("training.momentum"), min_value=0.0, max_value=0.999,
                                       value=float(cfg.momentum), step=0.05, key=KEY + "momentum")
        with c2:
            max_epochs = min(500, caps.max_epochs or 500)
            epochs = st.number_input(t("training.epochs"), min_value=1, max_value=max_epochs,
                                     value=min(int(cfg.epochs), max_epochs), step=1, key=KEY + "epochs")
            sizes = sorted(set(BATCH_SIZES) | {int(cfg.batch_size)})
            batch_size = st.selectbox(t("training.batch_size"), sizes, index=sizes.index(int(cfg.batch_size)),
                                      key=KEY + "batch_size")
            schedule_names = {s: t(f"training.schedule.{s}") for s in SCHEDULES}
            schedule = st.selectbox(t("training.schedule"), SCHEDULES, index=SCHEDULES.index(cfg.schedule),
                                    format_func=schedule_names.get, key=KEY + "schedule")
            s1, s2 = st.columns(2)
            step_epochs = s1.number_input(t("training.step_epochs"), min_value=1, value=int(cfg.step_epochs),
                                          key=KEY + "step_epochs")
            step_gamma = s2.number_input(t("training.step_gamma"), min_value=0.01, max_value=1.0,
                                         value=float(cfg.step_gamma), step=0.05, key=KEY + "step_gamma")
        with c3:
            label_smoothing = st.number_input(t("training.label_smoothing"), min_value=0.0, max_value=0.5,
                                              value=float(cfg.label_smoothing), step=0.05,
                                              key=KEY + "label_smoothing")
            grad_clip = st.number_input(t("training.grad_clip"), min_value=0.0, value=float(cfg.grad_clip),
                                        step=0.5, key=KEY + "grad_clip")
            early_stopping = st.number_input(t("training.early_stopping"), min_value=0, max_value=100,
                                             value=int(cfg.early_stopping), key=KEY + "early_stopping")
            report_every = st.number_input(t("training.report_every"), min_value=1, max_value=100,
                                           value=state.report_every(), key=KEY + "report_every")
        with c4:
            limit_cap = caps.max_train_size or None
            train_limit = st.number_input(t("training.train_limit"), min_value=0, max_value=limit_cap,
                                          value=int(exp.data.train_limit if not limit_cap
                                                    else min(exp.data.train_limit or limit_cap, limit_cap)),
                                          step=500, help=t("training.train_limit_help"), key=KEY + "train_limit")
            seed = st.number_input(t("training.seed"), min_value=0, max_value=2**31 - 1, value=int(cfg.seed),
                                   key=KEY + "seed")
            options = devices() + ([cfg.device] if cfg.device not in devices() else [])
            device = st.selectbox(t("training.device"), options, index=options.index(cfg.device), key=KEY + "device")
            mixed = st.checkbox(t("training.mixed_precision"), value=bool(cfg.mixed_precision),
                                disabled=not mixed_precision_available(), help=t("training.mixed_precision_help"),
                                key=KEY + "mixed_precision")
        n1, n2, n3 = st.columns([2, 1, 1], vertical_alignment="bottom")
        name = n1.text_input(t("training.run_name"), key=KEY + "name")
        train = n2.form_submit_button(t("training.train"), type="primary", icon=":material/play_arrow:",
                                      disabled=train_disabled, width="stretch")
        overfit = n3.form_submit_button(t("training.overfit"), icon=":material/science:", help=t("training.overfit_help"),
                                        disabled=train_disabled, width="stretch")
    if not (train or overfit):
        return None, ""
    values = {"optimizer": optimizer, "lr": lr, "weight_decay": weight_decay, "momentum": momentum,
              "schedule": schedule, "step_epochs": int(step_epochs), "step_gamma": step_gamma,
              "epochs": int(epochs), "batch_size": int(batch_size), "label_smoothing": label_smoothing,
              "grad_clip": grad_clip, "mixed_precision": bool(mixed), "early_stopping": int(early_stopping),
              "seed": int(seed), "device": device}
    exp.train = from_dict(TrainConfig, {**to_dict(cfg), **values}, "train")  # raises ConfigError
    exp.data.train_limit = int(train_limit)
    state.set_report_every(int(report_every))
    return ("train" if train else "overfit"), name.strip()
