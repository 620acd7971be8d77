"""``python -m lab train`` as a script would call it: exit status, stdout JSON, stderr lines."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def lab(*args, data_dir=None, timeout=180):
    env = dict(os.environ, LAB_OFFLINE="1", LAB_TORCH_THREADS="1", PYTHONPATH=str(ROOT))
    if data_dir is not None:
        env["LAB_DATA_DIR"] = str(data_dir)
    return subprocess.run([sys.executable, "-m", "lab", *args], cwd=ROOT, env=env, capture_output=True,
                          text=True, timeout=timeout)


def test_train_json_on_the_bundled_samples_journals_a_run(tmp_path):
    # an empty data folder and no downloads: the lab trains on data/samples/mnist.npz
    runs = tmp_path / "runs"
    out = lab("train", "--dataset", "mnist", "--preset", "baseline", "--epochs", "2", "--batch-size", "32",
              "--seed", "3", "--runs-dir", str(runs), "--json", data_dir=tmp_path / "empty")
    assert out.returncode == 0, out.stderr
    result = json.loads(out.stdout)  # stdout is exactly one JSON object
    assert result["data_source"] == "samples" and result["status"] == "finished"
    assert [e["epoch"] for e in result["epochs"]] == [1, 2]
    assert result["epochs"][1]["train_loss"] < result["epochs"][0]["train_loss"]
    assert result["best_val_accuracy"] > 0.7 and result["seconds"] > 0
    assert "test_accuracy" not in result and "test accuracy" not in out.stderr  # the test set waits for the end
    run_dir = Path(result["run_dir"])
    assert run_dir.parent == runs and run_dir.name == result["run_id"]
    for name in ("config.json", "metrics.jsonl", "summary.json", "best.pt", "last.pt"):
        assert (run_dir / name).is_file(), name
    config = json.loads((run_dir / "config.json").read_text())
    assert config["train"]["seed"] == 3 and config["model"]["preset"] == "baseline"
    assert "epoch 2/2" in out.stderr and "check:" in out.stderr


def in_process(capsys, *args):
    """The same command without a new interpreter (seconds saved per call)."""
    from lab.cli import main

    code = main(list(args))
    captured = capsys.readouterr()
    return subprocess.CompletedProcess(args, code, captured.out, captured.err)


def test_transforms_and_overrides_reach_the_saved_config(tmp_path, monkeypatch, capsys):
    monkeypatch.setenv("LAB_DATA_DIR", str(tmp_path / "empty"))
    out = in_process(capsys, "train", "--dataset", "fashion-mnist", "--preset", "baseline", "--transforms",
              "RandomHorizontalFlip(), RandomCrop(28, padding=2)", "--epochs", "1", "--lr", "0.002",
              "--optimizer", "adamw", "--train-limit", "300", "--runs-dir", str(tmp_path), "--json")
    assert out.returncode == 0, out.stderr
    result = json.loads(out.stdout)
    config = json.loads((Path(result["run_dir"]) / "config.json").read_text())
    assert [s["name"] for s in config["augment"]["transforms"]] == ["RandomHorizontalFlip", "RandomCrop"]
    assert config["train"]["lr"] == 0.002 and config["train"]["optimizer"] == "adamw"
    assert result["sizes"]["train"] == 300


def test_a_bad_config_file_exits_2_with_one_line_naming_the_field(tmp_path, capsys):
    bad = tmp_path / "bad.json"
    bad.write_text(json.dumps({"train": {"batch_size": "big"}}))
    out = in_process(capsys, "train", "--config", str(bad), "--runs-dir", str(tmp_path / "runs"))
    assert out.returncode == 2
    assert out.stderr.strip().count("\n") == 0 and "train.batch_size" in out.stderr
    assert not (tmp_path / "runs").exists()  # nothing journalled for a run that never started


def test_bad_command_line_values_exit_2_naming_the_field(tmp_path, capsys):
    for args, field in [(["--lr", "50"], "--lr"), (["--optimizer", "rmsprop"], "--optimizer"),
                        (["--epochs", "0"], "--epochs"), (["--threads", "-1"], "--threads"),
                        (["--seed", "1" * 31], "--seed")]:
        out = in_process(capsys, "train", "--dataset", "mnist", "--preset", "baseline", *args,
                         "--runs-dir", str(tmp_path))
        assert out.returncode == 2 and field in out.stderr and len(out.stderr.splitlines()) == 1, (args, out.stderr)
    out = in_process(capsys, "train", "--dataset", "mnist", "--preset", "nosuch", "--runs-dir", str(tmp_path))
    assert out.returncode == 2 and "nosuch" in out.stderr
    out = in_process(capsys, "train", "--runs-dir", str(tmp_path))
    assert out.returncode == 2 and "--config" in out.stderr
