"""Benchmark: which of the speed means pays, per model, as ratios measured in one run.

    .venv/bin/python -m bench.bench_speed_means [--threads N] [--rounds 3] [--compile] [--json]

For each preset (baseline at batch 64 on 1x28x28, mnist_cnn at 128, cifar_fast at 256 on
3x32x32) one training step (the lab's normalise, forward, cross-entropy, backward, fused
Adam) is timed in each variant: float32 or bfloat16 autocast (only where the CPU has native
bf16: AVX512-BF16 or AMX), NCHW or channels_last. The variants take turns, ``--rounds``
times, so a change of load hits them all alike; each variant's median counts. Figures are
images per second and the ratio to float32 NCHW; evaluation (10,000 images, inference)
at batch 256 and 1024 likewise. ``--compile`` adds ``torch.compile`` of mnist_cnn: its
compile time and its step ratio. The load average is printed before and after: above
the core count, repeat the run. Exit 0: this is a measurement, not a goal.
"""

from __future__ import annotations

import argparse
import contextlib
import json
import os
import statistics
import sys
import time

MODELS = {"baseline": ((1, 28, 28), 64), "mnist_cnn": ((1, 28, 28), 128), "cifar_fast": ((3, 32, 32), 256)}


def _variants(native: bool):
    import torch

    out = [("fp32", None, False), ("fp32+cl", None, True)]
    if native:
        out += [("bf16", torch.bfloat16, False), ("bf16+cl", torch.bfloat16, True)]
    return out


def _stepper(name, shape, batch, amp, channels_last, compiled=False):
    import torch
    import torch.nn.functional as F

    from lab.config import TrainConfig
    from lab.model import build_model, preset
    from lab.train.data import to_model_input
    from lab.train.optim import make_optimizer

    torch.manual_seed(0)
    model = build_model(preset(name, "cifar10" if shape[0] == 3 else "mnist"), shape, 10)
    if channels_last:
        model = model.to(memory_format=torch.channels_last)
    opt = make_optimizer(model.parameters(), TrainConfig(), torch.device("cpu"))
    gen = torch.Generator().manual_seed(1)
    x_u8 = torch.randint(0, 256, (batch, *shape), dtype=torch.uint8, generator=gen)
    y = torch.randint(0, 10, (batch,), generator=gen)
    mean, std = [0.5] * shape[0], [0.25] * shape[0]
    forward = torch.compile(model) if compiled else model
    ctx = (lambda: torch.autocast("cpu", dtype=amp)) if amp else contextlib.nullcontext

    def step():
        x = to_model_input(x_u8, mean, std, shape, channels_last)
        with ctx():
            loss = F.cross_entropy(forward(x).float(), y)
        opt.zero_grad(set_to_none=True)
        loss.backward()
        opt.step()
        return float(loss.detach())

    return step, model


def _time(step, seconds: float = 0.6) -> float:
    """Seconds per step over about ``seconds`` of steps."""
    n, t0 = 0, time.perf_counter()
    while time.perf_counter() - t0 < seconds or n < 3:
        step()
        n += 1
    return (time.perf_counter() - t0) / n


def train_means(rounds: int, native: bool, log) -> dict:
    out = {}
    for name, (shape, batch) in MODELS.items():
        variants = _variants(native)
        steps = {v[0]: _stepper(name, shape, batch, v[1], v[2])[0] for v in variants}
        for fn in steps.values():
            for _ in range(3):
                fn()  # kernels chosen, memory allocated
        times = {k: [] for k in steps}
        for _ in range(rounds):
            for key, fn in steps.items():
                times[key].append(_time(fn))
        med = {k: statistics.median(v) for k, v in times.items()}
        base = med["fp32"]
        out[name] = {k: {"images_per_sec": batch / t, "ratio": base / t} for k, t in med.items()}
        log(f"{name:<11} batch {batch:<4} " + "  ".join(
            f"{k} {batch / t:,.0f} img/s ({base / t:.2f}x)" for k, t in med.items()))
    return out


