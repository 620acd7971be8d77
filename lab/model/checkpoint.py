"""Self-describing checkpoints: weights + config + class names + normalisation.

Any tool can rebuild the model from the file alone. Loading never unpickles: files are
read with ``torch.load(weights_only=True)``, which only admits tensors and plain
containers, and then every key and every tensor shape is checked against the model
that the stored config builds. A file that fails any check is refused with a message;
nothing in it runs.
"""

from __future__ import annotations

import io
import math
import pickle
import warnings
from dataclasses import dataclass, field
from pathlib import Path

import torch
import torchvision

from lab.config import ExperimentConfig
from lab.config.limits import MAX_CHECKPOINT_BYTES, MAX_CLASSES
from lab.model.checkpoint_messages import MESSAGES
from lab.errors import LabError, within
from lab.files import atomic_write, read_limited
from lab.errors import keyed
from lab.model.bounds import check_input
from lab.model import build_model

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
    # "file": read from a path the lab or its user chose (a run folder, the CLI); "upload":
    # bytes from a browser. An uploaded checkpoint's config may name folders on the server:
    # lab.predict.source_data never follows them.
    origin: str = "file"


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
    atomic_write(path, lambda f: torch.save(payload, f))  # readers never see half a file


def checkpoint_bytes(path: str | Path) -> bytes:
    return Path(path).read_bytes()


def load_checkpoint(source: str | Path | bytes) -> Checkpoint:
    """Load and verify a checkpoint from a path or the bytes of an uploaded file.

    Order matters: the cheap checks and the size bounds (``lab.model.bounds``) run on the
    stored numbers before the model is built, so a 200 KB file that claims a 3000x3000
    input or a billion hidden units is refused without allocating anything.
    """
    payload = _safe_torch_load(source)
    for key, kind in REQUIRED.items():
        if key not in payload:
            raise keyed(MESSAGES, "checkpoint.missing_key", name=repr(key))
        if not isinstance(payload[key], kind) or isinstance(payload[key], bool):
            raise keyed(MESSAGES, "checkpoint.wrong_type", name=repr(key))
    if payload["format"] != FORMAT:
        raise keyed(MESSAGES, "checkpoint.format", format=repr(payload['format'][:40]))
    if payload["version"] > VERSION:
        raise keyed(MESSAGES, "checkpoint.newer", version=min(payload['version'], 10**6))
    shape = _input_shape(payload["input_shape"])
    classes = _classes(payload["classes"])
    check_input(shape, len(classes))
    mean, std = _normalisation(payload["mean"], payload["std"], shape[0])
    try:
        config = ExperimentConfig.from_dict(payload["config"])
    except LabError as exc:
        raise within(MESSAGES, "checkpoint.config", exc) from None

    model = build_model(config.model, shape, len(classes))  # plan bounds checked before any weight exists
    _check_state_dict(model, payload["state_dict"])
    try:
        model.load_state_dict(payload["state_dict"], strict=True)
    except (RuntimeError, TypeError, ValueError) as exc:
        raise keyed(MESSAGES, "checkpoint.weights_misfit", detail=_first_line(exc)) from None
    model.eval()
    dataset = payload.get("dataset", "")
    return Checkpoint(model=model, config=config, classes=classes, mean=mean, std=std, input_shape=shape,
                      dataset=dataset[:500] if isinstance(dataset, str) else "",
                      extra=_plain_dict(payload.get("extra")), versions=_plain_dict(payload.get("versions")),
                      origin="upload" if isinstance(source, (bytes, bytearray)) else "file")


def _input_shape(value: list) -> tuple[int, int, int]:
    if len(value) != 3 or not all(isinstance(v, int) and not isinstance(v, bool) and v > 0 for v in value):
        raise keyed(MESSAGES, "checkpoint.input_shape")
    return tuple(value)


def _classes(value: list) -> list[str]:
    if len(value) > MAX_CLASSES:
        raise keyed(MESSAGES, "checkpoint.too_many_classes", n=len(value), limit=MAX_CLASSES)
    if not all(isinstance(c, (str, int)) and not isinstance(c, bool) for c in value):
        raise keyed(MESSAGES, "checkpoint.class_names")
    classes = [str(c)[:200] for c in value]
    if len(classes) < 2:
        raise keyed(MESSAGES, "checkpoint.two_classes")
    return classes


def _normalisation(mean: list, std: list, channels: int) -> tuple[list[float], list[float]]:
    def number(v) -> bool:
        return isinstance(v, (int, float)) and not isinstance(v, bool) and math.isfinite(v)

    if len(mean) != channels or len(std) != channels or not all(number(v) for v in mean + std) \
            or any(s <= 0 for s in std):
        raise keyed(MESSAGES, "checkpoint.normalisation")
    return [float(m) for m in mean], [float(s) for s in std]


