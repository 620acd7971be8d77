"""The augmentation engine: per-image randomness, torchvision's meaning, one path."""

from __future__ import annotations

import pytest
import torch
from torchvision.transforms import v2
from torchvision.transforms.v2 import functional as F

from lab.augment import (NAMES, augment_batch, augment_batch_recorded, new_step, normalize,
                         output_shape, parse_transforms)
from lab.augment.preview import model_view, preview
from lab.config import TransformStep
from lab.errors import LabError


def gen(seed: int = 0) -> torch.Generator:
    return torch.Generator().manual_seed(seed)


def noise(n=16, c=3, h=20, w=24, seed=0) -> torch.Tensor:
    return torch.randint(0, 256, (n, c, h, w), dtype=torch.uint8, generator=gen(seed))


def test_no_steps_returns_the_batch_itself():
    x = noise()
    assert augment_batch(x, [], gen()) is x


@pytest.mark.parametrize("name,axis", [("RandomHorizontalFlip", -1), ("RandomVerticalFlip", -2)])
def test_flip_rate_matches_p(name, axis):
    x = torch.arange(4, dtype=torch.uint8).view(1, 1, 2, 2).repeat(20000, 1, 1, 1)
    out = augment_batch(x, [TransformStep(name, {"p": 0.3})], gen(1))
    flipped = (out == x.flip(axis)).flatten(1).all(1)
    kept = (out == x).flatten(1).all(1)
    assert bool((flipped | kept).all())
    assert abs(flipped.float().mean().item() - 0.3) < 0.015  # 20,000 draws: sd ~0.003


def test_crop_output_size_and_offsets_cover_the_padding():
    steps = parse_transforms("RandomCrop(20, padding=2)")
    x = noise(400, 1, 28, 28)
    out, rec = augment_batch_recorded(x, steps, gen(2))
    assert out.shape == (400, 1, 20, 20) and output_shape(steps, (1, 28, 28)) == (1, 20, 20)
    tops = {r[0]["top"] for r in rec}
    assert tops == set(range(-2, 28 - 20 + 3))  # every window the padded image allows
    for k in range(5):  # each image is exactly its recorded window of the padded original
        t, l = rec[k][0]["top"] + 2, rec[k][0]["left"] + 2
        assert torch.equal(out[k], F.pad(x[k], [2])[:, t:t + 20, l:l + 20])


def test_resized_crop_gives_the_asked_size():
    steps = [TransformStep("RandomResizedCrop", {"size": [16, 12], "scale": [0.3, 1.0]})]
    out = augment_batch(noise(32), steps, gen())
    assert out.shape == (32, 3, 16, 12) and output_shape(steps, (3, 20, 24)) == (3, 16, 12)


def test_rotation_angles_stay_inside_degrees_and_reach_both_ends():
    _, rec = augment_batch_recorded(noise(2000, 1, 8, 8), [TransformStep("RandomRotation", {"degrees": 10})], gen(3))
    angles = torch.tensor([r[0]["angle"] for r in rec])
    assert angles.min() >= -10 and angles.max() <= 10
    assert angles.min() < -9.5 and angles.max() > 9.5 and abs(angles.mean()) < 0.5


