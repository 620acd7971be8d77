"""Reading students' pictures: every awkward file kind is either handled or refused with its
own message, and oversized pictures are refused before a single pixel is decoded."""

from __future__ import annotations

import numpy as np
import pytest
import torch
from PIL import Image, ImageOps

from lab.errors import LabError
from lab.predict import MAX_PIXELS, ImageError, Options, Target, decode_image, prepare_image
from lab.predict import digits
from test_predict_support import claim_size, digit_image, paper_digit, png_bytes

MNIST_TARGET = Target(channels=1, height=28, width=28, digits=True, mean=(0.1307,), std=(0.3081,))
PHOTO_TARGET = Target(channels=3, height=32, width=32, digits=False, mean=(0.49, 0.48, 0.45), std=(0.25, 0.24, 0.26))


@pytest.fixture(scope="module")
def seven(mnist) -> torch.Tensor:
    """The first MNIST test image (a real 7), uint8 (1, 28, 28)."""
    return mnist.test_x[0]


def prepared_pixels(data: bytes, target=MNIST_TARGET, **options):
    return prepare_image(data, target, Options(**options)).pixels


# --- refused, each with its own message ----------------------------------------------------------
def refusal(data: bytes) -> ImageError:
    with pytest.raises(ImageError) as info:
        decode_image(data, "upload.png")
    assert isinstance(info.value, LabError)  # pages and the CLI show LabErrors as one clean message
    return info.value


def test_an_empty_file_is_refused():
    assert refusal(b"").code == "empty"


def test_a_text_file_is_not_a_picture():
    err = refusal(b"digit,label\n7,seven\n" * 20)
    assert err.code == "not_image" and "PNG, JPEG" in str(err)


