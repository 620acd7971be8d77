"""What a new student read wrong on the Architecture page: the calculator's caption mixed two
sizes, "padding 0x2" read as hex, "3x3" was taken without a word, the size said "MB" on the
Russian page, the table cut its headers and the drawing's in_features label ran under the
next box."""

from __future__ import annotations

import re

import pytest

from lab.i18n import translate
from lab.model import preset
from lab.model.drawing import CHAR_PX, network_svg
from lab.model.plan import make_plan
from test_page_architecture import metric, open_page


def test_the_wrong_formula_caption_speaks_of_the_input_on_the_page():
    """On 28 x 28 it said "Not 24 ... For 32 x 32 and a 3 x 3 kernel the right answer is 30 x 30"."""
    at = open_page()  # the builder's input: 1 x 28 x 28
    captions = [c.value for c in at.caption]
    assert translate("architecture.wrong_copy", "en", wrong="24", size=28, kernel=3, right=26) in captions
    assert not any("32" in c for c in captions if c.startswith("Not "))


def test_kernel_3x3_is_read_as_3_by_3_and_says_so():
    at = open_page("ru")
    at.text_input(key="arch_calc_k").set_value("3x3").run()
    assert metric(at, "architecture.output", "ru") == "16 × 26 × 26"  # the same as "3"
    assert translate("architecture.read_as", "ru", name=translate("architecture.kernel", "ru"), h=3, w=3) in [
        c.value for c in at.caption]
    at.text_input(key="arch_calc_k").set_value("3 3").run()
    assert any("3 3" in e.value for e in at.error)  # not a number: said, not guessed


def test_a_window_larger_than_the_input_writes_both_paddings_in_words():
    at = open_page()
    at.text_input(key="arch_calc_k").set_value("40").run()
    error = next(e.value for e in at.error if "(< 1)" in e.value)
    assert "2 × 0" in error and "0x2" not in error


@pytest.mark.parametrize("lang,size", [("en", "0.22 MB"), ("ru", "0,22 МБ")])
def test_the_models_size_is_written_in_the_pages_language(lang, size):
    at = open_page(lang)
    assert metric(at, "architecture.metric_size", lang) == size


@pytest.mark.parametrize("lang", ["en", "ru"])
def test_every_table_column_is_as_wide_as_its_header(lang):
    """ "Multiply-ad", "Receptive fi" and "32 × 26 × 2" were cut."""
    at = open_page(lang)
    table = at.dataframe[0]
    config = table.proto.columns
    import json

    widths = {name: col.get("width") for name, col in json.loads(config).items()}
    for key in ("architecture.col.output", "architecture.col.params", "architecture.col.macs", "architecture.col.rf"):
        header = translate(key, lang)
        assert widths[header] >= 8 * len(header), header
    assert widths[translate("architecture.col.output", lang)] >= 8 * len("32 × 26 × 26")


def test_the_in_features_label_stays_in_its_column():
    svg = network_svg(make_plan(preset("baseline", "mnist"), (1, 28, 28), 10), "in_features of the first Linear")
    texts = [(float(x), text) for x, text in re.findall(r'<text x="([\d.]+)"[^>]*>([^<]+)</text>', svg)]
    label_x = next(x for x, text in texts if text == "in_features of the first Linear")
    right_edge = label_x + CHAR_PX * len("in_features of the first Linear") / 2
    next_x = min(x for x, text in texts if text == "out")  # the next column's centre
    assert right_edge < next_x - CHAR_PX * len("out") / 2
    top = float(re.search(r'viewBox="0 (-?[\d.]+) ', svg).group(1))
    highest = min(float(y) for points in re.findall(r'points="([^"]+)"', svg) for y in re.findall(r",(-?[\d.]+)", points))
    assert highest - top <= 10  # no empty band above the boxes
