"""One change at a time (lab.runs.changes): the next run against its parent while it is being
edited, a submitted run against its own parent (never itself), and the way back."""

from __future__ import annotations

from lab.runs.changes import compare, restore
from lab.config import ExperimentConfig
from lab.runs.store import RunStore
from test_journal_engine import changed, plant


def test_nothing_to_compare_before_the_first_trained_run(tmp_path):
    store = RunStore(tmp_path)
    assert compare(store, ExperimentConfig()).parent is None
    store.create(ExperimentConfig())  # created, never trained an epoch: nobody's parent
    assert compare(store, ExperimentConfig()).parent is None


def test_an_edit_is_compared_with_the_next_runs_parent_before_train(tmp_path):
    store = RunStore(tmp_path)
    a = plant(store)
    result = compare(store, changed(train__lr=0.005))
    assert (result.parent, result.subject) == (a.id, None)
    assert result.rows == [("train.lr", 0.001, 0.005)]
    assert not result.too_many


def test_two_edits_are_too_many_and_a_preset_name_alone_is_not_a_change(tmp_path):
    store = RunStore(tmp_path)
    plant(store)
    two = compare(store, changed(train__lr=0.005, train__weight_decay=0.01))
    assert two.too_many and [r[0] for r in two.changes] == ["train.lr", "train.weight_decay"]
    renamed = changed(train__lr=0.005)
    renamed.model.preset = "mnist_cnn"
    one = compare(store, renamed)
    assert len(one.rows) == 2 and len(one.changes) == 1 and not one.too_many


def test_after_train_the_run_is_compared_with_its_parent_never_with_itself(tmp_path):
    store = RunStore(tmp_path)
    a = plant(store)
    cfg = changed(train__lr=0.005)
    b = plant(store, cfg, parent=a.id)  # submitted and trained: now the newest trained run
    assert store.latest_trained().id == b.id
    result = compare(store, cfg, current=b)
    assert (result.subject, result.parent) == (b.id, a.id)
    assert result.rows == [("train.lr", 0.001, 0.005)]
    # the student edits again: the next run is compared with b, the run it will follow
    edited = changed(train__lr=0.005, train__epochs=3)
    again = compare(store, edited, current=b)
    assert (again.subject, again.parent) == (None, b.id)
    assert again.rows == [("train.epochs", 5, 3)]


def test_restore_puts_one_field_back_to_the_parents_value(tmp_path):
    parent = ExperimentConfig()
    now = changed(train__lr=0.005, train__weight_decay=0.01)
    now.model.blocks[0].kernel = 5
    back = restore(now, "train.weight_decay", parent)
    assert back.train.weight_decay == 0.0 and back.train.lr == 0.005 and back.model.blocks[0].kernel == 5
    back = restore(back, "model.blocks[0].kernel", parent)
    assert back.model.blocks[0].kernel == 3 and back.train.lr == 0.005
