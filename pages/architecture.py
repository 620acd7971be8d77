"""Architecture: the conv-formula calculator and the builder with its live shape tracer.

The page only reads widgets and draws; formulas, tracing, building and code export are
``lab.model``. The builder edits ``state.experiment().model``: what the training page trains.
"""

from __future__ import annotations

import pandas as pd
import streamlit as st

from lab.config import ConvBlock, ModelConfig
from lab.config.bounds import BLOCK, MODEL
from lab.runs.course import progress
from lab.errors import LabError
from lab.model import ALL_PRESET_NAMES, READY_NAMES, model_source, preset, recommended_preset, trace
from lab.model.freeze import frozen_rows
from lab.model.edit import pair_text, parse_hidden, parse_pair_text, with_block_added, with_block_removed
from lab.model.inputs import dataset_classes, model_input_shape, raw_image_shape
from lab.model.messages import HINT_KEYS, PROBLEM_KEYS
from lab.model.shapes import LAYER_KINDS, ShapeError, layer_output, pair, wrong_formula
from lab.i18n import numbers
from lab.ui import inputs, state
from lab.ui.format import count, dataset_label
from lab.ui.i18n import t
from lab.ui.lab_errors import error_text
from lab.ui.network_drawing import show_network_drawing
from lab.ui.ready_arch import ready_panel
from lab.ui.router import ensure_app_router

HEAD_NAMES = {"flatten": "architecture.head.flatten", "gap": "architecture.head.gap"}
POOL_LABELS = {
    "none": "architecture.pool_label.none", "max": "architecture.pool_label.max",
    "avg": "architecture.pool_label.avg"
}

ensure_app_router()  # a direct URL (/training) must still go through app.py

ACTIVATIONS = ["relu", "leaky_relu", "gelu", "elu", "silu", "tanh", "sigmoid", "none"]
KIND_LABELS = {"conv2d": "Conv2d", "maxpool2d": "MaxPool2d", "avgpool2d": "AvgPool2d"}
CALC_RANGE = (1, 4096)  # the calculator's sizes and channels: any image the lab takes, and more


def shape_text(shape) -> str:
    return " × ".join(str(v) for v in shape) if shape else "?"


def calc_error_text(exc: LabError) -> str:
    """A ShapeError (its key is ``architecture.calc_problem.<code>``) or any other LabError,
    in the page's language."""
    if isinstance(exc, ShapeError):
        return error_text(exc)
    return t("error.prefix", message=error_text(exc))


def layer_problem(layer) -> str:
    where = t("architecture.where", block=layer.block, layer=layer.name.partition(".")[2] or layer.name)
    return f"{where}: {t(PROBLEM_KEYS[layer.problem_code], **layer.problem_fmt)}"


# ---------------------------------------------------------------- calculator

def render_calculator(default_shape: tuple[int, int, int]) -> None:
    st.caption(t("architecture.calc_intro"))
    kind = st.radio(t("architecture.layer_kind"), LAYER_KINDS, format_func=KIND_LABELS.get, horizontal=True,
                    key=state.translated_choice("arch_calc_kind"))
    cols = st.columns(3)
    c, h, w = (inputs.number(t(label), CALC_RANGE, v, key=f"arch_calc_{n}", where=col)
               for col, n, label, v in zip(cols, "chw", ("architecture.input_c", "architecture.input_h",
                                                         "architecture.input_w"), default_shape))
    cols = st.columns(4)
    kernel = cols[0].text_input(t("architecture.kernel"), "3", help=t("architecture.pair_help"), key="arch_calc_k")
    # the box starts with PyTorch's default, shown: 1 for Conv2d, the kernel for a pooling (one box per kind)
    stride = cols[1].text_input(t("architecture.stride"), "1" if kind == "conv2d" else kernel,
                                help=t("architecture.stride_help"), key=f"arch_calc_s_{kind}")
    padding = cols[2].text_input(t("architecture.padding"), "0", help=t("architecture.pair_help"),
                                 key="arch_calc_p")
    dilation = cols[3].text_input(t("architecture.dilation"), "1", help=t("architecture.pair_help"),
                                  key="arch_calc_d", disabled=kind == "avgpool2d")
    out_channels, ceil = None, False
    if kind == "conv2d":
        out_channels = inputs.number(t("architecture.out_channels"), CALC_RANGE, 16, key="arch_calc_out")
    else:
        ceil = st.checkbox(t("architecture.ceil_mode"), help=t("architecture.ceil_help"), key="arch_calc_ceil")
    try:
        res = layer_output(kind, (c, h, w), kernel, stride.strip() or None, padding,
                           "1" if kind == "avgpool2d" else dilation, out_channels, ceil)
    except LabError as exc:
        st.error(calc_error_text(exc))
        return
    st.metric(t("architecture.output"), shape_text(res.output))
    typed = {"architecture.kernel": (kernel, res.h.kernel, res.w.kernel),
             "architecture.padding": (padding, res.h.padding, res.w.padding),
             "architecture.stride": (stride, res.h.stride, res.w.stride),
             "architecture.dilation": (dilation, res.h.dilation, res.w.dilation)}
    for label, (text, h, w) in typed.items():
        if any(mark in text for mark in "x×"):  # "3x3" is taken as 3,3: say so rather than silently
            st.caption(t("architecture.read_as", name=t(label), h=h, w=w))
    st.markdown(f"**{t('architecture.formula')}**")
    general = ("H_out = ⌈(H + 2p − d·(k − 1) − 1) / s⌉ + 1" if ceil
               else "H_out = ⌊(H + 2p − d·(k − 1) − 1) / s⌋ + 1")
    st.code(f"{general}\n{res.h.formula()}\n{res.w.formula()}", language=None)
    if not ceil:
        wrong = wrong_formula(res.h.size, res.h.kernel, res.h.stride, res.h.padding, res.h.dilation)
        if wrong != res.h.out:
            st.caption(t("architecture.wrong_copy", wrong=f"{wrong:g}", size=res.h.size, kernel=res.h.kernel,
                         right=res.h.out))
    if res.dropped_rows or res.dropped_cols:
        st.info(t("architecture.dropped", rows=res.dropped_rows, cols=res.dropped_cols), icon=":material/crop:")
    else:
        st.caption(t("architecture.nothing_dropped"))