# Each batched op, given the parameters it drew, equals torchvision's functional call on
# that one image: the same meaning of every argument, pixel for pixel.
SAME_AS_TORCHVISION = [
    (TransformStep("RandomRotation", {"degrees": 30}), lambda im, p: F.rotate(im, p["angle"]), 0),
    (TransformStep("RandomRotation", {"degrees": [0, 40], "interpolation": "bilinear", "fill": 90}),
     lambda im, p: F.rotate(im, p["angle"], interpolation=v2.InterpolationMode.BILINEAR, fill=90), 0),
    (TransformStep("RandomAffine", {"degrees": 20, "translate": [0.2, 0.1], "scale": [0.8, 1.2],
                                    "shear": [-10, 10, -5, 5]}),
     lambda im, p: F.affine(im, p["angle"], [p["translate_x"], p["translate_y"]], p["scale"],
                            [p["shear_x"], p["shear_y"]]), 0),
    (TransformStep("RandomPerspective", {"p": 1.0}),
     lambda im, p: F.perspective(im, [[0, 0], [23, 0], [23, 19], [0, 19]],
                                 [[int(v) for v in p["corners"][i:i + 2]] for i in range(0, 8, 2)], fill=0), 0),
    (TransformStep("RandomCrop", {"size": [18, 20], "padding": 3, "padding_mode": "reflect"}),
     lambda im, p: F.crop(F.pad(im, [3], padding_mode="reflect"), p["top"] + 3, p["left"] + 3, 18, 20), 0),
    (TransformStep("RandomResizedCrop", {"size": 16, "interpolation": "nearest"}),
     lambda im, p: F.resized_crop(im, p["top"], p["left"], p["height"], p["width"], [16, 16],
                                  interpolation=v2.InterpolationMode.NEAREST), 0),
    (TransformStep("RandomResizedCrop", {"size": 16, "antialias": False}),
     lambda im, p: F.resized_crop(im, p["top"], p["left"], p["height"], p["width"], [16, 16], antialias=False), 1),
    (TransformStep("GaussianBlur", {"kernel_size": 5}), lambda im, p: F.gaussian_blur(im, [5, 5], [p["sigma"]] * 2), 0),
    (TransformStep("ColorJitter", {"brightness": 0.5}), lambda im, p: F.adjust_brightness(im, p["brightness"]), 0),
    (TransformStep("ColorJitter", {"contrast": 0.5}), lambda im, p: F.adjust_contrast(im, p["contrast"]), 0),
    (TransformStep("ColorJitter", {"saturation": 0.5}), lambda im, p: F.adjust_saturation(im, p["saturation"]), 1),
    (TransformStep("ColorJitter", {"hue": 0.3}), lambda im, p: F.adjust_hue(im, p["hue"]), 1),
    (TransformStep("RandomErasing", {"p": 1.0, "value": 7}),
     lambda im, p: F.erase(im, p["top"], p["left"], p["height"], p["width"], torch.tensor(7, dtype=torch.uint8))
     if p["applied"] else im, 0),
]


@pytest.mark.parametrize("step,reference,tolerance", SAME_AS_TORCHVISION, ids=lambda v: getattr(v, "name", ""))
def test_each_image_matches_torchvision_with_its_drawn_parameters(step, reference, tolerance):
    x = noise()
    out, rec = augment_batch_recorded(x, [step], gen(3))
    for k in range(len(x)):
        expected = reference(x[k], rec[k][0])
        assert (out[k].int() - expected.int()).abs().max().item() <= tolerance, (k, rec[k][0])


@pytest.mark.parametrize("text", ["RandomRotation(30)", "RandomCrop(20, padding=4)", "RandomHorizontalFlip()",
                                  "ColorJitter(brightness=0.5)", "RandomErasing(p=1.0)", "GaussianNoise()",
                                  "RandomAffine(0, translate=(0.2, 0.2))", "TrivialAugmentWide()"])
def test_every_image_in_a_batch_draws_its_own_parameters(text):
    """pytorch/vision#8484: v2 on a batch would transform all 64 copies the same way."""
    x = noise(1, 3, 24, 24).repeat(64, 1, 1, 1)
    out = augment_batch(x, parse_transforms(text), gen(4))
    distinct = len({bytes(img.numpy().tobytes()) for img in out})
    assert distinct >= (2 if "Flip" in text else 8)


def test_same_seed_same_images_other_seed_other_images():
    steps = parse_transforms("RandomCrop(24, padding=2), RandomRotation(15), ColorJitter(0.3, 0.3), RandAugment()")
    x = noise(24, 3, 24, 24)
    a, b = augment_batch(x, steps, gen(7)), augment_batch(x, steps, gen(7))
    assert torch.equal(a, b)
    assert not torch.equal(a, augment_batch(x, steps, gen(8)))


