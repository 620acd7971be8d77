"""The learning-rate range test's chart: smoothed training loss against the learning rate.

The x axis is logarithmic (the sweep is exponential: each decade gets the same width), the
y axis starts at the data, not at 0, so the dip before the explosion is visible; the
suggested rate is a red dashed rule labelled with the rule that chose it. Builders take
plain lists and translated words and return an Altair chart; drawing it is the page's job.
"""

from __future__ import annotations

import altair as alt
import pandas as pd

LINE_COLOR = "#1f77b4"
MARK_COLOR = "#d62728"


def lr_find_chart(lrs: list[float], losses: list[float | None], suggested: float | None, *, mark_label: str,
                  x_title: str, y_title: str, height: int = 320) -> alt.LayerChart:
    """``losses``: the smoothed loss at each rate of ``lrs`` (None where it was not a number)."""
    rows = pd.DataFrame([{"lr": lr, "loss": loss} for lr, loss in zip(lrs, losses) if loss is not None],
                        columns=["lr", "loss"])
    x = alt.X("lr:Q", title=x_title, scale=alt.Scale(type="log", nice=False),
              axis=alt.Axis(format="~e", tickCount=10))
    y = alt.Y("loss:Q", title=y_title, scale=alt.Scale(zero=False))
    tooltip = [alt.Tooltip("lr:Q", format=".2e"), alt.Tooltip("loss:Q", format=".4f")]
    layers = [alt.Chart(rows).mark_line(color=LINE_COLOR, strokeWidth=2.2).encode(x=x, y=y, tooltip=tooltip)]
    if suggested is not None:
        mark = pd.DataFrame([{"lr": suggested, "label": mark_label}])
        base = alt.Chart(mark).encode(x="lr:Q")
        layers.append(base.mark_rule(color=MARK_COLOR, strokeDash=[6, 4], strokeWidth=2).encode(tooltip=["label:N"]))
        layers.append(base.mark_text(color=MARK_COLOR, align="left", dx=5, dy=-6, baseline="top", fontSize=12,
                                     fontWeight="bold").encode(y=alt.value(4), text="label:N"))
    return alt.layer(*layers).properties(height=height)
