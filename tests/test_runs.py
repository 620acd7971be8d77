"""The run journal: what a crash, a refresh or a delete leaves on disk."""


import pytest

from lab.config import ExperimentConfig
from lab.errors import LabError
from lab.runs.store import RunStore, resolve_run


def test_a_run_keeps_its_config_and_every_flushed_event(tmp_path):
    store = RunStore(tmp_path)
    cfg = ExperimentConfig()
    cfg.train.lr = 3e-4
    run = store.create(cfg, name="lower lr")
    run.append({"event": "epoch", "epoch": 1, "val_accuracy": 0.91})
    run.append({"event": "epoch", "epoch": 2, "val_accuracy": 0.94})
    again = resolve_run(run.dir)
    assert again.config().train.lr == 3e-4
    assert [e["val_accuracy"] for e in again.epochs()] == [0.91, 0.94]
    assert again.status == "failed"  # nobody ever beat for it: not "running" for ever


def test_a_line_cut_short_by_a_crash_loses_only_that_line(tmp_path):
    run = RunStore(tmp_path).create(ExperimentConfig())
    run.append({"event": "epoch", "epoch": 1})
    with open(run.dir / "metrics.jsonl", "a") as f:
        f.write('{"event": "epoch", "epo')
    assert [e["epoch"] for e in run.epochs()] == [1]


def test_runs_list_in_creation_order_and_delete_removes_only_one(tmp_path):
    store = RunStore(tmp_path)
    a, b = store.create(ExperimentConfig()), store.create(ExperimentConfig(), parent=None)
    assert [r.id for r in store.list()] == sorted([a.id, b.id])
    store.delete(a.id)
    assert [r.id for r in store.list()] == [b.id]
    assert b.dir.is_dir()


@pytest.mark.parametrize("bad", ["../etc", "nope", ".hidden"])
def test_unknown_or_escaping_run_ids_are_refused(tmp_path, bad):
    store = RunStore(tmp_path)
    store.create(ExperimentConfig())
    with pytest.raises(LabError):
        store.get(bad)
