"""The Home page: the five stages with the course's advice, links to the pages, and
where the current experiment stands, in English and Russian."""

from __future__ import annotations

from streamlit.testing.v1 import AppTest

from lab.i18n import translate

STAGES = ("home.task", "home.data", "home.architecture", "home.training", "home.evaluation")


def home(lang: str) -> AppTest:
    at = AppTest.from_file("../app.py", default_timeout=60)
    at.session_state["lab.language"] = lang
    return at.run()


def text_of(at: AppTest) -> str:
    return "\n".join(m.value for m in at.main.markdown)


def links(at: AppTest) -> list[str]:
    return [link.proto.page for link in at.get("page_link")]  # the pages' url paths


def test_home_lists_the_stages_advice_links_and_status_in_english(runs_dir):
    at = home("en")
    assert not at.exception
    assert at.title[0].value == "Home"
    text = text_of(at)
    for key in STAGES:
        assert translate(key, "en") in text and translate(f"{key}_text", "en") in text
    assert "ln(N)" in text and "lr 1e-3" in text and "3–5 mild transforms" in text
    assert set(links(at)) == {"dataset", "augmentation", "architecture", "training", "predict", "journal"}
    assert "Data: MNIST, validation 20%, split seed 0" in text
    assert "Runs recorded in your journal: 0" in text


def test_home_in_russian_and_status_follows_the_experiment(runs_dir):
    at = home("ru")
    at.session_state["lab.experiment"].data.dataset = "cifar10"
    at.run()
    assert not at.exception
    assert at.title[0].value == "Главная"
    text = text_of(at)
    for key in STAGES:
        assert translate(f"{key}_text", "ru") in text
    assert "Данные: CIFAR-10, валидация 20%" in text
    assert "Запусков в вашем журнале: 0" in text
    assert [link.proto.label for link in at.get("page_link")][1] == "Датасет"


def test_home_shows_the_courses_steps_with_the_students_own_progress(runs_dir):
    import json

    from lab.config import ExperimentConfig
    from lab.runs.store import RunStore
    from test_journal_engine import changed, plant

    for lang in ("en", "ru"):
        at = home(lang)
        assert not at.exception
        text = text_of(at)
        assert translate("home.course", lang) in [s.value for s in at.subheader]
        assert ":material/radio_button_unchecked: " + translate("home.step.overfit_batch", lang) in text
        assert ":material/check_circle:" not in text  # nothing done in an empty journal
        assert translate("home.next.overfit_batch", lang) in [i.value for i in at.info]
    store = RunStore(runs_dir)
    job = runs_dir / ".overfit" / "20260101-000000-000abc"
    job.mkdir(parents=True)
    (job / "config.json").write_text(ExperimentConfig().to_json())
    (job / "summary.json").write_text(json.dumps({"status": "finished", "overfit": {"reached": True}}))
    base = plant(store, name="baseline")
    plant(store, changed(train__lr=3e-4), parent=base.id)
    at = home("ru")
    text = text_of(at)
    assert ":material/check_circle: " + translate("home.step.overfit_batch", "ru") in text
    assert ":material/check_circle: " + translate("home.step.baseline", "ru") in text
    assert ":material/check_circle: " + translate("home.step.one_change", "ru", n=1) in text
    # the planted runs' summaries carry no initial check: that step is next
    assert translate("home.next.initial_loss", "ru") in [i.value for i in at.info]


def test_evaluation_links_to_the_journal_where_evaluate_on_test_is(runs_dir):
    """It linked to Prediction, while "Evaluate on test" is a button on the Journal."""
    at = home("en")
    # the stages' boxes in order: task, data (+ augmentation), architecture, training, evaluation (+ prediction)
    assert links(at)[:7] == ["journal", "dataset", "augmentation", "architecture", "training", "journal", "predict"]
    assert translate("evaluation.evaluate_test", "en") in translate("home.evaluation_text", "en")
    assert translate("evaluation.evaluate_test", "ru") in translate("home.evaluation_text", "ru")


def test_the_latest_runs_status_is_in_the_pages_language(runs_dir):
    from lab.config import ExperimentConfig
    from lab.runs.store import RunStore

    run = RunStore(runs_dir).create(ExperimentConfig(), name="baseline")
    run.write_summary({"status": "finished", "best_val_accuracy": 0.9})
    assert "Последний запуск: baseline (завершён)" in text_of(home("ru"))  # it said "(finished)"
    assert "Latest run: baseline (finished)" in text_of(home("en"))
