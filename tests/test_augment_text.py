"""The text form, the dataset warnings and the v2.Compose code the page offers to copy."""

from __future__ import annotations

import pytest
import torch
from torchvision.transforms import v2

from lab.augment import (compose_source, format_transforms, normalize, parse_transforms, validate_steps,
                         warnings_for)
from lab.config import AugmentConfig, ExperimentConfig, TransformStep
from lab.errors import LabError
from lab.i18n import catalogue


@pytest.mark.parametrize("text", [
    "RandomCrop(28, padding=2), RandomRotation(10)",
    "RandomHorizontalFlip(p=0.3), ColorJitter(brightness=0.2, contrast=0.4)",
    "RandomAffine(0, translate=(0.1, 0.1), scale=(0.9, 1.1), shear=5)",
    "RandomResizedCrop(24, scale=(0.5, 1.0), interpolation='nearest')",
    "RandomErasing(p=0.25, value='random'), GaussianNoise(sigma=0.05), GaussianBlur(3, sigma=(0.1, 1.0))",
    "AutoAugment(policy='cifar10'), RandAugment(num_ops=1, magnitude=5), TrivialAugmentWide()",
    "",
])
def test_text_round_trips(text):
    steps = parse_transforms(text)
    assert format_transforms(steps) == text
    assert parse_transforms(format_transforms(steps)) == steps


def test_prefixes_compose_and_positional_arguments_are_understood():
    plain = parse_transforms("RandomCrop(28, padding=2), RandomRotation(10)")
    assert plain == [TransformStep("RandomCrop", {"size": 28, "padding": 2}),
                     TransformStep("RandomRotation", {"degrees": 10})]
    assert parse_transforms("T.RandomCrop(28, padding=2), v2.RandomRotation(10)") == plain
    assert parse_transforms("transforms.v2.Compose([T.RandomCrop(28, 2), T.RandomRotation(degrees=10)])") == plain
    interp = parse_transforms("T.RandomRotation(10, interpolation=T.InterpolationMode.BILINEAR)")
    assert interp[0].params["interpolation"] == "bilinear"


def test_steps_survive_the_experiment_json():
    steps = parse_transforms("RandomAffine(5, translate=(0.1, 0.1)), RandomErasing(value=(1, 2, 3))")
    config = ExperimentConfig(augment=AugmentConfig(transforms=steps))
    again = ExperimentConfig.from_json(config.to_json()).augment.transforms
    assert again == steps and format_transforms(again) == format_transforms(steps)


@pytest.mark.parametrize("text,named", [
    ("__import__('os').system('x')", "__import__"),
    ("RandomCrop(size=open('f'))", "not a literal"),
    ("RandomRotation(degrees=lambda: 3)", "not a literal"),
    ("lambda x: x", "not a transform call"),
    ("Flipper(0.5)", "unknown transform 'Flipper'"),
    ("os.system('x')", "unknown transform"),
    ("RandomCrop(28).__class__", "not a transform call"),
    ("RandomRotation(10, spin=2)", "unknown argument 'spin'"),
    ("RandomRotation(-5)", "RandomRotation"),
    ("RandomHorizontalFlip(p=1.5)", "RandomHorizontalFlip"),
    ("RandomCrop()", "needs size"),
    ("RandomCrop(28, 2, 3)", "at most 2"),
    ("RandomCrop(*[28])", "not allowed"),
    ("RandomRotation(10, expand=True)", "expand"),
    ("RandomCrop(28, padding=2", "cannot read"),
    ("ColorJitter(brightness={1, 2})", "set values"),
    ("RandomRotation(float('inf'))", "not a literal"),
    ("RandomRotation(1e999)", "not a finite number"),
])
def test_anything_but_known_transforms_with_literals_is_refused(text, named):
    with pytest.raises(LabError, match=None) as info:
        parse_transforms(text)
    assert named in str(info.value)


def test_validate_rejects_config_steps_torchvision_would_reject():
    validate_steps([TransformStep("RandomRotation", {"degrees": 10})])
    with pytest.raises(LabError, match="unknown transform"):
        validate_steps([TransformStep("Nope", {})])
    with pytest.raises(LabError, match="sigma"):
        validate_steps([TransformStep("GaussianBlur", {"kernel_size": 3, "sigma": [-1, 2]})])


