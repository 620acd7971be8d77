"""Altair charts of the journal: several runs' curves overlaid.

One colour per run; the line style tells the split (training dashed, validation
solid), so a glance shows which run learns faster and which one overfits. Builders
take the long-form points of ``lab.runs.journal.curves`` and already translated labels.
"""

from __future__ import annotations

import altair as alt
import pandas as pd

DASH = {"train": [6, 4], "val": [1, 0]}  # Vega strokeDash: [dash, gap] pixels; [1, 0] = solid


def overlay_chart(points: list[dict], metric: str, labels: dict[str, str], height: int = 360) -> alt.Chart:
    """Curves of ``metric`` ("loss" or "accuracy") for every run in ``points``.

    ``labels`` maps "train", "val", "epoch", "run", "split" and the metric's name to the
    words shown. ``height`` is the whole chart's, the run legend below the plot included.
    """
    rows = [{"run": p["run"], "epoch": p["epoch"], "value": p["value"], "split": labels[p["split"]]}
            for p in points if p["metric"] == metric]
    data = pd.DataFrame(rows, columns=["run", "epoch", "value", "split"])
    dash = alt.StrokeDash("split:N", title=labels["split"], scale=alt.Scale(
        domain=[labels["train"], labels["val"]], range=[DASH["train"], DASH["val"]]),
        legend=None)  # the page's caption says it: a legend of line styles draws no line here
    return (
        alt.Chart(data, title=labels[metric], height=height)
        .mark_line(point=alt.OverlayMarkDef(size=30))
        .encode(
            x=alt.X("epoch:Q", title=labels["epoch"], axis=alt.Axis(tickMinStep=1)),
            y=alt.Y("value:Q", title=labels[metric], scale=alt.Scale(zero=False)),
            color=alt.Color("run:N", title=labels["run"], scale=alt.Scale(scheme="tableau10"),
                            legend=alt.Legend(orient="bottom", direction="vertical", labelLimit=360)),
            strokeDash=dash,
            detail="split:N",
            tooltip=[alt.Tooltip("run:N", title=labels["run"]), alt.Tooltip("split:N", title=labels["split"]),
                     alt.Tooltip("epoch:Q", title=labels["epoch"]),
                     alt.Tooltip("value:Q", title=labels[metric], format=".4f")],
        )
    )