def test_a_truncated_jpeg_is_refused_as_cut_short(seven):
    whole = png_bytes(paper_digit(seven).convert("RGB"), "JPEG", quality=95)
    assert refusal(whole[: len(whole) * 6 // 10]).code == "truncated"


def test_a_png_claiming_100000_by_100000_is_refused_before_decoding(seven, monkeypatch):
    bomb = claim_size(png_bytes(digit_image(seven)), 100_000, 100_000)
    monkeypatch.setattr(Image.Image, "load", lambda self: pytest.fail("decoding started"))
    err = refusal(bomb)
    assert err.code == "too_large" and err.fmt["megapixels"] == 10_000


def test_a_header_just_over_the_lab_limit_is_refused_before_decoding(seven, monkeypatch):
    # 8000 x 8000 = 64 MP: under PIL's own bomb limit (89 MP), over the lab's 50 MP
    bomb = claim_size(png_bytes(digit_image(seven)), 8000, 8000)
    monkeypatch.setattr(Image.Image, "load", lambda self: pytest.fail("decoding started"))
    err = refusal(bomb)
    assert err.code == "too_large" and err.fmt == {"megapixels": 64, "limit": MAX_PIXELS // 1_000_000}


# --- handled, with a note ----------------------------------------------------------------------------
def test_16_bit_png_keeps_its_full_range(seven):
    deep = Image.fromarray(seven[0].numpy().astype(np.uint16) * 257)  # 0..65535
    data = png_bytes(deep)
    decoded = decode_image(data)
    assert decoded.image.mode.startswith("I")
    prepared = prepare_image(data, MNIST_TARGET)
    assert "bits16" in [n.code for n in prepared.notes]
    # the same digit as the 8-bit file, not a white blob (PIL's plain convert("L") clips at 255)
    assert torch.equal(prepared.pixels, prepared_pixels(png_bytes(digit_image(seven))))


def test_cmyk_jpeg_becomes_rgb(seven):
    rgb = paper_digit(seven).convert("RGB")
    data = png_bytes(rgb.convert("CMYK"), "JPEG", quality=95)
    assert decode_image(data).image.mode == "CMYK"
    prepared = prepare_image(data, MNIST_TARGET)
    assert "cmyk" in [n.code for n in prepared.notes]
    reference = prepared_pixels(png_bytes(rgb, "JPEG", quality=95))
    assert (prepared.pixels.int() - reference.int()).abs().float().mean() < 3  # same digit, JPEG noise aside


def test_palette_png_with_transparency_fills_it_to_suit_the_ink(seven):
    ink = 255 - seven[0].numpy()  # dark digit
    pal = Image.fromarray(ink, "L").convert("P")
    pal.info["transparency"] = int(np.asarray(pal)[0, 0])  # the paper colour is transparent
    data = png_bytes(pal, transparency=pal.info["transparency"])
    assert decode_image(data).image.mode == "P"
    prepared = prepare_image(data, MNIST_TARGET)
    codes = [n.code for n in prepared.notes]
    assert "palette" in codes and "alpha_white" in codes
    assert prepared.pixels.float().mean() < 80  # inverted to white-on-black like MNIST, not a white square


@pytest.mark.parametrize("ink, fill", [("dark", "alpha_white"), ("light", "alpha_black")])
def test_rgba_drawing_on_transparent_canvas(seven, ink, fill):
    alpha = seven[0].numpy()  # the strokes are opaque, the rest transparent
    grey = np.zeros_like(alpha) if ink == "dark" else np.full_like(alpha, 255)
    rgba = np.stack([grey, grey, grey, alpha], axis=-1)
    prepared = prepare_image(png_bytes(Image.fromarray(rgba, "RGBA")), MNIST_TARGET)
    assert fill in [n.code for n in prepared.notes]
    clean = prepared_pixels(png_bytes(digit_image(seven)))
    assert (prepared.pixels.int() - clean.int()).abs().float().mean() < 4  # either way: the same white digit


def test_animated_gif_uses_the_first_frame_and_says_so(mnist):
    first, second = digit_image(mnist.test_x[0]), digit_image(mnist.test_x[1])
    data = png_bytes(first, "GIF", save_all=True, append_images=[second], duration=200, loop=0)
    prepared = prepare_image(data, MNIST_TARGET)
    assert [n.fmt for n in prepared.notes if n.code == "frames"] == [{"frames": 2}]
    assert torch.equal(prepared.pixels, prepared_pixels(png_bytes(first, "GIF")))


@pytest.mark.parametrize("fmt", ["WEBP", "BMP", "JPEG"])
def test_other_formats_give_the_same_digit(seven, fmt):
    kw = {"lossless": True} if fmt == "WEBP" else {"quality": 100} if fmt == "JPEG" else {}
    pixels = prepared_pixels(png_bytes(digit_image(seven), fmt, **kw))
    clean = prepared_pixels(png_bytes(digit_image(seven)))
    assert (pixels.int() - clean.int()).abs().float().mean() < 3


def test_exif_orientation_turns_a_sideways_photo_upright(seven):
    page = paper_digit(seven).convert("RGB")
    sideways = page.transpose(Image.Transpose.ROTATE_90)  # as a phone stores a portrait shot
    exif = Image.Exif()
    exif[0x0112] = 6  # "rotate 90 clockwise to view"
    data = png_bytes(sideways, "JPEG", quality=95, exif=exif.tobytes())
    upright = prepare_image(data, PHOTO_TARGET).steps[1]
    assert upright.key == "exif" and upright.applied
    expected = np.asarray(ImageOps.exif_transpose(Image.open(__import__("io").BytesIO(data))))
    assert upright.image.shape == expected.shape == (200, 300, 3)
    ignored = prepare_image(data, PHOTO_TARGET, Options(exif=False)).steps[1]
    assert not ignored.applied and ignored.image.shape == (300, 200, 3)


def test_large_photo_is_reduced_before_processing():
    rng = np.random.default_rng(0)
    photo = Image.fromarray(rng.integers(0, 255, (3000, 4000, 3), dtype=np.uint8))
    prepared = prepare_image(png_bytes(photo, "JPEG", quality=80), PHOTO_TARGET)
    reduced = [n.fmt for n in prepared.notes if n.code == "reduced"]
    assert reduced and (reduced[0]["width"], reduced[0]["height"]) == (4000, 3000)
    assert max(reduced[-1]["new_width"], reduced[-1]["new_height"]) <= 768
    assert max(prepared.steps[0].image.shape) <= 768
    png = prepare_image(png_bytes(photo.resize((2000, 1500))), PHOTO_TARGET)  # no draft for PNG: resized after
    assert [n.fmt["new_width"] for n in png.notes if n.code == "reduced"] == [768]
    assert tuple(prepared.pixels.shape) == (3, 32, 32)


# --- the digit recipe ------------------------------------------------------------------------------------
def test_paper_digit_is_prepared_like_mnist(seven):
    prepared = prepare_image(png_bytes(paper_digit(seven)), MNIST_TARGET)
    assert [s.key for s in prepared.steps] == ["decode", "exif", "channels", "invert", "contrast", "crop", "fit",
                                               "center", "normalize"]
    a = prepared.pixels[0].float().numpy()
    cy, cx = digits.centre_of_mass(a)
    assert abs(cy - 14) <= 0.5 and abs(cx - 14) <= 0.5  # MNIST's centre of mass
    rows, cols = np.flatnonzero(a.max(1) > 0), np.flatnonzero(a.max(0) > 0)
    assert max(rows[-1] - rows[0], cols[-1] - cols[0]) + 1 == 20  # the 20x20 box
    assert a[0].max() == 0 and a[:, 0].max() == 0  # black border, as in MNIST


def test_each_optional_step_can_be_switched_off(seven):
    data = png_bytes(paper_digit(seven))
    for flag in ("invert", "contrast", "crop", "center", "normalize"):
        prepared = prepare_image(data, MNIST_TARGET, Options(**{flag: False}))
        assert flag not in prepared.applied, flag
    # without inverting, the white paper is what gets boxed and centred: a white block, no digit
    inverted = prepare_image(data, MNIST_TARGET).pixels.float().mean()
    assert prepare_image(data, MNIST_TARGET, Options(invert=False)).pixels.float().mean() > 2 * inverted


def test_a_digit_already_white_on_black_is_not_inverted(seven):
    prepared = prepare_image(png_bytes(digit_image(seven)), MNIST_TARGET)
    assert "invert" not in prepared.applied


def test_a_blank_picture_says_no_ink_and_does_not_crash():
    prepared = prepare_image(png_bytes(Image.new("L", (64, 48), 230)), MNIST_TARGET)
    assert "no_ink" in [n.code for n in prepared.notes]
    assert tuple(prepared.pixels.shape) == (1, 28, 28)


def test_photos_are_centre_cropped_and_resized_to_the_training_size():
    wide = Image.new("RGB", (300, 100), (0, 0, 255))
    wide.paste((255, 0, 0), (100, 0, 200, 100))  # a red square in the middle
    prepared = prepare_image(png_bytes(wide), PHOTO_TARGET)
    assert tuple(prepared.pixels.shape) == (3, 32, 32)
    assert prepared.pixels[0].float().mean() > 250 and prepared.pixels[2].float().mean() < 5  # only the red middle
    squashed = prepare_image(png_bytes(wide), PHOTO_TARGET, Options(center=False)).pixels
    assert squashed[2].float().mean() > 100  # without the crop the blue sides come back


def test_normalisation_uses_the_stored_statistics(seven):
    prepared = prepare_image(png_bytes(digit_image(seven)), MNIST_TARGET)
    expected = (prepared.pixels.float() / 255 - 0.1307) / 0.3081
    assert torch.allclose(prepared.tensor[0], expected)


def test_damaged_files_of_every_format_are_refused_cleanly_or_read(seven):
    """Bytes flipped or cut at random places: each file is read or refused with an
    ImageError, never any other exception (which would reach the page as a traceback)."""
    rng = np.random.default_rng(1)
    page = paper_digit(seven)
    sources = [png_bytes(page), png_bytes(page.convert("RGB"), "JPEG"), png_bytes(page, "GIF"),
               png_bytes(page, "BMP"), png_bytes(page.convert("RGB"), "WEBP")]
    outcomes = {"read": 0, "refused": 0}
    for data in sources:
        for _ in range(12):
            damaged = bytearray(data)
            for pos in rng.integers(0, len(damaged), 4):
                damaged[pos] = int(rng.integers(0, 256))
            if rng.random() < 0.5:
                damaged = damaged[: int(rng.integers(1, len(damaged)))]
            for target in (MNIST_TARGET, PHOTO_TARGET):
                try:
                    prepare_image(bytes(damaged), target)
                    outcomes["read"] += 1
                except ImageError:
                    outcomes["refused"] += 1
    assert outcomes["refused"] > 0 and sum(outcomes.values()) == 5 * 12 * 2
