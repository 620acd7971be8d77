"""Benchmark: one live update of the Inside page for ``mnist_cnn``, against 150 ms on CPU.

    .venv/bin/python -m bench.bench_inspect [--repeat 20]

The update a new stroke on the canvas costs: the drawing's PNG through the Prediction
page's preprocessing, the forward pass with every conv block's feature maps captured,
Grad-CAM for the top 3 classes, and the pictures the page shows (feature-map grids,
heat-map overlays). Prints the median milliseconds, the ratio to the 150 ms budget
(<= 1.0 passes) and, as the baseline measured in the same run, the ratio to one plain
forward pass of the same tensor. The occlusion map (49 patched copies, not part of the
live budget) is printed beside it. The model is untrained: speed does not depend on
the weights. Runs with one torch thread (the exit status) and with $LAB_TORCH_THREADS
or torch's default.
"""

from __future__ import annotations

import argparse
import io
import os
import sys

from bench.timing import median_ms

BUDGET_MS = 150.0


def main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--repeat", type=int, default=20)
    args = p.parse_args(argv)

    import torch
    from PIL import Image, ImageDraw

    from lab.model.checkpoint import Checkpoint
    from lab.config import ExperimentConfig
    from lab.inspect import images, inspect_tensor, occlusion
    from lab.inspect.sources import prepare_drawing
    from lab.model import build_model, preset
    from lab.predict import Target

    threads = int(os.environ.get("LAB_TORCH_THREADS", "0")) or torch.get_num_threads()
    cfg = ExperimentConfig()
    cfg.data.dataset, cfg.model = "mnist", preset("mnist_cnn", "mnist")
    torch.manual_seed(0)
    ck = Checkpoint(model=build_model(cfg.model, (1, 28, 28), 10).eval(), config=cfg,
                    classes=[str(i) for i in range(10)], mean=[0.1307], std=[0.3081], input_shape=(1, 28, 28),
                    dataset="mnist")
    target = Target.of(ck)
    canvas = Image.new("RGBA", (280, 280), (0, 0, 0, 255))  # the page's canvas, a 7 drawn with its 20-px brush
    ImageDraw.Draw(canvas).line([(60, 60), (220, 60), (120, 240)], fill=(255, 255, 255, 255), width=20)
    buf = io.BytesIO()
    canvas.save(buf, format="PNG")
    png = buf.getvalue()

    def update():
        prepared = prepare_drawing(png, target)
        look = inspect_tensor(ck, prepared.tensor)
        for fm in look.features:
            images.feature_grid(fm)
        for cam in look.gradcam:
            images.overlay(prepared.pixels, cam.heat)
        return prepared

    tensor = update().tensor
    worst = {}
    for n in sorted({1, threads}):
        torch.set_num_threads(n)

        def forward():
            with torch.inference_mode():
                ck.model(tensor)

        base = median_ms(forward, args.repeat)
        total = median_ms(update, args.repeat)
        occ = median_ms(lambda: occlusion(ck.model, tensor, 7), args.repeat)
        worst[n] = total
        print(f"inspect mnist_cnn: median of {args.repeat}, {n} torch thread(s), budget {BUDGET_MS:.0f} ms")
        print(f"  one forward pass                 {base:7.2f} ms")
        print(f"  full update (preprocess, forward, feature maps, Grad-CAM x3, pictures)"
              f" {total:7.1f} ms = {total / base:5.1f}x the forward pass, ratio to budget {total / BUDGET_MS:5.2f}")
        print(f"  occlusion map (not in the live update) {occ:7.1f} ms = {occ / base:5.1f}x the forward pass")
    torch.set_num_threads(threads)
    ok = worst[1] <= BUDGET_MS
    print(f"  {'within' if ok else 'OVER'} the {BUDGET_MS:.0f} ms budget on one thread")
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
