"""What decides a run's numbers besides its config and seed: held equal, and recorded.

On a CPU the thread count changes the numbers. oneDNN's convolution weight gradient and
MKL's matrix products split their sums by thread, and float addition is not associative,
so the same config and seed reach other weights. Measured 2026-12-03 (torch 2.14.1, the
course's 2-core Xeon, MNIST ``mnist_cnn``, 1,500 images, 1 epoch, seed 5;
``python -m bench.bench_thread_numbers --mode default|deterministic|no-onednn``):

================================================  ==================  ==================
setting                                            val loss, 1 thread  val loss, 2 threads
================================================  ==================  ==================
default                                            0.6318160400390626  0.6264330647786458
``torch.use_deterministic_algorithms(True)``       0.6318160400390626  0.6264330647786458
oneDNN off + ``MKL_CBWR=AUTO,STRICT``              0.647663330078125   0.647663330078125
================================================  ==================  ==================

Deterministic algorithms govern CUDA kernels, not how a CPU splits a sum. Switching oneDNN
off (and MKL to its strict reproducible mode) does make 1 and 2 threads agree, but a
convolution step then costs 1.5x (135 -> 208 ms per batch of 64 at 1 thread) and a whole
run about 3x: more than a second thread ever gains (1.5x). So the thread count is part of
the run instead: every trainer (the page's workers, ``lab train``, ``lab submit``'s
worker) trains a run with ``run_threads`` threads, the same number on one machine unless a
student asks for another (``lab train --threads N``), and the run records it with the rest
of ``record``. Two runs whose records differ (another CPU, a GPU, another torch, another
thread count) may differ in their numbers: ``lab.runs.changes.numerics_differences`` says so.
"""

from __future__ import annotations

import contextlib
import os
import platform
from functools import lru_cache

from lab.classroom.caps import Caps

NUMERICS_FIELDS = ("threads", "device", "processor", "torch", "compute_dtype")  # what ``record`` holds


def default_threads() -> int:
    """The thread count this machine trains with: the page's workers' (``Caps.torch_threads``:
    $LAB_TORCH_THREADS, else the physical cores shared among the workers)."""
    return max(1, Caps.from_env().torch_threads)


def run_threads(meta: dict) -> int:
    """The thread count a run trains with: the one it recorded, else this machine's default."""
    try:
        threads = int(meta.get("threads") or 0)
    except (TypeError, ValueError):
        threads = 0
    return threads if threads > 0 else default_threads()


def recorded_threads(meta: dict) -> int:
    """The thread count a run trained with (its record), else the one it would train with."""
    numerics = meta.get("numerics")
    threads = numerics.get("threads") if isinstance(numerics, dict) else None
    return threads if isinstance(threads, int) and threads > 0 else run_threads(meta)


@contextlib.contextmanager
def held_threads(threads: int):
    """Train with exactly ``threads`` intra-op threads; the process's own count afterwards."""
    import torch  # heavy: loaded on first use, to keep start-up light

    before = torch.get_num_threads()
    torch.set_num_threads(threads)
    try:
        yield threads
    finally:
        torch.set_num_threads(before)


def record(config) -> dict:
    """What besides the config decides the numbers of a run of ``config`` trained here and now."""
    import torch  # heavy: loaded on first use, to keep start-up light

    from lab.train.device import amp_dtype, pick_device  # heavy: torch, as above

    device = pick_device(config.train.device)
    amp = amp_dtype(device, config.train.mixed_precision)
    name = torch.cuda.get_device_name(device) if device.type == "cuda" else device.type
    return {"threads": torch.get_num_threads(), "device": name, "processor": processor(),
            "torch": torch.__version__.split("+")[0], "compute_dtype": str(amp or torch.float32).replace("torch.", "")}


@lru_cache(maxsize=1)
def processor() -> str:
    """The CPU's model name ("Intel(R) Xeon(R) Processor @ 2.80GHz"), else the platform's word."""
    try:
        with open("/proc/cpuinfo", encoding="utf-8", errors="replace") as f:
            for line in f:
                if line.startswith("model name"):
                    return line.split(":", 1)[1].strip()
    except OSError:
        pass
    return platform.processor() or platform.machine() or os.name