def _plain_dict(value) -> dict:
    return dict(value) if isinstance(value, dict) else {}


def _first_line(exc: BaseException) -> str:
    text = str(exc).strip()
    return text.splitlines()[0][:160] if text else type(exc).__name__


# What a refused file is, by its first bytes: said instead of PyTorch's own error text.
_MAGIC = [(b"\x89PNG", "checkpoint.kind.png"), (b"\xff\xd8\xff", "checkpoint.kind.jpeg"),
          (b"GIF8", "checkpoint.kind.gif"), (b"%PDF", "checkpoint.kind.pdf"), (b"\x1f\x8b", "checkpoint.kind.gzip")]


def _describe(data: bytes) -> tuple[str, dict]:
    """A ``checkpoint.kind.*`` message."""
    return (_kind(data), {})


def _kind(data: bytes) -> str:
    for magic, what in _MAGIC:
        if data.startswith(magic):
            return what
    if data.startswith(b"PK"):
        return "checkpoint.kind.zip"
    sample = data[:512]
    try:
        sample.decode("utf-8")
        return "checkpoint.kind.text"
    except UnicodeDecodeError:
        return "checkpoint.kind.other"


def _is_torch_file(data: bytes) -> bool:
    """torch.save writes a zip holding ``<name>/data.pkl``; the legacy format starts with a pickle."""
    if data.startswith(b"PK\x03\x04"):
        return b"data.pkl" in data[:4096] or b"data.pkl" in data[-65536:]
    return data[:1] == b"\x80"


def read_torch_dict(source: str | Path | bytes) -> dict:
    """The dictionary a PyTorch file holds, read without unpickling (``weights_only``), within
    the lab's size bound; a keyed LabError (``checkpoint.*``) for anything else. Also how a
    state dict a student uploads is read (``lab.train.transfer``)."""
    return _safe_torch_load(source)


def _safe_torch_load(source: str | Path | bytes) -> dict:
    if isinstance(source, (str, Path)):
        data = read_limited(source, MAX_CHECKPOINT_BYTES, "checkpoint")
    else:
        data = bytes(source)
        if len(data) > MAX_CHECKPOINT_BYTES:
            raise keyed(MESSAGES, "checkpoint.too_big", mb=round(len(data) / 2**20), limit=MAX_CHECKPOINT_BYTES // 2**20)
    if not data:
        raise keyed(MESSAGES, "checkpoint.empty")
    if not _is_torch_file(data):
        raise keyed(MESSAGES, "checkpoint.not_torch", what=_describe(data))
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")  # torch's own advice about weights_only is not for students
            payload = torch.load(io.BytesIO(data), map_location="cpu", weights_only=True)
    except pickle.UnpicklingError:
        # weights_only admits tensors and plain containers only; anything else (a whole
        # pickled model, an optimizer, a custom class) is refused without running it
        raise keyed(MESSAGES, "checkpoint.objects") from None
    except Exception:  # a damaged file: zip, pickle and storage readers raise almost anything
        raise keyed(MESSAGES, "checkpoint.damaged") from None
    if not isinstance(payload, dict):
        raise keyed(MESSAGES, "checkpoint.not_dict", kind=type(payload).__name__)
    return payload


def _check_state_dict(model: torch.nn.Module, state: dict) -> None:
    expected = model.state_dict()
    missing = [k for k in expected if k not in state]
    unexpected = [k for k in state if k not in expected]
    if missing or unexpected:
        if missing:
            raise keyed(MESSAGES, "checkpoint.missing_weight", name=repr(missing[0]))
        raise keyed(MESSAGES, "checkpoint.unexpected_weight", name=repr(str(unexpected[0])[:80]))
    for key, tensor in expected.items():
        value = state[key]
        if not isinstance(value, torch.Tensor) or value.layout != torch.strided:
            raise keyed(MESSAGES, "checkpoint.not_tensor", name=repr(key))
        if tuple(value.shape) != tuple(tensor.shape):
            raise keyed(MESSAGES, "checkpoint.shape", name=repr(key), shape=tuple(value.shape), needs=tuple(tensor.shape))
        if value.dtype != tensor.dtype:
            raise keyed(MESSAGES, "checkpoint.dtype", name=repr(key), dtype=value.dtype, needs=tensor.dtype)
        if value.is_floating_point() and not torch.isfinite(value).all():
            raise keyed(MESSAGES, "checkpoint.not_finite", name=repr(key))
