"""How close a run is to what this machine can do: images/s, multiply-adds/s and the peak.

Three numbers, so a student can tell a slow model from a slow loop:

- ``train_macs_per_image``: multiply-adds one training image costs in the convs and
  Linears, from the model plan (``lab.model.plan``, the tracer's own numbers): the forward
  pass, the weight gradients, and the input gradients of every layer except those that
  read the images (nothing needs the gradient of the data). This is exactly what
  ``torch.utils.flop_counter.FlopCounterMode`` counts, halved (it counts 2 FLOPs a MAC).
- ``macs_per_sec``: that times the images per second the run trained at.
- ``peak_macs_per_sec``: what the same layers reach on this machine on their own: each
  conv and Linear of the model is timed alone, forward and backward, at the run's batch
  size, dtype, memory layout and thread count (``calibrate``). The model's peak is the
  rate its layers would give if the run spent all its time in them. ``peak_fraction`` =
  achieved / peak: 0.9 means the loop, the activations, pooling, BatchNorm, the optimizer
  and the data cost 10 % on top of the arithmetic; 0.3 means they cost more than it.

- ``layers_images_per_sec``: what the step would reach if it did nothing but run every layer
  of the model (the convs and Linears, and the pooling, activations, BatchNorm, dropout and
  flatten between them) alone, forward and backward, at the same settings. ``loop_fraction``
  = achieved / that: the share of the step the layers themselves take. 0.95 means the loop
  (the batch, the loss, the optimiser, autograd between layers, the events) costs 5 %; a
  model whose ``peak_fraction`` is low but ``loop_fraction`` high is slow because of its
  pooling or normalisation layers, not because of the loop.

The calibration takes well under a second for the presets and is cached per machine
(CPU model, torch version, threads, dtype, layout, layer and batch size) in
``lab.paths.cache_dir() / "speed.json"``, so a machine measures each layer once.
It runs under ``torch.random.fork_rng``: the run's weights and dropout draws are the
same whether the cache was warm or not.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import os
import platform
import time
from pathlib import Path

import torch

from lab.model.block import swaps
from lab.model.layers import make
from lab.files import atomic_write
from lab.model.plan import Plan, Step
from lab.paths import cache_dir
from lab.train.device import bf16_support, cpu_features, cpu_kind

CACHE_FILE = "speed.json"
CACHE_VERSION = 2  # 2: layers timed on the input dtype they get in the model, with a given gradient
MIN_REPS, MAX_REPS, MIN_SECONDS = 3, 20, 0.05  # per layer: at least 3 timed passes and 50 ms
COMPUTE_KINDS = ("conv", "shortcut", "linear")


# --- what the model costs ------------------------------------------------------------------

LayerStep = tuple[Step, tuple[int, ...], bool]  # (step, input shape without the batch, reads the images)


def _run_in_order(steps: list[Step], shape: tuple[int, ...], first: bool, out: list[LayerStep],
                  pool_first: bool = True) -> tuple[tuple[int, ...], bool]:
    """Append ``steps`` as an ``nn.Sequential`` of them runs them; (output shape, still
    reading the images). ``pool_first``: a ``lab.model.block.Block``, which runs a ReLU that
    comes straight before a max-pool after it, on the pooled map."""
    i = 0
    while i < len(steps):
        s, after = steps[i], steps[i + 1] if i + 1 < len(steps) else None
        if pool_first and after is not None and s.kind == "act" and after.kind == "maxpool" \
                and swaps(make(s), make(after)):
            pooled = after.output or shape
            out += [(after, shape, first), (s, pooled, first)]
            shape, i = pooled, i + 2
            continue
        out.append((s, shape, first))
        first = first and s.kind not in COMPUTE_KINDS  # until a compute layer has run, layers read the images
        shape, i = s.output or shape, i + 1
    return shape, first


def layer_steps(plan: Plan) -> list[LayerStep]:
    """Every layer a training step runs, in the order the lab runs it, with the input shape it
    gets and whether it reads the images (no input gradient then).

    Identity shortcuts cost nothing and are left out; so is a residual block's add (one
    elementwise sum; it stays in the loop's remainder)."""
    out: list[LayerStep] = []
    current: tuple[int, ...] = tuple(plan.input_shape)
    first = True
    for block in plan.blocks:
        if block.shortcut is None:  # one Block of the body and what comes after it (lab.model.build)
            current, first = _run_in_order(block.body + block.after, current, first, out)
            continue
        entry, entry_first = current, first
        _, first = _run_in_order(block.body, current, first, out)
        if not block.shortcut.args.get("identity"):
            out.append((block.shortcut, entry, entry_first))
            first = False
        current, first = _run_in_order(block.after, block.add.output or current, first, out)
    _run_in_order(plan.head, current, first, out, pool_first=False)  # the head is a plain nn.Sequential
    return out


