"""Onboard figures beside an ONNX export: what the model costs on a small computer.

File size, parameters, multiply-adds, and on THIS machine's CPU (one thread, as on a
small board's spare core): latency per image at batch 1 and throughput at batch 64 in
onnxruntime against PyTorch eager; optionally the same for the int8 file with its
accuracy change on the validation split. Medians of repeated calls after a warm-up.
"""

from __future__ import annotations

import platform
import statistics
import time
from pathlib import Path

import numpy as np
import torch

from lab.export.onnx import OnnxExport, check_pixels, onnx_logits, session
from lab.runs.store import Run

THROUGHPUT_BATCH = 64


def cpu_features() -> str:
    """The processor and the vector units onnxruntime and PyTorch can use on it."""
    try:
        info = Path("/proc/cpuinfo").read_text()
    except OSError:
        info = ""
    flags = set(info.split())
    wanted = ("avx2", "fma", "avx512f", "avx512_vnni", "avx_vnni", "avx512_bf16", "amx_int8", "amx_bf16", "asimd")
    model = next((line.split(":", 1)[1].strip() for line in info.splitlines() if line.startswith("model name")), "")
    name = model or platform.processor() or platform.machine()
    return f"{name} ({' '.join(f for f in wanted if f in flags) or 'no wide vector units reported'})"


def _median_seconds(call, repeats: int) -> float:
    call()  # warm-up: first calls allocate and pick kernels
    times = []
    for _ in range(repeats):
        started = time.perf_counter()
        call()
        times.append(time.perf_counter() - started)
    return statistics.median(times)


def speed(data: bytes | None, model: torch.nn.Module | None, pixels: np.ndarray, repeats: int = 30) -> dict:
    """{latency_ms (batch 1), throughput (images/s at batch 64)} for ONNX bytes or a torch model."""
    one, many = pixels[:1], pixels[:THROUGHPUT_BATCH]
    if data is not None:
        sess = session(data)
        run_one = lambda: sess.run(["logits"], {"pixels": one})  # noqa: E731
        run_many = lambda: sess.run(["logits"], {"pixels": many})  # noqa: E731
    else:
        t_one, t_many = torch.from_numpy(one), torch.from_numpy(many)

        def run_one():
            with torch.no_grad():
                model(t_one)

        def run_many():
            with torch.no_grad():
                model(t_many)
    latency = _median_seconds(run_one, repeats)
    batch = _median_seconds(run_many, max(3, repeats // 5))
    return {"latency_ms": latency * 1000, "throughput": len(many) / batch}


def accuracy(data: bytes, pixels: np.ndarray, labels: np.ndarray) -> float:
    return float((onnx_logits(data, pixels).argmax(1) == labels).mean())


def onboard_figures(run: Run, export: OnnxExport, model: torch.nn.Module, *, int8: bytes | None = None,
                    data_dir=None, images: int = 2000, repeats: int = 30) -> dict:
    """The figures of ``export`` (and of ``int8``, its quantised file) on this machine's CPU, one thread."""
    threads = torch.get_num_threads()
    torch.set_num_threads(1)
    try:
        pixels, labels = check_pixels(run, export.input_shape, images, data_dir)
        figures = {"size_bytes": export.size, "params": export.params, "macs": export.macs,
                   "cpu": cpu_features(), "dtype": "float32", "threads": 1, "images": len(pixels),
                   "onnx": speed(export.data, None, pixels, repeats), "torch": speed(None, model, pixels, repeats),
                   "accuracy": accuracy(export.data, pixels, labels)}
        if int8 is not None:
            figures["int8"] = {"size_bytes": len(int8), **speed(int8, None, pixels, repeats),
                               "accuracy": accuracy(int8, pixels, labels)}
            figures["int8"]["accuracy_change"] = figures["int8"]["accuracy"] - figures["accuracy"]
        return figures
    finally:
        torch.set_num_threads(threads)
