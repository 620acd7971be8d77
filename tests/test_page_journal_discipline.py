"""The Journal page and the course's discipline: evaluate on test only on request, the seed
spread and the student's prediction beside the result (both languages)."""

from __future__ import annotations

import pytest

from run_helpers import copy_run
from lab.runs.evaluation import count_test_looks
from lab.runs.store import RunStore
from lab.i18n import translate
from test_journal_engine import changed, plant
from test_page_journal import open_journal
from test_seeds import group


@pytest.mark.parametrize("lang", ["en", "ru"])
def test_evaluate_on_test_reveals_the_score_once_asked_and_counts_it(mnist_cnn_run, runs_dir, lang):
    run = copy_run(mnist_cnn_run, runs_dir)
    at = open_journal(lang)
    assert not at.exception
    assert at.dataframe[0].value["test_accuracy"].isna().all()
    metrics = {m.label: m.value for m in at.metric}
    assert metrics[translate("journal.effect_test", lang)] == translate("evaluation.not_evaluated", lang)
    assert translate("evaluation.looks", lang, n=0) in [c.value for c in at.caption]
    at.button(key=f"journal_test_{run.id}").click().run()
    assert not at.exception
    assert count_test_looks(runs_dir) == 1
    assert '"split": "test"' in run.dir.joinpath("evaluations.jsonl").read_text()
    said = [s.value for s in at.success]
    at.run()
    shown = at.dataframe[0].value["test_accuracy"][0]  # the table has it now, in %
    assert shown > 96 and any(f"{shown:.2f}%" in s for s in said)
    assert not at.warning  # one look: nothing to warn about yet
    at.button(key=f"journal_test_{run.id}").click().run()  # the same score asked for again
    again = translate("after.test_asked_again", lang, run=run.id, n=2)
    assert again in [w.value for w in at.warning]


@pytest.mark.parametrize("lang", ["en", "ru"])
def test_seed_groups_show_mean_and_std_and_whether_the_change_is_real(runs_dir, lang):
    store = RunStore(runs_dir)
    base = group(store, changed(), [0.950, 0.955, 0.945], "gbase")
    big = group(store, changed(train__lr=3e-3), [0.975, 0.978, 0.972], "gbig", parent=base[0].id,
                expectation={"direction": "worse", "why": "too large a step"})
    at = open_journal(lang)
    assert not at.exception
    table = at.dataframe[0].value
    assert list(table["val_rank"])[:3] == [1, 2, 3] and set(table["id"][:3]) == {r.id for r in big}
    assert table["seeds"][0] == "97.50 ± 0.30 (3)"
    got = f"{translate('expect.worse', lang)} → {translate('expect.better', lang)}"
    assert table["expectation"][0] == got
    assert at.selectbox(key="journal_run_").value == big[-1].id
    real = translate("seeds.real", lang, d="+2.50", spread="1.00")  # 2 x the base group's std of 0.5 pts
    assert real in [s.value for s in at.success]
    assert any(translate("expect.wrong", lang) in i.value for i in at.info)


def test_two_lone_runs_say_the_spread_is_unknown(runs_dir):
    store = RunStore(runs_dir)
    a = plant(store, val_acc=[0.95], val_loss=[0.05])
    plant(store, changed(train__lr=3e-4), parent=a.id, val_acc=[0.96], val_loss=[0.04])
    at = open_journal()
    assert translate("seeds.unknown", "en") in [c.value for c in at.caption]
