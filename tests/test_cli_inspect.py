"""``python -m lab inspect``: one PNG per view and gradcam.npy in DIR, the layers and top
classes as JSON; a bad run or picture is one line on stderr and status 2."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest
import torch
from PIL import Image

from lab.cli import main
from lab.model import trace
from test_predict_support import digit_image, paper_digit, trained_checkpoint_path

ROOT = Path(__file__).resolve().parent.parent


@pytest.fixture(scope="module")
def run_dir(mnist, tmp_path_factory):
    """A journal run whose best.pt is a real MNIST model and which kept its initial filters."""
    from lab.model.checkpoint import load_checkpoint
    from lab.config import ExperimentConfig
    from lab.inspect import save_initial_filters
    from lab.model import build_model
    from lab.runs.store import RunStore

    ckpt = trained_checkpoint_path(mnist, tmp_path_factory)
    run = RunStore(tmp_path_factory.mktemp("inspect-runs")).create(ExperimentConfig(), name="baseline")
    run.checkpoint_path("best").write_bytes(ckpt.read_bytes())
    cfg = load_checkpoint(ckpt).config
    torch.manual_seed(0)
    save_initial_filters(run.dir, build_model(cfg.model, (1, 28, 28), 10))
    return run.dir


def cli(capsys, *args) -> tuple[int, str, str]:
    code = main(["inspect", *args])
    out = capsys.readouterr()
    return code, out.out, out.err


def test_json_lists_the_layers_the_top_classes_and_the_files(run_dir, mnist, tmp_path, capsys):
    image = tmp_path / "paper-seven.png"
    paper_digit(mnist.test_x[0]).save(image)
    out = tmp_path / "views"
    code, stdout, _ = cli(capsys, "--run", str(run_dir), "--image", str(image), "--out", str(out), "--json")
    assert code == 0
    obj = json.loads(stdout)
    rows = {layer.name: layer for layer in trace(preset_cfg(run_dir), (1, 28, 28), 10).layers}
    assert [layer["name"] for layer in obj["layers"]] == ["block1.act1", "block1.pool"]
    for layer in obj["layers"]:
        assert tuple(layer["output"]) == rows[layer["name"]].output
        assert tuple(layer["receptive_field"]) == rows[layer["name"]].receptive_field
    assert obj["top"][0]["class"] == "7" and len(obj["top"]) == 3
    assert sum(t["probability"] for t in obj["top"]) <= 1.0 + 1e-6
    names = {Path(f).name for f in obj["files"]}
    assert {"input.png", "features_block1.act1.png", "features_block1.pool.png", "filters.png",
            "filters_initial.png", "gradcam_1_7.png", "occlusion.png", "softmax.png", "gradcam.npy"} <= names
    assert obj["initial_filters"] is True and obj["gradcam_layer"] == "block1.act1"
    assert all(Path(f).is_file() for f in obj["files"])
    heat = np.load(out / "gradcam.npy")
    assert heat.dtype == np.float32 and heat.shape == (28, 28)
    assert heat.max() == pytest.approx(1.0) and heat.min() >= 0.0
    grid = np.asarray(Image.open(out / "features_block1.act1.png"))
    assert grid.shape[0] > 28 and grid.shape[1] > 28 * 8  # 32 channels tiled, not one map


def preset_cfg(run_dir):
    from lab.model.checkpoint import load_checkpoint

    return load_checkpoint(Path(run_dir) / "best.pt").config.model


def test_a_test_image_by_index_names_its_true_class(run_dir, tmp_path, capsys):
    code, stdout, _ = cli(capsys, "--run", str(run_dir / "best.pt"), "--index", "1", "--split", "test",
                          "--out", str(tmp_path), "--json")
    assert code == 0
    obj = json.loads(stdout)
    assert obj["label"] == "2" and obj["top"][0]["class"] == "2"
    assert obj["initial_filters"] is True  # best.pt lies in its run folder: the file is found


def test_text_output_names_each_layer(run_dir, mnist, tmp_path, capsys):
    image = tmp_path / "d.png"
    digit_image(mnist.test_x[1]).save(image)
    code, stdout, _ = cli(capsys, "--run", str(run_dir), "--image", str(image), "--out", str(tmp_path / "o"))
    assert code == 0
    assert "block1.act1" in stdout and "receptive field 3x3" in stdout and "wrote" in stdout


@pytest.mark.parametrize("case", ["not_a_picture", "missing_image", "missing_run", "index_out_of_range"])
def test_bad_input_is_one_line_and_status_2(run_dir, tmp_path, capsys, case):
    bad = tmp_path / "bad.png"
    bad.write_bytes(b"this is not a picture")
    args = {
        "not_a_picture": ["--run", str(run_dir), "--image", str(bad)],
        "missing_image": ["--run", str(run_dir), "--image", str(tmp_path / "nope.png")],
        "missing_run": ["--run", str(tmp_path / "no-run"), "--image", str(bad)],
        "index_out_of_range": ["--run", str(run_dir), "--index", "999999"],
    }[case]
    code, stdout, stderr = cli(capsys, *args, "--out", str(tmp_path / "out"))
    assert code == 2 and stdout == ""
    assert len(stderr.strip().splitlines()) == 1 and stderr.startswith("error:")


def test_in_a_real_process_a_bad_run_exits_2_with_one_line(tmp_path):
    image = tmp_path / "d.png"
    Image.new("L", (28, 28)).save(image)
    result = subprocess.run([sys.executable, "-m", "lab", "inspect", "--run", str(tmp_path / "nothing"),
                             "--image", str(image), "--out", str(tmp_path)], cwd=ROOT, capture_output=True, text=True)
    assert result.returncode == 2 and len(result.stderr.strip().splitlines()) == 1
