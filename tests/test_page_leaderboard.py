"""The Leaderboard page (AppTest, both languages) and the journal pages as a classroom
student: a student sees the board, enters only their own run, never sees another student's
run in the Journal or Prediction, and anonymised names hide the others."""

from __future__ import annotations

import pytest
from streamlit.testing.v1 import AppTest

from classroom_helpers import CODE, plant_run
from lab.classroom.leaderboard import Leaderboard, Settings
from lab.i18n import translate


@pytest.fixture()
def entered(room, mnist):
    anna = room.sign_up(CODE, "Anna", "correct horse")
    boris = room.sign_up(CODE, "Boris", "battery staple")
    a_run = plant_run(room, anna, mnist, steps=60, name="anna-baseline")
    b_run = plant_run(room, boris, mnist, steps=0, name="boris-untrained")
    board = Leaderboard()
    board.enter(anna, a_run.id)
    board.enter(boris, b_run.id)
    board.score(mnist)
    return {"anna": anna, "boris": boris, "a_run": a_run, "b_run": b_run, "board": board}


def page_as(account, path: str, lang: str = "en") -> AppTest:
    at = AppTest.from_file(f"../pages/{path}", default_timeout=60)
    at.session_state["lab.language"] = lang
    at.session_state["lab.classroom.account"] = account
    return at.run()


@pytest.mark.parametrize("lang", ["en", "ru"])
def test_a_student_sees_the_ranked_board(entered, lang):
    at = page_as(entered["boris"], "leaderboard.py", lang)
    assert not at.exception
    assert at.title[0].value == translate("board.title", lang)
    rows = at.dataframe[0].value.to_dict("records")
    student, place = translate("board.col.student", lang), translate("board.col.rank", lang)
    assert [(r[place], r[student]) for r in rows] == [(1, "Anna"), (2, translate("board.you", lang, name="Boris"))]
    assert rows[0][translate("board.col.accuracy", lang)] > 60 > rows[1][translate("board.col.accuracy", lang)]


def test_anonymised_names_hide_the_others_but_not_oneself(entered):
    board = entered["board"]
    board.save_settings(Settings(dataset="mnist", anonymous=True))
    at = page_as(entered["boris"], "leaderboard.py")
    names = [r["Student"] for r in at.dataframe[0].value.to_dict("records")]
    assert names == [f"Student {board.alias('anna')}", "Boris (you)"]
    assert "Anna" not in str(at.dataframe[0].value)


def test_a_student_enters_one_of_their_own_runs(entered, room, mnist):
    boris = entered["boris"]
    better = plant_run(room, boris, mnist, steps=60, name="boris-trained")
    at = page_as(boris, "leaderboard.py")
    pick = at.selectbox(key="board_pick")
    assert sorted(o.split(" (")[0] for o in pick.options) == ["boris-trained", "boris-untrained"]  # none of Anna's
    pick.set_value(better.id).run()
    at.button(key="board_enter").click().run()
    assert entered["board"].entries()["boris"] == better.id


def test_the_journal_and_prediction_show_a_student_only_their_own_runs(entered):
    at = page_as(entered["boris"], "journal.py")
    assert not at.exception
    picker = at.selectbox(key=next(s.key for s in at.selectbox if s.key.startswith("journal_run_")))
    assert [o.split(" (")[0] for o in picker.options] == ["boris-untrained"]
    at = page_as(entered["boris"], "predict.py")
    at.radio(key="predict_model_source").set_value("journal").run()
    options = at.selectbox(key="predict_run").options
    assert len(options) == 1 and "boris-untrained" in options[0] and "anna" not in options[0]
