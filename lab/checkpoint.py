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
import os
import pickle
import warnings
from dataclasses import dataclass, field
from pathlib import Path

import torch
import torchvision

from lab.config import ExperimentConfig
from lab.config.limits import MAX_CHECKPOINT_BYTES, MAX_CLASSES
from lab.errors import LabError
from lab.files import read_limited
from lab.model.bounds import check_input

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
    path = Path(path)
    tmp = path.with_suffix(path.suffix + f".tmp{os.getpid()}")
    torch.save(payload, tmp)
    os.replace(tmp, path)  # readers never see half a file


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
            raise LabError(f"not a CNN Lab checkpoint: the key {key!r} is missing")
        if not isinstance(payload[key], kind) or isinstance(payload[key], bool):
            raise LabError(f"not a CNN Lab checkpoint: {key!r} has the wrong type")
    if payload["format"] != FORMAT:
        raise LabError(f"not a CNN Lab checkpoint (format {payload['format'][:40]!r})")
    if payload["version"] > VERSION:
        raise LabError("this checkpoint was written by a newer CNN Lab (format version "
                       f"{min(payload['version'], 10**6)}): update the lab to read it")
    shape = _input_shape(payload["input_shape"])
    classes = _classes(payload["classes"])
    check_input(shape, len(classes))
    mean, std = _normalisation(payload["mean"], payload["std"], shape[0])
    try:
        config = ExperimentConfig.from_dict(payload["config"])
    except LabError as exc:
        raise LabError(f"checkpoint config: {exc}") from None

    from lab.model import build_model  # the architecture package; imported late on purpose

    model = build_model(config.model, shape, len(classes))  # plan bounds checked before any weight exists
    _check_state_dict(model, payload["state_dict"])
    try:
        model.load_state_dict(payload["state_dict"], strict=True)
    except (RuntimeError, TypeError, ValueError) as exc:
        raise LabError(f"checkpoint weights do not fit its architecture ({_first_line(exc)})") from None
    model.eval()
    dataset = payload.get("dataset", "")
    return Checkpoint(model=model, config=config, classes=classes, mean=mean, std=std, input_shape=shape,
                      dataset=dataset[:500] if isinstance(dataset, str) else "",
                      extra=_plain_dict(payload.get("extra")), versions=_plain_dict(payload.get("versions")),
                      origin="upload" if isinstance(source, (bytes, bytearray)) else "file")


def _input_shape(value: list) -> tuple[int, int, int]:
    if len(value) != 3 or not all(isinstance(v, int) and not isinstance(v, bool) and v > 0 for v in value):
        raise LabError("checkpoint input_shape must be three positive whole numbers (C, H, W)")
    return tuple(value)


def _classes(value: list) -> list[str]:
    if len(value) > MAX_CLASSES:
        raise LabError(f"checkpoint classes: {len(value)} is more than the limit of {MAX_CLASSES}")
    if not all(isinstance(c, (str, int)) and not isinstance(c, bool) for c in value):
        raise LabError("checkpoint classes must be names (text)")
    classes = [str(c)[:200] for c in value]
    if len(classes) < 2:
        raise LabError("checkpoint must name at least two classes")
    return classes


def _normalisation(mean: list, std: list, channels: int) -> tuple[list[float], list[float]]:
    def number(v) -> bool:
        return isinstance(v, (int, float)) and not isinstance(v, bool) and math.isfinite(v)

    if len(mean) != channels or len(std) != channels or not all(number(v) for v in mean + std) \
            or any(s <= 0 for s in std):
        raise LabError("checkpoint normalisation (mean, std) does not match the image channels")
    return [float(m) for m in mean], [float(s) for s in std]


def _plain_dict(value) -> dict:
    return dict(value) if isinstance(value, dict) else {}


def _first_line(exc: BaseException) -> str:
    text = str(exc).strip()
    return text.splitlines()[0][:160] if text else type(exc).__name__


