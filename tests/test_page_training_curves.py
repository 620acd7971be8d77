"""The Training page's curves within an epoch: the journal's "step" points (a training point
every few batches) drawn as a thin line on a fractional epoch axis, against the per-epoch
validation points, in the loss and the accuracy chart alike, in both languages."""

from __future__ import annotations

import json

import pyarrow as pa
import pytest
from streamlit.testing.v1 import AppTest

from lab.config import ExperimentConfig
from lab.i18n import translate
from lab.runs.store import RunStore


def plant_short_run(runs_dir):
    """A 2-epoch run as the worker leaves it: 16 training points an epoch, then the epoch's record."""
    run = RunStore(runs_dir).create(ExperimentConfig(), name="short")
    run.append({"event": "start", "epochs": 2, "steps_per_epoch": 47, "sizes": {"train": 3000, "val": 12000}})
    for epoch in (1, 2):
        for k, batch in enumerate([*range(3, 47, 3), 47], start=1):
            x = (epoch - 1) + batch / 47
            run.append({"event": "step", "epoch": epoch, "batch": batch, "batches": 47, "x": x,
                        "loss": 2.3 / (1 + 2 * x), "accuracy": min(0.95, 0.1 + 0.5 * x), "averaged": 3})
        run.append({"event": "epoch", "epoch": epoch, "epochs": 2, "train_loss": 1.0 / epoch, "train_accuracy": 0.6,
                    "val_loss": 0.5 / epoch, "val_accuracy": 0.8 + 0.05 * epoch})
    run.write_summary({"status": "finished", "epochs": 2, "seconds": 10.0, "best_val_accuracy": 0.9})
    return run


def chart_rows(chart) -> list[dict]:
    """The rows a chart draws (Streamlit sends the spec's datasets as Arrow tables beside it)."""
    rows = [row for rows in json.loads(chart.proto.spec).get("datasets", {}).values() for row in rows]
    for named in chart.proto.datasets:
        rows += pa.ipc.open_stream(named.data.data).read_pandas().to_dict("records")
    return rows


@pytest.mark.parametrize("lang", ["en", "ru"])
def test_both_charts_draw_training_points_within_each_epoch_against_the_validation_points(runs_dir, lang):
    run = plant_short_run(runs_dir)
    at = AppTest.from_file("../app.py", default_timeout=60)
    at.session_state["lab.language"] = lang
    at.session_state["lab.training.runs"] = [run.id]
    at.switch_page("pages/training.py")
    at.run()
    assert not at.exception
    charts = at.get("vega_lite_chart") + at.get("arrow_vega_lite_chart")
    curves = [c for c in charts if any("series" in r for r in chart_rows(c))]
    assert len(curves) == 2  # loss and accuracy
    within, train, val = (translate(f"training.series.{k}", lang) for k in ("batch", "train", "val"))
    for chart in curves:
        rows = chart_rows(chart)
        points = [r for r in rows if r["series"] == within]
        assert len(points) == 32  # 16 an epoch: the accuracy chart is no longer empty through epoch 1
        assert sum(1 for r in points if r["epoch"] <= 1) == 16 and min(r["epoch"] for r in points) == pytest.approx(3 / 47)
        assert [r["epoch"] for r in rows if r["series"] == val] == [1.0, 2.0]
        assert [r["epoch"] for r in rows if r["series"] == train] == [1.0, 2.0]
        spec = json.loads(chart.proto.spec)
        marks = [layer["mark"] for layer in spec["layer"]]
        # the points within epochs: a thin line without markers; the per-epoch ones: markers
        assert {"type": "line", "strokeWidth": 1.3, "opacity": 0.85} in marks
        assert any(m.get("type") == "point" and m.get("filled") for m in marks)
