"""The class leaderboard: real checkpoints scored on the hidden test half, budget enforced,
ties to the smaller model."""

from __future__ import annotations

import pytest
import torch
from classroom_helpers import CODE, plant_run

from lab.classroom.accounts import TEACHER, Account
from lab.errors import LabError
from lab.classroom.leaderboard import (
    Leaderboard,
    Settings,
    cost,
    hidden_test_indices,
    public_test_indices,
)
from lab.classroom.tokens import server_secret


def test_the_hidden_and_public_halves_split_the_test_set_per_class(room, mnist):
    secret = server_secret()
    hidden, public = hidden_test_indices(mnist.test_y, secret), public_test_indices(mnist.test_y, secret)
    assert len(hidden) + len(public) == len(mnist.test_y) == 10_000
    assert not set(hidden.tolist()) & set(public.tolist())
    counts = torch.bincount(mnist.test_y[hidden], minlength=10)
    full = torch.bincount(mnist.test_y, minlength=10)
    assert ((counts - full / 2).abs() <= 1).all()  # stratified: half of each digit
    other = hidden_test_indices(mnist.test_y, b"another server")
    assert not torch.equal(hidden, other)  # which half depends on the secret


def test_entries_rank_by_hidden_test_accuracy_and_the_budget_is_enforced(room, mnist):
    anna = room.sign_up(CODE, "Anna", "correct horse")
    boris = room.sign_up(CODE, "Boris", "battery staple")
    vera = room.sign_up(CODE, "Vera", "vera's password")
    good = plant_run(room, anna, mnist, steps=60)
    untrained = plant_run(room, boris, mnist, steps=0)
    greedy = plant_run(room, vera, mnist, steps=60, train_images=1000, epochs=3)
    assert cost(good) == 1000 and cost(greedy) == 3000
    board = Leaderboard()
    board.save_settings(Settings(dataset="mnist", budget=2000))
    for account, run in ((anna, good), (boris, untrained), (vera, greedy)):
        board.enter(account, run.id)
    assert board.score(mnist) == 2  # Vera's run is over the budget: not even scored
    rows = board.standings()
    assert [(r.name, r.rank) for r in rows] == [("Anna", 1), ("Boris", 2), ("Vera", None)]
    assert rows[0].accuracy > 0.6 and rows[1].accuracy < 0.3  # real scores: trained vs random weights
    assert rows[2].why == "over_budget"
    assert board.score(mnist) == 0  # scores are kept until a checkpoint changes


def test_equal_accuracy_goes_to_fewer_parameters(room, mnist):
    anna = room.sign_up(CODE, "Anna", "correct horse")
    boris = room.sign_up(CODE, "Boris", "battery staple")
    small = plant_run(room, anna, mnist, steps=0)
    big = plant_run(room, boris, mnist, steps=0, hidden=[64])
    board = Leaderboard()
    board.enter(anna, small.id)
    board.enter(boris, big.id)
    board.score(mnist)
    scores = board._data()["scores"]
    scores[big.id]["accuracy"] = scores[small.id]["accuracy"]  # force the tie the rule is about
    board._update(lambda d: d.__setitem__("scores", scores))
    rows = board.standings()
    assert rows[0].params < rows[1].params
    assert [r.name for r in rows] == ["Anna", "Boris"] and [r.rank for r in rows] == [1, 2]


def test_a_student_can_enter_only_their_own_run(room, mnist):
    anna = room.sign_up(CODE, "Anna", "correct horse")
    boris = room.sign_up(CODE, "Boris", "battery staple")
    annas = plant_run(room, anna, mnist, steps=0)
    with pytest.raises(LabError):
        Leaderboard().enter(boris, annas.id)
    with pytest.raises(LabError):
        Leaderboard().enter(Account(key=TEACHER, name="teacher", workspace=anna.workspace), annas.id)


def test_another_dataset_does_not_count(room, mnist):
    anna = room.sign_up(CODE, "Anna", "correct horse")
    run = plant_run(room, anna, mnist, steps=0, dataset="fashion-mnist")
    board = Leaderboard()
    board.enter(anna, run.id)
    assert board.score(mnist) == 0
    assert board.standings()[0].why == "wrong_dataset"


def test_a_run_trained_on_a_subset_of_the_classes_does_not_count(room, mnist):
    # data.classes: a run on digits 0 and 1 would be scored on all ten, or only on its two
    # easy ones: neither compares with the class's ten-digit runs
    anna = room.sign_up(CODE, "Anna", "correct horse")
    run = plant_run(room, anna, mnist, steps=0, classes=[0, 1])
    board = Leaderboard()
    board.enter(anna, run.id)
    assert board.score(mnist) == 0
    assert board.standings()[0].why == "class_subset"


def test_the_boards_refusals_carry_their_catalogue_keys_and_read_in_russian(room, mnist):
    from lab.i18n import translate
    from lab.i18n.texts.engine_messages import TEXTS

    anna = room.sign_up(CODE, "Anna", "correct horse")
    run = plant_run(room, anna, mnist, steps=0)
    with pytest.raises(LabError) as teacher:
        Leaderboard().enter(Account(key=TEACHER, name="teacher", workspace=anna.workspace), run.id)
    with pytest.raises(LabError) as gone:
        room.remove("nobody")
    assert (teacher.value.key, str(teacher.value)) == ("board.teacher", "the teacher does not take part")
    assert gone.value.key == "classroom.no_student" and str(gone.value) == "no student 'nobody'"
    for key in ("board.teacher", "board.budget", "board.dataset", "board.classes", "evaluation.no_test",
                "classroom.no_student", "classroom.sign_in_first"):
        assert key in TEXTS and translate(key, "ru", **{"dataset": "d", "run": "r", "contest": "c", "name": "k"}) \
            != TEXTS[key]["en"]
