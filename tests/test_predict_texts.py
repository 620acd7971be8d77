"""Every message the prediction engine can produce reads in English and Russian, with the
same placeholders as the engine's own English (the CLI's) text."""

import re
import string

from lab.data.image_io import NOTES, PROBLEMS
from lab.predict.preprocess import STEP_TITLES
from lab.i18n.texts.predict import TEXTS


def fields(text: str) -> set[str]:
    return {name for _, name, _, _ in string.Formatter().parse(text) if name}


def test_every_key_has_real_english_and_russian():
    for key, entry in TEXTS.items():
        assert key.startswith("predict."), key
        assert entry["en"].strip() and entry["ru"].strip(), key
        words = re.sub(r"\{[^}]*\}", "", entry["en"])
        if re.search("[a-zA-Z]{4,}", words):  # English prose: the Russian must be Russian
            assert re.search("[а-яА-Я]", entry["ru"]), key
        assert fields(entry["en"]) == fields(entry["ru"]), key


def test_every_engine_code_has_a_translation_with_the_same_placeholders():
    for key, english in PROBLEMS.items():  # keyed whole: the page's English is the CLI's
        assert TEXTS[key]["en"] == english, key
    for code, english in NOTES.items():
        key = f"predict.note.{code}"
        assert key in TEXTS, key
        assert fields(TEXTS[key]["en"]) == fields(english), key
    from lab.i18n import catalogue  # step titles may live in another predict.* area file

    for step in STEP_TITLES:
        assert f"predict.step.{step}" in catalogue(), step