# ---------------------------------------------------------------- builder

def model_input() -> tuple[tuple, tuple, int, str | None]:
    """(dataset shape, shape the model sees after crops, classes, augmentation problem)."""
    exp = state.experiment()
    shape, classes = raw_image_shape(exp.data), dataset_classes(exp.data)
    if classes is None:  # an image folder: load it once to count its classes
        from lab.ui.data import load_dataset

        data = load_dataset(exp.data)
        shape, classes = data.shape, data.num_classes
    model_shape, problem = model_input_shape(shape, exp.augment)
    return shape, model_shape, classes, problem


def _load_preset(name: str, dataset: str) -> None:
    state.experiment().model = preset(name, dataset)
    state.bump_architecture_editor()


def _add_block() -> None:
    exp = state.experiment()
    exp.model = with_block_added(exp.model)
    state.bump_architecture_editor()


def _remove_block(index: int) -> None:
    exp = state.experiment()
    exp.model = with_block_removed(exp.model, index)
    state.bump_architecture_editor()


def pair_input(col, label: str, value, key: str, name: str):
    text = col.text_input(label, pair_text(value), help=t("architecture.pair_help"), key=key)
    try:
        return parse_pair_text(text, name)
    except ShapeError as exc:
        col.error(t("architecture.bad_value", message=calc_error_text(exc)))
        return value


def block_editor(i: int, b: ConvBlock, key: str, broken: bool, removable: bool) -> ConvBlock:
    pool = t(POOL_LABELS[b.pool], size=b.pool_size)
    kh, kw = pair(b.kernel, "kernel")
    label = t("architecture.block_title", n=i + 1, filters=b.filters, kernel=f"{kh}×{kw}", pool=pool)
    if broken:
        label += " " + t("architecture.block_broken")
    with st.expander(label, expanded=broken or i == 0, icon=":material/error:" if broken else None):
        r1 = st.columns(3)
        filters = inputs.number(t("architecture.filters"), BLOCK["filters"], b.filters, key=f"{key}f", where=r1[0])
        convs = inputs.number(t("architecture.convs"), BLOCK["convs"], b.convs, key=f"{key}n", where=r1[1])
        activation = r1[2].selectbox(t("architecture.activation"), ACTIVATIONS, ACTIVATIONS.index(b.activation),
                                     key=f"{key}a")
        r2 = st.columns(4)
        kernel = pair_input(r2[0], t("architecture.kernel"), b.kernel, f"{key}k", "kernel")
        stride = pair_input(r2[1], t("architecture.stride"), b.stride, f"{key}s", "stride")
        padding = pair_input(r2[2], t("architecture.padding"), b.padding, f"{key}p", "padding")
        dilation = pair_input(r2[3], t("architecture.dilation"), b.dilation, f"{key}d", "dilation")
        r3 = st.columns([1, 2])
        batchnorm = r3[0].checkbox(t("architecture.batchnorm"), b.batchnorm, key=f"{key}bn")
        residual = r3[1].checkbox(t("architecture.residual"), b.residual, help=t("architecture.residual_help"),
                                  key=f"{key}r")
        r4 = st.columns(3)
        pools = ["none", "max", "avg"]
        pool_kind = r4[0].selectbox(t("architecture.pool"), pools, pools.index(b.pool), key=f"{key}pl")
        pool_low, pool_high = BLOCK["pool_size"].widget_range()
        pool_size = inputs.number(t("architecture.pool_size"), BLOCK["pool_size"],
                                  min(pool_high, max(pool_low, b.pool_size)),  # unchecked when pool is none
                                  key=f"{key}ps", disabled=pool_kind == "none", where=r4[1])
        dropout = inputs.number(t("architecture.dropout"), BLOCK["dropout"], float(b.dropout), 0.05, key=f"{key}do",
                                where=r4[2])
        if removable:
            st.button(t("architecture.remove_block", n=i + 1), key=f"{key}rm", on_click=_remove_block, args=(i,),
                      icon=":material/delete:")
    return ConvBlock(filters=int(filters), kernel=kernel, stride=stride, padding=padding, dilation=dilation,
                     convs=int(convs), batchnorm=batchnorm, activation=activation, residual=residual,
                     pool=pool_kind, pool_size=int(pool_size), dropout=round(float(dropout), 4))


