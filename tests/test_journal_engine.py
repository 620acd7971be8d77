"""The journal engine: what changed since the run before, the warning, the table, CSV, delete, CLI."""

from __future__ import annotations

import time

import json

import pytest

from lab.runs import journal
from lab.cli import main
from lab.config import ExperimentConfig, TransformStep
from lab.errors import LabError
from lab.runs.store import RunStore


def plant(store: RunStore, cfg: ExperimentConfig | None = None, *, name: str = "", parent: str | None = None,
          val_acc: list[float] = (0.90, 0.93), val_loss: list[float] = (0.35, 0.25), test_acc: float | None = 0.92,
          status: str = "finished", note: str = ""):
    """A run as the training engine leaves it: config, meta, epoch events, summary."""
    cfg = cfg or ExperimentConfig()
    run = store.create(cfg, parent=parent, name=name)
    for i, (acc, loss) in enumerate(zip(val_acc, val_loss), start=1):
        run.append({"event": "epoch", "epoch": i, "epochs": len(val_acc), "train_loss": loss * 1.2,
                    "train_accuracy": acc - 0.02, "val_loss": loss, "val_accuracy": acc, "seconds": 2.5})
    if status == "running":  # a worker beating for it (dated ahead: it stays alive through a slow test)
        run.write_progress({"heartbeat": time.time() + 3600, "worker": "test:0"})
    else:
        best = min(range(len(val_loss)), key=lambda i: val_loss[i]) if val_loss else None
        run.write_summary({"status": status, "epochs": len(val_acc), "seconds": 2.5 * len(val_acc),
                           "best_val_accuracy": val_acc[best] if best is not None else None,
                           "best_val_loss": val_loss[best] if best is not None else None,
                           "test_accuracy": test_acc})
    if note:
        run.set_note(note)
    return run


def changed(**fields) -> ExperimentConfig:
    cfg = ExperimentConfig()
    for path, value in fields.items():
        part, name = path.split("__")
        setattr(getattr(cfg, part), name, value)
    return cfg


def test_one_changed_field_is_reported_with_its_effect_and_no_warning(tmp_path):
    store = RunStore(tmp_path)
    a = plant(store, name="baseline", val_acc=[0.95], val_loss=[0.20])
    b = plant(store, changed(train__lr=3e-4), name="lower lr", parent=a.id, val_acc=[0.97], val_loss=[0.12])
    change = journal.change_of(b, journal.in_order(store))
    assert change.base == a.id and change.base_kind == "parent"
    assert change.fields == [("train.lr", 1e-3, 3e-4)]
    assert not change.warning
    assert change.d_val_accuracy == pytest.approx(0.02)
    assert change.d_val_loss == pytest.approx(-0.08)


def test_several_changed_fields_are_all_listed_and_warned_about(tmp_path):
    store = RunStore(tmp_path)
    a = plant(store)
    cfg = changed(train__lr=3e-4, train__batch_size=128)
    cfg.model.blocks[0].filters = 64
    cfg.augment.transforms = [TransformStep("RandomRotation", {"degrees": 10})]
    b = plant(store, cfg, parent=a.id)
    change = journal.change_of(b, journal.in_order(store))
    paths = [p for p, _, _ in change.fields]
    assert sorted(paths) == ["augment.transforms", "model.blocks[0].filters", "train.batch_size", "train.lr"]
    assert dict((p, (x, y)) for p, x, y in change.fields)["model.blocks[0].filters"] == (32, 64)
    assert change.warning


@pytest.mark.parametrize("n_changes", [0, 1, 2, 3])
def test_the_warning_appears_exactly_when_more_than_one_field_changed(tmp_path, n_changes):
    store = RunStore(tmp_path)
    first = plant(store)
    edits = [("train__lr", 0.01), ("train__seed", 7), ("data__val_fraction", 0.1)][:n_changes]
    second = plant(store, changed(**dict(edits)), parent=first.id)
    change = journal.change_of(second, journal.in_order(store))
    assert len(change.fields) == n_changes
    assert change.warning is (n_changes > 1)
    row = journal.row(second, journal.in_order(store))
    assert row["changes"] == n_changes


