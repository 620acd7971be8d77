"""A damaged run folder beside an intact one: listed as damaged with what is wrong, on the
Journal page (both languages) and by ``lab runs``; every other run stays reachable; no
traceback; nothing deleted."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from lab.cli import main
from lab.i18n import translate
from lab.runs import journal
from lab.runs.store import RunStore
from test_journal_engine import changed, plant
from test_page_journal import open_journal

ROOT = Path(__file__).resolve().parent.parent

# name: (file, bytes written over it, what the English message says; None: the file is removed)
DAMAGE = {
    "summary_list": ("summary.json", b"[1, 2, 3]", "summary.json holds a list where a JSON object belongs"),
    "summary_cut": ("summary.json", b'{"status": "fini', "summary.json is not JSON"),
    "metrics_not_utf8": ("metrics.jsonl", None, "metrics.jsonl: 1 line cannot be read"),
    "config_not_json": ("config.json", b'{"data": {"dataset": "mnist"', "config.json does not load"),
    "config_unknown_key": ("config.json", b'{"train": {"lr": 0.001, "speed": 9}}', "config.json does not load"),
    "config_missing": ("config.json", None, "config.json is missing"),
    "meta_not_utf8": ("meta.json", b'{"name": "\xff\xfe"}', "meta.json holds bytes that are not UTF-8 text"),
    "meta_missing_summary_number": ("summary.json", b"42", "summary.json holds a int where a JSON object belongs"),
}


def damage(run, kind: str) -> None:
    name, data, _ = DAMAGE[kind]
    path = run.dir / name
    if kind == "metrics_not_utf8":  # one good line, one line of Latin-1 bytes, one good line
        lines = path.read_bytes().splitlines(keepends=True)
        path.write_bytes(lines[0] + b'{"event": "epoch", "note": "caf\xe9"}\n' + b"".join(lines[1:]))
    elif data is None:
        path.unlink()
    else:
        path.write_bytes(data)


@pytest.fixture()
def intact_and_damaged(runs_dir, request):
    store = RunStore(runs_dir)
    good = plant(store, name="intact", val_acc=[0.90, 0.95], val_loss=[0.30, 0.20])
    bad = plant(store, changed(train__lr=3e-4), name="broken", parent=good.id, val_acc=[0.91, 0.96],
                val_loss=[0.28, 0.15])
    later = plant(store, changed(train__lr=1e-4), name="after", parent=bad.id, val_acc=[0.92], val_loss=[0.27])
    damage(bad, request.param)
    files = {p.name: p.read_bytes() for p in bad.dir.iterdir()}
    yield store, good, bad, later, request.param
    assert {p.name: p.read_bytes() for p in bad.dir.iterdir()} == files  # nothing changed, nothing deleted


@pytest.mark.parametrize("intact_and_damaged", list(DAMAGE), indirect=True)
def test_the_journal_table_lists_the_damaged_run_as_damaged_and_the_others_as_before(intact_and_damaged):
    store, good, bad, later, kind = intact_and_damaged
    rows = {r["id"]: r for r in journal.table(store)}
    assert set(rows) == {good.id, bad.id, later.id}
    assert rows[bad.id]["status"] == "damaged" and DAMAGE[kind][2] in rows[bad.id]["damage"]
    assert rows[good.id]["status"] == rows[later.id]["status"] == "finished"
    assert rows[good.id]["damage"] == rows[later.id]["damage"] == ""
    assert rows[good.id]["best_val_accuracy"] == 0.95 and rows[later.id]["best_val_accuracy"] == 0.92
    back = {r["id"]: r for r in journal.read_csv(journal.to_csv(list(rows.values())))}
    assert back[bad.id]["status"] == "damaged" and back[bad.id]["damage"] == rows[bad.id]["damage"]


@pytest.mark.parametrize("intact_and_damaged", list(DAMAGE), indirect=True)
def test_lab_runs_lists_the_damage_in_one_line_without_a_traceback(intact_and_damaged, capsys):
    store, good, bad, later, kind = intact_and_damaged
    assert main(["runs", "--runs-dir", str(store.root)]) == 0
    out, err = capsys.readouterr()
    assert err == "" and "Traceback" not in out
    line = next(line for line in out.splitlines() if bad.id in line)
    assert "damaged" in line
    assert f"damaged: {DAMAGE[kind][2]}" in out
    assert good.id in out and later.id in out
    assert main(["runs", "--runs-dir", str(store.root), "--json"]) == 0
    rows = json.loads(capsys.readouterr().out)
    assert {r["id"]: r["status"] for r in rows} == {good.id: "finished", bad.id: "damaged", later.id: "finished"}


def test_lab_runs_in_its_own_process_prints_no_traceback(runs_dir):
    """The issue's three files at once, through ``python -m lab runs`` as a student types it."""
    store = RunStore(runs_dir)
    good = plant(store, name="intact")
    for kind in ("summary_list", "metrics_not_utf8", "config_not_json"):
        damage(plant(store, name=kind), kind)
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    done = subprocess.run([sys.executable, "-m", "lab", "runs", "--runs-dir", str(runs_dir)], cwd=ROOT, env=env,
                          capture_output=True, text=True, timeout=120)
    assert done.returncode == 0 and "Traceback" not in done.stderr + done.stdout, done.stderr
    assert good.id in done.stdout and done.stdout.count("damaged:") == 3


@pytest.mark.parametrize("intact_and_damaged", list(DAMAGE), indirect=True)
@pytest.mark.parametrize("lang", ["en", "ru"])
def test_the_journal_page_marks_the_damaged_run_and_keeps_the_others_reachable(intact_and_damaged, lang):
    store, good, bad, later, kind = intact_and_damaged
    at = open_journal(lang)
    assert not at.exception
    table = at.dataframe[0].value
    assert set(table["id"]) == {good.id, bad.id, later.id}
    status = dict(zip(table["id"], table["status"]))
    assert status[bad.id] == translate("journal.status.damaged", lang)
    assert status[good.id] == translate("journal.status.finished", lang)
    problems = dict(zip(table["id"], table["damage"]))[bad.id]
    assert (DAMAGE[kind][2] in problems) == (lang == "en")  # said in the page's language
    assert translate("journal.damaged_some", lang, n=1) in [w.value for w in at.warning]
    # the damaged run itself: what is wrong, and whatever still reads
    at.selectbox(key="journal_run_").set_value(bad.id).run()
    assert not at.exception
    assert [e.value for e in at.error] == [translate("journal.damaged", lang, problems=problems)]
    # and every other run as before
    at.selectbox(key="journal_run_").set_value(good.id).run()
    assert not at.exception and not at.error
    at.multiselect(key="journal_compare_").set_value([good.id, bad.id, later.id]).run()
    assert not at.exception and not at.error
