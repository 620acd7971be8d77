"""The Home page: the five stages with the course's advice, links to the pages, and
where the current experiment stands, in English and Russian."""

from __future__ import annotations

from streamlit.testing.v1 import AppTest

from lab.ui.i18n import translate

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
    assert "Data: mnist, validation 20%, split seed 0" in text
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
    assert "Данные: cifar10, валидация 20%" in text
    assert "Запусков в вашем журнале: 0" in text
    assert [link.proto.label for link in at.get("page_link")][1] == "Датасет"
