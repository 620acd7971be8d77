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