def compute_steps(plan: Plan) -> list[LayerStep]:
    """(step, input shape without the batch, reads the images) for each conv and Linear."""
    return [entry for entry in layer_steps(plan) if entry[0].kind in COMPUTE_KINDS]


def forward_macs(plan: Plan) -> int:
    """Multiply-adds of one image's forward pass (the tracer's total)."""
    return sum(s.macs for s, _, _ in compute_steps(plan))


def _train_macs(step: Step, reads_images: bool) -> int:
    # forward + weight gradient (each as many MACs as the forward) + input gradient
    return step.macs * (2 if reads_images else 3)


def train_macs(plan: Plan) -> int:
    """Multiply-adds one training image costs: forward, weight and input gradients."""
    return sum(_train_macs(s, first) for s, _, first in compute_steps(plan))


# --- what the machine can do -----------------------------------------------------------------

def machine_name(device: torch.device) -> str:
    """What the calibration is valid for: the processor, torch and the thread count."""
    if device.type == "cuda":
        chip = torch.cuda.get_device_name(device)
    else:
        chip = next((line.split(":", 1)[1].strip() for line in _cpuinfo_lines() if line.startswith("model name")),
                    platform.processor() or platform.machine())
    # the features too: a oneDNN cap (ONEDNN_MAX_CPU_ISA) on the same chip is another machine
    return (f"{chip} | {cpu_features(device)} | torch {torch.__version__.split('+')[0]} | {device.type} | "
            f"{torch.get_num_threads()} threads")


def _cpuinfo_lines() -> list[str]:
    try:
        return Path("/proc/cpuinfo").read_text(errors="replace").splitlines()
    except OSError:
        return []


def load_average() -> float | None:
    """The 1-minute load average (None where the OS has none): a calibration under load is noted."""
    try:
        return os.getloadavg()[0]
    except (AttributeError, OSError):
        return None


def _sync(device: torch.device) -> None:
    if device.type == "cuda":
        torch.cuda.synchronize(device)


def time_pass(step: Step, in_shape: tuple[int, ...], reads_images: bool, batch: int, device: torch.device,
              amp: torch.dtype | None, channels_last: bool) -> float:
    """Seconds of one layer alone, forward + backward at ``batch`` images, as the model runs it.
    The fastest of several passes counts (the least disturbed by other processes)."""
    layer = make(step).to(device)  # a new module is in training mode: dropout drops, BatchNorm keeps statistics
    # the input in the dtype the layer gets inside an autocast model (the previous layer's
    # output), except the images, which arrive in float32; the gradient given, not a loss:
    # the layer's own work is timed, not casts and a sum the model does not do there
    x = torch.randn(batch, *in_shape, device=device, dtype=amp if amp and not reads_images else torch.float32)
    if channels_last and x.dim() == 4:
        layer = layer.to(memory_format=torch.channels_last)
        x = x.contiguous(memory_format=torch.channels_last)
    x.requires_grad_(not reads_images)
    ctx = (lambda: torch.autocast(device.type, dtype=amp)) if amp else contextlib.nullcontext
    with ctx():
        grad = torch.ones_like(layer(x))

    def once() -> None:
        with ctx():
            out = layer(x)
        if out.requires_grad:  # a ReLU on the images has nothing to pass back
            out.backward(grad)

    once()  # the first call picks kernels and allocates
    best, total, reps = float("inf"), 0.0, 0
    while reps < MAX_REPS and (reps < MIN_REPS or total < MIN_SECONDS):
        _sync(device)
        t0 = time.perf_counter()
        once()
        _sync(device)
        dt = time.perf_counter() - t0
        best, total, reps = min(best, dt), total + dt, reps + 1
    return best


