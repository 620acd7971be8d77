"""The catalogue's keys are written whole where they are used, so that a key nobody uses
and a key used but missing are both found; and Russian numbers read as Russian does
("1 изображение", "5 изображений", "48 000") through Babel's CLDR rules."""

import ast
import re
from pathlib import Path

import pytest

from lab.data.image_io import NOTE_KEYS, NOTES
from lab.i18n import LANGUAGES, catalogue, translate
from lab.i18n.numbers import FORMS, count, fill, plural_form
from lab.model.messages import BUILD_PROBLEMS, HINT_KEYS, HINTS, PROBLEM_KEYS
from lab.model.shapes import PROBLEM_KEYS as CALC_PROBLEM_KEYS
from lab.model.shapes import PROBLEMS as CALC_PROBLEMS
from lab.predict.preprocess import STEP_DETAIL_KEYS, STEP_KEYS, STEP_TITLES

ROOT = Path(__file__).resolve().parent.parent
KEY = re.compile(r"[a-z_]+(\.[A-Za-z0-9_]+)+")
# Engine codes and the whole keys the pages show them by: every code has its key.
CODE_KEYS = [(BUILD_PROBLEMS, PROBLEM_KEYS), (HINTS, HINT_KEYS), (CALC_PROBLEMS, CALC_PROBLEM_KEYS),
             (NOTES, NOTE_KEYS), (STEP_TITLES, STEP_KEYS)]
TRANSLATING = {"t", "translate", "keyed", "within"}  # calls whose first text argument is a key


def sources() -> list[Path]:
    return [ROOT / "app.py", *ROOT.glob("pages/*.py"),
            *(p for p in ROOT.glob("lab/**/*.py") if "i18n/texts" not in p.as_posix())]


def _definitions(tree) -> set[int]:
    """Keys of the engine's English tables (``MESSAGES = {key: template}``): defined there, not used."""
    out = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Assign) and isinstance(node.value, ast.Dict) and \
                any(isinstance(t, ast.Name) and t.id.endswith("MESSAGES") for t in node.targets):
            out |= {id(k) for k in node.value.keys if k is not None}
    return out


def _scan():
    """(every key-like string literal outside the tables, those passed straight to t/translate/keyed)."""
    literals, called = set(), set()
    for path in sources():
        tree = ast.parse(path.read_text(encoding="utf-8"))
        skip = _definitions(tree)
        for node in ast.walk(tree):
            if isinstance(node, ast.Constant) and isinstance(node.value, str) and id(node) not in skip \
                    and KEY.fullmatch(node.value):
                literals.add(node.value)
            if isinstance(node, ast.Call) and getattr(node.func, "id", getattr(node.func, "attr", None)) in TRANSLATING:
                args = [a for a in node.args if not isinstance(a, ast.Name)][:1]  # keyed(MESSAGES, "key")
                called |= {c.value for a in args for c in ast.walk(a)
                           if isinstance(c, ast.Constant) and isinstance(c.value, str) and KEY.fullmatch(c.value)}
    return literals, called


def test_no_key_is_built_from_pieces():
    """No t(f"..."), and no f-string that starts like a catalogue key ("architecture.problem.{code}")."""
    areas = {key.split(".")[0] for key in catalogue()}
    translated = re.compile(r"""\b(?:t|translate)\(\s*f["']""")
    prefix = re.compile(r"""\bf["']([a-z_]+)\.[A-Za-z0-9_.]*\{""")
    offenders = [f"{p.relative_to(ROOT)}:{i}" for p in sources()
                 for i, line in enumerate(p.read_text(encoding="utf-8").splitlines(), 1)
                 if translated.search(line) or any(area in areas for area in prefix.findall(line))]
    assert offenders == []


def test_every_engine_code_has_its_key():
    for codes, keys in CODE_KEYS:
        assert set(keys) == set(codes)
    assert set(STEP_DETAIL_KEYS) <= set(STEP_TITLES)


def test_every_key_used_exists_in_both_languages():
    literals, called = _scan()
    keys = {key for _codes, table in CODE_KEYS for key in table.values()} | set(STEP_DETAIL_KEYS.values())
    missing = sorted(k for k in called | keys if k not in catalogue())
    assert missing == []
    assert [k for k, e in catalogue().items() if not all(e.get(lang, "").strip() for lang in LANGUAGES)] == []


def test_every_catalogue_key_is_used():
    literals, _ = _scan()
    unused = sorted(k for k in catalogue() if k not in literals)
    assert unused == []


# --- plurals and numbers ------------------------------------------------------------------
@pytest.mark.parametrize("n, text", [(1, "1 изображение"), (2, "2 изображения"), (5, "5 изображений"),
                                     (11, "11 изображений"), (21, "21 изображение"), (22, "22 изображения"),
                                     (48000, "48\u00a0000 изображений")])
def test_russian_nouns_take_the_form_their_number_needs(n, text):
    assert fill("{n:plural:изображение|изображения|изображений}", "ru", n=n) == text


def test_english_nouns_are_singular_for_one_only():
    assert [fill("{n:plural:image|images}", "en", n=n) for n in (1, 2, 21, 48000)] == \
        ["1 image", "2 images", "21 images", "48,000 images"]


def test_numbers_read_in_the_pages_language():
    assert count(60000, "ru") == "60\u00a0000" and count(60000, "en") == "60,000"
    assert fill("{n:count}", "ru", n=1234567) == "1\u00a0234\u00a0567"
    # a number count() already wrote keeps its form and still picks the noun
    assert fill("{n:plural:эпоха|эпохи|эпох}", "ru", n=count(1021, "ru")) == "1\u00a0021 эпоха"
    assert plural_form(1.5, "ru", ("эпоха", "эпохи", "эпох")) == "эпохи"


def test_every_plural_template_lists_its_languages_forms():
    spec = re.compile(r"{\w+:(?:plural|word):([^{}]*)}")
    for key, entry in catalogue().items():
        for lang in LANGUAGES:
            for forms in spec.findall(entry[lang]):
                assert len(forms.split("|")) == len(FORMS[lang]), (key, lang, forms)


def test_a_russian_page_text_with_a_number_before_a_noun_reads_right():
    assert translate("runs.expect_why_long", "ru", limit=21, n=30) == \
        "причина — не длиннее 21 символа (дано 30)"
