"""The ONNX export: [0, 1] pixels in, the run's logits out, verified in onnxruntime at export,
and predicting what the lab's own evaluation of the checkpoint predicts."""

from __future__ import annotations

import json

import numpy as np
import pytest
import torch

from lab.cli import main
from lab.config import ExperimentConfig
from lab.config.model import ConvBlock, ModelConfig
from lab.errors import LabError
from lab.export.onnx import TOLERANCE, export_onnx, onnx_logits
from lab.model import preset
from lab.runs.evaluation import split_scores
from lab.runs.store import RunStore
from lab.train.session import prepare, run as train

onnx = pytest.importorskip("onnx")
ort = pytest.importorskip("onnxruntime")


def trained(tmp_path_factory, data_dir, model: ModelConfig, name: str):
    """A tiny real MNIST run: 1,000 training images, one epoch, 3,000 validation images (2,000 compared)."""
    torch.set_num_threads(1)
    cfg = ExperimentConfig()
    cfg.model = model
    cfg.data.train_limit, cfg.data.val_fraction, cfg.train.epochs = 1000, 0.05, 1
    store = RunStore(tmp_path_factory.mktemp(name) / "runs")
    run_ = store.create(cfg, name=name)
    assert train(prepare(cfg, data_dir), run_).status == "finished"
    return run_


RESIDUAL = ModelConfig(preset="custom", blocks=[
    ConvBlock(filters=8, kernel=3, padding=1, pool="max"),
    ConvBlock(filters=8, kernel=3, padding=1, convs=2, batchnorm=True, residual=True, pool="max")])


@pytest.fixture(scope="module")
def runs(tmp_path_factory, shared_datasets, mnist_cnn_run):
    return {"plain": trained(tmp_path_factory, shared_datasets, preset("baseline", "mnist"), "plain"),
            "residual": trained(tmp_path_factory, shared_datasets, RESIDUAL, "residual"),
            "batchnorm": mnist_cnn_run}


def val_pixels(scores, run_):
    """The validation images the lab scored, as the [0, 1] floats a drone's camera code would give."""
    from lab.runs.evaluation import split_images

    x, y, _, _ = split_images(run_, "val")
    return (x.float() / 255).numpy()[:2000], y.numpy()[:2000]


@pytest.mark.parametrize("kind", ["plain", "batchnorm", "residual"])
def test_onnx_predicts_what_the_labs_evaluation_predicts(runs, kind, tmp_path):
    run_ = runs[kind]
    path = tmp_path / "model.onnx"
    result = export_onnx(run_, path)
    assert result.max_diff <= TOLERANCE and result.images > 0

    lab_scores = split_scores(run_, "val")
    pixels, labels = val_pixels(lab_scores, run_)
    assert len(labels) == 2000 or len(labels) == len(lab_scores.labels)
    logits = onnx_logits(path.read_bytes(), pixels)
    onnx_accuracy = float((logits.argmax(1) == labels).mean())
    lab_accuracy = float((lab_scores.predictions[:len(labels)] == lab_scores.labels[:len(labels)]).mean())
    assert abs(onnx_accuracy - lab_accuracy) <= 0.002, (onnx_accuracy, lab_accuracy)
    assert onnx_accuracy > 0.3  # a trained model (chance is 0.1), not two agreeing random ones
    assert (logits.argmax(1) == lab_scores.predictions[:len(labels)]).mean() >= 0.998


def test_the_graph_takes_any_batch_of_pixels_and_carries_classes_and_normalisation(runs, tmp_path):
    run_ = runs["batchnorm"]
    result = export_onnx(run_, tmp_path / "m.onnx")
    model = onnx.load(str(tmp_path / "m.onnx"))
    meta = {p.key: p.value for p in model.metadata_props}
    assert json.loads(meta["classes"]) == [str(i) for i in range(10)]
    assert len(json.loads(meta["mean"])) == 1 and 0.1 < json.loads(meta["mean"])[0] < 0.15  # MNIST's 0.13
    assert json.loads(meta["input_shape"]) == [1, 28, 28]
    sess = ort.InferenceSession(str(tmp_path / "m.onnx"))
    (inp,) = sess.get_inputs()
    assert inp.type == "tensor(float)" and not isinstance(inp.shape[0], int)  # a named, dynamic batch
    for n in (1, 7):
        assert sess.run(None, {inp.name: np.random.rand(n, 1, 28, 28).astype(np.float32)})[0].shape == (n, 10)
    assert result.params == sum(p.numel() for p in torch.load(run_.model_checkpoint(), weights_only=True)
                                ["state_dict"].values() if p.dtype.is_floating_point) - _bn_buffers(run_)
    assert result.macs > 1_000_000


