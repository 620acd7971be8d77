"""Self-describing checkpoints: weights + config + class names + normalisation.

Any tool can rebuild the model from the file alone. Loading never unpickles: files are
read with ``torch.load(weights_only=True)``, which only admits tensors and plain
containers, and then every key and every tensor shape is checked against the model
that the stored config builds. A file that fails any check is refused with a message;
nothing in it runs.
"""

from __future__ import annotations

import io
import os
import pickle
from dataclasses import dataclass, field
from pathlib import Path

import torch
import torchvision

from lab.config import ExperimentConfig
from lab.errors import LabError

FORMAT = "cnn-lab-checkpoint"
VERSION = 1
REQUIRED = {"format": str, "version": int, "state_dict": dict, "config": dict, "classes": list,
            "mean": list, "std": list, "input_shape": list}


@dataclass
class Checkpoint:
    model: torch.nn.Module  # in eval mode, on the CPU
    config: ExperimentConfig
    classes: list[str]
    mean: list[float]
    std: list[float]
    input_shape: tuple[int, int, int]  # (C, H, W) the model takes, after augmentation crops
    dataset: str = ""
    extra: dict = field(default_factory=dict)  # metrics at save time, epoch, run id...
    versions: dict = field(default_factory=dict)


def save_checkpoint(path: str | Path, model: torch.nn.Module, config: ExperimentConfig, classes: list[str],
                    mean: list[float], std: list[float], input_shape: tuple[int, int, int],
                    extra: dict | None = None) -> None:
    payload = {
        "format": FORMAT, "version": VERSION,
        "state_dict": {k: v.detach().to("cpu").clone() for k, v in model.state_dict().items()},
        "config": config.to_dict(), "classes": [str(c) for c in classes],
        "mean": [float(m) for m in mean], "std": [float(s) for s in std],
        "input_shape": [int(v) for v in input_shape], "dataset": config.data.dataset,
        "versions": {"torch": str(torch.__version__), "torchvision": str(torchvision.__version__), "lab": VERSION},
        "extra": dict(extra or {}),
    }
    path = Path(path)
    tmp = path.with_suffix(path.suffix + f".tmp{os.getpid()}")
    torch.save(payload, tmp)
    os.replace(tmp, path)  # readers never see half a file


def checkpoint_bytes(path: str | Path) -> bytes:
    return Path(path).read_bytes()


def load_checkpoint(source: str | Path | bytes) -> Checkpoint:
    """Load and verify a checkpoint from a path or the bytes of an uploaded file."""
    payload = _safe_torch_load(source)
    for key, kind in REQUIRED.items():
        if key not in payload:
            raise LabError(f"not a CNN Lab checkpoint: the key {key!r} is missing")
        if not isinstance(payload[key], kind):
            raise LabError(f"not a CNN Lab checkpoint: {key!r} has the wrong type")
    if payload["format"] != FORMAT:
        raise LabError(f"not a CNN Lab checkpoint (format {payload['format']!r})")
    if payload["version"] > VERSION:
        raise LabError(f"this checkpoint was written by a newer CNN Lab (format version {payload['version']})")
    config = ExperimentConfig.from_dict(payload["config"])
    classes = [str(c) for c in payload["classes"]]
    shape = payload["input_shape"]
    if len(shape) != 3 or not all(isinstance(v, int) and v > 0 for v in shape):
        raise LabError("checkpoint input_shape must be three positive numbers (C, H, W)")
    channels = shape[0]
    mean, std = payload["mean"], payload["std"]
    if len(mean) != channels or len(std) != channels or any(not isinstance(s, (int, float)) or s <= 0 for s in std):
        raise LabError("checkpoint normalisation does not match the image channels")
    if len(classes) < 2:
        raise LabError("checkpoint must name at least two classes")

    from lab.model import build_model  # the architecture package; imported late on purpose

    model = build_model(config.model, tuple(shape), len(classes))
    _check_state_dict(model, payload["state_dict"])
    model.load_state_dict(payload["state_dict"], strict=True)
    model.eval()
    return Checkpoint(model=model, config=config, classes=classes, mean=[float(m) for m in mean],
                      std=[float(s) for s in std], input_shape=tuple(shape), dataset=str(payload.get("dataset", "")),
                      extra=dict(payload.get("extra") or {}), versions=dict(payload.get("versions") or {}))


def _safe_torch_load(source: str | Path | bytes) -> dict:
    if isinstance(source, (str, Path)):
        try:
            data = Path(source).read_bytes()
        except OSError as exc:
            raise LabError(f"cannot read checkpoint {source}: {exc.strerror or exc}") from None
    else:
        data = source
    if not data:
        raise LabError("the checkpoint file is empty")
    try:
        payload = torch.load(io.BytesIO(data), map_location="cpu", weights_only=True)
    except (pickle.UnpicklingError, RuntimeError, EOFError, ValueError, TypeError, AttributeError,
            ImportError, IndexError, KeyError, OSError, UnicodeDecodeError) as exc:
        first = str(exc).strip().splitlines()[0][:200] if str(exc).strip() else type(exc).__name__
        raise LabError(f"refused: not a safe CNN Lab checkpoint ({first})") from None
    if not isinstance(payload, dict):
        raise LabError("not a CNN Lab checkpoint: expected a dictionary of weights and settings")
    return payload


def _check_state_dict(model: torch.nn.Module, state: dict) -> None:
    expected = model.state_dict()
    missing = [k for k in expected if k not in state]
    unexpected = [k for k in state if k not in expected]
    if missing or unexpected:
        what = f"missing {missing[0]!r}" if missing else f"unexpected {unexpected[0]!r}"
        raise LabError(f"checkpoint weights do not match its architecture ({what})")
    for key, tensor in expected.items():
        value = state[key]
        if not isinstance(value, torch.Tensor):
            raise LabError(f"checkpoint weight {key!r} is not a tensor")
        if tuple(value.shape) != tuple(tensor.shape):
            raise LabError(f"checkpoint weight {key!r} has shape {tuple(value.shape)}, the architecture needs {tuple(tensor.shape)}")
        if value.is_floating_point() and not torch.isfinite(value).all():
            raise LabError(f"checkpoint weight {key!r} holds NaN or infinite values")
