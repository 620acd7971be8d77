"""The Architecture page draws the network beside its table, in both languages, and
redraws it with every edit; a broken architecture shows its layer in red."""

from __future__ import annotations

import base64

import pytest

from lab.config import ConvBlock, ExperimentConfig, ModelConfig
from lab.model.drawing import BROKEN
from lab.i18n import translate
from test_page_architecture import open_page


def drawing(at) -> str:
    svgs = [base64.b64decode(img.proto.imgs[0].url.split(",", 1)[1]).decode()
            for img in at.image if img.proto.imgs and img.proto.imgs[0].url.startswith("data:image/svg+xml")]
    assert len(svgs) == 1
    return svgs[0]


@pytest.mark.parametrize("lang", ["en", "ru"])
def test_the_baseline_is_drawn_with_its_shapes_and_in_features(lang):
    at = open_page(lang)
    assert f"**{translate('architecture_drawing.title', lang)}**" in [m.value for m in at.markdown]
    svg = drawing(at)
    assert "32 × 26 × 26" in svg and "32 × 13 × 13" in svg and "5408" in svg
    assert translate("architecture_drawing.in_features", lang) in svg
    assert BROKEN not in svg


def test_an_edit_redraws_and_a_broken_layer_is_red():
    at = open_page(experiment=ExperimentConfig(model=ModelConfig(blocks=[ConvBlock(8) for _ in range(5)])))
    svg = drawing(at)
    assert f'fill="{BROKEN}"' in svg and "8 × 26 × 26" in svg
    filters = next(n for n in at.number_input if n.label == translate("architecture.filters", "en"))
    filters.set_value(16).run()
    assert not at.exception
    assert "16 × 26 × 26" in drawing(at)