def _bn_buffers(run_) -> int:
    state = torch.load(run_.model_checkpoint(), weights_only=True)["state_dict"]
    return sum(v.numel() for k, v in state.items() if k.endswith(("running_mean", "running_var")))


def flip_a_weight(data: bytes) -> bytes:
    """Change one weight of the file by 0.5: a file that no longer computes the model."""
    model = onnx.load_from_string(data)
    from onnx import numpy_helper

    init = next(i for i in model.graph.initializer if len(i.dims) == 4)
    w = numpy_helper.to_array(init).copy()
    w.flat[0] += 0.5
    init.CopyFrom(numpy_helper.from_array(w, init.name))
    return model.SerializeToString()


def test_a_file_that_disagrees_with_pytorch_is_refused_with_the_figure_and_not_written(runs, tmp_path):
    path = tmp_path / "bad.onnx"
    with pytest.raises(LabError) as caught:
        export_onnx(runs["plain"], path, tamper=flip_a_weight)
    assert caught.value.key == "export.onnx_mismatch"
    assert float(caught.value.params["diff"]) > TOLERANCE
    assert "largest logit difference" in str(caught.value) and "1e-04" in str(caught.value)
    assert not path.exists()


def test_cli_exports_onnx_and_prints_the_difference(runs, tmp_path, capsys):
    run_ = runs["plain"]
    out = tmp_path / "plain.onnx"
    assert main(["export", str(run_.dir), "--onnx", str(out)]) == 0
    printed = capsys.readouterr().out
    assert out.stat().st_size > 10_000
    assert "largest logit difference" in printed and "onnxruntime" in printed


def test_cli_refusal_is_one_line_and_exit_2(runs, tmp_path, capsys, monkeypatch):
    import lab.export.onnx as module

    real = module.onnx_bytes
    monkeypatch.setattr(module, "onnx_bytes", lambda *a: flip_a_weight(real(*a)))  # a broken exporter
    code = main(["export", str(runs["plain"].dir), "--onnx", str(tmp_path / "x.onnx")])
    err = capsys.readouterr().err.strip()
    assert code == 2 and len(err.splitlines()) == 1 and "largest logit difference" in err
    assert not (tmp_path / "x.onnx").exists()


@pytest.mark.parametrize("method", ["static", "dynamic"])
def test_figures_and_int8_beside_the_export(runs, tmp_path, capsys, method):
    run_ = runs["batchnorm"]
    out = tmp_path / "cnn.onnx"
    assert main(["export", str(run_.dir), "--onnx", str(out), "--int8", method]) == 0
    printed = capsys.readouterr().out
    int8 = tmp_path / "cnn.int8.onnx"
    assert int8.exists() and int8.stat().st_size < out.stat().st_size / 2  # int8 weights: about a quarter
    for words in ("parameters", "multiply-adds", "ms per image (batch 1)", "images/s", f"onnxruntime int8 ({method})",
                  "PyTorch eager", "validation accuracy", "points on 2000 images", "this machine's CPU"):
        assert words in printed, words
    # the quantised model still classifies: within 2 points of the float one on 2,000 images
    change = float(printed.split("points on 2000")[0].rsplit("(", 1)[1])
    assert abs(change) <= 2.0


def test_a_ready_torchvision_model_exports_and_onnxruntime_agrees(tmp_path_factory, shared_datasets, tmp_path):
    """MobileNetV3-Small with its small-image stem (issue 22): depthwise convs, squeeze-excitation,
    Hardswish; a tiny run (200 images, one epoch) is enough to check the graph computes what torch does."""
    torch.set_num_threads(1)
    cfg = ExperimentConfig()
    cfg.model = preset("mobilenet_v3_small")
    cfg.data.train_limit, cfg.data.val_fraction, cfg.train.epochs, cfg.train.batch_size = 200, 0.05, 1, 50
    run_ = RunStore(tmp_path_factory.mktemp("ready") / "runs").create(cfg, name="ready")
    assert train(prepare(cfg, shared_datasets), run_).status == "finished"
    result = export_onnx(run_, tmp_path / "ready.onnx", images=200)
    assert result.max_diff <= TOLERANCE and result.images == 200
    from lab.model import trace

    tr = trace(cfg.model, (1, 28, 28), 10)
    assert (result.params, result.macs) == (tr.total_params, tr.total_macs)  # the tracer's own figures
    pixels, _ = val_pixels(None, run_)
    logits = onnx_logits((tmp_path / "ready.onnx").read_bytes(), pixels[:200])
    assert logits.shape == (200, 10)