def _keys(warnings):
    return [key for key, _ in warnings]


def test_warnings_follow_the_dataset():
    flip, vflip = parse_transforms("RandomHorizontalFlip()"), parse_transforms("RandomVerticalFlip()")
    assert "augmentation.warn.flip_digits" in _keys(warnings_for(flip, "mnist", 1))
    assert warnings_for(flip, "fashion-mnist", 1) == [] and warnings_for(flip, "cifar10", 3) == []
    assert "augmentation.warn.vflip_objects" in _keys(warnings_for(vflip, "cifar10", 3))
    assert "augmentation.warn.big_rotation" in _keys(warnings_for(parse_transforms("RandomRotation(45)"), "mnist", 1))
    assert warnings_for(parse_transforms("RandomRotation(10)"), "mnist", 1) == []
    gray = parse_transforms("RandomGrayscale(), ColorJitter(saturation=0.5)")
    assert _keys(warnings_for(gray, "mnist", 1)) == ["augmentation.warn.color_on_gray"] * 2
    assert warnings_for(gray, "cifar10", 3) == []
    crop = parse_transforms("RandomCrop(24)")
    size = dict(warnings_for(crop, "mnist", 1, input_shape=(1, 28, 28)))["augmentation.warn.size_changes"]
    assert size == {"before": "28×28", "after": "24×24"}
    many = parse_transforms(", ".join(["RandomRotation(5)"] * 6))
    assert "augmentation.warn.too_many" in _keys(warnings_for(many, "mnist", 1))
    assert "augmentation.warn.strong" in _keys(warnings_for(parse_transforms("GaussianNoise(sigma=0.5)"), "mnist", 1))


def test_every_warning_key_has_both_languages_and_fills_its_placeholders():
    texts = catalogue()
    steps = parse_transforms("RandomHorizontalFlip(), RandomVerticalFlip(), RandomRotation(90), RandomGrayscale(), "
                             "ColorJitter(saturation=0.9), RandomInvert(), RandomCrop(20, padding=8)")
    found = warnings_for(steps, "mnist", 1, input_shape=(1, 28, 28))
    found += warnings_for(parse_transforms("RandomVerticalFlip()"), "cifar10", 3)
    found += warnings_for(parse_transforms("RandomVerticalFlip()"), "/data/drones", 3)
    found += warnings_for(parse_transforms(", ".join(["RandomRotation(5)"] * 6)), "mnist", 1)
    for key, params in found:
        for lang in ("en", "ru"):
            assert texts[key][lang].format(**params)


def _cell(source: str) -> dict:
    scope: dict = {}
    exec(compile(source, "<compose>", "exec"), scope)  # our own generated code, not user input
    return scope


def test_compose_source_is_the_same_pipeline():
    mean, std = [0.1307], [0.3081]
    steps = parse_transforms("RandomHorizontalFlip(p=1.0), RandomCrop(24, padding=0)")
    source = compose_source(steps, mean, std, (1, 28, 28))
    assert "v2.RandomCrop(24, padding=0)," in source and "MEAN = [0.1307]" in source and "STD = [0.3081]" in source
    img = torch.randint(0, 256, (1, 28, 28), dtype=torch.uint8)
    full = parse_transforms("RandomHorizontalFlip(p=1.0)")
    scope = _cell(compose_source(full, mean, std, (1, 28, 28)))
    assert torch.allclose(scope["train_transform"](img), normalize(img.flip(-1)[None], mean, std)[0], atol=1e-6)
    assert isinstance(scope["train_transform"], v2.Compose)


