"""The Architecture page with a ready architecture (issue 22, item 1), in both languages: the
modifications the engine lists, each with its reason, torchvision's stem beside the small-image
one, no block editor, and the stem choice reaching the experiment."""

from __future__ import annotations

import pytest

from lab.config import DataConfig, ExperimentConfig
from lab.i18n import translate
from lab.model import preset
from lab.model.ready import modifications
from test_page_architecture import metric, open_page


@pytest.mark.parametrize("lang", ["en", "ru"])
def test_resnet18_shows_its_modifications_with_reasons_and_no_block_editor(lang):
    exp = ExperimentConfig(data=DataConfig(dataset="mnist"), model=preset("resnet18"))
    at = open_page(lang, exp)
    mods = modifications(exp.model, (1, 28, 28), 10)
    captions = [c.value for c in at.caption]
    for mod in mods:  # the page shows exactly the engine's list, each reason in the page's language
        assert translate(mod.key, lang, **mod.fmt) in captions
        assert any(f"`{mod.after}`" in m.value for m in at.markdown)
    assert any(translate("architecture.ready.no_editor", lang, arch="resnet18") == i.value for i in at.info)
    assert not [b for b in at.button if b.label == translate("architecture.add_block", lang)]
    assert metric(at, "architecture.metric_params", lang).replace("\u00a0", ",") == "11,172,810"
    side = at.dataframe[0].value  # torchvision's stem leaves 7x7 for layer1; the small one keeps 28x28
    row = side[side.iloc[:, 0] == "layer1.0"].iloc[0]
    assert list(row[1:]) == ["64 × 7 × 7", "64 × 28 × 28"]
    assert at.selectbox(key=f"arch_preset_{lang}").value == "resnet18"  # the picker shows what is loaded


def test_choosing_torchvisions_stem_reaches_the_experiment_and_the_list():
    exp = ExperimentConfig(data=DataConfig(dataset="mnist"), model=preset("resnet18"))
    at = open_page("en", exp)
    next(r for r in at.radio if r.label == "Stem").set_value("original").run()
    assert not at.exception
    assert at.session_state["lab.experiment"].model.stem == "original"
    assert not any("28x28 to 7x7" in c.value for c in at.caption)  # the stem's change is no longer listed
    assert any("Input channels: these images have 1" in c.value for c in at.caption)


def test_a_two_class_folder_reads_two_classes_in_russian(tmp_path, shared_datasets):
    """The head's reason counts the classes in the page's language: "2 класса", not "2 классов"."""
    from test_export import copy_cifar_tree

    folder = copy_cifar_tree(shared_datasets, tmp_path / "pets", classes=2, per_class_train=4, per_class_test=1)
    at = open_page("ru", ExperimentConfig(data=DataConfig(dataset=str(folder)), model=preset("resnet18")))
    captions = [c.value for c in at.caption]
    assert "Голова-классификатор: здесь 2 класса, в ImageNet 1 000." in captions
    assert any("уменьшают 32x32 до 8x8" in c for c in captions)
