"""Classroom workspaces: each browser sees only its own runs, and old workspaces expire
(swept at most hourly, however often pages call the sweep)."""

from __future__ import annotations

import os
import time

import pytest

from lab.config import ExperimentConfig
from lab.errors import LabError
from lab.runs.store import RunStore
from lab.classroom.workspaces import expire_workspaces, maybe_expire_workspaces, workspace_root

ALICE, BOB = "a1b2c3d4e5f60708", "0f0e0d0c0b0a0908"
HOUR = 3600.0


@pytest.fixture()
def private(runs_dir, monkeypatch):
    monkeypatch.setenv("LAB_WORKSPACES", "private")
    monkeypatch.setenv("LAB_WORKSPACE_TTL_HOURS", "24")
    return runs_dir


def age(folder, seconds: float) -> None:
    """Make every file in ``folder`` look ``seconds`` old."""
    then = time.time() - seconds
    for path in [folder, *folder.rglob("*")]:
        os.utime(path, (then, then))


def test_nobody_sees_or_opens_another_workspaces_runs(private):
    alice, bob = RunStore(workspace_root(ALICE)), RunStore(workspace_root(BOB))
    run = alice.create(ExperimentConfig(), name="alice's baseline")
    bob.create(ExperimentConfig(), name="bob's baseline")
    assert [r.meta()["name"] for r in alice.list()] == ["alice's baseline"]
    assert [r.meta()["name"] for r in bob.list()] == ["bob's baseline"]
    with pytest.raises(LabError):
        bob.get(run.id)  # knowing the id is not enough
    with pytest.raises(LabError):
        bob.delete(run.id)
    assert run.dir.is_dir()


def test_a_laptop_shares_one_journal_with_the_cli(runs_dir, monkeypatch):
    monkeypatch.delenv("LAB_WORKSPACES", raising=False)
    assert workspace_root(ALICE) == workspace_root(BOB) == runs_dir
    assert maybe_expire_workspaces() is None  # nothing private to expire


@pytest.mark.parametrize("bad", ["../../etc", "short", "x" * 40, "a1b2c3d4/e5f6"])
def test_malformed_workspace_ids_are_refused(private, bad):
    with pytest.raises(ValueError):
        workspace_root(bad)


def test_workspaces_untouched_for_longer_than_the_ttl_expire(private):
    old = RunStore(workspace_root(ALICE)).create(ExperimentConfig())
    fresh = RunStore(workspace_root(BOB)).create(ExperimentConfig())
    age(workspace_root(ALICE), 25 * HOUR)
    age(workspace_root(BOB), 23 * HOUR)
    assert expire_workspaces() == [ALICE]
    assert not old.dir.exists() and fresh.dir.is_dir()


def test_one_recent_file_keeps_a_whole_workspace(private):
    store = RunStore(workspace_root(ALICE))
    run = store.create(ExperimentConfig())
    age(workspace_root(ALICE), 100 * HOUR)
    run.append({"event": "epoch", "epoch": 1})  # a run still writing
    assert expire_workspaces() == []


def test_the_sweep_runs_at_most_once_an_hour(private):
    RunStore(workspace_root(ALICE)).create(ExperimentConfig())
    age(workspace_root(ALICE), 25 * HOUR)
    now = time.time()
    assert maybe_expire_workspaces(now=now) == [ALICE]
    RunStore(workspace_root(BOB)).create(ExperimentConfig())
    age(workspace_root(BOB), 25 * HOUR)
    assert maybe_expire_workspaces(now=now + 0.5 * HOUR) is None  # too soon: not even a listing
    assert workspace_root(BOB).is_dir()
    assert maybe_expire_workspaces(now=now + 1.1 * HOUR) == [BOB]
