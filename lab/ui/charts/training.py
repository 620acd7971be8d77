"""Altair charts of a training run: curves, confusion matrix, per-class accuracy.

Builders take plain data (the engine's event dicts, lists of numbers) and already
translated labels, and return a chart; drawing it is the page's business. Data goes
in "long" form (one row per point, a ``series`` column) so train and validation share
one colour legend.
"""

from __future__ import annotations

import math

import altair as alt
import pandas as pd

MAX_STEP_POINTS = 400  # training points drawn; more only slows the browser down
COLORS = {"train": "#1f77b4", "val": "#ff7f0e", "batch": "#6baed6"}
SHAPES = {"batch": "stroke", "train": "circle", "val": "square"}
OVERFIT_COLOR = "#d62728"


def _thin(points: list, limit: int = MAX_STEP_POINTS) -> list:
    if len(points) <= limit:
        return points
    step = len(points) / limit
    picked = [points[int(i * step)] for i in range(limit)]
    return picked + [points[-1]] if picked[-1] is not points[-1] else picked


def _finite(value) -> float | None:
    return float(value) if isinstance(value, (int, float)) and math.isfinite(value) else None


def _epoch_value(event: dict, split: str, metric: str) -> float | None:
    """``train_loss`` / ``val_accuracy``... tolerant of ``acc`` and of missing values."""
    for key in (f"{split}_{metric}", f"{split}_{metric[:3]}"):
        value = _finite(event.get(key))
        if value is not None:
            return value
    return None


def curve_rows(epochs: list[dict], steps: list[dict], metric: str, labels: dict[str, str]) -> pd.DataFrame:
    """Long-form rows (epoch, value, series) for one metric ("loss" or "accuracy"): the
    training points within epochs (metrics.jsonl's "step" events, ``x`` on the epoch axis),
    then each epoch's training mean and validation score at the epoch's end."""
    rows = [{"epoch": float(p["x"]), "value": v, "series": labels["batch"]}
            for p in _thin([p for p in steps if isinstance(p.get("x"), (int, float))])
            if (v := _finite(p.get(metric))) is not None]
    for event in epochs:
        for split in ("train", "val"):
            value = _epoch_value(event, split, metric)
            if value is not None:
                rows.append({"epoch": float(event["epoch"]), "value": value, "series": labels[split]})
    return pd.DataFrame(rows, columns=["epoch", "value", "series"])


def curves_chart(epochs: list[dict], steps: list[dict], metric: str, labels: dict[str, str],
                 *, title: str = "", overfit_epoch: int | None = None, overfit_label: str = "",
                 height: int = 360) -> alt.LayerChart:
    """The training points within epochs as a thin line without markers, each epoch's
    training mean and validation score as thick lines with markers (circles, squares) at
    the epoch's end, the x axis in epochs (fractional), and a red rule where overfitting
    starts with the epochs after it shaded.

    ``steps``: metrics.jsonl's "step" events ({"x", "loss", "accuracy"}); ``labels`` maps
    "train", "val", "batch" and "epoch", "value" to the words shown. ``height`` is the whole
    chart's, title and three-line legend included (Streamlit fits the spec to it): 360 px
    leaves a plot about 150 px high in a half-width column.
    """
    data = curve_rows(epochs, steps, metric, labels)
    series = [labels["batch"], labels["train"], labels["val"]]
    legend = alt.Legend(orient="bottom", direction="vertical", labelLimit=0, symbolStrokeWidth=2)
    color = alt.Color("series:N", title=None, scale=alt.Scale(
        domain=series, range=[COLORS["batch"], COLORS["train"], COLORS["val"]]), legend=legend)
    # the legend shows each series as it is drawn: a line, circles, squares (merged with the colours)
    shape = alt.Shape("series:N", title=None, legend=legend, scale=alt.Scale(
        domain=series, range=[SHAPES["batch"], SHAPES["train"], SHAPES["val"]]))
    x = alt.X("epoch:Q", title=labels["epoch"], scale=alt.Scale(domainMin=0, nice=False),
              axis=alt.Axis(tickMinStep=1))
    y_scale = alt.Scale(domain=[0, 1]) if metric == "accuracy" else alt.Scale(zero=False)
    y = alt.Y("value:Q", title=labels["value"], scale=y_scale,
              axis=alt.Axis(format="%") if metric == "accuracy" else alt.Axis())
    tooltip = [alt.Tooltip("series:N"), alt.Tooltip("epoch:Q", format=".2f"), alt.Tooltip("value:Q", format=".4f")]
    base = alt.Chart(data)
    within = base.transform_filter(alt.datum.series == labels["batch"]).mark_line(strokeWidth=1.3, opacity=0.85) \
        .encode(x=x, y=y, color=color, tooltip=tooltip)
    per_epoch = base.transform_filter(alt.datum.series != labels["batch"])
    lines = per_epoch.mark_line(strokeWidth=2.4).encode(x=x, y=y, color=color, tooltip=tooltip)
    marks = per_epoch.mark_point(filled=True, size=70, opacity=1).encode(x=x, y=y, color=color, shape=shape,
                                                                         tooltip=tooltip)
    layers = [within, lines, marks]
    if overfit_epoch is not None:
        last = max([float(e["epoch"]) for e in epochs] + [float(overfit_epoch)])
        band = pd.DataFrame([{"start": float(overfit_epoch), "end": last, "region": overfit_label}])
        layers.insert(0, alt.Chart(band).mark_rect(color=OVERFIT_COLOR, opacity=0.08)
                      .encode(x="start:Q", x2="end:Q", tooltip=["region:N"]))  # the epochs it overfits, shaded
        mark = pd.DataFrame([{"epoch": float(overfit_epoch), "label": overfit_label}])
        rule = alt.Chart(mark).mark_rule(color=OVERFIT_COLOR, strokeDash=[6, 4], strokeWidth=2) \
            .encode(x="epoch:Q", tooltip=["label:N"])
        text = alt.Chart(mark).mark_text(color=OVERFIT_COLOR, align="left", dx=4, dy=-6, baseline="top",
                                         fontWeight="bold") \
            .encode(x="epoch:Q", y=alt.value(2), text="label:N")
        layers += [rule, text]
    return alt.layer(*layers).properties(title=title, height=height)