@pytest.mark.parametrize("text,shape,size", [
    ("RandomCrop(24)", (1, 28, 28), (24, 24)),  # the defect: eval fed 28x28 to a 24x24 model
    ("RandomResizedCrop(20, scale=(0.5, 1.0)), RandomRotation(10)", (3, 32, 32), (20, 20)),
    ("RandomResizedCrop(36)", (1, 28, 28), (36, 36)),  # larger than the images: a resize up
    ("RandomRotation(10)", (1, 28, 28), (28, 28)),
])
def test_the_eval_transform_is_what_the_lab_feeds_the_model_for_validation(text, shape, size):
    from lab.train.data import to_model_input

    steps = parse_transforms(text)
    mean, std = [0.5] * shape[0], [0.25] * shape[0]
    scope = _cell(compose_source(steps, mean, std, shape))
    batch = torch.randint(0, 256, (6, *shape), dtype=torch.uint8)
    model_shape = (shape[0], *size)
    ours = torch.stack([scope["eval_transform"](img) for img in batch])
    lab = to_model_input(batch, mean, std, model_shape)
    assert ours.shape == lab.shape == (6, *model_shape)
    # the centre crop is exact; the upscale may round a pixel differently (1/255 / std)
    assert (ours - lab).abs().max() <= (1e-5 if size <= shape[1:] else 1 / 255 / 0.25 + 1e-5)
    train = torch.stack([scope["train_transform"](img) for img in batch])
    assert train.shape == lab.shape


def test_the_page_code_and_the_exported_script_share_one_make_transforms():
    from lab.augment.code import transforms_function

    steps = parse_transforms("RandomCrop(24, padding=2), GaussianNoise(sigma=0.05)")
    function = transforms_function(steps, (1, 28, 28))
    assert function.startswith("def make_transforms(mean, std):")
    assert function in compose_source(steps, [0.5], [0.25], (1, 28, 28))
    assert "v2.CenterCrop((24, 24))" in function and ">>>" not in function


def test_the_template_is_a_runnable_file_and_every_block_is_filled():
    import importlib

    from lab.templates.fill import fill, read_template

    module = importlib.import_module("lab.templates.v2_transforms")
    train, evaluate = module.make_transforms(module.MEAN, module.STD)
    assert evaluate(torch.zeros(1, 28, 28, dtype=torch.uint8)).shape == (1, 24, 24)
    with pytest.raises(KeyError, match="no block augmnt"):
        fill(read_template("v2_transforms.py"), {"augmnt": []})


def test_a_config_file_with_a_bad_step_fails_on_load_naming_it():
    good = ExperimentConfig(augment=AugmentConfig(transforms=parse_transforms("RandomRotation(10)"))).to_dict()
    assert ExperimentConfig.from_dict(good).augment.transforms[0].params == {"degrees": 10}
    good["augment"]["transforms"].append({"name": "RandomCrop", "params": {"size": 28, "fill": "white"}})
    with pytest.raises(LabError, match=r"augment\.transforms\[1\]: RandomCrop"):
        ExperimentConfig.from_dict(good)


def test_the_compose_code_runs_in_torchvision_for_every_transform():
    from lab.augment import NAMES, new_step

    for channels in (1, 3):
        steps = [new_step(name, image_size=28) for name in NAMES]
        steps += parse_transforms("AutoAugment(policy='svhn', interpolation='bilinear'), "
                                  "RandomRotation(5, interpolation='bilinear', fill=9)")
        scope: dict = {}
        exec(compile(compose_source(steps, [0.5] * channels, [0.25] * channels, (channels, 28, 28)), "<compose>",
                     "exec"), scope)
        img = torch.randint(0, 256, (channels, 28, 28), dtype=torch.uint8)
        out = scope["train_transform"](img)
        assert out.dtype == torch.float32 and out.shape == (channels, 28, 28)


@pytest.mark.parametrize("text,name", [("ToTensor()", "ToTensor"), ("T.Normalize((0.5,), (0.5,))", "Normalize"),
                                       ("Compose([RandomRotation(10), v2.ToDtype(torch.float32)])", "ToDtype")])
def test_conversions_the_lab_does_itself_are_named_as_such_not_unknown(text, name):
    with pytest.raises(LabError) as info:
        parse_transforms(text)
    assert "the lab does this itself, last" in str(info.value) and "unknown" not in str(info.value)
    assert info.value.key == "augment.lab_does_it" and info.value.params == {"name": name}
