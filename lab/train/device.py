"""Where a run trains and how it is made repeatable.

``pick_device("auto")`` prefers CUDA, then Apple MPS, then the CPU; asking for a
device this machine lacks is a ``LabError`` (the student chose it). Seeding touches
process-wide RNGs (Python, NumPy, torch), so it happens under a lock together with
the model's weight initialisation: two runs started at once in one server process
still get the weights their seeds promise. Shuffling and augmentation use their own
``torch.Generator`` objects and never touch the global ones.
"""

from __future__ import annotations

import contextlib
import functools
import os
import random
import threading
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import torch

from lab.errors import did_you_mean, keyed
from lab.train.messages import MESSAGES

_SEED_LOCK = threading.Lock()


def cuda_ok() -> bool:
    return torch.cuda.is_available()


def mps_ok() -> bool:
    return bool(getattr(torch.backends, "mps", None) and torch.backends.mps.is_available())


def pick_device(name: str | torch.device | None = "auto") -> torch.device:
    if isinstance(name, torch.device):
        return name
    name = (name or "auto").lower()
    if name == "auto":
        return torch.device("cuda" if cuda_ok() else "mps" if mps_ok() else "cpu")
    if name.startswith("cuda"):
        if not cuda_ok():
            raise keyed(MESSAGES, "train.no_cuda")
        return torch.device(name)
    if name == "mps":
        if not mps_ok():
            raise keyed(MESSAGES, "train.no_mps")
        return torch.device("mps")
    if name == "cpu":
        return torch.device("cpu")
    raise keyed(MESSAGES, "train.unknown_device", name=repr(name), close=did_you_mean(name, ("auto", "cpu", "cuda", "mps")))


@contextlib.contextmanager
def seeded(seed: int):
    """Seed Python, NumPy and torch (all devices) and hold the lock while the caller
    draws from them (building a model's initial weights)."""
    with _SEED_LOCK:
        random.seed(seed)
        np.random.seed(seed % 2**32)
        torch.manual_seed(seed)
        yield


def deterministic(device: torch.device) -> None:
    """Settings that make a run repeat exactly: cuDNN picks the same kernels every time.

    CPU kernels are already deterministic for a fixed thread count.
    """
    if device.type == "cuda":
        torch.backends.cudnn.deterministic = True
        torch.backends.cudnn.benchmark = False


@functools.lru_cache(maxsize=1)
def cpu_flags() -> frozenset[str]:
    """The CPU's feature flags from /proc/cpuinfo (Linux); empty elsewhere."""
    try:
        text = Path("/proc/cpuinfo").read_text(errors="replace")
    except OSError:
        return frozenset()
    for line in text.splitlines():
        if line.startswith("flags"):
            return frozenset(line.split(":", 1)[1].split())
    return frozenset()


# oneDNN's instruction-set levels, lowest first (its ONEDNN_MAX_CPU_ISA names; the AVX10
# spellings are aliases of the AVX512 ones); the CPU flag each needs for native bf16
ONEDNN_ISAS = ("SSE41", "AVX", "AVX2", "AVX2_VNNI", "AVX2_VNNI_2", "AVX512_CORE", "AVX512_CORE_VNNI",
               "AVX512_CORE_BF16", "AVX512_CORE_FP16", "AVX512_CORE_AMX", "AVX512_CORE_AMX_FP16", "ALL")
_ISA_ALIASES = {"AVX10_1_512": "AVX512_CORE_FP16", "AVX10_1_512_AMX": "AVX512_CORE_AMX",
                "AVX10_1_512_AMX_FP16": "AVX512_CORE_AMX_FP16", "DEFAULT": "ALL"}
_BF16_NEEDS = {"amx_bf16": "AVX512_CORE_AMX", "avx512_bf16": "AVX512_CORE_BF16"}


def onednn_isa_cap() -> str | None:
    """The instruction-set cap put on oneDNN (``ONEDNN_MAX_CPU_ISA``, or the older
    ``DNNL_MAX_CPU_ISA``), in oneDNN's words, or None: oneDNN uses all this CPU has. oneDNN
    reads it once per process; a cap of AVX2 on an AVX-512 machine is how one measures what
    an AVX2 laptop gets."""
    value = (os.environ.get("ONEDNN_MAX_CPU_ISA") or os.environ.get("DNNL_MAX_CPU_ISA") or "").strip().upper()
    value = _ISA_ALIASES.get(value, value)
    return value if value in ONEDNN_ISAS and value != "ALL" else None


def _under_cap(needs: str) -> bool:
    cap = onednn_isa_cap()
    return cap is None or ONEDNN_ISAS.index(cap) >= ONEDNN_ISAS.index(needs)


