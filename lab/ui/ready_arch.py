"""The Architecture page's part for a ready architecture (``lab.model.ready``): why the stem
changes, torchvision's stem beside the modified one, and each modification with its reason.

The block editor does not apply: the layers are torchvision's, so the page says so instead
of showing controls that would edit nothing.
"""

from __future__ import annotations

import dataclasses

import pandas as pd
import streamlit as st

from lab.config.model import ModelConfig
from lab.errors import LabError
from lab.model import trace
from lab.model.ready import modifications
from lab.ui import state
from lab.ui.i18n import t
from lab.ui.sidebar import STEMS  # the stems' labels: one table, the sidebar's summary reads it too


def _shapes(cfg: ModelConfig, shape, classes: int) -> dict[str, str]:
    """Row name -> output shape text ("?" after a layer that cannot work)."""
    try:
        tr = trace(cfg, shape, classes)
    except LabError:
        return {}
    return {layer.name: " × ".join(str(v) for v in layer.output) if layer.output else "?" for layer in tr.layers}


def _side_by_side(cfg: ModelConfig, shape, classes: int) -> None:
    """torchvision's stem and the small-image one on the same images: each row's output."""
    original = _shapes(dataclasses.replace(cfg, stem="original"), shape, classes)
    small = _shapes(dataclasses.replace(cfg, stem="small"), shape, classes)
    names = list(small) + [n for n in original if n not in small]
    rows = [{t("architecture.col.layer"): n, t("architecture.ready.col_original"): original.get(n, "–"),
             t("architecture.ready.col_small"): small.get(n, "–")} for n in names]
    st.dataframe(pd.DataFrame(rows), hide_index=True, width="stretch", height=min(38 + 35 * len(rows), 420))


def _modification_list(cfg: ModelConfig, shape, classes: int) -> None:
    for mod in modifications(cfg, shape, classes):
        st.markdown(t("architecture.ready.modified", layer=mod.layer, before=mod.before, after=mod.after))
        st.caption(t(mod.key, **mod.fmt))


def ready_panel(cfg: ModelConfig, shape, classes: int, key: str) -> ModelConfig:
    """The ready architecture's controls and explanations; returns the config, its stem as chosen."""
    st.info(t("architecture.ready.no_editor", arch=cfg.arch), icon=":material/info:")
    st.markdown(t("architecture.ready.why_stem"))
    labels = {s: t(STEMS[s]) for s in STEMS}  # made now, in this run's language
    stem = st.radio(t("architecture.ready.stem"), list(STEMS), list(STEMS).index(cfg.stem), horizontal=True,
                    format_func=labels.get, key=f"{key}stem_{state.language()}")  # a new language: drawn anew
    st.markdown(f"**{t('architecture.ready.modifications_title')}**")
    _modification_list(cfg, shape, classes)
    st.markdown(f"**{t('architecture.ready.compare_title')}**")
    _side_by_side(cfg, shape, classes)
    return dataclasses.replace(cfg, stem=stem or cfg.stem)
