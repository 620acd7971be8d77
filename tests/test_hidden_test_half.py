"""On a classroom server the leaderboard scores on a hidden half of the test split; a student
asks for hidden images by number on every surface that shows a test image (Predict, Inside,
``lab inspect --index``) and gets a clear message, never the image or its label. The open
half still works, and on a laptop every test image does."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest
import torch
from streamlit.testing.v1 import AppTest

from classroom_helpers import CODE, plant_run
from lab.classroom.leaderboard import hidden_test_indices, public_test_indices
from lab.classroom.tokens import server_secret
from lab.errors import LabError
from lab.i18n import translate
from lab.predict.source_data import open_test_image, open_test_indices
from lab.ui.inside.sources import INDEX_KEY

ROOT = Path(__file__).resolve().parent.parent


@pytest.fixture()
def student(room, mnist, runs_dir):
    anna = room.sign_up(CODE, "Anna", "correct horse")
    run = plant_run(room, anna, mnist, steps=30, name="anna-baseline")
    secret = server_secret(runs_dir)
    hidden = hidden_test_indices(mnist.test_y, secret).tolist()
    public = public_test_indices(mnist.test_y, secret).tolist()
    return {"anna": anna, "run": run, "hidden": hidden, "public": public}


def hidden_message(lang: str, index: int, total: int = 10_000) -> str:
    return translate("error.prefix", lang, message=translate("predict.hidden_test_image", lang, index=index,
                                                             open=total // 2, total=total))


def page_as(account, path: str, lang: str = "en") -> AppTest:
    at = AppTest.from_file("../app.py", default_timeout=120)
    at.session_state["lab.language"] = lang
    at.session_state["lab.classroom.account"] = account
    at.run()
    at.switch_page(f"pages/{path}")
    return at.run()


def test_the_one_function_gives_the_public_half_in_a_classroom_and_everything_on_a_laptop(student, mnist, monkeypatch,
                                                                                         runs_dir):
    idx, public = open_test_indices(mnist.test_y, runs_dir)
    assert public and idx.tolist() == sorted(student["public"]) and len(idx) == 5_000
    assert not set(idx.tolist()) & set(student["hidden"])
    h = student["hidden"][0]
    with pytest.raises(LabError) as caught:
        open_test_image(mnist.test_x, mnist.test_y, h, runs_dir)
    assert caught.value.key == "predict.hidden_test_image" and str(h) in str(caught.value)
    p = student["public"][0]
    image, label = open_test_image(mnist.test_x, mnist.test_y, p, runs_dir)
    assert torch.equal(image, mnist.test_x[p]) and label == int(mnist.test_y[p])
    # a laptop (no classroom in this folder): the hidden half is just test images
    monkeypatch.setenv("LAB_WORKSPACES", "shared")
    laptop = runs_dir.parent / "laptop"
    idx, public = open_test_indices(mnist.test_y, laptop)
    assert not public and idx.tolist() == list(range(10_000))
    assert open_test_image(mnist.test_x, mnist.test_y, h, laptop)[1] == int(mnist.test_y[h])


@pytest.mark.parametrize("lang", ["en", "ru"])
def test_predict_refuses_a_hidden_test_image_and_shows_an_open_one(student, lang):
    at = page_as(student["anna"], "predict.py", lang)
    at.radio(key="predict_model_source").set_value("journal").run()
    at.radio(key="predict_image_source").set_value("dataset").run()
    assert not at.exception
    # it opens on an open image, and says how many are open
    assert at.number_input(key="predict_test_index").value == min(student["public"])
    assert translate("predict.open_half", lang, open=5_000, total=10_000) in [c.value for c in at.caption]
    h = student["hidden"][0]
    at.number_input(key="predict_test_index").set_value(h).run()
    assert not at.exception
    assert [e.value for e in at.error] == [hidden_message(lang, h)]
    true_label = translate("predict.true_label", lang, label="").split("**")[0]
    assert not any(m.value.startswith(true_label) for m in at.markdown)  # no label
    assert not at.image  # and no picture
    p = student["public"][1]
    at.number_input(key="predict_test_index").set_value(p).run()
    assert not at.exception and not at.error
    assert any(m.value.startswith(true_label) for m in at.markdown) and at.image


@pytest.mark.parametrize("lang", ["en", "ru"])
def test_inside_refuses_a_hidden_test_image_and_random_picks_only_open_ones(student, lang):
    at = page_as(student["anna"], "inside.py", lang)
    at.radio(key="inside_image_source").set_value("dataset").run()
    assert not at.exception
    h = student["hidden"][1]
    at.number_input(key=INDEX_KEY).set_value(h).run()
    assert not at.exception
    assert hidden_message(lang, h) in [e.value for e in at.error]
    true_label = translate("inside.true_label", lang, label="").split("**")[0]
    assert not any(m.value.startswith(true_label) for m in at.markdown)
    public = set(student["public"])
    for _ in range(5):
        at.button(key="inside_random").click().run()
        assert at.number_input(key=INDEX_KEY).value in public
        assert not at.exception and hidden_message(lang, h) not in [e.value for e in at.error]


def inspect_cli(run, index: int, out: Path, runs_dir: Path) -> subprocess.CompletedProcess:
    from lab.cli import inspect

    env = {**os.environ, "PYTHONPATH": str(ROOT)}  # LAB_WORKSPACES=private: the room fixture set it
    args = ["--run", str(run.dir), "--index", str(index), "--split", "test", "--out", str(out), "--runs-dir",
            str(runs_dir)]
    if "--student" in Path(inspect.__file__).read_text():  # whose workspace, where inspect asks for it
        args += ["--student", "Anna"]
    return subprocess.run([sys.executable, "-m", "lab", "inspect", *args], cwd=ROOT, env=env, capture_output=True,
                          text=True, timeout=300)


def test_lab_inspect_refuses_a_hidden_index_in_one_line_and_writes_nothing(student, runs_dir, tmp_path):
    h, p = student["hidden"][2], student["public"][2]
    done = inspect_cli(student["run"], h, tmp_path / "hidden", runs_dir)
    assert done.returncode == 2 and done.stdout == ""
    assert done.stderr.strip().splitlines() == [f"error: test image {h} is in the half of the test split that this "
                                                "classroom's leaderboard keeps hidden; 5,000 of the 10,000 test images "
                                                "are open to look at"]
    assert not (tmp_path / "hidden").exists() or not any((tmp_path / "hidden").iterdir())
    done = inspect_cli(student["run"], p, tmp_path / "open", runs_dir)
    assert done.returncode == 0, done.stderr
    assert "true class:" in done.stdout and any((tmp_path / "open").iterdir())
