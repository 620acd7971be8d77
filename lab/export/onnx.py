"""A run's model as ONNX, for the small computer on board: pixels in, logits out.

The graph takes float32 N x C x H x W pixels in [0, 1] (any batch size), subtracts the
run's mean and divides by its std inside (so the onboard code needs no lab), and returns
the logits. The class names, mean, std and input shape ride in the file's metadata.

Before anything is written the file is run in onnxruntime on real validation images and
compared with PyTorch: the largest absolute logit difference is reported and must be within
``TOLERANCE``, else the export is refused with the figure. ``quantize_int8`` gives the
int8 variant (onnxruntime's dynamic quantiser: weights int8, activations quantised on the fly).
"""

from __future__ import annotations

import importlib.util
import io
import json
import tempfile
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
import torch
from torch import nn

from lab.errors import keyed
from lab.export.messages import MESSAGES
from lab.files import atomic_write
from lab.runs.store import Run

TOLERANCE = 1e-4  # largest absolute logit difference accepted between onnxruntime and PyTorch
OPSET = 17  # understood by every onnxruntime since 1.14 (2023), which small boards still carry
CHECK_IMAGES = 256  # real validation images the export is verified on
CALIBRATION_IMAGES = 256  # validation images static int8 quantisation measures activation ranges on
ONNX_PACKAGES = ("onnx", "onnxruntime")


def missing(packages=ONNX_PACKAGES) -> list[str]:
    """The packages of ``packages`` this Python cannot import (nothing is imported)."""
    return [name for name in packages if importlib.util.find_spec(name) is None]


def require(packages=ONNX_PACKAGES) -> None:
    gone = missing(packages)
    if gone:
        raise keyed(MESSAGES, "export.missing", packages=" ".join(gone))


class PixelsToLogits(nn.Module):
    """The run's model behind its normalisation: [0, 1] pixels in, logits out."""

    def __init__(self, model: nn.Module, mean, std):
        super().__init__()
        self.model = model
        self.register_buffer("mean", torch.tensor(mean, dtype=torch.float32).view(1, -1, 1, 1))
        self.register_buffer("std", torch.tensor(std, dtype=torch.float32).view(1, -1, 1, 1))

    def forward(self, pixels):
        return self.model((pixels - self.mean) / self.std)


@dataclass
class OnnxExport:
    data: bytes  # the .onnx file
    max_diff: float  # largest |logit(onnxruntime) - logit(PyTorch)| on the check images
    images: int  # how many real images were compared
    params: int
    macs: int  # multiply-adds per image (the lab's plan)
    input_shape: tuple[int, int, int]
    classes: list[str]
    metadata: dict = field(default_factory=dict)

    @property
    def size(self) -> int:
        return len(self.data)


def wrapped_model(run: Run):
    """(PixelsToLogits in eval mode, its checkpoint) of the run's best weights."""
    from lab.model.checkpoint import load_checkpoint  # heavy: loaded on first use, to keep start-up light

    if not run.has_checkpoint():
        raise keyed(MESSAGES, "export.no_checkpoint", run=run.id)
    ckpt = load_checkpoint(run.model_checkpoint())
    return PixelsToLogits(ckpt.model, ckpt.mean, ckpt.std).eval(), ckpt


def check_pixels(run: Run, shape, n: int = CHECK_IMAGES, data_dir=None) -> tuple[np.ndarray, np.ndarray]:
    """(float32 pixels in [0, 1] fitted to ``shape``, labels) of the first ``n`` validation images."""
    from lab.runs.evaluation import split_images  # heavy: loads the dataset on first use
    from lab.train.data import fit_size  # heavy: loaded on first use, to keep start-up light

    x, y, _, _ = split_images(run, "val", data_dir)
    x = fit_size(x[:n], shape[-2:]) if tuple(x.shape[-2:]) != tuple(shape[-2:]) else x[:n]
    return (x.float() / 255.0).numpy(), y[:n].numpy()


def onnx_bytes(model: nn.Module, shape, metadata: dict) -> bytes:
    """The model as ONNX (TorchScript exporter: the dynamo one needs onnxscript) with metadata."""
    import onnx  # optional dependency: a machine without it runs everything but this export

    buffer = io.BytesIO()
    torch.onnx.export(model, (torch.zeros(1, *shape),), buffer, dynamo=False, opset_version=OPSET,
                      input_names=["pixels"], output_names=["logits"],
                      dynamic_axes={"pixels": {0: "batch"}, "logits": {0: "batch"}})
    proto = onnx.load_from_string(buffer.getvalue())
    for key, value in metadata.items():
        entry = proto.metadata_props.add()
        entry.key, entry.value = key, value
    proto.producer_name = "CNN Lab"
    return proto.SerializeToString()