def head_editor(cfg: ModelConfig, key: str) -> dict:
    with st.expander(t("architecture.head_title"), expanded=True, icon=":material/hub:"):
        heads = ["flatten", "gap"]
        head = st.radio(t("architecture.head"), heads, heads.index(cfg.head),  # labels made in this run (AppTest)
                        format_func={h: t(HEAD_NAMES[h]) for h in heads}.get, key=state.translated_choice(f"{key}head"))
        cols = st.columns(3)
        text = cols[0].text_input(t("architecture.hidden"), ", ".join(str(v) for v in cfg.hidden),
                                  help=t("architecture.hidden_help"), key=f"{key}hidden")
        try:
            hidden = parse_hidden(text)
        except LabError as exc:
            cols[0].error(t("architecture.bad_value", message=error_text(exc)))
            hidden = list(cfg.hidden)
        drop = inputs.number(t("architecture.head_dropout"), MODEL["head_dropout"], float(cfg.head_dropout), 0.05,
                             key=f"{key}hdrop", where=cols[1])
        act = cols[2].selectbox(t("architecture.head_activation"), ACTIVATIONS,
                                ACTIVATIONS.index(cfg.head_activation), key=f"{key}hact")
    return dict(head=head, hidden=hidden, head_dropout=round(float(drop), 4), head_activation=act)


CHAR_PX, CELL_PAD_PX = 8, 28  # the table's font, about, and a cell's padding with the sort mark


def decimal(x: float) -> str:
    """0.2215 -> "0.22" / "0,22": two decimals, the language's decimal sign and grouping."""
    return numbers.count(round(x, 2), state.language())


def fitting_width(header: str, values) -> int:
    """Pixels for a column that shows its header and every value whole."""
    return CHAR_PX * max([len(header), *(len(str(v)) for v in values)]) + CELL_PAD_PX


def trace_table(tr, cfg, shape, classes) -> None:
    # the layers "What trains" (Training page, train.freeze) keeps fixed: a column of their own
    names = [layer.name for layer in tr.layers]
    frozen = frozen_rows(state.experiment().train.freeze, cfg, shape, classes, names) if tr.ok else set()
    rows = [{
        t("architecture.col.layer"): layer.name,
        t("architecture.col.torch"): layer.layer,
        t("architecture.col.output"): shape_text(layer.output),
        t("architecture.col.params"): count(layer.params),
        t("architecture.col.macs"): count(layer.macs),
        t("architecture.col.rf"): shape_text(layer.receptive_field) if layer.receptive_field else "",
        **({t("transfer.col.frozen"): "✓" if layer.name in frozen else ""} if frozen else {}),
        t("architecture.col.problem"): layer_problem(layer) if layer.problem else "",
    } for layer in tr.layers]
    df = pd.DataFrame(rows)
    problem_col = t("architecture.col.problem")
    styled = df.style.apply(
        lambda row: ["background-color: #fde2e1; color: #8a1c1c" if row[problem_col] else "" for _ in row], axis=1)
    # the long texts get the room (they were cut to a few letters); the others as wide as their
    # header or their longest value, in this language ("Multiply-ad", "32 × 26 × 2" were cut)
    # (the problem column, last, takes the rest)
    wide = {problem_col: st.column_config.TextColumn(problem_col, width="large")}
    wide.update({col: st.column_config.TextColumn(col, width=fitting_width(col, df[col]))
                 for col in df.columns if col not in wide})
    st.dataframe(styled, hide_index=True, width="stretch", column_config=wide,
                 height=min(38 + 35 * len(rows), 900))


