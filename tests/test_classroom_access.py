"""Every way into a run refuses another student's: the journal store, delete, the CLI
(`--student` on a classroom runs folder), and the old `?ws=` ids that used to be the key."""

from __future__ import annotations

import json

import pytest
from classroom_helpers import CODE, plant_run
from PIL import Image

from lab.runs import journal
from lab.cli import main
from lab.config import ExperimentConfig
from lab.errors import LabError
from lab.runs.store import RunStore
from lab.classroom.workspaces import expire_workspaces


@pytest.fixture()
def two(room, mnist):
    anna = room.sign_up(CODE, "Anna", "correct horse")
    boris = room.sign_up(CODE, "Boris", "battery staple")
    return anna, boris, plant_run(room, anna, mnist, steps=0, name="anna's run")


def test_a_students_store_neither_lists_opens_nor_deletes_anothers_run(room, two):
    anna, boris, run = two
    store = RunStore(room.workspace_dir(boris))
    assert store.list() == [] and journal.table(store) == []
    for ref in (run.id, f"../{anna.workspace}/{run.id}", str(run.dir)):
        with pytest.raises(LabError):
            store.get(ref)
        with pytest.raises(LabError):
            journal.delete_run(store, ref, confirm=ref)
    assert run.dir.is_dir()


def test_the_cli_on_a_classroom_folder_needs_the_student(room, two, capsys):
    _, _, run = two
    assert main(["runs"]) == 2
    assert "--student NAME" in capsys.readouterr().err
    assert main(["runs", "--student", "anna", "--json"]) == 0
    assert run.id in capsys.readouterr().out
    assert main(["runs", "--student", "Boris", "--json"]) == 0
    assert run.id not in capsys.readouterr().out
    assert main(["runs", "--student", "Nobody"]) == 2
    assert "no student" in capsys.readouterr().err


@pytest.mark.parametrize("command", [
    lambda run, tmp: ["export", run.id, "--script", str(tmp / "x.py")],
    lambda run, tmp: ["export", str(run.dir), "--script", str(tmp / "x.py")],
    lambda run, tmp: ["diff", str(run.dir), run.id],
    lambda run, tmp: ["predict", "--run", str(run.checkpoint_path("best")), "--image", str(tmp / "digit.png")],
    lambda run, tmp: ["predict", "--run", run.id, "--image", str(tmp / "digit.png")],
])
def test_the_cli_refuses_another_students_run_by_id_or_by_path(room, two, tmp_path, capsys, command):
    _, _, run = two
    Image.new("L", (28, 28), 255).save(tmp_path / "digit.png")
    assert main([*command(run, tmp_path), "--student", "Boris"]) == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and ("another workspace" in err or "no run" in err or "no model" in err)
    assert not (tmp_path / "x.py").exists()


def test_the_cli_exports_the_students_own_run(room, two, tmp_path, capsys):
    _, _, run = two
    assert main(["export", run.id, "--script", str(tmp_path / "x.py"), "--student", "Anna"]) == 0
    assert (tmp_path / "x.py").is_file()


def test_a_laptop_runs_folder_takes_no_student(runs_dir, capsys):
    RunStore(runs_dir).create(ExperimentConfig())
    assert main(["runs", "--json"]) == 0
    assert main(["runs", "--student", "Anna"]) == 2
    assert "not a classroom runs folder" in capsys.readouterr().err


def test_the_ttl_sweep_keeps_students_workspaces(room, two):
    _, _, run = two
    stray = room.base / "workspaces" / "0123456789abcdef"
    RunStore(stray).create(ExperimentConfig())
    assert expire_workspaces(now=run.dir.stat().st_mtime + 10 ** 7) == ["0123456789abcdef"]
    assert run.dir.is_dir()


def test_the_teacher_cli_lists_scores_and_removes(room, two, capsys, mnist):
    anna, boris, run = two
    assert main(["classroom", "students", "--json"]) == 0
    rows = json.loads(capsys.readouterr().out)
    assert [(r["student"], r["name"], r["status"]) for r in rows] == [("Anna", "anna's run", "finished")]
    assert main(["classroom", "board", "--budget", "500", "--json"]) == 0
    assert json.loads(capsys.readouterr().out)["settings"]["budget"] == 500
    assert main(["classroom", "remove", "Anna"]) == 2  # no --yes: nothing deleted
    assert "--yes" in capsys.readouterr().err and run.dir.is_dir()
    assert main(["classroom", "remove", "Anna", "--yes"]) == 0
    assert not run.dir.exists() and room.find("Anna") is None
    assert main(["classroom", "stop", "20990101-000000-abcdef"]) == 2


def test_lab_train_on_a_classroom_folder_trains_into_the_students_own_journal(room, two, capsys):
    anna, boris, anna_run = two
    tiny = ["--dataset", "mnist", "--preset", "baseline", "--train-limit", "200", "--epochs", "1", "--threads", "1"]
    assert main(["train", *tiny]) == 2  # whose journal? it does not guess
    assert "--student NAME" in capsys.readouterr().err
    assert main(["train", *tiny, "--student", "Boris", "--json"]) == 0
    result = json.loads(capsys.readouterr().out)
    borises = RunStore(room.workspace_dir(boris)).list()
    assert [r.id for r in borises] == [result["run_id"]]
    assert borises[0].meta().get("parent") is None  # Anna's run is not Boris's parent
    assert [r.id for r in RunStore(room.workspace_dir(anna)).list()] == [anna_run.id]