# What a refused file is, by its first bytes: said instead of PyTorch's own error text.
_MAGIC = [(b"\x89PNG", "a PNG picture"), (b"\xff\xd8\xff", "a JPEG picture"), (b"GIF8", "a GIF picture"),
          (b"%PDF", "a PDF document"), (b"\x1f\x8b", "a gzip archive")]
_WHAT_TO_DO = "choose the best.pt (or last.pt) of a CNN Lab run"


def _describe(data: bytes) -> str:
    for magic, what in _MAGIC:
        if data.startswith(magic):
            return what
    if data.startswith(b"PK"):
        return "a zip archive that is not a PyTorch file"
    sample = data[:512]
    try:
        sample.decode("utf-8")
        return "a text file"
    except UnicodeDecodeError:
        return "not a PyTorch file"


def _is_torch_file(data: bytes) -> bool:
    """torch.save writes a zip holding ``<name>/data.pkl``; the legacy format starts with a pickle."""
    if data.startswith(b"PK\x03\x04"):
        return b"data.pkl" in data[:4096] or b"data.pkl" in data[-65536:]
    return data[:1] == b"\x80"


def _safe_torch_load(source: str | Path | bytes) -> dict:
    if isinstance(source, (str, Path)):
        data = read_limited(source, MAX_CHECKPOINT_BYTES, "checkpoint")
    else:
        data = bytes(source)
        if len(data) > MAX_CHECKPOINT_BYTES:
            raise LabError(f"the checkpoint is {len(data) / 2**20:,.0f} MB, more than the limit of "
                           f"{MAX_CHECKPOINT_BYTES // 2**20} MB")
    if not data:
        raise LabError("the checkpoint file is empty (0 bytes): " + _WHAT_TO_DO)
    if not _is_torch_file(data):
        raise LabError(f"not a CNN Lab checkpoint: this file is {_describe(data)}; {_WHAT_TO_DO}")
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")  # torch's own advice about weights_only is not for students
            payload = torch.load(io.BytesIO(data), map_location="cpu", weights_only=True)
    except pickle.UnpicklingError:
        # weights_only admits tensors and plain containers only; anything else (a whole
        # pickled model, an optimizer, a custom class) is refused without running it
        raise LabError("refused: this PyTorch file holds Python objects, not only weights and settings "
                       "(for example a whole model saved with torch.save(model)); it is not a CNN Lab "
                       f"checkpoint, and the lab never runs code from a file: {_WHAT_TO_DO}") from None
    except Exception:  # a damaged file: zip, pickle and storage readers raise almost anything
        raise LabError(f"not a CNN Lab checkpoint: the PyTorch file is damaged or cut short; {_WHAT_TO_DO}") from None
    if not isinstance(payload, dict):
        raise LabError(f"not a CNN Lab checkpoint: it holds a {type(payload).__name__}, not the lab's "
                       f"dictionary of weights and settings; {_WHAT_TO_DO}")
    return payload


def _check_state_dict(model: torch.nn.Module, state: dict) -> None:
    expected = model.state_dict()
    missing = [k for k in expected if k not in state]
    unexpected = [k for k in state if k not in expected]
    if missing or unexpected:
        what = f"missing {missing[0]!r}" if missing else f"unexpected {str(unexpected[0])[:80]!r}"
        raise LabError(f"checkpoint weights do not match its architecture ({what})")
    for key, tensor in expected.items():
        value = state[key]
        if not isinstance(value, torch.Tensor) or value.layout != torch.strided:
            raise LabError(f"checkpoint weight {key!r} is not a plain tensor")
        if tuple(value.shape) != tuple(tensor.shape):
            raise LabError(f"checkpoint weight {key!r} has shape {tuple(value.shape)}, the architecture needs {tuple(tensor.shape)}")
        if value.dtype != tensor.dtype:
            raise LabError(f"checkpoint weight {key!r} is {value.dtype}, the architecture needs {tensor.dtype}")
        if value.is_floating_point() and not torch.isfinite(value).all():
            raise LabError(f"checkpoint weight {key!r} holds NaN or infinite values")
