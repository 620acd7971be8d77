"""``python -m lab inspect`` on a ready torchvision network does headless what the Inside page
does: the same stages (names, groups, shapes, receptive fields as the Architecture table), one
PNG per view, Grad-CAM on layer4, the first conv's filters now and at initialisation."""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
from PIL import Image

from lab.cli import main
from lab.model import trace
from ready_run_helpers import ready_run


def test_a_resnet18_run_by_index_writes_every_view_and_lists_its_stages(runs_dir, mnist, tmp_path, capsys):
    run = ready_run(runs_dir, mnist)
    out = tmp_path / "views"
    code = main(["inspect", "--run", run.id, "--runs-dir", str(runs_dir), "--index", "0", "--out", str(out), "--json"])
    obj = json.loads(capsys.readouterr().out)
    assert code == 0
    rows = {layer.name: layer for layer in trace(run.config().model, (1, 28, 28), 10).layers}
    assert [(layer["name"], layer.get("group")) for layer in obj["layers"]] == [
        ("relu", "stem"), ("layer1.1", "layer1"), ("layer2.1", "layer2"), ("layer3.1", "layer3"), ("layer4.1", "layer4")]
    for layer in obj["layers"]:  # the Architecture table's numbers
        assert tuple(layer["output"]) == rows[layer["name"]].output
        assert tuple(layer["receptive_field"]) == rows[layer["name"]].receptive_field
    assert obj["layers"][-1]["receptive_field"] == [109, 109] and obj["label"] == "7"
    assert obj["gradcam_layer"] == "layer4.1" and obj["initial_filters"] is True
    names = {Path(f).name for f in obj["files"]}
    assert {"input.png", "features_relu.png", "features_layer4.1.png", "filters.png", "filters_initial.png",
            "occlusion.png", "softmax.png", "gradcam.npy"} <= names
    filters = np.asarray(Image.open(out / "filters.png"))  # 64 one-channel 3x3 filters, 16 a row: 4 rows
    assert filters.shape[0] == 4 * 39 + 3 and filters.shape[1] == 16 * 39 + 15
    assert np.load(out / "gradcam.npy").shape == (28, 28)


def test_the_text_output_names_each_stage(runs_dir, mnist, tmp_path, capsys):
    run = ready_run(runs_dir, mnist)
    code = main(["inspect", "--run", str(run.dir), "--index", "1", "--out", str(tmp_path / "o")])
    out = capsys.readouterr().out
    assert code == 0
    assert "layer4.1 (layer4)" in out and "512 x 4 x 4" in out and "receptive field 109x109" in out