def test_preview_and_training_give_identical_tensors_for_the_same_seed():
    steps = parse_transforms("RandomCrop(28, padding=2), RandomRotation(10), GaussianBlur(3), AutoAugment()")
    originals = noise(3, 1, 28, 28)
    shown = preview(originals, steps, n=5, seed=11)
    trained = augment_batch(originals.repeat_interleave(5, dim=0), steps, gen(11))
    assert torch.equal(shown.augmented.reshape(trained.shape), trained)
    assert len(shown.records) == 3 and len(shown.records[0]) == 5 and len(shown.records[0][0]) == 4
    model_x, _ = model_view(originals.repeat_interleave(5, dim=0), steps, 11, [0.13], [0.31])
    assert torch.equal(model_x, normalize(trained, [0.13], [0.31]))


@pytest.mark.parametrize("name", NAMES)
@pytest.mark.parametrize("channels", [1, 3])
def test_every_transform_works_on_gray_and_colour(name, channels):
    step = new_step(name, image_size=24)
    x = noise(6, channels, 24, 24)
    out = augment_batch(x, [step], gen(5))
    assert out.dtype == torch.uint8 and out.shape == (6, channels, *output_shape([step], (channels, 24, 24))[1:])


def test_normalize_is_torchvisions_todtype_then_normalize():
    x = noise(4)
    mean, std = [0.5, 0.4, 0.3], [0.2, 0.25, 0.3]
    expected = v2.Normalize(mean, std)(v2.ToDtype(torch.float32, scale=True)(x))
    got = normalize(x, mean, std)
    assert got.dtype == torch.float32 and torch.allclose(got, expected, atol=1e-6)


def test_impossible_sizes_are_user_errors():
    with pytest.raises(LabError, match="RandomCrop"):
        output_shape(parse_transforms("RandomCrop(40)"), (1, 28, 28))
    with pytest.raises(LabError, match="RandomCrop"):
        augment_batch(noise(2, 1, 28, 28), parse_transforms("RandomCrop(40)"), gen())
    assert output_shape(parse_transforms("RandomCrop(40, pad_if_needed=True)"), (1, 28, 28)) == (1, 40, 40)


def test_runs_on_cuda_with_a_cpu_generator_and_matches_the_cpu():
    if not torch.cuda.is_available():
        pytest.skip("no GPU here")
    steps = parse_transforms("RandomCrop(28, padding=2), RandomRotation(10), RandomHorizontalFlip(), "
                             "RandomAffine(5, translate=(0.1, 0.1)), RandomErasing(), RandomPerspective(0.3)")
    x = noise(64, 1, 28, 28)
    on_cpu = augment_batch(x, steps, gen(9))
    on_gpu = augment_batch(x.cuda(), steps, gen(9))  # same CPU generator: same draws
    assert on_gpu.is_cuda and on_gpu.shape == x.shape
    # same parameters; grid_sample's float rounding may move a rare nearest-neighbour pick
    assert (on_gpu.cpu() != on_cpu).float().mean().item() < 0.01
    on_gpu2 = augment_batch(x.cuda(), steps + parse_transforms("GaussianNoise(), ColorJitter(0.3, 0.3)"),
                            torch.Generator(device="cuda").manual_seed(9))
    assert on_gpu2.is_cuda and on_gpu2.dtype == torch.uint8


def test_an_uploaded_picture_becomes_a_dataset_sized_image():
    from PIL import Image

    from lab.augment.preview import image_to_tensor, tile

    photo = Image.new("RGB", (120, 80), (200, 30, 30))
    gray = image_to_tensor(photo, 1, (28, 28))
    colour = image_to_tensor(photo, 3, (32, 32))
    assert gray.shape == (1, 1, 28, 28) and colour.shape == (1, 3, 32, 32) and gray.dtype == torch.uint8
    assert colour[0, :, 5, 5].tolist() == [200, 30, 30]
    assert tile(noise(20, 1, 28, 28), columns=8, scale=2).size == (8 * 58 + 2, 3 * 58 + 2)
