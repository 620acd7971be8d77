"""The experiment survives a reload (issue 25, item 1): the draft on disk (``lab.runs.draft``)
and the app around it (``lab.ui.draft``). A new AppTest with the same ``?ws=`` is what a
reload, a reconnect or a restarted server gives: a new session with empty memory."""

from __future__ import annotations

import json

import pytest
from classroom_helpers import CODE, plant_run
from streamlit.testing.v1 import AppTest

from lab.config import ExperimentConfig
from lab.errors import LabError
from lab.i18n import translate
from lab.runs import draft as drafts
from lab.runs.store import RunStore

WS = "abcdef0123456789"  # a laptop browser's workspace id (``?ws=``)


# --- the file ---------------------------------------------------------------------------------
def test_a_draft_round_trips_with_its_time(tmp_path):
    cfg = ExperimentConfig()
    cfg.train.lr, cfg.train.epochs, cfg.data.train_limit = 0.003, 2, 3000
    view = {"training_runs": ["20261127-041512-387c2f"], "report_every": 3, "unknown_later_key": 1}
    path = drafts.save_draft(tmp_path, WS, drafts.draft_text(cfg, view), now=1_700_000_000)
    assert path == tmp_path / ".drafts" / f"{WS}.json"
    back = drafts.load_draft(tmp_path, WS)
    assert back.experiment == cfg and back.saved_at == 1_700_000_000
    assert back.view == {"training_runs": ["20261127-041512-387c2f"], "report_every": 3}  # unknown keys dropped
    assert drafts.load_draft(tmp_path, "otherworkspace1") is None
    assert RunStore(tmp_path).list() == []  # the journal does not see the drafts folder
    drafts.discard_draft(tmp_path, WS)
    assert drafts.load_draft(tmp_path, WS) is None


@pytest.mark.parametrize("content, key", [
    (b"{not json", "runs.draft_broken"),
    (b"\xff\xfe", "runs.draft_broken"),
    (b'{"version": 1, "saved_at": 1, "view": {}}', "runs.draft_broken"),  # no experiment
    (b'{"version": 1, "saved_at": 1, "experiment": {}, "view": {"training_runs": ["../../x"]}}', "runs.draft_broken"),
    (b'{"version": 1, "saved_at": 1, "experiment": {}, "view": {"report_every": "2"}}', "runs.draft_broken"),
    (b'{"version": 1, "saved_at": 1, "experiment": {"train": {"lr": "fast"}}, "view": {}}', "runs.draft_unreadable"),
])
def test_a_damaged_draft_is_a_lab_error_and_can_be_set_aside(tmp_path, content, key):
    path = tmp_path / ".drafts" / f"{WS}.json"
    path.parent.mkdir()
    path.write_bytes(content)
    with pytest.raises(LabError) as err:
        drafts.load_draft(tmp_path, WS)
    assert err.value.key == key and str(tmp_path) not in str(err.value)  # no server path on a page
    aside = drafts.set_aside(tmp_path, WS)
    assert aside.read_bytes() == content and drafts.load_draft(tmp_path, WS) is None


def test_a_workspace_id_never_leaves_the_drafts_folder(tmp_path):
    for bad in ("../etc", "a/b", "", "x" * 65):
        with pytest.raises(ValueError):
            drafts.draft_path(tmp_path, bad)


# --- the app ----------------------------------------------------------------------------------
@pytest.fixture(autouse=True)
def every_run_through_app_py(monkeypatch):
    """Every run goes through app.py, as in a browser (``lab.ui.router``): AppTest turns Streamlit's
    legacy ``pages/`` mode back on before each run, which would run a page without app.py, whose
    restore before the page and save after it are what these tests are about."""
    from streamlit.runtime.pages_manager import PagesManager

    init = PagesManager.__init__

    def without_legacy_pages(self, *args, **kwargs):
        PagesManager.uses_pages_directory = False
        init(self, *args, **kwargs)

    monkeypatch.setattr(PagesManager, "__init__", without_legacy_pages)


def session(page: str = "pages/training.py", lang: str = "en", ws: str = WS) -> AppTest:
    """A new browser session (a reload) of the laptop workspace ``ws`` on ``page``."""
    at = AppTest.from_file("../app.py", default_timeout=90)
    at.session_state["lab.language"] = lang
    at.query_params["ws"] = ws
    at.run()  # app.py first: then switch_page finds the page it registered (AppTest's rule)
    return at.switch_page(page).run()


def draft_file(runs_dir, ws: str = WS):
    return runs_dir / ".drafts" / f"{ws}.json"


def form(at: AppTest, name: str):
    return at.number_input(key=f"training_form_{name}")


