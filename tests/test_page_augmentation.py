"""The Augmentation page: edit transforms as text or widgets, see warnings, preview and code, both languages."""

from __future__ import annotations

import pytest
from streamlit.testing.v1 import AppTest

from lab.augment import parse_transforms
from lab.config import ExperimentConfig
from lab.i18n import translate


def open_page(lang: str = "en", transforms: str = "", dataset: str = "mnist") -> AppTest:
    at = AppTest.from_file("../app.py", default_timeout=90)
    at.session_state["lab.language"] = lang
    config = ExperimentConfig()
    config.data.dataset = dataset
    config.data.train_limit = 2000  # a small real split keeps the test quick
    config.augment.transforms = parse_transforms(transforms)
    at.session_state["lab.experiment"] = config
    at.run()
    at.switch_page("pages/augmentation.py")
    return at.run()


def images(at: AppTest) -> list:
    return at.get("image")


@pytest.mark.parametrize("lang", ["en", "ru"])
def test_a_flip_on_mnist_is_warned_about_and_previewed(shared_datasets, lang):
    at = open_page(lang, "RandomCrop(28, padding=2), RandomHorizontalFlip()")
    assert not at.exception, at.exception
    assert at.title[0].value == translate("nav.augmentation", lang)
    warnings = [w.value for w in at.warning]
    assert translate("augmentation.warn.flip_digits", lang, name="RandomHorizontalFlip") in warnings
    # 4 originals x (1 + 8 versions) + the training batch
    assert len(images(at)) == 4 * 9 + 1
    code = at.code[0].value
    assert "v2.RandomHorizontalFlip()," in code and "MEAN = [0.13" in code


@pytest.mark.parametrize("lang", ["en", "ru"])
def test_the_copyable_code_centre_crops_evaluation_images_like_the_lab(shared_datasets, lang):
    at = open_page(lang, "RandomCrop(24)")
    scope: dict = {}
    exec(compile(at.code[0].value, "<page code>", "exec"), scope)  # the page's own generated code
    import torch

    digit = torch.randint(0, 256, (1, 28, 28), dtype=torch.uint8)
    assert scope["eval_transform"](digit).shape == (1, 24, 24)  # was 28x28 for a 24x24 model


def test_no_warning_for_a_sensible_mnist_set(shared_datasets):
    at = open_page("en", "RandomCrop(28, padding=2), RandomRotation(10)")
    assert not at.exception and [w.value for w in at.warning] == []


def test_text_form_edits_the_experiment_and_bad_text_is_refused(shared_datasets):
    at = open_page("en")
    at.text_area[0].set_value("T.RandomRotation(15), v2.RandomErasing(p=0.3)")
    at.button[0].click().run()  # the form's "Apply text"
    assert not at.exception
    steps = at.session_state["lab.experiment"].augment.transforms
    assert [s.name for s in steps] == ["RandomRotation", "RandomErasing"]
    assert at.text_area[0].value == "RandomRotation(15), RandomErasing(p=0.3)"
    at.text_area[0].set_value("__import__('os').system('echo hi')")
    at.button[0].click().run()
    assert "__import__" in at.error[0].value
    assert len(at.session_state["lab.experiment"].augment.transforms) == 2  # nothing lost


def test_widgets_add_and_change_a_step(shared_datasets):
    at = open_page("en")
    at.selectbox(key="aug_add_name").set_value("RandomRotation").run()
    next(b for b in at.button if b.label == "Add").click().run()
    steps = at.session_state["lab.experiment"].augment.transforms
    assert [(s.name, s.params) for s in steps] == [("RandomRotation", {"degrees": 10})]
    degrees = next(n for n in at.number_input if n.label == "degrees")
    degrees.set_value(25.0).run()
    assert at.session_state["lab.experiment"].augment.transforms[0].params == {"degrees": 25}
    assert at.text_area[0].value == "RandomRotation(25)"


def test_reroll_changes_the_seed_and_the_images(shared_datasets):
    at = open_page("en", "RandomRotation(30)")
    before = at.number_input(key="augmentation_seed").value
    next(b for b in at.button if b.label == "Re-roll").click().run()
    assert at.number_input(key="augmentation_seed").value == before + 1
    assert not at.exception


def test_colour_on_grayscale_and_vertical_flip_on_clothes(shared_datasets):
    at = open_page("ru", "ColorJitter(saturation=0.5), RandomVerticalFlip()", dataset="fashion-mnist")
    warnings = [w.value for w in at.warning]
    assert translate("augmentation.warn.color_on_gray", "ru", name="ColorJitter") in warnings
    assert translate("augmentation.warn.vflip_objects", "ru", name="RandomVerticalFlip") in warnings


@pytest.fixture()
def cifar_folder(shared_datasets, tmp_path):
    """A small real colour image folder: 30 CIFAR-10 training photos of each of 3 classes."""
    import shutil

    for name in ("airplane", "cat", "ship"):
        (tmp_path / name).mkdir()
        for src in sorted((shared_datasets / "CIFAR10-jpg" / "train" / name).glob("*.jpg"))[:30]:
            shutil.copy(src, tmp_path / name / src.name)
    return tmp_path


def test_colour_folder_steps_by_class_and_every_parameter_table(cifar_folder):
    at = open_page("en", "RandomResizedCrop(32, scale=(0.6, 1.0)), ColorJitter(0.3, 0.3, 0.3, 0.05)",
                   dataset=str(cifar_folder))
    assert not at.exception, at.exception
    assert [w.value for w in at.warning] == []
    at.get("button_group")[0].set_value("class").run()
    at.selectbox(key="aug_class").set_value(1).run()  # "cat"
    assert not at.exception, at.exception
    captions = [img.proto.imgs[0].caption for img in at.get("image")[:-1] if img.proto.imgs[0].caption]
    assert captions[0] == "original · cat" and any("b" in c and "h" in c for c in captions[1:])
    table = at.dataframe[0].value
    assert len(table) == 4 * 8 and "2.ColorJitter.hue" in table.columns


@pytest.mark.parametrize("lang,shown", [("en", "2,000"), ("ru", "2\u00a0000")])
def test_the_dataset_line_counts_in_the_pages_language(shared_datasets, lang, shown):
    at = open_page(lang)
    assert any(shown in m.value for m in at.markdown)  # "48000" had no separator at all


@pytest.mark.parametrize("lang", ["en", "ru"])
def test_the_page_says_up_front_that_the_first_run_is_the_baseline_until_one_exists(runs_dir, lang):
    from lab.runs.store import RunStore
    from test_journal_engine import plant

    at = open_page(lang)
    assert not at.exception
    assert translate("augmentation.baseline_first", lang) in [i.value for i in at.info]
    plant(RunStore(runs_dir), name="baseline")  # a trained run: the course baseline, no augmentation
    at.run()
    assert translate("augmentation.baseline_first", lang) not in [i.value for i in at.info]
