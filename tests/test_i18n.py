"""Every text a person reads exists in English and Russian, and every key used exists."""

import re
from pathlib import Path

import pytest

from lab.i18n import LANGUAGES, catalogue, language_from_locale, translate

ROOT = Path(__file__).resolve().parent.parent
KEY_USE = re.compile(r"""\bt\(\s*["']([a-z_]+\.[a-z0-9_.]+)["']""")


def test_every_key_has_english_and_russian_with_the_same_placeholders():
    placeholder = re.compile(r"{(\w+)(?:[!:][^{}]*)?}")  # {n}, {n!r}, {n:count}, {n:plural:...}
    for key, entry in catalogue().items():
        assert set(entry) >= set(LANGUAGES), key
        assert all(entry[lang].strip() for lang in LANGUAGES), key
        assert set(placeholder.findall(entry["en"])) == set(placeholder.findall(entry["ru"])), key


def test_russian_texts_are_russian():
    cyrillic = re.compile("[а-яА-ЯёЁ]")
    # Identical texts are fine for names (BatchNorm, PyTorch, "max pool {size}"), not
    # for sentences: three or more English words left as they are means untranslated.
    untranslated = [k for k, e in catalogue().items()
                    if e["ru"] == e["en"] and len(re.findall("[a-zA-Z]{3,}", re.sub(r"{[^{}]*}", "", e["en"]))) >= 3]
    assert untranslated == []
    words = [e for e in catalogue().values() if e["ru"] != e["en"] and re.search("[a-zA-Z]{3,}", re.sub(r"{[^{}]*}", "", e["en"]))]
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
    from lab.model.messages import BUILD_PROBLEMS, HINTS
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


# --- any English sentence on a Russian page -----------------------------------------------
# Tokens a Russian page may show in a row without it being English prose (names of
# options, devices and values the student types as they are).
ALLOWED_TOKENS = {"auto", "cpu", "cuda", "mps", "true", "false", "null", "rgb", "grayscale", "relu", "max", "avg",
                  "none", "flatten", "gap"}
_WORD = re.compile(r"\(?([A-Za-z][a-z]*(?:'[a-z]+)?)[.;:!?)]*(,?)")


def english_sentences(text: str) -> list[str]:
    """Runs of 4 or more ASCII words in lower case (the first may be capitalised), outside
    `code`: English prose. Names (RandomCrop, in_features, best.pt, /a/path, 'quoted')
    are not such words, and a comma ends a run (a list of option names is not a sentence)."""
    text = re.sub(r"`[^`]*`", " ", text)
    found, run = [], []
    for token in text.split():
        m = _WORD.fullmatch(token)
        word = m.group(1) if m else ""
        ok = bool(m) and word.lower() not in ALLOWED_TOKENS and (word.islower() or not run and word[1:].islower())
        if not ok:
            if len(run) >= 4:
                found.append(" ".join(run))
            run = [token] if m and word.lower() not in ALLOWED_TOKENS and word[1:].islower() else []
            continue
        run.append(token)
        if m.group(2):  # a comma: a list of names, not a sentence
            if len(run) >= 4:
                found.append(" ".join(run))
            run = []
    if len(run) >= 4:
        found.append(" ".join(run))
    return found


def assert_no_english_sentence(at) -> None:
    assert not at.exception, [e.value for e in at.exception]
    shown = page_texts(at)
    assert english_sentences(shown) == [], (english_sentences(shown), shown[:2000])


def test_the_sentence_check_finds_english_and_passes_russian():
    assert english_sentences("Проблема: the archive is damaged (an entry cannot be decompressed)")
    assert english_sentences("Проблема: cannot read checkpoint /x/best.pt: No such file or directory")
    assert not english_sentences("Проблема: неизвестное преобразование 'Grayscale'; известные: RandomCrop, "
                                 "RandomRotation; укажите in_features, `nn.Linear(in_features, out)`, best.pt")
    assert not english_sentences("выберите auto, cpu, cuda или mps")


def open_ru_dataset(tmp_path, dataset: str):
    from lab.config import DataConfig, ExperimentConfig

    cfg = ExperimentConfig()
    cfg.data = DataConfig(dataset=dataset)
    return open_ru("pages/dataset.py", cfg)


def test_the_check_fails_on_an_unkeyed_english_error_on_the_dataset_page(runs_dir, tmp_path, monkeypatch):
    import lab.data
    from lab.errors import LabError

    def unkeyed(*args, **kwargs):
        raise LabError("this folder cannot be read by the lab at all")  # no key: English on a Russian page

    monkeypatch.setattr(lab.data, "load_image_folder", unkeyed)
    (tmp_path / "imgs" / "cat").mkdir(parents=True)
    at = open_ru_dataset(tmp_path, str(tmp_path / "imgs"))
    assert "this folder cannot be read by the lab at all" in " ".join(e.value for e in at.error)
    assert english_sentences(page_texts(at))  # the check can fail


def test_the_dataset_page_in_russian_explains_bad_folders_and_zips_in_russian(runs_dir, tmp_path):
    from PIL import Image

    at = open_ru_dataset(tmp_path, str(tmp_path / "missing"))
    assert "неизвестный набор данных" in " ".join(e.value for e in at.error)
    assert_no_english_sentence(at)
    one = tmp_path / "one" / "cat"
    one.mkdir(parents=True)
    Image.new("L", (8, 8)).save(one / "a.png")
    at = open_ru_dataset(tmp_path, str(tmp_path / "one"))
    assert "классификатору нужно хотя бы 2" in " ".join(e.value for e in at.error)
    assert_no_english_sentence(at)
    (tmp_path / "flat").mkdir()
    at = open_ru_dataset(tmp_path, str(tmp_path / "flat"))
    assert "нет подпапок классов" in " ".join(e.value for e in at.error)
    assert_no_english_sentence(at)
    at = open_ru_dataset(tmp_path, str(tmp_path / "flat"))
    upload = translate("dataset.source_upload", "ru")
    at.selectbox[0].set_value(upload).run()
    at.file_uploader[0].upload("data.zip", b"PK\x03\x04 this is no zip at all", "application/zip").run()
    assert "не читаемый zip-архив" in " ".join(e.value for e in at.error)
    assert_no_english_sentence(at)


