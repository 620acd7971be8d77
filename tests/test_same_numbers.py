"""Same config and seed, same numbers, whoever trains it on one machine: the page's worker
path (``lab.jobs.task.execute``) in a process running 1 or 2 torch threads, and ``lab train``
in its own process. The thread count that decides the numbers is the run's, recorded with
the rest of what decides them (``lab.train.numerics``); a run asked to train with another
count gets other numbers, and the journal and ``lab diff`` say why they may differ."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
import torch

from lab.cli import main
from lab.config import ExperimentConfig
from lab.jobs.task import execute
from lab.model.presets import preset
from lab.runs import journal
from lab.runs.evaluation import evaluate_run
from lab.runs.store import RunStore

ROOT = Path(__file__).resolve().parent.parent


def config() -> ExperimentConfig:
    """The issue's experiment, smaller: MNIST, mnist_cnn, 600 images, 1 epoch, seed 5."""
    cfg = ExperimentConfig()
    cfg.data.dataset = "mnist"
    cfg.data.train_limit = 600
    cfg.model = preset("mnist_cnn", "mnist")
    cfg.train.epochs = 1
    cfg.train.seed = 5
    return cfg


def train(store: RunStore, process_threads: int, **meta):
    """One run through the workers' path, in a process set to ``process_threads`` threads."""
    before = torch.get_num_threads()
    torch.set_num_threads(process_threads)
    try:
        run = store.create(config(), **meta)
        execute(run, "train", os.environ["LAB_DATA_DIR"])
    finally:
        torch.set_num_threads(before)
    assert run.status == "finished", run.summary()
    return run


def val_loss(run) -> float:
    return run.epochs()[-1]["val_loss"]


@pytest.fixture(scope="module")
def runs(tmp_path_factory):
    """The machine's default (LAB_TORCH_THREADS=1 in tests) from processes of 1 and 2 threads,
    and a run asked to train with 2 threads."""
    store = RunStore(tmp_path_factory.mktemp("same-numbers"))
    return store, train(store, 1), train(store, 2), train(store, 1, threads=2)


def test_a_process_of_one_or_two_threads_trains_a_run_to_the_same_numbers(runs):
    _, one, two, _ = runs
    assert val_loss(one) == val_loss(two)  # exactly: bit for bit
    assert [e["train_loss"] for e in one.epochs()] == [e["train_loss"] for e in two.epochs()]
    assert one.meta()["numerics"] == two.meta()["numerics"]
    assert one.meta()["numerics"]["threads"] == 1
    assert set(one.meta()["numerics"]) == {"threads", "device", "processor", "torch", "compute_dtype"}
    assert journal.change_of(two, [one, two]).numerics == []


def test_another_thread_count_gives_other_numbers_and_the_journal_and_diff_say_why(runs, capsys):
    store, one, _, asked = runs
    assert asked.meta()["numerics"]["threads"] == 2
    assert val_loss(asked) != val_loss(one)  # why the thread count must be held equal at all
    change = journal.compare(one, asked)
    assert change.fields == [] and change.numerics == [("threads", 1, 2)]
    row = next(r for r in journal.table(store) if r["id"] == asked.id)
    assert row["numerics_changed"] == "threads: 1 → 2"
    assert main(["diff", one.id, asked.id, "--runs-dir", str(store.root)]) == 0
    assert "computed differently: threads: 1 → 2; the numbers may differ because of it" in capsys.readouterr().out
    assert main(["diff", one.id, asked.id, "--runs-dir", str(store.root), "--json"]) == 0
    assert json.loads(capsys.readouterr().out)["numerics"] == [{"field": "threads", "a": 1, "b": 2}]


def test_lab_train_in_its_own_process_reaches_the_workers_numbers(runs, tmp_path):
    _, one, _, _ = runs
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    cfg_path = tmp_path / "config.json"
    config().save(cfg_path)
    done = subprocess.run([sys.executable, "-m", "lab", "train", "--config", str(cfg_path), "--runs-dir",
                           str(tmp_path / "runs"), "--json"], cwd=ROOT, env=env, capture_output=True, text=True,
                          timeout=600)
    assert done.returncode == 0, done.stderr
    run = RunStore(tmp_path / "runs").latest()
    assert val_loss(run) == val_loss(one)
    assert run.meta()["numerics"] == one.meta()["numerics"]


@pytest.mark.parametrize("lang", ["en", "ru"])
def test_the_journal_page_says_when_a_run_was_computed_differently(runs_dir, lang):
    from test_journal_engine import plant
    from test_page_journal import open_journal
    from lab.i18n import translate

    store = RunStore(runs_dir)
    record = {"threads": 1, "device": "cpu", "processor": "Xeon", "torch": "2.14.1", "compute_dtype": "float32"}
    a = plant(store, name="here")
    a.update_meta(numerics=record)
    b = plant(store, name="on the GPU", parent=a.id)
    b.update_meta(numerics={**record, "device": "NVIDIA H200", "compute_dtype": "bfloat16"})
    at = open_journal(lang)
    assert not at.exception
    fields = "device: cpu → NVIDIA H200; compute_dtype: float32 → bfloat16"
    assert translate("journal.numerics_differ", lang, fields=fields) in [w.value for w in at.warning]
    at.selectbox(key="journal_run_").set_value(a.id).run()
    assert not any(fields in w.value for w in at.warning)


