"""No message reaches a student with a placeholder still in it ("The loss reached {loss:.3g}").

The engine records a message as a key and its numbers (events' ``notes``/``advice`` with
``values``, the summary's ``reason`` with ``reason_params``); ``lab.train.advice.english``
and ``lab.i18n.translate`` fill them, and a number left out raises instead of printing the
template. These tests take the messages real runs recorded and render every one of them,
in English and Russian.
"""

from __future__ import annotations

import json
import subprocess
import threading

import pytest
import torch

from lab.config import ExperimentConfig
from lab.data import Splits, channel_stats
from lab.i18n import translate
from lab.model import preset
from lab.runs.store import RunStore
from lab.train import advice, from_splits, train

torch.set_num_threads(1)  # the machine's cores are shared


def recorded_messages(run_dir) -> list[tuple[str, dict]]:
    """Every (key, params) a run folder holds: its events' notes and advice, and the summary's reason."""
    out = []
    for line in (run_dir / "metrics.jsonl").read_text().splitlines():
        event = json.loads(line)
        for key in [*event.get("notes", []), *event.get("advice", [])]:
            out.append((key, event.get("values", {})))
    summary = json.loads((run_dir / "summary.json").read_text())
    if summary.get("reason"):
        out.append((summary["reason"], summary.get("reason_params", {})))
    return out


def assert_all_filled(messages) -> None:
    assert messages
    for key, params in messages:
        for text in (advice.english(key, **params), translate(key, "en", **params), translate(key, "ru", **params)):
            assert "{" not in text and "}" not in text, (key, text)


def small_splits(data, n_train: int, n_val: int) -> Splits:
    order = torch.randperm(len(data.train_y), generator=torch.Generator().manual_seed(0))
    tr, va = order[:n_train], order[n_train:n_train + n_val]
    return Splits(data.train_x[tr], data.train_y[tr], data.train_x[va], data.train_y[va],
                  data.test_x[:50], data.test_y[:50])


def run_in(root, data, splits, listeners=(), stop=None, **train_settings):
    cfg = ExperimentConfig()
    cfg.model = preset("baseline", "mnist")
    for key, value in train_settings.items():
        setattr(cfg.train, key, value)
    run = RunStore(root).create(cfg)
    prepared = from_splits(cfg, splits, data.classes, channel_stats(splits.train_x))
    return run, train(prepared, run, device="cpu", listeners=listeners, stop=stop)


def in_process(capsys, *args):
    from lab.cli import main

    code = main(list(args))
    captured = capsys.readouterr()
    return subprocess.CompletedProcess(args, code, captured.out, captured.err)


def test_a_diverged_run_on_the_command_line_prints_every_number_and_no_placeholder(tmp_path, capsys):
    # the case: Adam at learning rate 1.0 explodes within a few steps
    out = in_process(capsys, "train", "--dataset", "mnist", "--preset", "baseline", "--optimizer", "adam",
                     "--lr", "1.0", "--epochs", "1", "--train-limit", "600", "--runs-dir", str(tmp_path))
    assert out.returncode == 1  # diverged
    assert "{" not in out.stdout + out.stderr and "}" not in out.stdout + out.stderr, out.stderr
    (run_dir,) = [p for p in tmp_path.iterdir() if p.is_dir()]
    summary = json.loads((run_dir / "summary.json").read_text())
    assert summary["status"] == "diverged" and summary["reason"] == "train.diverged.exploded"
    params = summary["reason_params"]
    assert params["loss"] > 10 * params["initial"] and params["factor"] == 10 and params["step"] >= 1
    last = out.stderr.strip().splitlines()[-1]
    assert last.startswith("diverged:") and f"at step {params['step']}" in last and f"{params['loss']:.3g}" in last
    assert_all_filled(recorded_messages(run_dir))
    # the journal's listing and the run's JSON of the same run: no placeholder either
    listing = in_process(capsys, "runs", "--runs-dir", str(tmp_path))
    assert listing.returncode == 0 and "{" not in listing.stdout + listing.stderr


def test_a_stopped_and_an_early_stopped_run_record_their_reason_with_its_numbers(mnist, tmp_path):
    stop = threading.Event()

    def press_stop(event):
        if event["event"] == "batch" and event["step"] == 3:
            stop.set()

    run, result = run_in(tmp_path, mnist, small_splits(mnist, 300, 100), [press_stop], stop, epochs=2)
    assert result.status == "stopped" and result.summary["reason_params"] == {"step": 3}
    assert result.summary["message"] == "Stopped on request after step 3."
    assert_all_filled(recorded_messages(run.dir))

    run, result = run_in(tmp_path, mnist, small_splits(mnist, 200, 1000), epochs=30, batch_size=32, early_stopping=2)
    s = result.summary
    assert s["early_stopped"] and s["reason"] == "train.early_stopped"
    assert s["reason_params"] == {"epoch": s["epochs"], "best_epoch": s["best_epoch"], "patience": 2}
    assert f"Stopped early at epoch {s['epochs']}" in s["message"]
    assert f"веса эпохи {s['best_epoch']}" in translate(s["reason"], "ru", **s["reason_params"])
    assert_all_filled(recorded_messages(run.dir))


def test_a_forgotten_number_raises_instead_of_showing_the_template():
    with pytest.raises(KeyError):
        advice.english("train.diverged.exploded", step=4)  # loss, initial and factor left out
    with pytest.raises(KeyError):
        translate("train.diverged.exploded", "ru")  # no numbers at all: not the raw template
    assert translate("train.advice.lower_lr", "en") == advice.ENGLISH["train.advice.lower_lr"]  # none needed
    assert "8.72e+03" in advice.english("train.diverged.exploded", step=2, loss=8721.4, initial=2.33, factor=10.0)


def test_a_listener_that_ends_a_run_without_the_reasons_numbers_is_stopped_where_it_forgot_them(mnist):
    from lab.train import Listener

    class Forgetful(Listener):
        def on_batch_end(self, state):
            state.end("stopped", "train.stopped")  # "after step {step}": no step given

    with pytest.raises(KeyError, match="step"):
        prepared = from_splits(ExperimentConfig(), small_splits(mnist, 100, 50), mnist.classes,
                                    channel_stats(mnist.train_x[:100]))
        train(prepared, listeners=[Forgetful()], device="cpu")


def test_a_capped_submission_says_the_cap_in_words_not_a_key_and_a_dict(tmp_path, capsys, monkeypatch):
    monkeypatch.setenv("LAB_MAX_EPOCHS", "2")
    monkeypatch.setenv("LAB_WORKERS", "0")  # queued only: no worker needed to read the note
    out = in_process(capsys, "submit", "--dataset", "mnist", "--preset", "baseline", "--epochs", "5",
                     "--runs-dir", str(tmp_path))
    assert out.returncode == 0, out.stderr
    note = next(line for line in out.stderr.splitlines() if line.startswith("note: capped"))
    assert note == "note: capped by the classroom limits: This server allows at most 2 epochs per run: training 2 " \
                   "instead of 5."
    assert "{" not in out.stderr and "training.capped" not in out.stderr
