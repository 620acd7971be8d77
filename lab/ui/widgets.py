"""Widgets of the Dataset page: the dataset picker, the cached audit, image galleries.

The picker reads its starting values from the experiment's DataConfig and returns a new
DataConfig; the page stores it in the experiment, so the choice survives a change of page.
"""

from __future__ import annotations

import secrets
from dataclasses import replace
from pathlib import Path

import streamlit as st
import torch

from lab import data as lab_data
from lab.data.audit import Audit, audit
from lab.config import BUILTIN_DATASETS, DataConfig
from lab.config.bounds import DATA, SEED
from lab.data import ImageData
from lab.errors import LabError, keyed
from lab.data.subset import class_indices
from lab.data.messages import MESSAGES as DATA_MESSAGES
from lab.files import os_reason
from lab.paths import uploads_dir
from lab.classroom.workspaces import server_folders_allowed
from lab.ui import inputs, state
from lab.ui.charts.audit import image_row, to_display
from lab.config.data import DATASET_NAMES
from lab.ui.i18n import t

SPLIT_NAMES = {  # catalogue keys
    "train": "dataset.split_train", "val": "dataset.split_val", "test": "dataset.split_test"
}
COLOR_NAMES = {"rgb": "dataset.color_rgb", "grayscale": "dataset.color_grayscale"}
AUDIT_STEPS = {
    "stats": "dataset.audit_step.stats", "exact": "dataset.audit_step.exact", "near": "dataset.audit_step.near",
    "outliers": "dataset.audit_step.outliers"
}

FOLDER, UPLOAD = "folder", "upload"
IMAGE_SIZES = (32, 64)
SAMPLE_SEED_KEY = "dataset.sample_seed"  # widget key; a throwaway display seed, not part of the experiment


def dataset_picker(cfg: DataConfig) -> DataConfig | None:
    """Widgets for the data part of the experiment. None while a folder or zip is still missing;
    LabError for an archive that cannot be unpacked."""
    # On a classroom server a typed path would read the server's own disk: uploads only there
    choices = [*BUILTIN_DATASETS, *([FOLDER] if server_folders_allowed() else []), UPLOAD]
    labels = {**DATASET_NAMES, FOLDER: t("dataset.source_folder"), UPLOAD: t("dataset.source_upload")}
    is_builtin = cfg.dataset in BUILTIN_DATASETS
    current = cfg.dataset if is_builtin else (UPLOAD if _is_upload(cfg.dataset) else FOLDER)
    if current not in choices:
        current = UPLOAD
    # Translated labels as the options themselves (no format_func): the choice then reads
    # the same in AppTest, which calls format_func outside the session's language.
    shown = [labels.get(c, c) for c in choices]
    source = choices[shown.index(st.selectbox(t("dataset.source"), shown, index=choices.index(current)))]
    new = replace(cfg)
    if source in BUILTIN_DATASETS:
        new.dataset = source
    else:
        c1, c2 = st.columns(2)
        new.image_size = c1.radio(t("dataset.image_size"), IMAGE_SIZES, horizontal=True,
                                  index=IMAGE_SIZES.index(cfg.image_size) if cfg.image_size in IMAGE_SIZES else 0)
        colors = ["rgb", "grayscale"]
        color_labels = [t(COLOR_NAMES[c]) for c in colors]
        picked = c2.radio(t("dataset.color"), color_labels, horizontal=True, index=colors.index(cfg.color))
        new.color = colors[color_labels.index(picked)]
        if source == FOLDER:
            path = st.text_input(t("dataset.folder_path"), value="" if is_builtin or _is_upload(cfg.dataset) else cfg.dataset,
                                 help=t("dataset.folder_help"))
            if not path.strip():
                st.info(t("dataset.folder_empty"))
                return None
            new.dataset = path.strip()
        else:
            upload = inputs.upload("archive", t("dataset.upload"), help=t("dataset.folder_help"))
            if upload is not None:
                # extracted once per archive content into <uploads dir>/<hash>/
                root = uploads_dir()
                try:
                    new.dataset = str(lab_data.extract_zip_cached(upload.getvalue(), root))
                except OSError as exc:  # a read-only or full uploads folder
                    raise keyed(DATA_MESSAGES, "archive.unpack_into", path=str(root), reason=os_reason(exc)) from None
            elif not _is_upload(cfg.dataset):
                st.info(t("dataset.upload_empty"))
                return None
    c1, c2 = st.columns([3, 1])
    new.val_fraction = c1.slider(t("dataset.val_fraction"), *DATA["val_fraction"].widget_range(),
                                 float(cfg.val_fraction), 0.05,
                                 help=t("dataset.val_help"))
    new.split_seed = int(inputs.number(t("dataset.split_seed"), DATA["split_seed"], int(cfg.split_seed), where=c2))
    return new


