"""Every text a person reads exists in English and Russian, and every key used exists."""

import re
from pathlib import Path

from lab.ui.i18n import LANGUAGES, catalogue, language_from_locale, translate

ROOT = Path(__file__).resolve().parent.parent
KEY_USE = re.compile(r"""\bt\(\s*["']([a-z_]+\.[a-z0-9_.]+)["']""")


def test_every_key_has_english_and_russian_with_the_same_placeholders():
    placeholder = re.compile(r"{(\w+)}")
    for key, entry in catalogue().items():
        assert set(entry) >= set(LANGUAGES), key
        assert all(entry[lang].strip() for lang in LANGUAGES), key
        assert set(placeholder.findall(entry["en"])) == set(placeholder.findall(entry["ru"])), key


def test_russian_texts_are_russian():
    cyrillic = re.compile("[а-яА-ЯёЁ]")
    # Identical texts are fine for names (BatchNorm, PyTorch, "max pool {size}"), not
    # for sentences: three or more English words left as they are means untranslated.
    untranslated = [k for k, e in catalogue().items()
                    if e["ru"] == e["en"] and len(re.findall("[a-zA-Z]{3,}", re.sub(r"{\w+}", "", e["en"]))) >= 3]
    assert untranslated == []
    words = [e for e in catalogue().values() if e["ru"] != e["en"] and re.search("[a-zA-Z]{3,}", re.sub(r"{\w+}", "", e["en"]))]
    assert all(cyrillic.search(e["ru"]) for e in words)


def test_every_key_the_pages_use_is_in_the_catalogue():
    used = set()
    for path in [ROOT / "app.py", *ROOT.glob("pages/*.py"), *ROOT.glob("lab/ui/**/*.py")]:
        used |= set(KEY_USE.findall(path.read_text(encoding="utf-8")))
    missing = sorted(used - set(catalogue()))
    assert missing == []


def test_browser_locale_picks_the_language():
    assert language_from_locale("ru-RU") == "ru"
    assert language_from_locale("en-GB") == "en"
    assert language_from_locale("de-DE") == "en"
    assert language_from_locale(None) == "en"


def test_placeholders_are_filled():
    assert translate("data.loading", "ru", name="mnist") == "Загружаю mnist…"


# --- engine messages on a Russian page ----------------------------------------------------
def english_fragments() -> list[str]:
    """The fixed English of every engine message, hint, rule and advice: the parts between
    placeholders long enough to be prose (two or more words). A Russian page that
    shows one of them let English through."""
    from lab.augment.messages import MESSAGES as augment_messages
    from lab.model.messages import MESSAGES as model_messages
    from lab.model.plan import BUILD_PROBLEMS, HINTS
    from lab.train.advice import ENGLISH

    templates = [*augment_messages.values(), *model_messages.values(), *BUILD_PROBLEMS.values(),
                 *HINTS.values(), *ENGLISH.values()]
    templates += [e["en"] for k, e in catalogue().items() if k.startswith(("rules.", "augmentation.warn."))]
    russian = " ".join(e["ru"] for e in catalogue().values())
    out = set()
    for template in templates:
        for part in re.split(r"{[^}]*}", template):
            part = part.strip(" .,;:()\"'")
            if len(re.findall(r"[a-zA-Z]{3,}", part)) >= 2 and part not in russian:
                out.add(part)
    return sorted(out)


def page_texts(at) -> str:
    kinds = ("error", "warning", "info", "success", "caption", "markdown", "exception")
    return " ".join(str(getattr(e, "value", "")) for kind in kinds for e in getattr(at, kind))


def assert_no_english(at) -> None:
    shown = page_texts(at)
    leaked = [f for f in english_fragments() if f in shown]
    assert leaked == [], leaked


def open_ru(page: str, experiment=None):
    from streamlit.testing.v1 import AppTest

    at = AppTest.from_file("../app.py", default_timeout=60)
    at.session_state["lab.language"] = "ru"
    if experiment is not None:
        at.session_state["lab.experiment"] = experiment
    at.switch_page(page)
    return at.run()


def test_the_fragments_catch_an_english_message():
    from lab.augment import parse_transforms
    from lab.errors import LabError

    for text in ("Grayscale()", "ToTensor()", "RandomRotation(10, foo=1)"):
        try:
            parse_transforms(text)
        except LabError as exc:
            assert any(f in str(exc) for f in english_fragments()), str(exc)  # the check can fail
        else:
            raise AssertionError(f"{text} is not something the lab accepts")


def test_the_augmentation_page_in_russian_explains_bad_transforms_in_russian(runs_dir):
    at = open_ru("pages/augmentation.py")
    for typed, expected in [("ToTensor()", translate("augment.lab_does_it", "ru", name="ToTensor")),
                            ("Normalize((0.5,), (0.5,))", translate("augment.lab_does_it", "ru", name="Normalize")),
                            ("Grayscale()", "неизвестное преобразование 'Grayscale'"),
                            ("RandomCrop(28", "синтаксическая ошибка Python в строке 1"),
                            ("RandomRotation(10, foo=1)", "неизвестный аргумент 'foo'")]:
        at.text_area[0].input(typed)
        next(b for b in at.button if b.label == translate("augmentation.apply_text", "ru")).click().run()
        assert not at.exception
        errors = " ".join(e.value for e in at.error)
        assert expected in errors, (typed, errors)
        assert_no_english(at)


def test_the_architecture_page_in_russian_explains_bad_hidden_sizes_and_hints_at_in_features(runs_dir):
    at = open_ru("pages/architecture.py")
    hidden = next(w for w in at.text_input if w.key.endswith("_hidden"))
    hidden.input("128, abc").run()
    assert "скрытые слои: укажите целые числа" in " ".join(e.value for e in at.error)
    assert_no_english(at)
    hidden = next(w for w in at.text_input if w.key.endswith("_hidden"))
    hidden.input("5408").run()
    infos = " ".join(i.value for i in at.info)
    assert "не in_features" in infos and "5408" in infos  # the 29 M-weight layer gets its hint
    assert_no_english(at)


def test_the_training_page_in_russian_says_why_a_model_cannot_train_in_russian(runs_dir):
    from lab.config import ConvBlock, ExperimentConfig, ModelConfig

    cfg = ExperimentConfig()
    cfg.model = ModelConfig(blocks=[ConvBlock(kernel=30)])  # a 30x30 kernel on 28x28 digits
    at = open_ru("pages/training.py", cfg)
    assert not at.exception
    errors = " ".join(e.value for e in at.error)
    assert "блок 1, conv1" in errors
    assert_no_english(at)