def session(data: bytes, threads: int = 1):
    import onnxruntime as ort  # optional dependency: a machine without it runs everything but this export

    options = ort.SessionOptions()
    options.intra_op_num_threads = threads
    options.inter_op_num_threads = 1
    return ort.InferenceSession(data, options, providers=["CPUExecutionProvider"])


def onnx_logits(data: bytes, pixels: np.ndarray, batch: int = 256) -> np.ndarray:
    sess = session(data)
    parts = [sess.run(["logits"], {"pixels": pixels[i:i + batch]})[0] for i in range(0, len(pixels), batch)]
    return np.concatenate(parts) if parts else np.zeros((0, 0), np.float32)


def max_logit_difference(data: bytes, model: nn.Module, pixels: np.ndarray) -> float:
    with torch.no_grad():
        expected = model(torch.from_numpy(pixels)).numpy()
    return float(np.abs(onnx_logits(data, pixels) - expected).max())


def build_onnx(run: Run, *, data_dir=None, images: int = CHECK_IMAGES, tolerance: float = TOLERANCE,
               tamper=None) -> OnnxExport:
    """The run's model as a verified ONNX file (bytes); refused when onnxruntime disagrees.
    ``tamper(bytes) -> bytes`` changes the file before the check (the refusal's test)."""
    from lab.model.ready_plan import model_plan  # heavy: loaded on first use, to keep start-up light

    require()
    model, ckpt = wrapped_model(run)
    shape = tuple(ckpt.input_shape)
    metadata = {"classes": json.dumps(list(ckpt.classes)), "mean": json.dumps(list(ckpt.mean)),
                "std": json.dumps(list(ckpt.std)), "input_shape": json.dumps(list(shape)),
                "input": "float32 N x C x H x W pixels in [0, 1]; normalised inside", "run": run.id,
                "output": "logits (softmax gives probabilities), one per class in the order of 'classes'"}
    data = onnx_bytes(model, shape, metadata)
    if tamper is not None:
        data = tamper(data)
    pixels, _ = check_pixels(run, shape, images, data_dir)
    diff = max_logit_difference(data, model, pixels)
    if not diff <= tolerance:  # NaN fails too
        raise keyed(MESSAGES, "export.onnx_mismatch", n=len(pixels), diff=diff, limit=tolerance)
    plan = model_plan(ckpt.config.model, shape, len(ckpt.classes))
    return OnnxExport(data, diff, len(pixels), sum(p.numel() for p in ckpt.model.parameters()),
                      sum(s.macs for s in plan.steps()), shape, list(ckpt.classes), metadata)


def export_onnx(run: Run, path: str | Path, **kw) -> OnnxExport:
    """Build, verify, then write the file (nothing is written when the check fails)."""
    result = build_onnx(run, **kw)
    atomic_write(path, result.data)
    return result


def int8_for(run: Run, export: OnnxExport, method: str = "static", data_dir=None) -> bytes:
    """The int8 file of ``export``: ``static`` calibrates on the run's first validation images."""
    if method == "dynamic":
        return quantize_int8(export.data)
    return quantize_int8(export.data, check_pixels(run, export.input_shape, CALIBRATION_IMAGES, data_dir)[0])


def quantize_int8(data: bytes, calibration: np.ndarray | None = None) -> bytes:
    """The int8 variant by onnxruntime's quantiser. Without ``calibration``: dynamic (weights
    int8 per channel, activations quantised on the fly at every call). With ``calibration``
    ([0, 1] pixels of real validation images): static, QDQ format, the activations' ranges
    measured once on those images, so the whole network runs in int8 kernels."""
    from onnxruntime.quantization import (  # optional dependency, see require()
        CalibrationDataReader, QuantFormat, QuantType, quantize_dynamic, quantize_static)

    class Reader(CalibrationDataReader):
        def __init__(self, pixels: np.ndarray, batch: int = 32):
            self.batches = iter([{"pixels": pixels[i:i + batch]} for i in range(0, len(pixels), batch)])

        def get_next(self):
            return next(self.batches, None)

    with tempfile.TemporaryDirectory() as folder:
        src, dst = Path(folder) / "fp32.onnx", Path(folder) / "int8.onnx"
        src.write_bytes(data)
        if calibration is None:
            quantize_dynamic(src, dst, weight_type=QuantType.QInt8, per_channel=True)
        else:
            quantize_static(src, dst, Reader(calibration), quant_format=QuantFormat.QDQ, per_channel=True,
                            activation_type=QuantType.QUInt8, weight_type=QuantType.QInt8)
        return dst.read_bytes()
