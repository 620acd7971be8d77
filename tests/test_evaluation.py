"""Keep the test set for the end: runs are scored on validation; the test score is revealed
only by an explicit evaluation, journalled, and every model looked at is counted."""

from __future__ import annotations

import json
import shutil

import pytest
import torch

from lab.runs import journal
from lab.model.checkpoint import load_checkpoint
from lab.cli import main
from lab.config import ExperimentConfig
from lab.runs.evaluation import evaluate_run, evaluations, latest_test, split_images, split_scores, count_test_looks
from lab.classroom.leaderboard import hidden_test_indices, public_test_indices
from lab.model import preset
from lab.runs.store import RunStore
from lab.train.evaluate import loss_and_accuracy
from lab.train.session import prepare, run as train_run


@pytest.fixture(scope="module")
def trained(tmp_path_factory, shared_datasets):
    """One real baseline run on 400 MNIST images, one epoch (copied into each test's journal)."""
    torch.set_num_threads(1)
    cfg = ExperimentConfig()
    cfg.model = preset("baseline", "mnist")
    cfg.data.train_limit, cfg.train.epochs = 400, 1
    store = RunStore(tmp_path_factory.mktemp("evaluation") / "runs")
    prepared = prepare(cfg, shared_datasets)
    run = store.create(cfg)
    result = train_run(prepared, run)
    assert result.status == "finished"
    return run


@pytest.fixture()
def run(trained, tmp_path):
    shutil.copytree(trained.dir, tmp_path / "runs" / trained.id)
    return RunStore(tmp_path / "runs").get(trained.id)


def test_a_run_is_scored_on_validation_only_until_someone_asks_for_test(run):
    summary = run.summary()
    assert summary["best_val_accuracy"] > 0.6
    assert not any(k.startswith("test") for k in summary)
    assert journal.table(RunStore(run.dir.parent))[0]["test_accuracy"] is None
    assert count_test_looks(run.dir.parent) == 0


def test_evaluate_on_test_scores_the_checkpoint_on_all_10000_images_and_counts_one_look(run, mnist, shared_datasets):
    record = evaluate_run(run, "test", data_dir=shared_datasets)
    ckpt = load_checkpoint(run.model_checkpoint())
    loss, acc = loss_and_accuracy(ckpt.model, mnist.test_x, mnist.test_y, ckpt.mean, ckpt.std, "cpu",
                                  shape=ckpt.input_shape)
    assert record["n"] == 10_000 and not record["public_only"]
    assert record["accuracy"] == pytest.approx(acc) and record["loss"] == pytest.approx(loss, rel=1e-4)
    assert 0.6 < record["accuracy"] < 1.0
    assert record["new_look"] and record["test_looks"] == 1
    # journalled in the run folder; the journal table shows it now
    assert evaluations(run, "test") == [record]
    assert latest_test(run) == record
    assert journal.table(RunStore(run.dir.parent))[0]["test_accuracy"] == pytest.approx(acc)


def test_asking_again_about_the_same_model_is_journalled_but_not_another_look(run, shared_datasets):
    first = evaluate_run(run, "test", data_dir=shared_datasets)
    again = evaluate_run(run, "test", data_dir=shared_datasets)
    assert again["accuracy"] == first["accuracy"] and not again["new_look"]
    assert len(evaluations(run, "test")) == 2 and count_test_looks(run.dir.parent) == 1
    evaluate_run(run, "val", data_dir=shared_datasets)  # validation is not the test set
    assert count_test_looks(run.dir.parent) == 1
    # a retrained checkpoint is a new model: its test score is not the old one's, and looking counts
    best = run.model_checkpoint()
    best.touch()
    assert latest_test(run) is None
    assert evaluate_run(run, "test", data_dir=shared_datasets)["new_look"]
    assert count_test_looks(run.dir.parent) == 2


def test_validation_scores_are_the_runs_own_validation_images(run, mnist, shared_datasets):
    x, y, idx, _ = split_images(run, "val", shared_datasets)
    assert len(y) == 12_000 and torch.equal(mnist.train_y[idx], y) and torch.equal(mnist.train_x[idx], x)
    scores = split_scores(run, "val", data_dir=shared_datasets)
    # the run's own end-of-training validation accuracy, from the same best.pt
    assert scores.accuracy == pytest.approx(run.summary()["final_val_accuracy"], abs=2e-4)  # one image at most


def test_a_classroom_student_sees_only_the_public_half_of_the_test_set(run, mnist, shared_datasets, monkeypatch):
    monkeypatch.setenv("LAB_WORKSPACES", "private")
    monkeypatch.setenv("LAB_SECRET", "a fixed classroom secret")
    secret = b"a fixed classroom secret"
    record = evaluate_run(run, "test", data_dir=shared_datasets, runs_root=run.dir.parent)
    scores = split_scores(run, "test", data_dir=shared_datasets, runs_root=run.dir.parent)
    assert record["public_only"] and record["n"] == 5_000
    assert torch.equal(torch.from_numpy(scores.indices), public_test_indices(mnist.test_y, secret))
    hidden = set(hidden_test_indices(mnist.test_y, secret).tolist())
    assert hidden.isdisjoint(scores.indices.tolist())  # nothing of the leaderboard's half


def test_cli_evaluate_prints_the_score_and_the_count(run, shared_datasets, capsys):
    root = str(run.dir.parent)
    assert main(["evaluate", run.id, "--split", "test", "--runs-dir", root, "--data-dir", str(shared_datasets),
                 "--json"]) == 0
    out = json.loads(capsys.readouterr().out)
    assert out["split"] == "test" and out["test_looks"] == 1 and out["n"] == 10_000
    assert main(["evaluate", run.id, "--runs-dir", root, "--data-dir", str(shared_datasets)]) == 0
    text = capsys.readouterr().out
    assert f"{100 * out['accuracy']:.2f}%" in text and "not counted again" in text
    assert main(["evaluate", run.id, "--split", "train", "--runs-dir", root]) == 2  # no such split
    assert main(["evaluate", "no-such-run", "--runs-dir", root]) == 2
    assert "no run 'no-such-run'" in capsys.readouterr().err
