"""Is the difference real? Seeds repeated as a group, mean ± std, and a verdict against the
spread; and the student's prediction kept beside the result."""

from __future__ import annotations

import json
import statistics

import pytest

from lab.runs import journal
from lab.cli import main
from lab.config import ExperimentConfig
from lab.errors import LabError
from lab.runs.expectations import expectation, outcome
from lab.runs.store import RunStore
from lab.runs.seeds import compare_runs, group_stats, seed_configs, stats_of, verdict
from test_journal_engine import changed, plant


def group(store, cfg, accs, gid, parent=None, **meta):
    runs = []
    for i, acc in enumerate(accs):
        run = plant(store, cfg, parent=parent, val_acc=[acc], val_loss=[1 - acc])
        run.update_meta(group=gid, group_size=len(accs), **meta)
        runs.append(run)
    return runs


def test_seed_configs_count_up_from_the_experiments_seed():
    cfg = ExperimentConfig()
    cfg.train.seed = 7
    assert [c.train.seed for c in seed_configs(cfg, 3)] == [7, 8, 9]
    assert seed_configs(cfg, 3)[0] == cfg
    with pytest.raises(LabError):
        seed_configs(cfg, 11)


def test_a_groups_mean_and_std_and_the_verdict_against_the_spread(tmp_path):
    store = RunStore(tmp_path)
    base = group(store, ExperimentConfig(), [0.950, 0.955, 0.945], "gbase")
    small = group(store, changed(train__lr=5e-4), [0.952, 0.948, 0.957], "gsmall", parent=base[0].id)
    big = group(store, changed(train__lr=3e-3), [0.975, 0.978, 0.972], "gbig", parent=base[0].id)
    runs = journal.in_order(store)
    stats = group_stats(runs)
    assert stats["gbase"].n == 3 and stats["gbase"].mean == pytest.approx(0.95)
    assert stats["gbase"].std == pytest.approx(statistics.stdev([0.950, 0.955, 0.945]))
    # +0.23 points against a spread of 2 x 0.45: chance; +2.5 points: real
    assert compare_runs(base[0], small[1], runs).real is False
    v = compare_runs(base[2], big[0], runs)
    assert v.real is True and v.difference == pytest.approx(0.025)
    assert v.spread == pytest.approx(2 * max(stats["gbase"].std, stats["gbig"].std))
    # two lone runs cannot tell
    a, b = plant(store, val_acc=[0.9], val_loss=[0.1]), plant(store, val_acc=[0.95], val_loss=[0.05])
    assert verdict(stats_of(a, [a, b]), stats_of(b, [a, b])).real is None
    # the journal: the group's numbers on each of its rows, the seed not counted as a change
    rows = {r["id"]: r for r in journal.table(store)}
    assert rows[big[1].id]["group_mean"] == pytest.approx(0.975) and rows[big[1].id]["group_n"] == 3
    assert rows[big[1].id]["changes"] == 1 and "train.seed" not in rows[big[1].id]["changed"]


def test_the_expectation_is_read_against_what_happened(tmp_path):
    assert expectation(None) is None and expectation("better", " lower lr ") == {"direction": "better",
                                                                                  "why": "lower lr"}
    with pytest.raises(LabError):
        expectation("much better")
    with pytest.raises(LabError):
        expectation(None, "a reason without a direction")
    assert (outcome(0.02), outcome(-0.02), outcome(0.003), outcome(None)) == ("better", "worse", "same", None)
    assert outcome(0.02, spread=0.03) == "same"  # within the seed-to-seed spread
    store = RunStore(tmp_path)
    a = plant(store, val_acc=[0.95], val_loss=[0.05])
    b = plant(store, changed(train__lr=3e-4), parent=a.id, val_acc=[0.93], val_loss=[0.07])
    b.update_meta(expectation={"direction": "better", "why": "smaller steps"})
    row = journal.table(store)[1]
    assert (row["expected"], row["expected_why"], row["outcome"]) == ("better", "smaller steps", "worse")


def test_cli_train_seeds_makes_a_group_that_diff_judges(tmp_path, capsys, shared_datasets):
    runs_dir = tmp_path / "runs"
    common = ["--dataset", "mnist", "--preset", "baseline", "--epochs", "1", "--train-limit", "200",
              "--threads", "1", "--runs-dir", str(runs_dir), "--data-dir", str(shared_datasets)]
    assert main(["train", *common, "--seed", "4", "--seeds", "2", "--expect", "same", "--why", "a rerun",
                 "--json"]) == 0
    out = json.loads(capsys.readouterr().out)
    assert [r["seed"] for r in out["runs"]] == [4, 5] and len({r["group"] for r in out["runs"]}) == 1
    accs = [r["best_val_accuracy"] for r in out["runs"]]
    assert out["val_accuracy_mean"] == pytest.approx(statistics.fmean(accs))
    assert out["val_accuracy_std"] == pytest.approx(statistics.stdev(accs))
    assert all(r["expectation"] == {"direction": "same", "why": "a rerun"} for r in out["runs"])
    store = RunStore(runs_dir)
    first, second = journal.in_order(store)
    assert first.parent is None and second.parent is None  # both seeds compared with the same (no) parent
    assert main(["train", *common, "--lr", "0.01", "--json"]) == 0
    lone = json.loads(capsys.readouterr().out)
    assert store.get(lone["run_id"]).parent == second.id
    assert main(["diff", first.id, lone["run_id"], "--runs-dir", str(runs_dir), "--json"]) == 0
    diff = json.loads(capsys.readouterr().out)
    assert diff["seeds"]["a"]["n"] == 2 and diff["seeds"]["b"]["n"] == 1
    assert diff["seeds"]["real"] == (abs(diff["seeds"]["difference"]) > diff["seeds"]["spread"])
    assert main(["diff", first.id, lone["run_id"], "--runs-dir", str(runs_dir)]) == 0
    assert "seed-to-seed spread" in capsys.readouterr().out
    assert main(["train", *common, "--seeds", "11"]) == 2  # at most 10


def test_submit_seeds_queues_the_group_with_one_parent(tmp_path):
    from lab.jobs.submit import JobTarget, submit_group

    store = RunStore(tmp_path / "runs")
    parent = plant(store, val_acc=[0.9], val_loss=[0.1])
    cfg = changed(train__lr=3e-4)
    submitted = submit_group(cfg, store, 3, expectation={"direction": "better", "why": ""}, name="lower lr",
                             parent=parent.id, target=JobTarget(tmp_path / "runs"))
    runs = [s.run for s in submitted]
    assert [r.config().train.seed for r in runs] == [0, 1, 2]
    assert {r.meta()["group"] for r in runs} == {runs[0].meta()["group"]} and runs[0].meta()["group_size"] == 3
    assert {r.parent for r in runs} == {parent.id} and all(r.status == "queued" for r in runs)
    assert runs[1].meta()["name"] == "lower lr · seed 1"
    assert runs[2].meta()["expectation"]["direction"] == "better"
