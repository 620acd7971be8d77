"""``python -m lab bench``'s setup (the timed runs themselves are a benchmark, not a test): the
lab's side trains as a student's default run does, and the warm-up measures the speed
calibration that run reads, so no layer is timed inside the lab's clock."""

from __future__ import annotations

import torch

from lab.cli import bench
from lab.config import ExperimentConfig
from lab.train.device import amp_dtype, training_device
from lab.train.speed import run_speed

torch.set_num_threads(1)


def test_the_labs_side_is_the_default_run_of_the_baseline_for_one_epoch():
    cfg, default = bench.lab_config(seed=3), ExperimentConfig()
    assert (cfg.model.preset, cfg.train.epochs, cfg.train.batch_size, cfg.train.seed) == ("baseline", 1, 64, 3)
    assert cfg.train.mixed_precision == default.train.mixed_precision  # bf16 where native, as a student's run
    assert cfg.data.val_fraction == bench.VAL_FRACTION


def test_the_warm_up_calibrates_what_the_labs_run_then_reads_from_the_cache(tmp_path, monkeypatch):
    from lab.model.plan import make_plan

    monkeypatch.setenv("LAB_CACHE_DIR", str(tmp_path))
    cfg = bench.lab_config(seed=0)
    on = training_device(cfg.train)  # what the lab's run will use: channels_last on the CPU, its dtype
    assert on.amp == amp_dtype(torch.device("cpu"), cfg.train.mixed_precision) and on.channels_last
    bench.warm_up(on.amp)
    speed = run_speed(make_plan(cfg.model, (1, 28, 28), 10), 64, on.device, on.amp, on.channels_last)
    assert speed["calibration_cached"] and speed["layers_images_per_sec"] > 0
