"""A digit drawn on the canvas meets the model exactly as the same digit uploaded would."""

from __future__ import annotations

import io

import numpy as np
import torch
from PIL import Image, ImageDraw

from lab.inspect.sources import has_ink, prepare_drawing
from lab.predict import Target, prepare_image

DIGITS = Target(channels=1, height=28, width=28, digits=True, mean=(0.1307,), std=(0.3081,))
SIDE = 280  # the page's canvas, in screen pixels


def stroke(mode: str, background) -> Image.Image:
    """A '7' as the canvas draws it: a white 20-px brush on ``background``."""
    im = Image.new(mode, (SIDE, SIDE), background)
    ink = (255, 255, 255, 255) if mode == "RGBA" else 255
    draw = ImageDraw.Draw(im)
    draw.line([(60, 60), (220, 60), (120, 240)], fill=ink, width=20, joint="curve")
    return im


def png(im: Image.Image) -> bytes:
    buf = io.BytesIO()
    im.save(buf, format="PNG")
    return buf.getvalue()


def test_a_drawn_stroke_and_the_same_stroke_uploaded_give_the_same_tensor():
    uploaded = prepare_image(png(stroke("L", 0)), DIGITS, name="seven.png")  # a grey PNG, as a student saves it
    on_black = prepare_drawing(png(stroke("RGBA", (0, 0, 0, 255))), DIGITS)  # the canvas with a black background
    transparent = prepare_drawing(png(stroke("RGBA", (0, 0, 0, 0))), DIGITS)  # the canvas's default: see-through
    assert uploaded.tensor.shape == (1, 1, 28, 28)
    assert torch.equal(on_black.tensor, uploaded.tensor)
    assert torch.equal(transparent.tensor, uploaded.tensor)
    assert on_black.applied == uploaded.applied  # the same visible steps, in the same order
    assert "crop" in uploaded.applied and "center" in uploaded.applied
    ink = uploaded.pixels[0].float()
    assert ink.max() == 255 and (ink > 0).float().mean() < 0.5  # a stroke, not a blot


def test_an_empty_canvas_has_no_ink_and_a_stroke_has():
    assert not has_ink(None) and not has_ink(b"")
    assert not has_ink(png(Image.new("RGBA", (SIDE, SIDE), (0, 0, 0, 0))))
    assert not has_ink(png(Image.new("RGBA", (SIDE, SIDE), (0, 0, 0, 255))))
    assert has_ink(png(stroke("RGBA", (0, 0, 0, 0))))
    assert not has_ink(b"not a png")


def test_the_drawing_is_not_inverted_but_a_dark_stroke_on_white_is():
    dark = Image.fromarray(255 - np.asarray(stroke("L", 0)))
    assert "invert" not in prepare_drawing(png(stroke("RGBA", (0, 0, 0, 255))), DIGITS).applied
    assert "invert" in prepare_image(png(dark), DIGITS).applied
    assert torch.equal(prepare_image(png(dark), DIGITS).tensor, prepare_image(png(stroke("L", 0)), DIGITS).tensor)
