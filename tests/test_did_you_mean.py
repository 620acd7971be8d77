"""A name typed with a typo gets "did you mean ...?" (``lab.errors.did_you_mean``, difflib's
closest match), in English on the command line and in the page's language on a page: transforms
and their arguments, presets, layers, optimizers, datasets, devices and config fields."""

from __future__ import annotations

import subprocess

import pytest

from lab.augment import parse_transforms
from lab.config import ExperimentConfig
from lab.errors import LabError, did_you_mean
from lab.i18n import translate
from test_i18n import assert_no_english
from test_page_augmentation import open_page


def ru(exc: LabError) -> str:
    """The error as a Russian page shows it (``lab.ui.lab_errors``: nested messages translated first)."""
    def text(key, params):
        return translate(key, "ru", **{k: text(*v) if isinstance(v, (tuple, list)) and len(v) == 2
                                       and isinstance(v[1], dict) else v for k, v in params.items()})
    return text(exc.key, exc.params)


def error_of(call, *args) -> LabError:
    with pytest.raises(LabError) as info:
        call(*args)
    return info.value


def test_the_closest_name_is_suggested_and_a_far_or_exact_one_is_not():
    assert did_you_mean("RandomRotaion", ["RandomCrop", "RandomRotation"]) == (
        "errors.did_you_mean", {"name": "RandomRotation"})
    assert did_you_mean("randomrotation", ["RandomRotation"])[1] == {"name": "RandomRotation"}  # case aside
    assert did_you_mean("'adma'", ["adam", "adamw", "sgd"])[1] == {"name": "adam"}  # a repr() is read through
    assert did_you_mean("cifar", ["mnist", "fashion-mnist", "cifar10"])[1] == {"name": "cifar10"}
    assert did_you_mean("Blah", ["RandomCrop", "RandomRotation"]) == ""  # nothing close: nothing said
    assert did_you_mean("sgd", ["adam", "adamw"]) == ""
    assert did_you_mean("adam", ["adam", "adamw"]) == ""  # not a typo


@pytest.mark.parametrize("call,typed,meant", [
    (parse_transforms, "RandomRotaion(10)", "RandomRotation"),
    (parse_transforms, "RandomRotation(degress=10)", "degrees"),
    (parse_transforms, "RandomCrop(28, paddin=2)", "padding"),
    (ExperimentConfig.from_dict, {"augment": {"transforms": [{"name": "GausianBlur", "params": {}}]}}, "GaussianBlur"),
    (ExperimentConfig.from_dict, {"train": {"optimizer": "adma"}}, "adam"),
    (ExperimentConfig.from_dict, {"train": {"schedule": "cosin"}}, "cosine"),
    (ExperimentConfig.from_dict, {"train": {"batchsize": 32}}, "batch_size"),
    (ExperimentConfig.from_dict, {"model": {"blocks": [{"kernal": 3}]}}, "kernel"),
])
def test_typos_in_transforms_and_configs_are_answered_in_both_languages(call, typed, meant):
    exc = error_of(call, typed)
    assert f"(did you mean {meant}?)" in str(exc)
    assert f"(может быть, вы имели в виду {meant}?)" in ru(exc)
    assert "did you mean" not in ru(exc)


def test_typos_in_presets_layers_datasets_and_devices_are_answered():
    from lab.data import load
    from lab.model import preset
    from lab.model.shapes import layer_output
    from lab.train.device import pick_device

    cases = [(error_of(preset, "basline"), "baseline"), (error_of(preset, "mnist_cn"), "mnist_cnn"),
             (error_of(layer_output, "conv2", (1, 28, 28), 3), "conv2d"),
             (error_of(load, "mnsit"), "mnist"), (error_of(load, "fashon-mnist"), "fashion-mnist"),
             (error_of(pick_device, "cpuu"), "cpu")]
    for exc, meant in cases:
        assert f"did you mean {meant}?" in str(exc) and f"имели в виду {meant}?" in ru(exc), str(exc)
    # a name far from every known one gets the list, and no guess
    exc = error_of(preset, "transformer")
    assert "did you mean" not in str(exc) and "baseline, lenet5" in str(exc)


def in_process(capsys, *args):
    from lab.cli import main

    code = main(list(args))
    captured = capsys.readouterr()
    return subprocess.CompletedProcess(args, code, captured.out, captured.err)


@pytest.mark.parametrize("args,meant", [
    (["train", "--dataset", "mnist", "--transforms", "RandomRotaion(10)"], "RandomRotation"),
    (["train", "--dataset", "mnist", "--optimizer", "adma"], "adam"),
    (["train", "--dataset", "mnsit", "--preset", "baseline"], "mnist"),
    (["train", "--dataset", "mnist", "--preset", "lenet"], "lenet5"),
    (["trian", "--dataset", "mnist"], "train"),
])
def test_the_command_line_says_did_you_mean_in_one_line_and_exits_2(tmp_path, capsys, args, meant):
    out = in_process(capsys, *args, "--runs-dir", str(tmp_path))
    assert out.returncode == 2 and len(out.stderr.strip().splitlines()) == 1, out.stderr
    assert f"(did you mean {meant}?)" in out.stderr
    assert not any(tmp_path.iterdir())  # nothing trained, nothing journalled


@pytest.mark.parametrize("lang,expected", [("en", "(did you mean RandomRotation?)"),
                                           ("ru", "(может быть, вы имели в виду RandomRotation?)")])
def test_the_augmentation_page_suggests_the_transform_meant(shared_datasets, lang, expected):
    at = open_page(lang, "RandomCrop(28, padding=2)")
    at.text_area[0].set_value("RandomCrop(28, padding=2), RandomRotaion(10)")
    at.button[0].click().run()  # the form's "Apply text"
    assert not at.exception
    errors = " ".join(e.value for e in at.error)
    assert "'RandomRotaion'" in errors and expected in errors, errors
    assert [s.name for s in at.session_state["lab.experiment"].augment.transforms] == ["RandomCrop"]  # nothing lost
    if lang == "ru":
        assert_no_english(at)
