"""The step breakdown (``bench/bench_step_parts.py``): every layer of the model is a part, the
parts and the remainder add up to the bare step, and the peak fractions are the calibrated
arithmetic's time over the measured step. No timing is asserted: only how the figures relate."""

from __future__ import annotations

import pytest
import torch

from bench import bench_step_parts

torch.set_num_threads(1)


@pytest.fixture(scope="module")
def baseline():
    return bench_step_parts.measure("baseline", batch=16, rounds=1, loop_images=64, log=lambda text: None)


def test_every_layer_of_the_model_is_a_part_in_order(baseline):
    # the baseline: Conv 32 3x3 -> ReLU -> MaxPool 2 -> Flatten -> Linear
    kinds = [name.split()[-1] for name in baseline["layers"]]
    assert kinds == ["Conv2d", "ReLU", "MaxPool2d", "Flatten", "Linear"]


def test_the_parts_and_the_remainder_add_up_to_the_bare_step(baseline):
    ms = baseline["ms"]
    parts = sum(ms[k] for k in ("data", "loss", "optimiser", *baseline["layers"]))
    assert parts + baseline["remainder_ms"] == pytest.approx(ms["step"])
    assert baseline["loop_overhead_ms"] == pytest.approx(ms["loop"] - ms["step"])
    assert all(ms[k] > 0 for k in ms)


def test_the_peak_fractions_are_the_arithmetic_at_peak_over_the_step(baseline):
    from lab.model import preset
    from lab.model.plan import make_plan
    from lab.train.speed import train_macs

    per_image = train_macs(make_plan(preset("baseline", "mnist"), (1, 28, 28), 10))
    assert baseline["peak_ms"] == pytest.approx(16 * per_image / baseline["peak_macs_per_sec"] * 1000)
    assert baseline["step_peak_fraction"] == pytest.approx(baseline["peak_ms"] / baseline["ms"]["step"])
    assert baseline["loop_peak_fraction"] == pytest.approx(baseline["peak_ms"] / baseline["ms"]["loop"])
    # what decides the kernels is named with the figures
    assert baseline["path"]["threads"] == 1 and baseline["path"]["compute_dtype"] in ("float32", "bfloat16")
    assert baseline["path_line"].endswith("| 1 thread(s)")


def test_the_loops_share_is_every_layer_alone_as_calibrated_over_the_loops_step(baseline):
    from lab.model import preset
    from lab.model.plan import make_plan
    from lab.train.device import amp_dtype
    from lab.train.speed import calibrate

    cpu = torch.device("cpu")  # as the bench calibrates: bf16 where the CPU runs it natively, channels_last
    cal = calibrate(make_plan(preset("baseline", "mnist"), (1, 28, 28), 10), 16, cpu, amp_dtype(cpu, True),
                    channels_last=True)
    assert baseline["layers_ms"] == pytest.approx(cal["layers_seconds"] * 1000)
    assert baseline["loop_layers_fraction"] == pytest.approx(baseline["layers_ms"] / baseline["ms"]["loop"])
    # the pooling, ReLU and flatten cost time too: all layers alone take longer than the arithmetic at its peak
    assert baseline["layers_ms"] > baseline["peak_ms"]
