"""The course's rules (lab.train.rules) on real configs, with the journal's progress
(lab.runs.course), and as ``lab train`` prints them."""

from __future__ import annotations

import json
from pathlib import Path

from lab.config import ExperimentConfig, TransformStep
from lab.runs.course import Progress, is_baseline, progress
from lab.model import preset
from lab.runs.store import RunStore
from lab.train.rules import course_rules, english
from test_cli_train import in_process
from test_journal_engine import changed, plant

DONE = Progress(trained=2, baseline="r1", overfit="reached")  # a journal past the first steps


def keys(findings) -> list[str]:
    return [k for k, _ in findings]


def test_the_course_default_after_the_first_steps_breaks_no_rule():
    assert course_rules(ExperimentConfig(), DONE) == []


def test_weight_decay_on_a_first_run_and_adam_with_weight_decay_suggest_zero_and_adamw():
    cfg = changed(train__weight_decay=0.01)
    first = course_rules(cfg, Progress(baseline=None, overfit="reached"))
    assert "rules.weight_decay_first" in keys(first) and "rules.adam_weight_decay" in keys(first)
    later = course_rules(cfg, DONE)
    assert keys(later) == ["rules.adam_weight_decay"]
    assert "AdamW" in english(later[0]) and "0.01" in english(later[0])
    assert course_rules(changed(train__weight_decay=0.01, train__optimizer="adamw"), DONE) == []


def test_a_learning_rate_far_outside_adams_range_is_named():
    for lr, warned in [(1e-3, False), (3e-4, False), (2e-2, False), (0.1, True), (1e-5, True), (1.0, True)]:
        found = course_rules(changed(train__lr=lr), DONE)
        assert ("rules.adam_lr" in keys(found)) == warned, lr
    sgd = course_rules(changed(train__lr=0.1, train__optimizer="sgd"), DONE)
    assert sgd == []  # SGD's range is another one: 0.1 is its classic start
    (finding,) = course_rules(changed(train__lr=0.1), DONE)
    assert "0.1" in english(finding) and "0.0001..0.01" in english(finding)


def test_no_baseline_no_overfit_batch_and_augmentation_before_a_baseline():
    cfg = ExperimentConfig()
    cfg.model = preset("mnist_cnn", "mnist")
    cfg.augment.transforms = [TransformStep("RandomRotation", {"degrees": 10})]
    found = keys(course_rules(cfg, Progress()))
    assert found == ["rules.no_baseline", "rules.augment_before_baseline", "rules.no_overfit_batch"]
    # the baseline itself is what the rule asks for: no "no baseline" while training it
    assert keys(course_rules(ExperimentConfig(), Progress())) == ["rules.no_overfit_batch"]
    assert keys(course_rules(ExperimentConfig(), Progress(overfit="failed"))) == ["rules.overfit_failed"]


def test_every_augmentation_warning_comes_again_with_the_rules():
    cfg = ExperimentConfig()
    cfg.augment.transforms = [TransformStep("RandomHorizontalFlip", {}), TransformStep("RandomRotation",
                                                                                      {"degrees": 45})]
    found = keys(course_rules(cfg, DONE, channels=1, raw_shape=(1, 28, 28)))
    assert found == ["augmentation.warn.flip_digits", "augmentation.warn.big_rotation"]


def test_progress_reads_the_baseline_the_overfit_jobs_and_one_change_runs(tmp_path):
    store = RunStore(tmp_path)
    assert progress(store).steps() == [(s, False) for s in ("overfit_batch", "baseline", "initial_loss",
                                                              "one_change", "augment")]
    a = plant(store, name="baseline")
    (a.dir / "summary.json").write_text(json.dumps({"status": "finished", "initial_check": {"ok": True}}))
    b = plant(store, changed(train__lr=3e-4), parent=a.id)
    two = changed(train__lr=3e-4, train__epochs=3)
    two.augment.transforms = [TransformStep("RandomRotation", {"degrees": 10})]
    plant(store, two, parent=b.id)
    job = tmp_path / ".overfit" / "20260101-000000-000abc"
    job.mkdir(parents=True)
    (job / "config.json").write_text(ExperimentConfig().to_json())
    (job / "summary.json").write_text(json.dumps({"status": "finished", "overfit": {"reached": True}}))
    p = progress(store)
    assert p.trained == 3 and p.baseline == a.id and p.initial_ok == a.id and p.overfit == "reached"
    assert (p.one_change, p.many_changes) == (1, 1)
    assert p.augmented is not None and all(done for _, done in p.steps()) and p.next_step is None
    assert is_baseline(ExperimentConfig()) and not is_baseline(two)


def test_lab_train_prints_the_rules_as_warnings_and_still_trains(tmp_path, monkeypatch, capsys):
    monkeypatch.setenv("LAB_DATA_DIR", str(tmp_path / "empty"))  # the bundled samples
    out = in_process(capsys, "train", "--dataset", "mnist", "--preset", "mnist_cnn", "--epochs", "1",
                     "--train-limit", "200", "--lr", "0.1", "--transforms", "RandomHorizontalFlip()",
                     "--runs-dir", str(tmp_path / "runs"), "--json")
    assert out.returncode in (0, 1), out.stderr  # lr 0.1 may diverge: a warning, never a refusal
    warnings = [line for line in out.stderr.splitlines() if line.startswith("warning: ")]
    texts = " ".join(warnings)
    assert "far outside 0.0001..0.01" in texts and "No baseline run yet" in texts
    assert "No \"Overfit one batch\" yet" in texts and "before any baseline run" in texts
    assert "flip" in texts.lower()  # the augmentation page's warning about flipped digits
    assert json.loads(out.stdout)["status"] in ("finished", "diverged")  # it ran: the rules never refuse


def test_lab_train_defaults_to_the_baseline_and_overfit_batch_counts_for_the_rules(tmp_path, monkeypatch, capsys):
    monkeypatch.setenv("LAB_DATA_DIR", str(tmp_path / "empty"))
    runs = tmp_path / "runs"
    out = in_process(capsys, "train", "--dataset", "mnist", "--overfit-batch", "--runs-dir", str(runs), "--json")
    assert out.returncode == 0, out.stderr
    assert json.loads(out.stdout)["reached"] is True
    out = in_process(capsys, "train", "--dataset", "mnist", "--epochs", "1", "--train-limit", "200",
                     "--runs-dir", str(runs), "--json")
    assert out.returncode == 0, out.stderr
    result = json.loads(out.stdout)
    assert result["preset"] == "baseline"  # an empty journal: the course baseline
    assert "warning:" not in out.stderr  # baseline, one batch overfit: nothing to warn about
    assert progress(RunStore(runs)).baseline == result["run_id"]
    out = in_process(capsys, "train", "--dataset", "mnist", "--epochs", "1", "--train-limit", "200",
                     "--runs-dir", str(runs), "--json")
    assert json.loads(out.stdout)["preset"] == "mnist_cnn"  # a baseline exists: the recommended preset
    assert Path(json.loads(out.stdout)["run_dir"]).is_dir()
