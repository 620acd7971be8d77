"""Inside page views: the softmax, the feature maps, the first layer's filters, Grad-CAM
and occlusion, each with its short explanation. Pictures come from ``lab.inspect.images``."""

from __future__ import annotations

import altair as alt
import pandas as pd
import streamlit as st

from lab.inspect import Inspection, default_patch, first_conv, first_filters, matching_initial, occlusion
from lab.inspect import images
from lab.inspect.occlusion import positions
from lab.ui import inputs
from lab.ui.charts import cache as charts_cache
from lab.ui.i18n import t

STAGE_NAMES = {"activation": "inside.stage.activation", "pool": "inside.stage.pool", "block": "inside.stage.block"}
MOST_CHANNELS = 64  # a grid shows at most this many (resnet18's layer4 has 512): four rows of 16

SIDE = 224  # big pictures (input, one channel, heat maps), screen pixels
BIG_CLASS_LIST = 20  # beyond this many classes the softmax chart shows the top ones only


def shape_text(shape) -> str:
    return "×".join(str(v) for v in shape)


def show_answer(look: Inspection, prepared) -> None:
    st.subheader(t("inside.answer_header"))
    _, label, p = look.top[0]
    st.markdown(t("inside.answer", label=label, percent=f"{p * 100:.1f}"))
    chart_col, input_col = st.columns([3, 1])
    with chart_col:
        charts_cache.show(softmax_chart(look))
    with input_col:
        st.image(images.input_image(prepared.pixels, 160),
                 caption=t("inside.model_input", shape=shape_text(prepared.pixels.shape)))
    st.caption(t("inside.answer_help"))


def softmax_chart(look: Inspection) -> alt.Chart:
    cls, prob = t("inside.chart_class"), t("inside.chart_probability")
    pairs = list(zip(look.classes, look.probabilities.tolist()))
    if len(pairs) > BIG_CLASS_LIST:
        pairs = sorted(pairs, key=lambda cp: -cp[1])[:BIG_CLASS_LIST]
    best = max(pairs, key=lambda cp: cp[1])[0]
    frame = pd.DataFrame({cls: [c for c, _ in pairs], prob: [p for _, p in pairs],
                          "best": [c == best for c, _ in pairs]})
    return alt.Chart(frame).mark_bar().encode(
        x=alt.X(f"{cls}:N", sort=[c for c, _ in pairs], axis=alt.Axis(labelAngle=0)),
        y=alt.Y(f"{prob}:Q", scale=alt.Scale(domain=[0, 1]), axis=alt.Axis(format="%")),
        color=alt.condition(alt.datum.best, alt.value("#d62728"), alt.value("#1f77b4")),
        tooltip=[cls, alt.Tooltip(f"{prob}:Q", format=".2%")],
    ).properties(height=220)


def show_features(look: Inspection, prepared, arch: str = "") -> None:
    """``arch``: a ready network's torchvision name ("" for the lab's own blocks)."""
    st.subheader(t("inside.features_header"))
    st.caption(t("inside.features_help"))
    if arch:
        st.caption(t("inside.ready_taps", arch=arch, names=", ".join(fm.tap.group for fm in look.features)))
    for fm in look.features:
        tap = fm.tap
        fmt = dict(name=tap.name, stage=t(STAGE_NAMES[tap.stage]), shape=shape_text(tap.shape),
                   rf=shape_text(tap.receptive_field))
        st.markdown(t("inside.layer_caption_group", group=tap.group, **fmt) if tap.group
                    else t("inside.layer_caption", **fmt))
        st.image(images.feature_grid(fm, columns=16, tile_px=56 if tap.shape[1] <= 14 else 48, limit=MOST_CHANNELS))
        if len(fm.order) > MOST_CHANNELS:
            st.caption(t("inside.strongest_of", shown=MOST_CHANNELS, n=len(fm.order)))
    names = [fm.name for fm in look.features]
    left, right = st.columns(2)
    layer = left.selectbox(t("inside.open_layer"), names, key="inside_open_layer")
    fm = look.features[names.index(layer)]
    rank = int(inputs.number(t("inside.open_channel"), (1, len(fm.order)), 1, key="inside_open_rank", where=right))
    channel = fm.order[min(rank, len(fm.order)) - 1]
    big_input, big_channel = st.columns(2)
    big_input.image(images.input_image(prepared.pixels, SIDE), caption=t("inside.input_caption"))
    big_channel.image(images.channel_image(fm, channel, SIDE), caption=t(
        "inside.channel_caption", layer=layer, channel=channel, response=f"{fm.response[rank - 1]:.3f}"))


def show_filters(model, initial) -> None:
    st.subheader(t("inside.filters_header"))
    name, conv = first_conv(model)
    learned = first_filters(model)
    k = shape_text(conv.kernel_size)
    st.caption(t("inside.filters_help", k=k, layer=name))
    initial = matching_initial(initial, learned)
    now_col, init_col = st.columns(2)
    now_col.image(images.filter_grid(learned), caption=t("inside.filters_now", top=f"{float(learned.abs().max()):.3f}"))
    if initial is None:
        init_col.info(t("inside.no_initial"))
    else:
        init_col.image(images.filter_grid(initial),
                       caption=t("inside.filters_initial", top=f"{float(initial.abs().max()):.3f}"))


def show_gradcam(look: Inspection, prepared) -> None:
    st.subheader(t("inside.why_header"))
    if look.gradcam:
        st.caption(t("inside.gradcam_help", layer=look.gradcam[0].layer))
    for rank, (col, cam) in enumerate(zip(st.columns(3), look.gradcam), 1):
        col.image(images.overlay(prepared.pixels, cam.heat, SIDE),
                  caption=t("inside.gradcam_caption", rank=rank, label=cam.label, percent=f"{cam.probability * 100:.1f}"))


def show_occlusion(model, look: Inspection, prepared, true_label: str | None) -> None:
    st.subheader(t("inside.occlusion_header"))
    _, h, w = prepared.pixels.shape
    auto, _ = default_patch(h, w)
    left, right = st.columns(2)
    default_class = true_label if true_label in look.classes else look.top[0][1]
    # keyed by the default class: when the answer changes (a new stroke), the choice follows it
    label = left.selectbox(t("inside.occlusion_class"), look.classes, index=look.classes.index(default_class),
                           key=f"inside_occlusion_class_{look.classes.index(default_class)}")
    patch = int(right.slider(t("inside.occlusion_patch"), 2, max(2, min(h, w) // 2), min(auto, max(2, min(h, w) // 2)),
                             key="inside_occlusion_patch"))
    occ = occlusion(model, prepared.tensor, look.classes.index(label), patch=patch)
    picture, text = st.columns([1, 2])
    picture.image(images.overlay(prepared.pixels, images.signed_heat(occ.drop), SIDE))
    text.caption(t("inside.occlusion_help", patch=occ.patch, stride=occ.stride, label=label,
                   drop=f"{float(occ.drop.max()) * 100:.1f}", base=f"{occ.base * 100:.1f}",
                   n=positions(h, w, occ.patch, occ.stride)))