def test_without_a_parent_the_run_before_is_the_base_and_the_first_run_has_none(tmp_path):
    store = RunStore(tmp_path)
    a = plant(store)
    b = plant(store, changed(train__epochs=10))
    c = plant(store, changed(train__lr=0.01), parent="20000101-000000-gone00")  # parent deleted since
    runs = journal.in_order(store)
    assert journal.change_of(a, runs).base is None and journal.change_of(a, runs).base_kind == "none"
    assert (journal.change_of(b, runs).base, journal.change_of(b, runs).base_kind) == (a.id, "previous")
    change_c = journal.change_of(c, runs)
    assert (change_c.base, change_c.base_kind) == (b.id, "previous")
    assert {p for p, _, _ in change_c.fields} == {"train.lr", "train.epochs"}


def test_the_table_describes_each_run_in_the_pages_columns(tmp_path):
    store = RunStore(tmp_path)
    a = plant(store, name="baseline", val_acc=[0.90, 0.95], val_loss=[0.3, 0.2], test_acc=0.947, note="start")
    cfg = changed(train__optimizer="sgd")
    cfg.augment.transforms = [TransformStep("RandomCrop", {"size": 24, "padding": 2})]
    plant(store, cfg, parent=a.id, val_acc=[0.8], val_loss=[0.6], status="running")
    rows = journal.table(store)
    assert [tuple(r) for r in rows] == [journal.COLUMNS] * 2
    first, second = rows
    assert first["params"] == 54_410  # Conv(1->32, 3x3) + Linear(32*13*13 -> 10) on 28x28 digits
    assert (first["dataset"], first["blocks"], first["optimizer"], first["lr"]) == ("mnist", 1, "adam", 1e-3)
    assert (first["best_val_accuracy"], first["best_val_loss"]) == (0.95, 0.2)
    # a test accuracy in an old summary is not shown: only an explicit test evaluation is (lab.runs.evaluation)
    assert first["test_accuracy"] is None
    assert (first["val_rank"], second["val_rank"]) == (1, 2)
    assert (first["epochs"], first["seconds"], first["status"], first["note"]) == (2, 5.0, "finished", "start")
    assert first["augment"] == "none" and first["base"] is None
    # a run still going shows what it reached so far, from its epoch events
    assert second["status"] == "running" and second["test_accuracy"] is None
    assert (second["best_val_accuracy"], second["epochs"]) == (0.8, 1)
    assert second["augment"] == "RandomCrop(size=24, padding=2)"
    assert second["params"] == 32 * 9 + 32 + 32 * 11 * 11 * 10 + 10  # 24x24 crops -> 11x11 after the pool
    assert second["changes"] == 2 and "train.optimizer: adam → sgd" in second["changed"]
    assert second["d_val_accuracy"] == pytest.approx(0.8 - 0.95)


def test_csv_export_reads_back_to_the_same_rows(tmp_path):
    store = RunStore(tmp_path)
    a = plant(store, name="база, первая", note='lr 1e-3 "as the course says",\nthen more')
    plant(store, changed(train__lr=3e-4), parent=a.id, val_acc=[0.91, 0.9512345678], val_loss=[0.3, 0.1987654321])
    plant(store, changed(train__lr=3e-4, train__batch_size=32), status="running", val_acc=[], val_loss=[])
    rows = journal.table(store)
    text = journal.to_csv(rows)
    assert text.splitlines()[0] == ",".join(journal.COLUMNS)
    assert journal.read_csv(text) == rows


def test_a_csv_without_the_journal_columns_is_refused():
    with pytest.raises(LabError, match="not a journal CSV"):
        journal.read_csv("a,b\n1,2\n")