def edit(at: AppTest, name: str, value) -> AppTest:
    """Type ``value`` into the Training form's ``name`` field; the rerun goes through app.py."""
    return form(at, name).set_value(value).run()


def set_training_values(at: AppTest) -> AppTest:
    edit(at, "epochs", 2)
    edit(at, "train_limit", 3000)
    edit(at, "lr", 0.003)
    return edit(at, "report_every", 3)


@pytest.mark.parametrize("lang", ["en", "ru"])
def test_a_reload_finds_the_training_form_as_it_was_left(runs_dir, lang):
    at = session(lang=lang)
    assert not at.exception and not draft_file(runs_dir).exists()  # nothing changed: nothing written
    assert not at.sidebar.info  # and nothing restored
    set_training_values(at)
    assert not at.exception
    saved = json.loads(draft_file(runs_dir).read_text())
    assert saved["experiment"]["train"]["epochs"] == 2 and saved["experiment"]["data"]["train_limit"] == 3000

    again = session(lang=lang)  # F5
    assert not again.exception
    assert (form(again, "epochs").value, form(again, "train_limit").value, form(again, "lr").value,
            form(again, "report_every").value) == (2, 3000, 0.003, 3)
    restored = translate("draft.restored", lang, time="\0").split("\0")[0]
    assert [i.value for i in again.sidebar.info if i.value.startswith(restored)]
    assert again.sidebar.button(key="draft_start_fresh").label == translate("draft.start_fresh", lang)


def test_the_draft_is_written_only_when_it_changed(runs_dir):
    at = set_training_values(session())
    first = draft_file(runs_dir).stat().st_mtime_ns, json.loads(draft_file(runs_dir).read_text())["saved_at"]
    at.run()  # a rerun that changes nothing
    edit(at, "epochs", 2)  # the same value again
    assert (draft_file(runs_dir).stat().st_mtime_ns,
            json.loads(draft_file(runs_dir).read_text())["saved_at"]) == first
    edit(at, "epochs", 4)
    assert json.loads(draft_file(runs_dir).read_text())["experiment"]["train"]["epochs"] == 4


def test_start_fresh_clears_the_draft_and_every_page(runs_dir):
    set_training_values(session())
    at = session()
    at.sidebar.button(key="draft_start_fresh").click().run()
    assert not at.exception
    assert not draft_file(runs_dir).exists()
    assert (form(at, "epochs").value, form(at, "train_limit").value, form(at, "lr").value) == (
        ExperimentConfig().train.epochs, ExperimentConfig().data.train_limit, ExperimentConfig().train.lr)
    assert not at.sidebar.info  # the notice went with the draft
    assert not session().sidebar.info  # and a reload restores nothing


def classroom_session(account, page: str = "pages/training.py", lang: str = "en") -> AppTest:
    """A new session of a signed-in student on a classroom server (LAB_WORKSPACES=private)."""
    at = AppTest.from_file("../app.py", default_timeout=90)
    at.session_state["lab.language"] = lang
    at.session_state["lab.classroom.account"] = account
    at.run()
    return at.switch_page(page).run()


def test_the_view_of_the_latest_runs_comes_back(room, mnist):
    """The session's runs, the model Prediction uses and the name given to it are in the draft:
    after a reload "Trained models (this session)" lists the same models, the chosen one active."""
    anna = room.sign_up(CODE, "Anna", "correct horse")
    first, second = (plant_run(room, anna, mnist, steps=2, name=n) for n in ("first", "second"))
    view = {"training_runs": [first.id, second.id], "active_model": first.id, "model_names": {first.id: "my best"},
            "overfit_jobs": ["20261127-041512-387c2f"], "report_every": 4}
    drafts.save_draft(room.workspace_dir(anna), anna.workspace, drafts.draft_text(ExperimentConfig(), view))
    at = classroom_session(anna)
    assert not at.exception
    models = at.session_state["lab.training.models"]
    assert [m["run_id"] for m in models] == [first.id, second.id]
    assert at.session_state["lab.training.active_model"] == first.id  # not the newest: the one she chose
    assert next(m["name"] for m in models if m["run_id"] == first.id) == "my best"
    assert at.session_state["lab.training.overfit_jobs"] == ["20261127-041512-387c2f"]
    assert at.number_input(key="training_form_report_every").value == 4


