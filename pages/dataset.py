"""Dataset page: choose the data of the experiment and audit it before training."""

from __future__ import annotations

import pandas as pd
import streamlit as st

from lab.data.audit import Audit, SplitCounts, samples_per_class, split_counts
from lab.data import ImageData
from lab.errors import LabError
from lab.ui import state, widgets
from lab.ui.charts import cache as chart_cache
from lab.ui.charts.audit import class_counts_chart
from lab.ui.data import dataset_classes, load_dataset, show_data_notes
from lab.ui.format import count, data_origin
from lab.ui.lab_errors import error_text
from lab.ui.i18n import t
from lab.ui.router import ensure_app_router

ensure_app_router()  # a direct URL (/training) must still go through app.py

SPLITS = ("train", "val", "test")
DUPLICATE_KINDS = {"exact": "dataset.dup_exact", "near": "dataset.dup_near"}


def render() -> None:
    st.title(t("nav.dataset"))
    st.caption(t("dataset.intro"))
    exp = state.experiment()
    st.subheader(t("dataset.choose"))
    try:
        cfg = widgets.dataset_picker(exp.data)
        if cfg is None:
            return
        if cfg.dataset != exp.data.dataset:
            cfg.classes = []  # another dataset's class numbers would pick unrelated classes here
        cfg.classes = widgets.class_subset(cfg, dataset_classes(cfg))  # validate() refuses a single class
        cfg.validate()
        data = load_dataset(cfg)
    except LabError as exc:
        st.error(t("error.prefix", message=error_text(exc)))
        return
    exp.data = cfg  # only a dataset that loads becomes the experiment's
    show_data_notes(data)
    st.caption(t("dataset.loaded", name=data.name, n=count(len(data.train_y)), m=count(len(data.test_y)),
                 origin=data_origin(data)))
    # the cheap parts at once; the pixel passes of the audit behind a progress bar
    samples(data)
    counts(split_counts(data, cfg.val_fraction, cfg.split_seed, cfg.train_limit))
    result = widgets.cached_audit(cfg, data)
    if result.pool["train_limit"]:
        p = result.pool
        st.info(t("dataset.capped", limit=count(p["train_limit"]), used=count(p["used"]),
                  train=count(result.splits["train"]), val=count(result.splits["val"]), left=count(p["left_out"])),
                icon=":material/filter_alt:")
    properties(result, cfg.image_size)
    normalisation(result)
    duplicates(data, result)
    outliers(data, result)


def skip_reason(skipped: dict) -> str:
    """Why a file was skipped, in the page's language when the engine keyed it."""
    message = skipped.get("message")
    if message:
        return error_text(LabError(skipped["reason"], key=message[0], params=message[1]))
    return skipped["reason"]


def over_used(a: Audit) -> None:
    """Under a statistic: which images it is over, when a train cap leaves some out."""
    if a.pool["train_limit"]:
        st.caption(t("dataset.over_used", used=count(a.pool["used"]), limit=count(a.pool["train_limit"])))


def samples(data: ImageData) -> None:
    st.subheader(t("dataset.samples_title"))
    seed = widgets.sample_seed()
    widgets.class_grid(data, samples_per_class(data.train_y, data.num_classes, per_class=10, seed=seed))


def counts(a: SplitCounts) -> None:
    st.subheader(t("dataset.counts_title"))
    names = {s: t(widgets.SPLIT_NAMES[s]) for s in SPLITS}
    axis = {"class": t("dataset.axis_class"), "count": t("dataset.axis_count"), "split": t("dataset.axis_split")}
    chart_cache.draw(class_counts_chart, a.classes, a.counts, names, axis, width="stretch")
    cols = st.columns(4)
    for col, s in zip(cols, SPLITS):
        col.metric(names[s], count(a.splits[s]))
    imbalance = t("dataset.imbalance_empty") if a.imbalance == float("inf") else f"{a.imbalance:.2f}"
    cols[3].metric(t("dataset.imbalance"), imbalance, help=t("dataset.imbalance_help"))
    if a.splits["test"] == 0:
        st.info(t("dataset.no_test"))