def test_deleting_asks_first_and_removes_only_that_run(tmp_path):
    store = RunStore(tmp_path)
    keep, doomed, other = plant(store), plant(store), plant(store)
    with pytest.raises(LabError, match="confirmation"):
        journal.delete_run(store, doomed.id)
    with pytest.raises(LabError, match="confirmation"):
        journal.delete_run(store, doomed.id, confirm=keep.id)
    assert len(store.list()) == 3
    journal.delete_run(store, doomed.id, confirm=doomed.id)
    assert {r.id for r in store.list()} == {keep.id, other.id}
    assert not doomed.dir.exists() and (keep.dir / "summary.json").is_file()


def test_a_run_still_training_cannot_be_deleted(tmp_path):
    store = RunStore(tmp_path)
    running = plant(store, status="running")
    with pytest.raises(LabError, match="still training"):
        journal.delete_run(store, running.id, confirm=running.id)
    assert running.dir.is_dir()


def test_side_by_side_shows_only_the_fields_that_differ(tmp_path):
    store = RunStore(tmp_path)
    a = plant(store)
    b = plant(store, changed(train__lr=0.01))
    c = plant(store, changed(train__batch_size=256))
    fields = journal.side_by_side([a, b, c])
    assert [f["field"] for f in fields] == ["train.lr", "train.batch_size"]
    assert fields[0] == {"field": "train.lr", a.id: "0.001", b.id: "0.01", c.id: "0.001"}
    assert journal.side_by_side([a, a]) == []


def test_curves_hold_train_and_validation_points_per_run(tmp_path):
    store = RunStore(tmp_path)
    a, b = plant(store, name="a"), plant(store, val_acc=[0.5, 0.6, 0.7], val_loss=[1.0, 0.8, 0.7])
    points = journal.curves([a, b])
    assert len(points) == 2 * 4 + 3 * 4  # epochs x (train, val) x (loss, accuracy)
    assert {p["run"] for p in points} == {journal.run_label(a), b.id}
    assert {p["split"] for p in points} == {"train", "val"}


# --- the CLI ----------------------------------------------------------------------------------
def test_cli_runs_lists_the_tables_rows_as_json(tmp_path, capsys):
    store = RunStore(tmp_path)
    a = plant(store, name="baseline")
    plant(store, changed(train__lr=3e-4), parent=a.id)
    assert main(["runs", "--runs-dir", str(tmp_path), "--json"]) == 0
    rows = json.loads(capsys.readouterr().out)
    assert [r["id"] for r in rows] == [r.id for r in journal.in_order(store)]
    assert rows[1]["changed"] == "train.lr: 0.001 → 0.0003" and rows[1]["changes"] == 1
    assert main(["runs", "--runs-dir", str(tmp_path)]) == 0
    text = capsys.readouterr().out
    assert "baseline" not in text.splitlines()[0] and a.id in text and "train.lr" in text


def test_cli_diff_prints_the_differing_fields_and_warns(tmp_path, capsys):
    store = RunStore(tmp_path)
    a = plant(store)
    b = plant(store, changed(train__lr=3e-4, train__epochs=9))
    assert main(["diff", a.id, str(b.dir), "--runs-dir", str(tmp_path), "--json"]) == 0
    out = json.loads(capsys.readouterr().out)
    assert out["fields"] == [{"field": "train.lr", "a": 1e-3, "b": 3e-4}, {"field": "train.epochs", "a": 5, "b": 9}]
    assert out["warning"] is True
    assert main(["diff", a.id, b.id, "--runs-dir", str(tmp_path)]) == 0
    text = capsys.readouterr().out
    assert "train.lr: 0.001 -> 0.0003" in text and "warning: 2 fields changed" in text


def test_cli_refuses_an_unknown_run_with_one_line_and_status_2(tmp_path, capsys):
    plant(RunStore(tmp_path))
    assert main(["diff", "nope", "nada", "--runs-dir", str(tmp_path)]) == 2
    assert main(["export", "nope", "--script", str(tmp_path / "x.py"), "--runs-dir", str(tmp_path)]) == 2
    err = capsys.readouterr().err.strip().splitlines()
    assert len(err) == 2 and all(line.startswith("error: no run 'nope'") for line in err)
