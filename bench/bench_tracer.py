"""Benchmark: what the Architecture page recomputes on every widget change.

    .venv/bin/python -m bench.bench_tracer [--repeat 50]

One page rerun recomputes the calculator (one layer's shape and formula) and the tracer
of the whole model (every layer's shape, parameters, multiply-adds, receptive field),
plus the exported code. Measured on a 7-block model (2 convs per block, BatchNorm,
residuals, 3x32x32 input), median of ``--repeat`` runs. Budget: calculator + tracer
<= 50 ms. Baseline in the same run: building the real nn.Module and running one
forward pass, what a hook-based tracer would have to do instead.
"""

from __future__ import annotations

import argparse
import statistics
import sys
import time

BUDGET_MS = 50.0
INPUT = (3, 32, 32)


def seven_blocks():
    from lab.config import ConvBlock, ModelConfig

    def block(filters, pool, residual=False):
        return ConvBlock(filters=filters, kernel=3, padding=1, convs=2, batchnorm=True, residual=residual,
                         pool="max" if pool else "none")

    return ModelConfig(preset="bench", blocks=[
        block(32, False), block(32, True, True), block(64, False), block(64, True, True),
        block(128, False), block(128, True, True), block(256, False)], hidden=[128], head_dropout=0.2)


def median_ms(fn, repeat: int) -> float:
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        fn()
        times.append((time.perf_counter() - start) * 1000)
    return statistics.median(times)


def main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--repeat", type=int, default=50)
    args = p.parse_args(argv)

    import torch

    from lab.model import build_model, model_source, trace
    from lab.model.shapes import layer_output

    cfg = seven_blocks()
    assert len(cfg.blocks) == 7 and trace(cfg, INPUT, 10).ok

    def calculator():
        res = layer_output("conv2d", INPUT, "3", None, "1", "1", 16, False)
        return res.h.formula(), res.w.formula()

    def page_core():
        calculator()
        return trace(cfg, INPUT, 10)

    def page_with_code():
        page_core()
        return model_source(cfg, INPUT, 10)

    def forward_baseline():
        with torch.no_grad():
            return build_model(cfg, INPUT, 10).eval()(torch.zeros(1, *INPUT))

    page_core(), page_with_code(), forward_baseline()  # warm up imports and caches
    core = median_ms(page_core, args.repeat)
    with_code = median_ms(page_with_code, args.repeat)
    base = median_ms(forward_baseline, max(5, args.repeat // 5))
    layers = len(trace(cfg, INPUT, 10).layers)
    print(f"model: 7 blocks, {layers} traced layers, input {INPUT}")
    print(f"calculator + tracer:            {core:8.2f} ms  = {core / BUDGET_MS:.3f} x the {BUDGET_MS:.0f} ms budget")
    print(f"calculator + tracer + code:     {with_code:8.2f} ms  = {with_code / BUDGET_MS:.3f} x the budget")
    print(f"baseline: build + forward pass: {base:8.2f} ms  (tracer is {base / core:.1f}x faster)")
    ok = core <= BUDGET_MS
    print("within budget" if ok else "OVER BUDGET")
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