def test_the_predict_page_in_russian_explains_a_bad_checkpoint_in_russian(runs_dir):
    at = open_ru("pages/predict.py")
    at.radio(key="predict_model_source").set_value("upload").run()
    for name, data, expected in [("notes.pt", b"just some text, not weights", "текстовый файл"),
                                 ("empty.pt", b"", "файл контрольной точки пуст"),
                                 ("half.pt", b"\x80\x02 half a pickle", "отказано")]:
        at.file_uploader(key="predict_model_file").upload(name, data).run()
        assert expected in " ".join(e.value for e in at.error), name
        assert_no_english_sentence(at)


def test_the_journal_in_russian_explains_a_broken_run_folder_in_russian(runs_dir):
    from lab.config import ExperimentConfig
    from lab.runs.store import RunStore

    run = RunStore(runs_dir).create(ExperimentConfig(), name="broken")
    (run.dir / "config.json").write_text('{"train": {"lr": 50}}', encoding="utf-8")  # hand-edited
    at = open_ru("pages/journal.py")
    assert "train.lr: 50.0 — вне диапазона" in " ".join(e.value for e in at.error)
    assert_no_english_sentence(at)


@pytest.mark.parametrize("page, widget, typed", [
    ("pages/augmentation.py", "text_area", "RandomRotation(10, foo=1)"),
    ("pages/architecture.py", "hidden", "128, abc"),
])
def test_the_engine_pages_in_russian_show_no_english_sentence(runs_dir, page, widget, typed):
    at = open_ru(page)
    if widget == "text_area":
        at.text_area[0].input(typed)
        next(b for b in at.button if b.label == translate("augmentation.apply_text", "ru")).click().run()
    else:
        next(w for w in at.text_input if w.key.endswith("_hidden")).input(typed).run()
    assert at.error
    assert_no_english_sentence(at)


def test_the_training_page_in_russian_shows_no_english_sentence(runs_dir):
    from lab.config import ConvBlock, ExperimentConfig, ModelConfig

    cfg = ExperimentConfig()
    cfg.model = ModelConfig(blocks=[ConvBlock(kernel=30)])
    at = open_ru("pages/training.py", cfg)
    assert at.error
    assert_no_english_sentence(at)


def test_the_predict_page_in_russian_explains_a_bad_picture_in_russian(runs_dir, mnist, tmp_path_factory):
    from lab.config import ExperimentConfig
    from lab.runs.store import RunStore
    from test_predict_support import trained_checkpoint_path

    run = RunStore(runs_dir).create(ExperimentConfig(), name="baseline")
    run.checkpoint_path("best").write_bytes(trained_checkpoint_path(mnist, tmp_path_factory).read_bytes())
    run.write_summary({"status": "finished", "best_val_accuracy": 0.96})
    at = open_ru("pages/predict.py")
    for name, data in [("digit.png", b"this is not a picture"), ("empty.png", b"")]:
        at.file_uploader(key="predict_image_file").upload(name, data).run()
        assert at.error, name
        assert_no_english_sentence(at)


def test_a_failed_runs_keyed_error_reads_in_russian_on_the_training_page(runs_dir):
    from streamlit.testing.v1 import AppTest

    from lab.config import ExperimentConfig
    from lab.errors import as_record, keyed
    from lab.runs.store import RunStore
    from lab.train.messages import MESSAGES

    exc = keyed(MESSAGES, "train.nothing_to_train", train=0, val=3)
    run = RunStore(runs_dir).create(ExperimentConfig(), name="empty")
    run.write_summary({"status": "failed", "reason": "run.failed_start", "error": str(exc), "epochs": 0,
                       **as_record(exc)})  # as the worker writes it
    at = AppTest.from_file("../app.py", default_timeout=60)
    at.session_state["lab.language"] = "ru"
    at.session_state["lab.training.runs"] = [run.id]
    at.switch_page("pages/training.py")
    at.run()
    assert translate("train.nothing_to_train", "ru", train=0, val=3) in " ".join(e.value for e in at.error)
    assert_no_english_sentence(at)


def test_the_dataset_page_in_russian_says_why_files_were_skipped_in_russian(runs_dir, tmp_path):
    from PIL import Image

    for name in ("cat", "dog"):
        (tmp_path / "pets" / name).mkdir(parents=True)
        for i in range(3):
            Image.new("L", (8, 8), 40 * i).save(tmp_path / "pets" / name / f"{i}.png")
    (tmp_path / "pets" / "cat" / "empty.png").write_bytes(b"")
    (tmp_path / "pets" / "dog" / "notes.txt").write_text("not a picture")
    (tmp_path / "pets" / "dog" / "junk.png").write_bytes(b"this is not a picture at all")
    at = open_ru_dataset(tmp_path, str(tmp_path / "pets"))
    assert not at.exception and not at.error
    reasons = [str(r) for df in at.dataframe for r in df.value.iloc[:, -1]
               if df.value.columns[-1] == translate("dataset.reason", "ru")]
    assert len(reasons) == 3, reasons
    assert translate("data.skip.empty", "ru") in reasons and translate("data.skip.type", "ru") in reasons
    assert english_sentences(" ".join(reasons)) == [], reasons
    assert_no_english_sentence(at)