def confusion_chart(confusion: list[list[int]], classes: list[str], labels: dict[str, str],
                    size: int = 360) -> alt.LayerChart:
    """Heatmap: rows true class, columns predicted; colour is the share of the true
    class (so rare classes are as readable as common ones), text the count."""
    rows = []
    for i, row in enumerate(confusion):
        total = sum(row) or 1
        for j, count in enumerate(row):
            rows.append({"true": classes[i], "predicted": classes[j], "count": int(count),
                         "share": count / total, "diagonal": i == j})
    data = pd.DataFrame(rows)
    order = list(classes)
    x = alt.X("predicted:N", sort=order, title=labels["predicted"])
    y = alt.Y("true:N", sort=order, title=labels["true"])
    heat = alt.Chart(data).mark_rect().encode(
        x=x, y=y, color=alt.Color("share:Q", scale=alt.Scale(scheme="blues", domain=[0, 1]), legend=None),
        tooltip=[alt.Tooltip("true:N", title=labels["true"]), alt.Tooltip("predicted:N", title=labels["predicted"]),
                 alt.Tooltip("count:Q", title=labels["count"]), alt.Tooltip("share:Q", format=".1%")])
    text = alt.Chart(data).transform_filter(alt.datum["count"] > 0).mark_text(fontSize=11).encode(
        x=x, y=y, text="count:Q",
        color=alt.condition(alt.datum.share > 0.5, alt.value("white"), alt.value("black")))
    return alt.layer(heat, text).properties(width=size, height=size)


def per_class_chart(per_class_accuracy: list[float | None], classes: list[str], labels: dict[str, str],
                    height: int = 260) -> alt.Chart:
    """Bars of accuracy per class, worst classes stand out in a warmer colour."""
    data = pd.DataFrame([{"class": c, "accuracy": a} for c, a in zip(classes, per_class_accuracy) if a is not None])
    return alt.Chart(data).mark_bar().encode(
        x=alt.X("class:N", sort=list(classes), title=labels["class"]),
        y=alt.Y("accuracy:Q", title=labels["accuracy"], scale=alt.Scale(domain=[0, 1]), axis=alt.Axis(format="%")),
        color=alt.Color("accuracy:Q", scale=alt.Scale(scheme="redyellowgreen", domain=[0.5, 1]), legend=None),
        tooltip=[alt.Tooltip("class:N"), alt.Tooltip("accuracy:Q", format=".1%")],
    ).properties(height=height)
