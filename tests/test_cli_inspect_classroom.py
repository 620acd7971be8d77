"""``lab inspect`` on a classroom runs folder reads only ``--student``'s own runs, as every
other command that takes a run does (issue 24, item 8). The attack performed: Boris asks
for Anna's run by id, by folder and by checkpoint path; and nobody is named at all."""

from __future__ import annotations

import pytest
from classroom_helpers import CODE, plant_run
from PIL import Image

from lab.cli import main


@pytest.fixture()
def two(room, mnist):
    anna = room.sign_up(CODE, "Anna", "correct horse")
    room.sign_up(CODE, "Boris", "battery staple")
    return plant_run(room, anna, mnist, steps=0, name="anna's run")


@pytest.fixture()
def digit(tmp_path):
    path = tmp_path / "digit.png"
    Image.new("L", (28, 28), 255).save(path)
    return path


@pytest.mark.parametrize("ref", [lambda run: run.id, lambda run: str(run.dir),
                                 lambda run: str(run.checkpoint_path("best"))])
def test_inspect_refuses_another_students_run_by_id_folder_or_checkpoint(two, digit, tmp_path, capsys, ref):
    out = tmp_path / "views"
    assert main(["inspect", "--run", ref(two), "--image", str(digit), "--out", str(out), "--student", "Boris"]) == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and ("another workspace" in err or "no run" in err or "no model" in err)
    assert not out.exists()  # nothing of Anna's model was drawn


def test_inspect_on_a_classroom_folder_needs_the_student(two, digit, tmp_path, capsys):
    out = tmp_path / "views"
    assert main(["inspect", "--run", str(two.dir), "--image", str(digit), "--out", str(out)]) == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and "--student NAME" in err
    assert not out.exists()


def test_inspect_reads_the_students_own_run_by_id(two, digit, tmp_path, capsys):
    out = tmp_path / "views"
    assert main(["inspect", "--run", two.id, "--image", str(digit), "--out", str(out), "--student", "Anna",
                 "--json"]) == 0
    assert (out / "gradcam.npy").is_file()
