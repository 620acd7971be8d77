"""The learning-rate range test (issue 22, item 3), as a student relies on it:

- it leaves the experiment as it found it: the model's weights and buffers bit for bit, and
  the random state, so the run trained next is the run trained without the test;
- the sweep grows the rate exponentially and stops as soon as the smoothed loss explodes;
- the suggestion is one of the swept rates, from a named rule, and on a real MNIST sweep it
  lands where Adam is known to train this baseline (1e-4..1e-2);
- ``lab lr-find`` prints the JSON keys and writes a PNG; a bad argument is one line;
- as a job, a real worker process runs it and the journal stays empty.
"""

from __future__ import annotations

import json
import math

import pytest
import torch

from lab.config import ExperimentConfig
from lab.model import preset
from lab.runs.store import RunStore
from lab.train import lr_find as L
from lab.train.session import prepare, run as train_run

from test_speed import default_dtype
from test_worker import Workers, runs, wait_done  # noqa: F401  (runs: the fixture)


def tiny(name: str = "mnist_cnn", limit: int = 400, seed: int = 5) -> ExperimentConfig:
    cfg = ExperimentConfig()
    cfg.data.dataset, cfg.data.train_limit = "mnist", limit
    cfg.model = preset(name, "mnist")  # mnist_cnn: BatchNorm buffers and Dropout draws, both must come back
    cfg.train.epochs, cfg.train.seed, cfg.train.device = 1, seed, "cpu"
    return cfg


def test_the_range_test_puts_back_the_weights_buffers_mode_and_random_state_exactly(shared_datasets):
    prepared = prepare(tiny(limit=200), shared_datasets)
    before = {k: v.clone() for k, v in prepared.model.state_dict().items()}
    assert any("running_mean" in k for k in before)  # BatchNorm's buffers move in training mode: a real check
    prepared.model.eval()
    rng = torch.get_rng_state()
    result = L.lr_find(prepared, steps=20)
    assert result["steps"] >= 10  # it trained (the rates went past 1e-4 at least)
    after = prepared.model.state_dict()
    assert after.keys() == before.keys() and all(torch.equal(before[k], after[k]) for k in before)
    assert not prepared.model.training
    assert torch.equal(torch.get_rng_state(), rng)


def test_the_run_trained_after_the_range_test_is_the_run_trained_without_it(shared_datasets):
    cfg = tiny("baseline", limit=200)
    alone = train_run(prepare(cfg, shared_datasets)).model.state_dict()
    prepared = prepare(cfg, shared_datasets)
    L.lr_find(prepared, steps=25)
    after = train_run(prepared).model.state_dict()
    assert all(torch.equal(alone[k], after[k]) for k in alone)


def test_the_range_tests_first_step_is_the_runs_first_batch_bit_for_bit(shared_datasets):
    # the same batch, dropout draws, device, memory layout (channels_last on the CPU) and dtype
    # as training (lab.train.device.training_device): what the sweep shows is what a run does
    cfg = tiny("baseline", limit=200)

    def watched(prepared, how: list) -> object:  # how each training forward pass runs
        def note(module, args) -> None:
            if module.training:
                how.append((args[0].is_contiguous(memory_format=torch.channels_last), args[0].device.type,
                            torch.is_autocast_enabled(args[0].device.type)))
        prepared.model.register_forward_pre_hook(note)
        return prepared

    seen, in_run, in_test = [], [], []
    train_run(watched(prepare(cfg, shared_datasets), in_run), listeners=[seen.append])
    first = next(e for e in seen if e["event"] == "batch")
    result = L.lr_find(watched(prepare(cfg, shared_datasets), in_test), steps=3)
    assert result["raw_losses"][0] == first["loss"]
    assert in_test[0] == in_run[0] == (True, "cpu", default_dtype() == "bfloat16")  # NHWC; bf16 where native


def test_the_rates_grow_exponentially_from_1e_minus_7_to_10():
    lrs = L.lr_schedule(1e-7, 10.0, 9)
    assert lrs[0] == pytest.approx(1e-7) and lrs[-1] == pytest.approx(10.0)
    assert [lrs[i + 1] / lrs[i] for i in range(8)] == pytest.approx([10.0 ** (8 / 8)] * 8)


def test_the_smoothed_loss_is_fastais_bias_corrected_average():
    assert L.smoothed([2.0, 2.0, 2.0]) == pytest.approx([2.0, 2.0, 2.0])  # no pull towards 0 at the start
    second = (0.98 * 0.02 * 1.0 + 0.02 * 3.0) / (1 - 0.98 ** 2)
    assert L.smoothed([1.0, 3.0]) == pytest.approx([1.0, second])
    assert math.isnan(L.smoothed([1.0, math.nan, 1.0])[-1])


