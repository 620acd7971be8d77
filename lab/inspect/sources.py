"""What the inside view looks at: a model from the session, and a drawn digit.

The canvas (``streamlit-drawable-canvas``) hands back its drawing as PNG bytes, and
those go through ``lab.predict.prepare_image``, exactly the path of an uploaded file:
a stroke drawn and the same stroke uploaded give the same tensor.
"""

from __future__ import annotations

import io

from PIL import Image

from lab.model.checkpoint import Checkpoint
from lab.config import ExperimentConfig
from lab.predict import Options, Prepared, Target, prepare_image

MIN_STROKE_RANGE = 32  # grey levels between background and ink before a drawing counts


def has_ink(png: bytes | None) -> bool:
    """Anything drawn yet? A fresh canvas is one flat colour (or fully transparent)."""
    if not png:
        return False
    try:
        im = Image.open(io.BytesIO(png))
        im.load()
    except Exception:  # the component sent something that is not a picture: nothing drawn
        return False
    if im.mode in ("RGBA", "LA") and im.getchannel("A").getextrema()[1] == 0:
        return False
    low, high = im.convert("L").getextrema()
    return high - low > MIN_STROKE_RANGE


def prepare_drawing(png: bytes, target: Target, options: Options = Options()) -> Prepared:
    """The canvas's PNG -> the model's input, by the upload path."""
    return prepare_image(png, target, options, name="drawing.png")


def session_checkpoint(entry: dict, config: ExperimentConfig) -> Checkpoint:
    """A model trained in this session ({model, classes, mean, std, input_shape, ...}) as a
    Checkpoint; ``config`` is its run's (the architecture the model was built from)."""
    return Checkpoint(model=entry["model"], config=config, classes=list(entry["classes"]),
                      mean=list(entry["mean"]), std=list(entry["std"]),
                      input_shape=tuple(int(v) for v in entry["input_shape"]), dataset=config.data.dataset)