def _layer_key(machine: str, step: Step, in_shape, reads_images: bool, batch: int, amp, channels_last: bool) -> str:
    args = {k: v for k, v in step.args.items()}
    text = json.dumps([machine, step.kind, args, list(in_shape), reads_images, batch, str(amp), channels_last],
                      sort_keys=True, default=str)
    return hashlib.sha1(text.encode()).hexdigest()[:16]


def cache_path() -> Path:
    return cache_dir() / CACHE_FILE


def _read_cache(path: Path) -> dict:
    try:
        data = json.loads(path.read_text())
    except (OSError, ValueError):
        return {"version": CACHE_VERSION, "layers": {}}
    if not isinstance(data, dict) or data.get("version") != CACHE_VERSION or not isinstance(data.get("layers"), dict):
        return {"version": CACHE_VERSION, "layers": {}}
    return data


def _write_cache(path: Path, data: dict) -> None:
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        atomic_write(path, json.dumps(data, indent=1))  # two workers writing at once: the last complete file wins
    except OSError:  # a read-only home: the next run measures again, nothing else is lost
        pass


def _loaded_then_quieter(entry: dict) -> bool:
    """A layer measured while other work held more than every core, on a machine quieter now:
    measure it again (a calibration under load reads low, and a run would show over 100 %)."""
    then, now, cores = entry.get("load_average"), load_average(), os.cpu_count() or 1
    return then is not None and now is not None and then > cores and now < then / 2


def _measure(entry: dict | None, layer: LayerStep, batch: int, device, amp, channels_last, machine: str) -> dict:
    """A cache entry for one layer, measured now; the best seen counts (a peak). A conv or
    Linear keeps its multiply-adds per second, any other layer its seconds a pass."""
    step, in_shape, first = layer
    seconds = time_pass(step, in_shape, first, batch, device, amp, channels_last)
    new = {"name": step.name, "machine": machine, "batch": batch, "load_average": load_average(),
           "measured": time.time()}
    if step.kind in COMPUTE_KINDS:
        rate = batch * _train_macs(step, first) / seconds
        return {**new, "macs_per_sec": max(rate, entry["macs_per_sec"]) if entry else rate}
    return {**new, "seconds": min(seconds, entry["seconds"]) if entry else seconds}


def calibrate(plan: Plan, batch: int, device: torch.device, amp: torch.dtype | None = None,
              channels_last: bool = False, cache: Path | None = None, refresh_loaded: bool = True,
              remeasure: bool = False) -> dict:
    """The peak multiply-adds per second of ``plan``'s convs and Linears on this machine, and
    the seconds all its layers take alone (cached).

    ``refresh_loaded``: measure again a layer cached while the machine was overloaded (load
    average above the core count) when the load is now under half of that; the best is kept.
    ``remeasure``: measure every layer again (a run went faster than its cached peak), keeping
    the best.
    Returns {"peak_macs_per_sec", "layers_seconds" (every layer alone, forward and backward, at
    ``batch``), "layers": [{"name", "kind", "seconds", "macs_per_sec" (convs and Linears), "share"
    (of the multiply-adds)}], "cached" (every layer came from the cache), "seconds" (spent
    measuring), "machine", "load_average"}.
    """
    cache = cache or cache_path()
    data = _read_cache(cache)
    machine = machine_name(device)
    started = time.perf_counter()
    layers, measured, seconds_at_peak = [], False, 0.0
    steps = layer_steps(plan)
    total = sum(_train_macs(s, first) for s, _, first in steps if s.kind in COMPUTE_KINDS)
    with torch.random.fork_rng(devices=[device] if device.type == "cuda" else []):
        for step, in_shape, first in steps:
            key = _layer_key(machine, step, in_shape, first, batch, amp, channels_last)
            entry = data["layers"].get(key)
            if entry is None or remeasure or (refresh_loaded and _loaded_then_quieter(entry)):
                entry = data["layers"][key] = _measure(entry, (step, in_shape, first), batch, device, amp,
                                                       channels_last, machine)
                measured = True
            row = {"name": step.name, "kind": step.kind}
            if step.kind in COMPUTE_KINDS:
                macs = _train_macs(step, first)
                seconds_at_peak += macs / entry["macs_per_sec"]
                row.update(macs_per_sec=entry["macs_per_sec"], seconds=batch * macs / entry["macs_per_sec"],
                           share=macs / total if total else 0.0)
            else:
                row.update(seconds=entry["seconds"], share=0.0)
            layers.append(row)
    if measured:
        _write_cache(cache, data)
    return {"peak_macs_per_sec": total / seconds_at_peak if seconds_at_peak > 0 else None,
            "layers_seconds": sum(row["seconds"] for row in layers), "layers": layers,
            "cached": not measured, "seconds": time.perf_counter() - started, "machine": machine,
            "load_average": load_average()}