def test_a_loss_above_four_times_the_best_or_not_a_number_ends_the_sweep():
    assert L.exploded(8.1, 2.0) and not L.exploded(7.9, 2.0)
    assert L.exploded(math.nan, 2.0) and L.exploded(math.inf, 2.0)


def test_the_real_sweep_stops_early_once_the_loss_explodes(shared_datasets):
    result = L.lr_find(prepare(tiny("baseline", limit=600), shared_datasets), steps=100)
    assert result["stopped"] == "exploded"
    assert 20 < result["steps"] < 100  # well before 10: Adam at lr ~1 wrecks a small CNN
    smooth = result["losses"]
    last = smooth[-1]
    assert last is None or last > L.DIVERGE * min(v for v in smooth[:-1] if v is not None)
    assert all(v <= L.DIVERGE * min(smooth[:i + 1]) for i, v in enumerate(smooth[:-1]))  # nothing earlier did
    assert len(result["lrs"]) == len(result["raw_losses"]) == result["steps"]
    assert result["lrs"] == pytest.approx(L.lr_schedule(1e-7, 10.0, 100)[:result["steps"]])


def test_on_mnist_the_suggestion_is_a_swept_rate_in_adams_decades_for_the_baseline(shared_datasets):
    result = L.lr_find(prepare(tiny("baseline", limit=2000), shared_datasets), steps=100)
    assert result["rule"] == "valley"
    lr = result["suggested_lr"]
    assert lr in result["lrs"]
    assert 1e-4 <= lr <= 1e-2, lr  # Adam's 1e-3 neighbourhood, where this baseline trains on MNIST
    assert 1e-4 <= result["suggestions"]["steepest"] <= 3e-2


def test_the_valley_rule_picks_the_long_descent_not_the_noise_before_it():
    lrs = L.lr_schedule(1e-6, 1.0, 60)
    # flat and noisy until index 20, falling steadily 20..50, then blowing up
    losses = [2.3 + 0.01 * (-1) ** i for i in range(20)] + [2.3 - 0.05 * i for i in range(30)] \
        + [1.0 + 0.5 * i for i in range(10)]
    valley = L.valley(lrs, losses)
    assert lrs[26] <= valley <= lrs[40]  # fastai's point: a little past the first third of the descent
    steepest = L.steepest(lrs, losses)
    assert lrs[20] <= steepest <= lrs[49]
    assert L.suggest(lrs, losses)["suggested_lr"] == valley


def test_cli_prints_the_keys_as_json_and_draws_the_chart(shared_datasets, tmp_path, capsys):
    from lab.cli import main

    png = tmp_path / "lr.png"
    assert main(["lr-find", "--dataset", "mnist", "--preset", "baseline", "--train-limit", "500", "--steps", "40",
                 "--data-dir", str(shared_datasets), "--json", "--out", str(png)]) == 0
    out = json.loads(capsys.readouterr().out)
    for key in ("suggested_lr", "rule", "lrs", "losses", "raw_losses"):
        assert key in out
    assert out["rule"] in L.RULES and 1e-7 <= out["suggested_lr"] <= max(out["lrs"])
    assert len(out["lrs"]) == len(out["losses"]) == out["steps"]
    assert png.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n" and png.stat().st_size > 5000


@pytest.mark.parametrize("argv, words", [
    (["--dataset", "mnist", "--start", "1", "--end", "0.1"], "--start 1 must be below --end 0.1"),
    (["--dataset", "mnst"], "did you mean mnist"),
    (["--dataset", "mnist", "--out", "chart.jpg"], "write a .png file"),
    (["--dataset", "mnist", "--steps", "5"], "outside 10..1000"),
])
def test_cli_bad_input_is_one_line_and_a_non_zero_exit(argv, words, capsys):
    from lab.cli import main

    assert main(["lr-find", *argv]) == 2
    err = capsys.readouterr().err.strip()
    assert words in err and len(err.splitlines()) == 1


def test_a_worker_runs_the_range_test_as_a_job_and_the_journal_stays_empty(runs):  # noqa: F811
    from lab.jobs.submit import JobTarget, lr_find_job, submit_lr_find
    from lab.runs.course import progress

    cfg = tiny("baseline", limit=300)
    workers = Workers(runs)
    try:
        job = submit_lr_find(cfg, runs, target=JobTarget(runs))
        wait_done(job)
    finally:
        workers.stop()
    assert job.status == "finished", job.summary()
    result = job.summary()["lr_find"]
    assert result["rule"] in L.RULES and result["steps"] > 10 and len(result["lrs"]) == result["steps"]
    assert lr_find_job(runs, job.id).dir == job.dir and job.dir.parent.name == ".lr_find"
    store = RunStore(runs)
    assert store.list() == [] and store.latest_trained() is None and progress(store).baseline is None
    assert lr_find_job(runs, "../" + job.id) is None and lr_find_job(runs, "..") is None
