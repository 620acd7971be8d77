"""Datasets for the pages: loaded once per process and shared by every session.

``st.cache_resource`` (not ``cache_data``) hands every session the same tensors
without copying: 30 students on MNIST cost one copy of 55 MB, not thirty.
"""

from __future__ import annotations

import streamlit as st

from lab import data as lab_data
from lab.config import DataConfig
from lab.data import ImageData, Splits, make_splits
from lab.data.builtin import DOWNLOAD_MB, local_source
from lab.data.subset import keep_classes
from lab.paths import allow_download, data_dir as default_data_dir
from lab.ui import state
from lab.ui.format import dataset_label
from lab.ui.i18n import t


@st.cache_resource(show_spinner=False, max_entries=8)
def _load_whole(dataset: str, data_dir: str | None, size: int, color: str) -> ImageData:
    # No st.* in here: a cached function must not draw (Streamlit replays it)
    return lab_data.load(dataset, data_dir, size=size, color=color)


@st.cache_resource(show_spinner=False, max_entries=8)
def _load(dataset: str, data_dir: str | None, size: int, color: str, classes: tuple = ()) -> ImageData:
    # the class subset (data.classes) exactly as training makes it: lab.data.subset
    return keep_classes(_load_whole(dataset, data_dir, size, color), list(classes))


def load_dataset(cfg: DataConfig) -> ImageData:
    """The dataset of ``cfg``; raises LabError with a message for the page to show.

    The spinner says "Downloading mnist (about 12 MB)" when the first use will download.
    """
    name = lab_data.builtin_name(cfg.dataset)
    message = t("data.loading", name=dataset_label(cfg.dataset))
    if name and allow_download() and local_source(name, default_data_dir(state.data_dir())) is None:
        message = t("data.downloading", name=name, mb=DOWNLOAD_MB[name])
    with st.spinner(message):
        return _load(cfg.dataset, state.data_dir(), cfg.image_size, cfg.color, tuple(cfg.classes))


def dataset_classes(cfg: DataConfig) -> list[str]:
    """Every class of ``cfg``'s dataset, before any subset (``data.classes``) is taken: what
    the Dataset page offers to keep. LabError as ``load_dataset``."""
    with st.spinner(t("data.loading", name=dataset_label(cfg.dataset))):
        return list(_load_whole(cfg.dataset, state.data_dir(), cfg.image_size, cfg.color).classes)


@st.cache_resource(show_spinner=False, max_entries=16)
def _splits(dataset: str, data_dir: str | None, size: int, color: str,
            val_fraction: float, seed: int, train_limit: int, classes: tuple = ()) -> Splits:
    return make_splits(_load(dataset, data_dir, size, color, classes), val_fraction, seed, train_limit)


def load_splits(cfg: DataConfig) -> Splits:
    """Train/validation/test of ``cfg``, shared by all sessions with the same split."""
    load_dataset(cfg)
    return _splits(cfg.dataset, state.data_dir(), cfg.image_size, cfg.color,
                   cfg.val_fraction, cfg.split_seed, cfg.train_limit, tuple(cfg.classes))


@st.cache_resource(show_spinner=False, max_entries=16)
def _stats(dataset: str, data_dir: str | None, size: int, color: str, val_fraction: float, seed: int,
           train_limit: int, classes: tuple = ()) -> tuple[list[float], list[float]]:
    return lab_data.channel_stats(_splits(dataset, data_dir, size, color, val_fraction, seed, train_limit,
                                          classes).train_x)


def dataset_stats(cfg: DataConfig) -> tuple[list[float], list[float]]:
    """Per-channel mean and std (0..1) of the training split: exactly what training's
    Normalize uses (``lab.train.session.prepare``), so the preview matches the run."""
    load_dataset(cfg)
    return _stats(cfg.dataset, state.data_dir(), cfg.image_size, cfg.color, cfg.val_fraction, cfg.split_seed,
                  cfg.train_limit, tuple(cfg.classes))


def show_data_notes(data: ImageData) -> None:
    """Say clearly when the full dataset was not available and samples are in use."""
    if data.source == "samples":
        st.warning(t("data.using_samples", name=data.name, n=len(data.train_y)))
        for note in data.notes:
            st.caption(note)
