"""The Training page's "Start from" (issue 22, item 2): pick one of my runs and what trains, read
what Train will load before pressing it, in both languages; the choices survive a reload."""

from __future__ import annotations

import json

import pytest
import torch

from lab.config import ExperimentConfig
from lab.i18n import translate
from lab.runs.store import RunStore
from lab.train import session as train_session
from test_draft import draft_file, every_run_through_app_py, session  # noqa: F401  (a fixture, used by name)


@pytest.fixture()
def earlier_run(runs_dir, shared_datasets):
    """A real baseline run on MNIST (120 images, 1 epoch) in the page's journal."""
    torch.set_num_threads(1)
    cfg = ExperimentConfig()
    cfg.data.train_limit, cfg.train.epochs = 120, 1
    run = RunStore(runs_dir).create(cfg, name="first try")
    assert train_session.run(train_session.prepare(cfg, shared_datasets), run).status == "finished"
    return run


def infos(at) -> str:
    return " ".join(i.value for i in at.info)


@pytest.mark.parametrize("lang", ["en", "ru"])
def test_start_from_one_of_my_runs_says_what_loads_and_survives_a_reload(earlier_run, lang):
    at = session(lang=lang)
    assert not at.exception
    assert translate("transfer.why_pretrained", lang) in [c.value for c in at.caption]
    assert translate("transfer.will", lang) not in infos(at)  # from scratch: nothing to say
    at.radio(key="training_start_source").set_value("run").run()
    at.radio(key="training_start_freeze").set_value("features").run()
    assert not at.exception
    exp = at.session_state["lab.experiment"]
    assert (exp.train.init_from, exp.train.freeze) == (earlier_run.id, "features")
    said = infos(at)
    assert translate("transfer.will", lang) in said
    assert translate("transfer.report.frozen", lang, groups="block1", params=320, trained="head") in said
    loaded = translate("transfer.report.loaded", lang, source=translate("transfer.source_run", lang, id=earlier_run.id),
                       loaded=4, total=4, params=54410)
    assert loaded in said
    # "What changed" against that run: the start is one row, its "before" in the page's language
    changed = next(d.value for d in at.dataframe if translate("training.change_before", lang) in d.value)
    assert {
        translate("training.change_field", lang): translate("format.setting.init_from", lang),
        translate("training.change_before", lang): translate("transfer.source.scratch", lang),
        translate("training.change_after", lang): f"{earlier_run.id} · freeze features"} in changed.to_dict("records")
    saved = json.loads(draft_file(earlier_run.dir.parent).read_text())["experiment"]["train"]
    assert (saved["init_from"], saved["freeze"]) == (earlier_run.id, "features")

    again = session(lang=lang)  # F5: the draft brings the choices back
    assert not again.exception
    assert again.radio(key="training_start_source").value == "run"
    assert again.radio(key="training_start_freeze").value == "features"
    assert again.selectbox(key="training_start_run").value == earlier_run.id


def test_weights_that_do_not_fit_disable_train_with_the_reason(earlier_run):
    at = session()
    at.radio(key="training_start_source").set_value("run").run()
    at.radio(key="training_start_freeze").set_value("last").run()
    at.number_input(key="training_start_groups").set_value(5).run()  # the baseline has 2 groups
    assert not at.exception
    reason = [e.value for e in at.error if "freeze 5" in e.value]
    assert reason and "block1, head" in reason[0]
    train = next(b for b in at.button if b.label == translate("training.train", "en"))
    assert train.disabled


@pytest.mark.parametrize("lang", ["en", "ru"])
def test_the_shape_table_marks_the_frozen_layers(runs_dir, lang):
    exp = ExperimentConfig()
    exp.train.freeze = "features"  # the baseline: block1 frozen, the head trains
    at = session(page="pages/architecture.py", lang=lang)
    at.session_state["lab.experiment"] = exp
    at.run()
    assert not at.exception
    table = next(d.value for d in at.dataframe if translate("transfer.col.frozen", lang) in d.value.columns)
    marks = dict(zip(table[translate("architecture.col.layer", lang)], table[translate("transfer.col.frozen", lang)]))
    assert {name for name, mark in marks.items() if mark} == {"block1.conv1", "block1.act1", "block1.pool"}
    assert marks["head.out"] == ""
