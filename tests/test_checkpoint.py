"""Self-describing checkpoints: what loads, and what is refused without running anything."""

from __future__ import annotations

import pickle

import pytest
import torch

from lab.model.checkpoint import FORMAT, VERSION, load_checkpoint, save_checkpoint
from lab.config import ExperimentConfig
from lab.errors import LabError
from lab.model import build_model, preset

SHAPE = (1, 28, 28)
CLASSES = [str(i) for i in range(10)]


def model_and_config():
    cfg = ExperimentConfig()
    cfg.model = preset("mnist_cnn", "mnist")  # BatchNorm buffers too, not only weights
    torch.manual_seed(0)
    return build_model(cfg.model, SHAPE, 10), cfg


def payload(**changes) -> dict:
    model, cfg = model_and_config()
    data = {"format": FORMAT, "version": VERSION, "state_dict": model.state_dict(), "config": cfg.to_dict(),
            "classes": CLASSES, "mean": [0.1307], "std": [0.3081], "input_shape": list(SHAPE), "dataset": "mnist",
            "extra": {"epoch": 3}}
    data.update(changes)
    return data


def saved(tmp_path, data, name="m.pt"):
    path = tmp_path / name
    torch.save(data, path)
    return path


def test_a_checkpoint_round_trip_rebuilds_the_same_model(tmp_path):
    model, _ = model_and_config()
    ckpt = load_checkpoint(saved(tmp_path, payload()))
    assert ckpt.classes == CLASSES and ckpt.mean == [0.1307] and ckpt.input_shape == SHAPE
    assert ckpt.config.model.preset == "mnist_cnn" and ckpt.extra == {"epoch": 3}
    assert not ckpt.model.training
    x = torch.randn(4, *SHAPE)
    model.eval()
    assert torch.equal(ckpt.model(x), model(x))
    # bytes (an uploaded file) work the same as a path
    assert load_checkpoint(saved(tmp_path, payload()).read_bytes()).classes == CLASSES


def test_what_save_checkpoint_writes_loads_back_with_weights_only(tmp_path):
    model, cfg = model_and_config()
    path = tmp_path / "best.pt"
    save_checkpoint(path, model, cfg, CLASSES, [0.1307], [0.3081], SHAPE, extra={"epoch": 1})
    ckpt = load_checkpoint(path)
    assert ckpt.classes == CLASSES
    assert ckpt.versions["torch"] == str(torch.__version__) and ckpt.extra == {"epoch": 1}
    assert ckpt.dataset == cfg.data.dataset


class _Evil:
    """Unpickling this calls open(marker, "w"): code that runs just by loading the file."""

    def __init__(self, marker):
        self.marker = str(marker)

    def __reduce__(self):
        return (open, (self.marker, "w"))


def test_a_pickle_that_would_run_code_is_refused_and_runs_nothing(tmp_path):
    marker = tmp_path / "pwned"
    path = saved(tmp_path, payload(extra={"x": _Evil(marker)}))
    with pytest.raises(LabError, match="refused"):
        load_checkpoint(path)
    assert not marker.exists()
    with pytest.raises(LabError):
        load_checkpoint(path.read_bytes())
    assert not marker.exists()
    # the file really is an exploit: an unsafe load would have created the marker
    proof = tmp_path / "proof"
    torch.save({"x": _Evil(proof)}, tmp_path / "proof.pt")
    torch.load(tmp_path / "proof.pt", weights_only=False)
    assert proof.exists()


@pytest.mark.filterwarnings("ignore:Detected pickle protocol")
def test_a_raw_pickle_is_refused(tmp_path):
    path = tmp_path / "raw.pt"
    path.write_bytes(pickle.dumps(payload()))
    with pytest.raises(LabError):
        load_checkpoint(path)


def test_a_weight_of_the_wrong_shape_is_refused_naming_it(tmp_path):
    data = payload()
    key = next(k for k in data["state_dict"] if k.endswith("weight") and data["state_dict"][k].dim() == 4)
    data["state_dict"][key] = torch.zeros(5, 5, 5, 5)
    with pytest.raises(LabError, match=f"{key}.*shape"):
        load_checkpoint(saved(tmp_path, data))


def test_a_missing_weight_is_refused(tmp_path):
    data = payload()
    key = next(iter(data["state_dict"]))
    del data["state_dict"][key]
    with pytest.raises(LabError, match=f"missing '{key}'"):
        load_checkpoint(saved(tmp_path, data))


@pytest.mark.parametrize("key", ["classes", "state_dict", "config", "mean", "input_shape"])
def test_a_checkpoint_missing_a_part_is_refused_naming_it(tmp_path, key):
    data = payload()
    del data[key]
    with pytest.raises(LabError, match=f"'{key}' is missing"):
        load_checkpoint(saved(tmp_path, data))


def test_nan_weights_and_wrong_normalisation_are_refused(tmp_path):
    data = payload()
    key = next(k for k, v in data["state_dict"].items() if v.is_floating_point())
    data["state_dict"][key] = torch.full_like(data["state_dict"][key], float("nan"))
    with pytest.raises(LabError, match="NaN"):
        load_checkpoint(saved(tmp_path, data))
    with pytest.raises(LabError, match="normalisation"):
        load_checkpoint(saved(tmp_path, payload(mean=[0.1, 0.2, 0.3]), "b.pt"))


def test_an_empty_or_foreign_file_is_refused(tmp_path):
    empty = tmp_path / "e.pt"
    empty.write_bytes(b"")
    with pytest.raises(LabError, match="empty"):
        load_checkpoint(empty)
    with pytest.raises(LabError, match="not a CNN Lab checkpoint"):
        load_checkpoint(saved(tmp_path, {"format": "something-else", **{k: v for k, v in payload().items()
                                                                         if k != "format"}}))
    with pytest.raises(LabError):
        load_checkpoint(saved(tmp_path, [1, 2, 3], "list.pt"))