def bf16_support(device: torch.device) -> str | None:
    """The hardware that runs bfloat16 natively on ``device``, or None (then bf16 would be
    emulated and slower than float32): "amx_bf16" (Intel AMX tiles), "avx512_bf16", or the
    CUDA GPU's name. A oneDNN cap below it (``onednn_isa_cap``) leaves it unused: None."""
    if device.type == "cuda":
        return torch.cuda.get_device_name(device) if torch.cuda.is_bf16_supported() else None
    if device.type != "cpu":
        return None
    flags = cpu_flags()
    return next((f for f in ("amx_bf16", "avx512_bf16") if f in flags and _under_cap(_BF16_NEEDS[f])), None)


def cpu_kind(device: torch.device | str = "cpu") -> dict:
    """What decides a CPU run's kernels, as data: ``units``, the vector units this CPU has
    ("AVX2", "AVX-512", "AVX-512 VNNI", "AMX"), ``bf16`` (``bf16_support``: the native bf16
    the lab uses, or None), ``onednn_cap`` (``onednn_isa_cap``) and ``aten``, the level
    ATen's own kernels (pooling, BatchNorm, ReLU, Adam) dispatch to ("AVX512", "AVX2")."""
    device = torch.device(device)
    flags = cpu_flags()
    units = [name for flag, name in (("avx2", "AVX2"), ("avx512f", "AVX-512"), ("avx512_vnni", "AVX-512 VNNI"),
                                     ("amx_tile", "AMX")) if flag in flags]
    capability = getattr(torch.backends.cpu, "get_cpu_capability", lambda: None)()
    return {"units": units, "bf16": bf16_support(device), "onednn_cap": onednn_isa_cap(), "aten": capability}


def cpu_features(device: torch.device | str = "cpu") -> str:
    """``cpu_kind`` in a few English words, e.g. "AVX2, AVX-512, AVX-512 VNNI; no AMX; no
    native bf16; ATen AVX512". Every speed line and benchmark prints it beside the compute
    dtype and the thread count: two machines' figures are never compared blind. A GPU: its
    name."""
    device = torch.device(device)
    if device.type == "cuda":
        return torch.cuda.get_device_name(device)
    if device.type != "cpu":
        return device.type
    kind = cpu_kind(device)
    vector = [u for u in kind["units"] if u != "AMX"]
    parts = [", ".join(vector) or "no AVX2", "AMX" if "AMX" in kind["units"] else "no AMX",
             f"native bf16 ({kind['bf16']})" if kind["bf16"] else "no native bf16"]
    if kind["onednn_cap"]:
        parts.append(f"oneDNN capped at {kind['onednn_cap']}")
    if kind["aten"]:
        parts.append(f"ATen {kind['aten']}")
    return "; ".join(parts)


def amp_dtype(device: torch.device, wanted: bool) -> torch.dtype | None:
    """The autocast dtype for mixed precision, or None where it does not pay off.

    CUDA: bfloat16 where the GPU supports it (no loss scaling needed), else float16 with
    a GradScaler. A CPU with native bf16 (AVX512-BF16, AMX): bfloat16. Other CPUs and MPS
    train in float32: there bf16 is emulated and slower than float32.
    """
    if not wanted:
        return None
    if device.type == "cuda":
        return torch.bfloat16 if torch.cuda.is_bf16_supported() else torch.float16
    if device.type == "cpu" and bf16_support(device):
        return torch.bfloat16
    return None


@dataclass
class Device:
    """Where and how a run's maths runs: every training pass (the loop, the range test) asks
    ``training_device`` for it, so they share the device, memory layout and dtype."""

    device: torch.device
    channels_last: bool  # NHWC memory layout
    amp: torch.dtype | None  # autocast dtype, None: float32

    def place(self, model: torch.nn.Module) -> torch.nn.Module:
        """``model`` on the device, in the memory layout (in place, as ``Module.to``)."""
        model = model.to(self.device)
        return model.to(memory_format=torch.channels_last) if self.channels_last else model

    def autocast(self):
        """The forward pass's autocast context (none in float32)."""
        return torch.autocast(self.device.type, dtype=self.amp) if self.amp else contextlib.nullcontext()


def training_device(cfg, device=None, channels_last: bool | None = None) -> Device:
    """The device, layout and dtype ``cfg`` (a ``TrainConfig``) trains with; ``device``
    overrides ``cfg.device``. Sets the device's deterministic kernels."""
    dev = pick_device(device or cfg.device)
    if channels_last is None:
        # oneDNN's CPU convolutions, pooling and ReLU vectorise over channels in NHWC: about
        # 1.1x faster per training step and 1.7x in evaluation for the baseline on MNIST
        channels_last = dev.type == "cpu"
    deterministic(dev)
    return Device(dev, channels_last, amp_dtype(dev, cfg.mixed_precision))


def generator(device: torch.device, seed: int) -> torch.Generator:
    gen = torch.Generator(device=device if device.type in ("cuda",) else "cpu")
    gen.manual_seed(seed)
    return gen