def eval_means(rounds: int, native: bool, log) -> dict:
    import torch

    from lab.model import build_model, preset
    from lab.train.evaluate import Batches, predict_logits

    out = {}
    for name in ("baseline", "mnist_cnn"):
        shape = MODELS[name][0]
        torch.manual_seed(0)
        model = build_model(preset(name, "mnist"), shape, 10).eval().to(memory_format=torch.channels_last)
        x = torch.randint(0, 256, (10_000, *shape), dtype=torch.uint8, generator=torch.Generator().manual_seed(2))
        cases = [(b, amp) for b in (256, 1024) for amp in ([None, torch.bfloat16] if native else [None])]
        times = {c: [] for c in cases}
        for _ in range(rounds):
            for b, amp in cases:
                t0 = time.perf_counter()
                predict_logits(model, x, [0.5], [0.25], "cpu", batches=Batches(b, amp, channels_last=True))
                times[(b, amp)].append(time.perf_counter() - t0)
        med = {c: statistics.median(v) for c, v in times.items()}
        base = med[(256, None)]
        out[name] = {f"batch{b}_{'bf16' if amp else 'fp32'}": {"seconds": t, "ratio": base / t}
                     for (b, amp), t in med.items()}
        log(f"eval {name:<11} 10,000 images: " + "  ".join(
            f"{k} {v['seconds']:.2f} s ({v['ratio']:.2f}x)" for k, v in out[name].items()))
    return out


def compile_mean(native: bool, log) -> dict:
    import torch

    amp = torch.bfloat16 if native else None
    shape, batch = MODELS["mnist_cnn"]
    eager, _ = _stepper("mnist_cnn", shape, batch, amp, True)
    compiled, _ = _stepper("mnist_cnn", shape, batch, amp, True, compiled=True)
    t0 = time.perf_counter()
    compiled()
    compile_s = time.perf_counter() - t0
    for fn in (eager, compiled):
        for _ in range(3):
            fn()
    te, tc = _time(eager, 1.5), _time(compiled, 1.5)
    steps_to_pay = compile_s / max(te - tc, 1e-9) if tc < te else None
    log(f"torch.compile mnist_cnn ({'bf16' if amp else 'fp32'}+cl): compile {compile_s:.1f} s, step "
        f"{te * 1000:.1f} -> {tc * 1000:.1f} ms ({te / tc:.2f}x)"
        + (f", pays back after {steps_to_pay:,.0f} steps" if steps_to_pay else ", never pays back"))
    return {"compile_seconds": compile_s, "eager_step_ms": te * 1000, "compiled_step_ms": tc * 1000,
            "ratio": te / tc, "steps_to_pay_back": steps_to_pay}


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(prog="bench_speed_means")
    parser.add_argument("--threads", type=int)
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--compile", action="store_true")
    parser.add_argument("--json", action="store_true")
    args = parser.parse_args(argv)
    import torch

    from lab.train.allocator import keep_freed_memory
    from lab.train.speed import bf16_support

    threads = args.threads or os.cpu_count() or 1
    torch.set_num_threads(threads)
    keep_freed_memory()  # as every training process does (lab.train.allocator)
    native = bf16_support(torch.device("cpu"))
    log = (lambda text: print(text, file=sys.stderr, flush=True)) if args.json else print
    load_before = os.getloadavg()[0]
    from lab.train.speed import compute_path, path_line

    path = compute_path("cpu", None)
    log(f"{path_line(path)}{'' if native else ' (bf16 variants skipped)'}; load average {load_before:.2f}")
    result = {"threads": threads, "bf16_native": native, "path": path, "load_before": load_before,
              "train": train_means(args.rounds, bool(native), log), "eval": eval_means(args.rounds, bool(native), log)}
    if args.compile:
        result["compile"] = compile_mean(bool(native), log)
    result["load_after"] = os.getloadavg()[0]
    log(f"load average after: {result['load_after']:.2f}")
    if args.json:
        print(json.dumps(result, indent=2))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