def test_two_students_never_see_each_others_draft(room):
    """Anna and Boris on one classroom server: each reload restores one's own values only, the
    files lie in their own workspaces, and Boris signing in where Anna signed out starts clean."""
    anna = room.sign_up(CODE, "Anna", "correct horse")
    boris = room.sign_up(CODE, "Boris", "battery staple")
    at = classroom_session(anna)
    edit(at, "epochs", 2)
    edit(at, "lr", 0.003)
    assert not at.exception
    bo = classroom_session(boris)
    assert (form(bo, "epochs").value, form(bo, "lr").value) == (ExperimentConfig().train.epochs,
                                                                ExperimentConfig().train.lr)
    assert not bo.sidebar.info  # nothing of Anna's restored
    edit(bo, "epochs", 7)
    assert (form(classroom_session(anna), "epochs").value, form(classroom_session(boris), "epochs").value) == (2, 7)
    assert (room.workspace_dir(anna) / ".drafts" / f"{anna.workspace}.json").exists()
    assert (room.workspace_dir(boris) / ".drafts" / f"{boris.workspace}.json").exists()
    assert not (room.workspace_dir(boris) / ".drafts" / f"{anna.workspace}.json").exists()
    # the same browser tab: Anna signs out, Boris signs in; her values do not follow him
    at = classroom_session(anna)
    at.session_state["lab.classroom.account"] = boris
    at.run()
    assert not at.exception
    assert (form(at, "epochs").value, form(at, "lr").value) == (7, ExperimentConfig().train.lr)
    assert json.loads((room.workspace_dir(anna) / ".drafts" / f"{anna.workspace}.json").read_text()
                      )["experiment"]["train"]["epochs"] == 2


def test_a_damaged_draft_is_reported_and_the_page_works(runs_dir):
    path = draft_file(runs_dir)
    path.parent.mkdir(parents=True)
    path.write_text('{"version": 1, "saved_at": 1, "experiment": {"train": {"lr": "fast"}}, "view": {}}')
    for lang in ("en", "ru"):
        at = session(lang=lang, ws=WS)
        assert not at.exception
        assert form(at, "lr").value == ExperimentConfig().train.lr  # the defaults
        if lang == "en":  # the first session reports it and sets the file aside
            start = translate("draft.unreadable", lang, reason="\0").split("\0")[0]
            assert [w.value for w in at.sidebar.warning if w.value.startswith(start)]
            assert "train.lr" in " ".join(w.value for w in at.sidebar.warning)
    assert (path.parent / f"{WS}.unreadable.json").exists() and not path.exists()


def test_predicts_model_choice_is_kept_and_comes_back(room, mnist):
    """Issue 25, item 1: the Prediction page's model source and journal run are part of the draft:
    chosen, written to it, and chosen again after a reload."""
    anna = room.sign_up(CODE, "Anna", "correct horse")
    first, second = (plant_run(room, anna, mnist, steps=2, name=n) for n in ("first", "second"))
    at = classroom_session(anna, page="pages/predict.py")
    assert not at.exception
    at.radio(key="predict_model_source").set_value("journal").run()
    at.selectbox(key="predict_run").set_value(first.id).run()
    assert not at.exception
    saved = drafts.load_draft(room.workspace_dir(anna), anna.workspace)
    assert saved.view["model_choices"]["predict"] == {"source": "journal", "run": first.id}
    again = classroom_session(anna, page="pages/predict.py")  # the reload
    assert again.radio(key="predict_model_source").value == "journal"
    assert again.selectbox(key="predict_run").value == first.id  # not the newest run, second
    assert second.id != first.id


def test_a_model_choice_naming_an_unknown_page_or_a_path_is_refused(tmp_path):
    for choices in ({"train": {"source": "journal"}}, {"predict": {"source": "disk"}},
                    {"inside": {"source": "journal", "run": "../../etc"}}):
        with pytest.raises(ValueError):
            drafts.check_view({"model_choices": choices})


def test_the_language_chosen_comes_back_after_a_reload(runs_dir):
    """A student who switched to Russian finds Russian after a reload, whatever the browser's locale."""
    edit(session(lang="ru"), "epochs", 2)
    at = AppTest.from_file("../app.py", default_timeout=90)  # no language set: the browser's (en here)
    at.query_params["ws"] = WS
    at.run()
    at = at.switch_page("pages/training.py").run()
    assert not at.exception
    assert at.session_state["lab.language"] == "ru" and form(at, "epochs").value == 2


def test_the_name_typed_for_the_next_run_comes_back_after_a_reload(runs_dir):
    at = session()
    at.text_input(key="training_form_name").input("lower lr, 3 epochs").run()
    assert not at.exception
    again = session()
    assert again.text_input(key="training_form_name").value == "lower lr, 3 epochs"


def test_a_range_test_job_id_that_is_not_an_id_is_refused_in_a_draft():
    from lab.runs.draft import check_view

    assert check_view({"lr_find_job": "20261203-170520-3386fe"}) == {"lr_find_job": "20261203-170520-3386fe"}
    with pytest.raises(ValueError):
        check_view({"lr_find_job": "../../other-student/.lr_find/x"})