# --- one run's figures -------------------------------------------------------------------------

def compute_path(device: torch.device | str, amp: torch.dtype | None) -> dict:
    """What decides which kernels do a run's arithmetic, besides the model: the CPU's
    features (``lab.train.device.cpu_features``: AVX2, AVX-512, AMX, native bf16, caps), the
    compute dtype and the thread count. Every speed line and benchmark reports these
    (``path_line``), so figures from two machines are never compared blind."""
    device = torch.device(device)
    return {"cpu_features": cpu_features(device), "cpu_units": cpu_kind(device)["units"] if device.type == "cpu" else [],
            "compute_dtype": str(amp or torch.float32).replace("torch.", ""),
            "bf16_native": bf16_support(device), "threads": torch.get_num_threads()}


def path_line(path: dict) -> str:
    """'AVX2, AVX-512, AVX-512 VNNI; no AMX; no native bf16; ATen AVX512 | float32 | 2 thread(s)'."""
    return f"{path.get('cpu_features') or 'unknown CPU'} | {path['compute_dtype']} | {path['threads']} thread(s)"


def run_speed(plan: Plan, batch: int, device: torch.device, amp: torch.dtype | None, channels_last: bool,
              remeasure: bool = False) -> dict:
    """What a run's "start" event carries about its speed (see the module docstring)."""
    cal = calibrate(plan, batch, device, amp, channels_last, remeasure=remeasure)
    return {"macs_per_image": forward_macs(plan), "train_macs_per_image": train_macs(plan),
            "peak_macs_per_sec": cal["peak_macs_per_sec"],
            "layers_images_per_sec": batch / cal["layers_seconds"] if cal["layers_seconds"] > 0 else None,
            "calibration_cached": cal["cached"],
            "calibration_seconds": cal["seconds"], **compute_path(device, amp), "channels_last": channels_last}


def beyond_peak(figures: dict) -> bool:
    """Faster than the peak, or than its layers alone: the cached calibration was taken while
    other work held the cores (or by an older torch); the run measures its layers again once
    and keeps the best."""
    return (figures.get("peak_fraction") or 0) > 1.0 or (figures.get("loop_fraction") or 0) > 1.0


def achieved(speed: dict, images_per_sec: float | None) -> dict:
    """The epoch's or run's multiply-adds per second, its share of the convs' and Linears'
    peak, and its share of what all its layers alone allow (``loop_fraction``)."""
    if not images_per_sec or not speed:
        return {"macs_per_sec": None, "peak_fraction": None, "loop_fraction": None}
    rate = speed["train_macs_per_image"] * images_per_sec
    peak, alone = speed.get("peak_macs_per_sec"), speed.get("layers_images_per_sec")
    return {"macs_per_sec": rate, "peak_fraction": rate / peak if peak else None,
            "loop_fraction": images_per_sec / alone if alone else None}