def properties(a: Audit, size: int) -> None:
    st.subheader(t("dataset.properties_title"))
    c, h, w = a.shape
    cols = st.columns(4)
    cols[0].metric(t("dataset.channels"), c)
    cols[1].metric(t("dataset.size"), f"{h} × {w}")
    cols[2].metric(t("dataset.dtype"), a.dtype)
    cols[3].metric(t("dataset.classes"), len(a.classes))
    if not a.folder:
        return
    left, right = st.columns(2)
    left.markdown(t("dataset.original_sizes", size=size))
    left.dataframe(pd.DataFrame([{t("dataset.width"): s["width"], t("dataset.height"): s["height"],
                                  t("dataset.count"): s["count"]} for s in a.folder["original_sizes"]]),
                   hide_index=True)
    right.markdown(t("dataset.original_modes"))
    right.dataframe(pd.DataFrame([{t("dataset.mode"): m, t("dataset.count"): n}
                                  for m, n in a.folder["original_modes"].items()]), hide_index=True)
    skipped = a.folder["skipped"]
    with st.expander(t("dataset.skipped_title", n=len(skipped)), expanded=bool(skipped)):
        if skipped:
            st.dataframe(pd.DataFrame([{t("dataset.file"): s["file"], t("dataset.reason"): skip_reason(s)}
                                       for s in skipped]), hide_index=True)
        else:
            st.write(t("dataset.skipped_none"))


def normalisation(a: Audit) -> None:
    st.subheader(t("dataset.norm_title"))
    cols = st.columns(2 * len(a.mean))
    for k, (m, s) in enumerate(zip(a.mean, a.std)):
        cols[2 * k].metric(t("dataset.mean", c=k), f"{m:.4f}")
        cols[2 * k + 1].metric(t("dataset.std", c=k), f"{s:.4f}")
    st.code(a.normalize, language="python")
    st.caption(t("dataset.norm_help"))
    over_used(a)


def duplicates(data: ImageData, a: Audit) -> None:
    st.subheader(t("dataset.dup_title"))
    ex, near = a.duplicates["exact"], a.duplicates["near"]
    st.caption(t("dataset.dup_help", rms=near["max_rms"]))
    over_used(a)
    rows = []
    for kind, d, n in (("exact", ex, "images"), ("near", near, "pairs")):
        rows.append({
            t("dataset.dup_kind"): t(DUPLICATE_KINDS[kind]), t("dataset.dup_train"): d["train"][n],
            t("dataset.dup_test"): d["test"][n], t("dataset.dup_cross"): d["train_test"]["images"],
            t("dataset.dup_train_val"): d["train_val"],
        })
    st.dataframe(pd.DataFrame(rows), hide_index=True)
    if ex["train_test"]["images"]:
        st.warning(t("dataset.dup_leak_warning", n=ex["train_test"]["images"]))
    pairs = []
    for kind in ("exact", "near"):
        for key, (sa, sb) in (("train_test", ("train", "test")), ("train", ("train", "train")), ("test", ("test", "test"))):
            pairs += [(sa, i, sb, j) for i, j in a.pairs[kind][key][:4]]
    if not pairs:
        st.success(t("dataset.dup_none"))
        return
    st.markdown(f"**{t('dataset.pairs_title')}**")
    widgets.pair_gallery(data, pairs[:12])


def outliers(data: ImageData, a: Audit) -> None:
    st.subheader(t("dataset.outliers_title"))
    o = a.outliers
    st.caption(t("dataset.outliers_help", std=o["blank_std"], z=o["extreme_z"], median=o["median_mean"]))
    cols = st.columns(4)
    for k, (split, kind) in enumerate((("train", "blank"), ("test", "blank"), ("train", "extreme"), ("test", "extreme"))):
        cols[k].metric(f"{t({'blank': 'dataset.blank', 'extreme': 'dataset.extreme'}[kind])}: "
                       f"{t(widgets.SPLIT_NAMES[split])}", o[split][kind])
    items = []
    for split in ("train", "test"):
        name = t(widgets.SPLIT_NAMES[split])
        items += [(split, i, t("dataset.outlier_caption", split=name, i=i)) for i in o[split]["blank_examples"][:8]]
        items += [(split, e["index"], t("dataset.outlier_caption_z", split=name, i=e["index"], z=e["z"]))
                  for e in o[split]["extreme_examples"][:8]]
    if items:
        widgets.image_gallery(data, items[:16])
    else:
        st.success(t("dataset.outliers_none"))


render()