def test_the_exported_script_retrains_the_run_to_the_same_numbers_bit_for_bit(runs, tmp_path, shared_datasets):
    """The script, in its own process, torch and torchvision only: the lab's images, split,
    statistics, batches, initial weights, Dropout draws and thread count, so the same numbers."""
    _, one, _, _ = runs
    script, result = tmp_path / "same.py", tmp_path / "result.json"
    assert main(["export", str(one.dir), "--script", str(script)]) == 0
    done = subprocess.run([sys.executable, str(script), "--epochs", "1", "--limit", "600", "--device", "cpu",
                           "--data-dir", str(shared_datasets), "--result", str(result), "--test"],
                          cwd=tmp_path, capture_output=True, text=True, timeout=600)
    assert done.returncode == 0, done.stderr[-2000:]
    ours = json.loads(result.read_text())
    assert "600 training, 12000 validation, 10000 test images" in done.stdout
    lab = one.epochs()
    assert len(lab) == 1
    assert [(e["train_loss"], e["val_loss"], e["val_accuracy"]) for e in ours["history"]] == \
        [(e["train_loss"], e["val_loss"], e["val_accuracy"]) for e in lab]
    # the same model: the test set (looked at last, with --test) scores as the lab's checkpoint does
    assert ours["test_accuracy"] == evaluate_run(one, "test")["accuracy"]


def test_an_image_folder_run_and_its_script_agree_bit_for_bit_too(tmp_path, shared_datasets):
    """Real CIFAR-10 JPEGs as a student's folder, made 16 x 16 grey: the script decodes and
    squares each picture as the lab does, so again the same numbers."""
    from test_export import copy_cifar_tree

    folder = copy_cifar_tree(shared_datasets, tmp_path / "drones", classes=3, per_class_train=30, per_class_test=5)
    cfg = ExperimentConfig()
    cfg.data.dataset, cfg.data.color, cfg.data.image_size = str(folder), "grayscale", 16
    cfg.train.batch_size, cfg.train.epochs = 8, 2
    run = RunStore(tmp_path / "runs").create(cfg)
    execute(run, "train", str(shared_datasets))
    assert run.status == "finished", run.summary()
    script, result = tmp_path / "folder.py", tmp_path / "result.json"
    assert main(["export", str(run.dir), "--script", str(script)]) == 0
    done = subprocess.run([sys.executable, str(script), "--device", "cpu", "--result", str(result)],
                          cwd=tmp_path, capture_output=True, text=True, timeout=300)
    assert done.returncode == 0, done.stderr[-2000:]
    ours = json.loads(result.read_text())["history"]
    assert len(ours) == 2
    assert [(e["train_loss"], e["val_loss"]) for e in ours] == [(e["train_loss"], e["val_loss"]) for e in run.epochs()]


def test_the_script_says_whether_it_reaches_the_labs_numbers(tmp_path, capsys):
    from lab.config import TransformStep
    from lab.export.script import script_source
    from test_journal_engine import plant

    store = RunStore(tmp_path)
    plain = plant(store, ExperimentConfig())
    augmented = ExperimentConfig()
    augmented.augment.transforms = [TransformStep("RandomCrop", {"size": 24, "padding": 2})]
    crops = plant(store, augmented)
    assert "Same seed, same numbers" in script_source(plain)
    assert "the lab draws the\n#" not in script_source(crops) and "per image with" in script_source(crops)
    assert main(["export", plain.id, "--script", str(tmp_path / "a.py"), "--runs-dir", str(tmp_path)]) == 0
    assert "same seed, same numbers as the lab on this machine" in capsys.readouterr().out
    assert main(["export", crops.id, "--script", str(tmp_path / "b.py"), "--runs-dir", str(tmp_path)]) == 0
    assert "it draws the random augmentation per image" in capsys.readouterr().out
    # an image folder: the same numbers hold for the files both decode alike, and it says which
    folder = ExperimentConfig()
    folder.data.dataset = str(tmp_path / "drones")
    drones = plant(store, folder)
    assert "only upright JPEG and PNG files" in script_source(drones)
    assert "only upright JPEG and PNG files" not in script_source(plain)
    assert main(["export", drones.id, "--script", str(tmp_path / "c.py"), "--runs-dir", str(tmp_path)]) == 0
    out = capsys.readouterr().out
    assert "same seed, same numbers" in out and "the lab decodes with Pillow" in out