def class_subset(cfg: DataConfig, names: list[str]) -> list[int]:
    """Which classes to keep (``data.classes``), as the dataset's class numbers in its own
    order; none picked: every class. A subset written by hand (``lab train --classes``) that
    this dataset does not have starts empty here; the page says nothing was kept."""
    try:
        current = class_indices(names, list(cfg.classes))
    except LabError:
        current = []
    # keyed per dataset: without a key the widget's identity includes its default, which
    # follows the experiment, so the first change after a pick would be dropped for a fresh widget
    picked = st.multiselect(t("dataset.keep_classes"), names, default=[names[i] for i in sorted(current)],
                            placeholder=t("dataset.keep_classes_all"), help=t("dataset.keep_classes_help"),
                            key=f"dataset_keep_classes:{cfg.dataset}")
    return sorted(names.index(name) for name in picked)


def _is_upload(dataset: str) -> bool:
    return "uploads" in Path(dataset).parts


AUDITS_KEPT = 8  # audits kept per process (MNIST's: a few MB of pairs and counts)


@st.cache_resource(show_spinner=False)
def _audits() -> dict[tuple, Audit]:
    """The process's audits by (dataset, data dir, size, colour, split, classes): a plain dict in
    Streamlit's resource cache (cleared with it), filled OUTSIDE any cached function so
    the audit can draw its progress bar (a cached function may not touch outer elements)."""
    return {}


def cached_audit(cfg: DataConfig, data: ImageData) -> Audit:
    """The audit of ``cfg``'s dataset and split, computed once per process (~2 s for MNIST
    on an idle machine, 7-20 s on a busy classroom server: hence the progress bar)."""
    key = (cfg.dataset, state.data_dir(), cfg.image_size, cfg.color, cfg.val_fraction, cfg.split_seed,
           cfg.train_limit, tuple(cfg.classes))  # a class subset is other images: its own audit
    store = _audits()
    if key not in store:
        bar = st.progress(0.0, text=t("dataset.audit_progress", step=t("dataset.audit_step.stats")))

        def show(fraction: float, step: str) -> None:
            bar.progress(fraction, text=t("dataset.audit_progress", step=t(AUDIT_STEPS[step])))

        result = audit(data, cfg.val_fraction, cfg.split_seed, cfg.train_limit, progress=show)
        bar.empty()
        while len(store) >= AUDITS_KEPT:
            store.pop(next(iter(store)))  # the oldest
        store[key] = result
    return store[key]


def sample_seed() -> int:
    """The seed of the sample grid, with a button that draws a new one."""
    if SAMPLE_SEED_KEY not in st.session_state:
        st.session_state[SAMPLE_SEED_KEY] = 0

    def reshuffle() -> None:
        st.session_state[SAMPLE_SEED_KEY] = secrets.randbelow(10_000)

    c1, c2 = st.columns([1, 3], vertical_alignment="bottom")
    seed = inputs.number(t("dataset.sample_seed"), SEED, key=SAMPLE_SEED_KEY, where=c1)
    c2.button(t("dataset.reshuffle"), icon=":material/shuffle:", on_click=reshuffle)
    return int(seed)


def class_grid(data: ImageData, picks: list[list[int]], max_classes: int = 20) -> None:
    """One row per class: its name and a strip of its sampled training images."""
    for c, idx in enumerate(picks[:max_classes]):
        if not idx:
            continue
        name_col, img_col = st.columns([1, 8], vertical_alignment="center")
        name_col.markdown(f"**{data.classes[c]}**")
        img_col.image(image_row(data.train_x[idx]), clamp=True)
    if len(picks) > max_classes:
        st.caption(t("dataset.more_classes", shown=max_classes, total=len(picks)))


def image_of(data: ImageData, split: str, index: int) -> torch.Tensor:
    return (data.train_x if split == "train" else data.test_x)[index]


def pair_gallery(data: ImageData, pairs: list[tuple[str, int, str, int]], per_row: int = 4) -> None:
    """Pairs side by side: (split a, index a, split b, index b), with captions."""
    cols = st.columns(per_row)
    for k, (sa, i, sb, j) in enumerate(pairs):
        strip = image_row(torch.stack([image_of(data, sa, i), image_of(data, sb, j)]))
        cols[k % per_row].image(strip, caption=t("dataset.pair_caption", a=t(SPLIT_NAMES[sa]), i=i,
                                                 b=t(SPLIT_NAMES[sb]), j=j))


def image_gallery(data: ImageData, items: list[tuple[str, int, str]], per_row: int = 8) -> None:
    """Single images with captions: (split, index, caption)."""
    cols = st.columns(per_row)
    for k, (split, i, caption) in enumerate(items):
        cols[k % per_row].image(to_display(image_of(data, split, i)[None])[0], caption=caption)