def render_builder() -> None:
    exp = state.experiment()
    try:
        raw_shape, shape, classes, aug_problem = model_input()
    except LabError as exc:
        st.error(t("error.prefix", message=error_text(exc)))
        return
    crop = t("architecture.after_augment") if tuple(shape) != tuple(raw_shape) else ""
    st.caption(t("architecture.input_from", shape=shape_text(shape), dataset=dataset_label(exp.data.dataset), crop=crop,
                 classes=classes))
    if aug_problem:
        st.warning(t("architecture.augment_problem", message=aug_problem))

    recommended = recommended_preset(exp.data.dataset)
    baseline_first = progress(state.run_store()).baseline is None  # the course: the baseline before anything
    labels = {n: t("architecture.recommended", name=n, dataset=dataset_label(exp.data.dataset))
              if n == recommended else n for n in ALL_PRESET_NAMES}
    labels.update({n: t("architecture.ready.preset_label", name=n) for n in READY_NAMES})
    if baseline_first:
        labels["baseline"] = t("architecture.baseline_first", name="baseline")
        st.info(t("architecture.baseline_first_note"), icon=":material/flag:")
    cols = st.columns([3, 1], vertical_alignment="bottom")
    choice = cols[0].selectbox(
        t("architecture.preset"), ALL_PRESET_NAMES,
        # a ready network stays shown as what is loaded; otherwise the course's next step
        ALL_PRESET_NAMES.index(exp.model.preset if exp.model.preset in READY_NAMES
                               else "baseline" if baseline_first else recommended),
        help=t("architecture.preset_help"),
        # labels made now, in this run's language (AppTest calls format_func later, outside it)
        format_func=labels.get,
        key=f"arch_preset_{state.language()}")  # a new language: labels drawn anew
    cols[1].button(t("architecture.use_preset"), on_click=_load_preset, args=(choice, exp.data.dataset),
                   icon=":material/restart_alt:", width="stretch")

    cfg = exp.model
    try:
        tr = trace(cfg, shape, classes)
    except LabError as exc:  # a hand-edited config with an invalid value
        st.error(t("error.prefix", message=error_text(exc)))
        return
    st.caption(t("architecture.started_from", name=cfg.preset))
    broken_blocks = {layer.block for layer in tr.layers if layer.problem}
    key = f"arch{state.architecture_editor_version()}_"

    left, right = st.columns([1, 1])
    with left:
        if cfg.ready:  # torchvision's layers: no blocks to edit, the stem to choose
            edited = ready_panel(cfg, shape, classes, key)
        else:
            blocks = [block_editor(i, b, f"{key}b{i}_", i + 1 in broken_blocks, len(cfg.blocks) > 1)
                      for i, b in enumerate(cfg.blocks)]
            st.button(t("architecture.add_block"), on_click=_add_block, disabled=len(cfg.blocks) >= 10,
                      icon=":material/add:")
    with right:
        if not cfg.ready:
            head = head_editor(cfg, key)
            edited = ModelConfig(preset=cfg.preset, blocks=blocks, **head)
        m = st.columns(2)
        m[0].metric(t("architecture.metric_params"), count(tr.total_params))
        m[1].metric(t("architecture.metric_size"), t("architecture.size_value", mb=decimal(tr.size_mb)))
        m = st.columns(2)
        m[0].metric(t("architecture.metric_macs"), t("architecture.macs_value", m=decimal(tr.total_macs / 1e6)))
        m[1].metric(t("architecture.metric_features"), count(tr.flatten_features) if tr.flatten_features else "?")
        for layer in tr.layers:
            if layer.problem:
                st.error(t("architecture.broken", message=layer_problem(layer)), icon=":material/error:")
                break
        for hint in tr.hints:
            st.info(t(HINT_KEYS[hint.code], **hint.fmt), icon=":material/lightbulb:")

    if edited != cfg:  # a widget changed: store it, and draw everything again from the new config
        exp.model = edited
        st.rerun()

    st.subheader(t("architecture.trace_title"))
    st.caption(t("architecture.macs_note"))
    show_network_drawing(tr.plan)
    trace_table(tr, cfg, shape, classes)
    st.subheader(t("architecture.code_title"))
    if tr.ok:
        st.code(model_source(cfg, shape, classes), language="python")
    else:
        st.info(t("architecture.code_broken"))


st.title(t("nav.architecture"))
TABS = {"calc": t("architecture.tab_calc"), "builder": t("architecture.tab_builder")}
calc_tab, builder_tab = st.tabs(list(TABS.values()), default=TABS[state.architecture_tab()], key="arch_tab",
                                on_change=lambda: state.set_architecture_tab(
                                    next(k for k, v in TABS.items() if v == st.session_state["arch_tab"])))
with builder_tab:  # first: the calculator's default input is the builder's input
    render_builder()
with calc_tab:
    try:
        default = model_input()[1]
    except LabError:
        default = (1, 28, 28)
    render_calculator(tuple(int(v) for v in default))
