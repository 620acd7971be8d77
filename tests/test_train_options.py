"""Optimizers, schedules and the other training options, on tiny real runs and without data."""

from __future__ import annotations

import json

import pytest
import torch

from lab.config import ExperimentConfig, TrainConfig
from lab.data import Splits, channel_stats
from lab.errors import LabError
from lab.runs.store import RunStore
from lab.train import from_splits, train
from lab.train.data import batch_slices
from lab.train.optim import Schedule, make_optimizer

torch.set_num_threads(1)


def lrs(schedule: str, epochs: int = 4, steps: int = 10, **kw) -> list[float]:
    """The learning rate of every step of a run with this schedule."""
    cfg = TrainConfig(schedule=schedule, epochs=epochs, lr=0.1, **kw)
    opt = make_optimizer([torch.nn.Parameter(torch.zeros(1))], cfg, torch.device("cpu"))
    sched = Schedule(opt, cfg, steps)
    out = []
    for _ in range(epochs):
        for _ in range(steps):
            out.append(sched.lr)
            opt.step()
            sched.after_batch()
        sched.after_epoch()
    return out


def test_no_schedule_keeps_the_learning_rate():
    assert set(lrs("none")) == {0.1}


def test_step_schedule_multiplies_by_gamma_every_step_epochs():
    got = lrs("step", epochs=4, step_epochs=2, step_gamma=0.5)
    assert got[0] == got[19] == 0.1 and got[20] == got[39] == pytest.approx(0.05)


def test_cosine_anneals_from_lr_towards_zero_over_the_run():
    got = lrs("cosine")
    assert got[0] == 0.1 and got[20] == pytest.approx(0.05, rel=0.05) and got[-1] < 0.001
    assert all(a >= b for a, b in zip(got, got[1:]))


def test_one_cycle_warms_up_to_lr_then_anneals():
    got = lrs("onecycle")
    peak = max(range(len(got)), key=got.__getitem__)
    assert got[0] < 0.01 and got[peak] == pytest.approx(0.1, rel=0.01) and 8 <= peak <= 16
    assert got[-1] < 0.001


@pytest.mark.parametrize("name,cls", [("adam", torch.optim.Adam), ("adamw", torch.optim.AdamW),
                                      ("sgd", torch.optim.SGD)])
def test_each_optimizer_gets_the_configured_settings(name, cls):
    cfg = TrainConfig(optimizer=name, lr=0.02, weight_decay=1e-4, momentum=0.8)
    opt = make_optimizer([torch.nn.Parameter(torch.zeros(1))], cfg, torch.device("cpu"))
    assert type(opt) is cls and opt.defaults["lr"] == 0.02 and opt.defaults["weight_decay"] == 1e-4
    if name == "sgd":
        assert opt.defaults["momentum"] == 0.8


def test_the_course_defaults_are_adam_at_1e_3_without_weight_decay():
    cfg = TrainConfig()
    assert (cfg.optimizer, cfg.lr, cfg.weight_decay, cfg.schedule) == ("adam", 1e-3, 0.0, "none")


def test_batches_cover_every_image_once_and_never_leave_a_single_image():
    assert batch_slices(129, 64) == [(0, 64), (64, 129)]  # image 129 alone would break BatchNorm
    assert batch_slices(130, 64) == [(0, 64), (64, 128), (128, 130)]
    bounds = batch_slices(1000, 64)
    assert bounds[0] == (0, 64) and bounds[-1][1] == 1000
    assert all(b - a >= 2 for a, b in bounds)


def small(mnist) -> Splits:
    return Splits(mnist.train_x[:600], mnist.train_y[:600], mnist.train_x[600:800], mnist.train_y[600:800],
                  mnist.test_x[:100], mnist.test_y[:100])


def test_sgd_with_a_schedule_smoothing_and_clipping_trains_and_logs_the_lr(mnist):
    splits = small(mnist)
    cfg = ExperimentConfig()
    cfg.train = TrainConfig(optimizer="sgd", lr=0.05, schedule="onecycle", epochs=2, batch_size=32,
                            label_smoothing=0.1, grad_clip=1.0, mixed_precision=True)
    seen = []
    mean, std = channel_stats(splits.train_x)
    result = train(from_splits(cfg, splits, mnist.classes, (mean, std)), listeners=[seen.append], device="cpu")
    assert result.status == "finished" and result.summary["best_val_accuracy"] > 0.5
    batch_lrs = [e["lr"] for e in seen if e["event"] == "batch"]
    assert max(batch_lrs) == pytest.approx(0.05, rel=0.05) and batch_lrs[-1] < 0.01
    # autocast on the CPU only where bf16 is native (AVX512-BF16, AMX); float32 elsewhere
    from lab.train.device import bf16_support

    native = bf16_support(torch.device("cpu"))
    assert seen[0]["event"] == "start" and seen[0]["mixed_precision"] == ("bfloat16" if native else None)
    assert seen[0]["speed"]["compute_dtype"] == ("bfloat16" if native else "float32")


def test_an_architecture_that_does_not_fit_fails_with_a_message_before_any_run(mnist):
    cfg = ExperimentConfig()
    cfg.model.blocks = [cfg.model.blocks[0]] * 6  # six 3x3 conv + pool blocks cannot fit 28x28 digits
    with pytest.raises(LabError):  # refused where the model is built, before train() or a run folder
        from_splits(cfg, small(mnist), mnist.classes, channel_stats(small(mnist).train_x))


def test_a_model_that_fails_inside_train_leaves_a_failed_summary(mnist, tmp_path):
    cfg = ExperimentConfig()
    run = RunStore(tmp_path).create(cfg)
    wrong = torch.nn.Sequential(torch.nn.Flatten(), torch.nn.Linear(5, 10))  # 784 pixels in, 5 expected
    prepared = from_splits(cfg, small(mnist), mnist.classes, channel_stats(small(mnist).train_x), model=wrong)
    with pytest.raises(RuntimeError):
        train(prepared, run, device="cpu")
    assert json.loads((run.dir / "summary.json").read_text())["status"] == "failed"
    assert run.status == "failed"


def test_asking_for_a_gpu_this_machine_lacks_is_a_clear_error(mnist):
    if torch.cuda.is_available():
        pytest.skip("this machine has CUDA")
    cfg = ExperimentConfig()
    cfg.train.device = "cuda"
    with pytest.raises(LabError, match="no CUDA"):
        train(from_splits(cfg, small(mnist), mnist.classes, ([0.13], [0.31])))
