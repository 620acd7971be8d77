"""Reading a user's picture safely: size checked before decoding, every mode made plain.

This is the lab's one decoder: dataset folders (``lab.data.folder``), the augmentation
preview's upload and prediction all read pictures here, so EXIF orientation, the pixel
limit, 16-bit scaling and the alpha rule are the same everywhere (``plain_picture``).

An upload can be anything: a text file, half a JPEG, a PNG whose header claims
100000x100000 pixels (40 GB once decoded), a 16-bit scan, a CMYK print file, a GIF.
``decode_image`` opens lazily (PIL reads only the header), refuses what is too large
*before* any pixel is decoded, then loads the first frame and says what it did in
``notes``. Every failure is an ``ImageError`` with a code the page translates; nothing
else escapes, because a malformed file may make PIL raise almost anything.
"""

from __future__ import annotations

import io
import re
import warnings
from dataclasses import dataclass, field

import numpy as np
from PIL import BmpImagePlugin, GifImagePlugin, Image, JpegImagePlugin, PngImagePlugin, TiffImagePlugin, \
    WebPImagePlugin  # noqa: F401
# (importing the plugins registers exactly the FORMATS; Image.open(formats=...) needs them loaded)

from lab.config.limits import MAX_IMAGE_PIXELS
from lab.errors import LabError

FORMATS = ("PNG", "JPEG", "WEBP", "BMP", "GIF", "TIFF")  # TIFF: scans in dataset folders  # phone JPEGs with a second picture open as "MPO" via JPEG
MAX_PIXELS = MAX_IMAGE_PIXELS  # refuse before decoding: 50 MP is 150 MB as RGB, above any phone photo
WORK_SIDE = 768  # larger pictures are reduced to this longest side (pixels): ample for a 32-px model

# English templates of picture errors, keyed for the catalogue: the CLI and the page say the same English;
# lab/i18n/texts/predict.py holds the Russian under the same keys.
PROBLEMS = {
    "predict.error.empty": "the file is empty (0 bytes): choose the picture again",
    "predict.error.not_image": "this is not a picture the lab can read ({name}): use PNG, JPEG, WebP, BMP or GIF",
    "predict.error.truncated": "the picture is cut short (truncated file): upload it again or save it anew",
    "predict.error.broken": "the picture could not be decoded ({reason}): save it again as PNG or JPEG",
    "predict.error.too_large": "the picture is too large ({megapixels} megapixels, at most {limit}): it was refused before "
                 "decoding; shrink it and upload again",
    "predict.error.mode": "unsupported colour mode {mode}: save the picture as an ordinary RGB or grayscale PNG/JPEG",
}
NOTES = {
    "frames": "the file holds {frames} pictures (an animation, or a phone's multi-picture JPEG); the first is used",
    "bits16": "16-bit image: reduced to 8 bits per channel",
    "cmyk": "CMYK picture: converted to RGB",
    "alpha_white": "transparent areas filled with white (the drawing is dark)",
    "alpha_black": "transparent areas filled with black (the drawing is light)",
    "palette": "palette image: converted to full colour",
    "reduced": "large picture ({width}x{height}) reduced to {new_width}x{new_height} before processing",
    "no_ink": "no drawing found: the picture is almost one flat colour",
    # warnings that the input looks unlike the training data (lab.predict.predictor)
    "low_confidence": "low confidence: the best class has only {percent}% probability",
    "too_bright": "the prepared picture is much brighter than the training images (mean {mean} vs {train_mean} "
                  "on 0..1): the prediction may mean little",
    "too_dark": "the prepared picture is much darker than the training images (mean {mean} vs {train_mean} "
                "on 0..1): the prediction may mean little",
    "flat": "the prepared picture has far less contrast than the training images (std {std} vs {train_std})",
    "busy": "the prepared picture has far more contrast than the training images (std {std} vs {train_std})",
}
NOTE_KEYS = {  # note code -> catalogue key
    "frames": "predict.note.frames", "bits16": "predict.note.bits16", "cmyk": "predict.note.cmyk",
    "alpha_white": "predict.note.alpha_white", "alpha_black": "predict.note.alpha_black",
    "palette": "predict.note.palette", "reduced": "predict.note.reduced", "no_ink": "predict.note.no_ink",
    "low_confidence": "predict.note.low_confidence", "too_bright": "predict.note.too_bright",
    "too_dark": "predict.note.too_dark", "flat": "predict.note.flat", "busy": "predict.note.busy"
}


class ImageError(LabError):
    """An uploaded picture is unusable; ``code``/``fmt`` let a page translate the message."""

    def __init__(self, key: str, **fmt):
        self.code, self.fmt = key.rsplit(".", 1)[1], fmt  # "empty", the problem without its catalogue area
        super().__init__(PROBLEMS[key].format(**fmt), key=key, params=fmt)


@dataclass(frozen=True)
class Note:
    """Something the lab did to the picture that the student should know about."""

    code: str
    fmt: dict = field(default_factory=dict)

    @property
    def text(self) -> str:
        return NOTES[self.code].format(**self.fmt)


@dataclass
class Decoded:
    image: Image.Image  # the first frame, loaded, in the file's own mode
    format: str  # "PNG", "JPEG", ...
    size: tuple[int, int]  # (width, height) as stored in the file
    notes: list[Note] = field(default_factory=list)


def decode_image(data: bytes, name: str = "") -> Decoded:
    """Open ``data`` as a picture; refuse what is empty, unreadable or too large."""
    if not data:
        raise ImageError("predict.error.empty")
    try:
        with warnings.catch_warnings():
            # We refuse oversized pictures ourselves, below PIL's own warning level.
            warnings.simplefilter("ignore", Image.DecompressionBombWarning)
            im = Image.open(io.BytesIO(data), formats=FORMATS)  # lazy: reads the header only
    except Image.DecompressionBombError as exc:  # PIL's own header check, far above our limit
        claimed = re.search(r"\((\d+) pixels\)", str(exc))
        megapixels = round(int(claimed.group(1)) / 1e6) if claimed else "?"
        raise ImageError("predict.error.too_large", megapixels=megapixels, limit=MAX_PIXELS // 1_000_000) from None
    except Exception:  # UnidentifiedImageError, SyntaxError, struct.error... from a malformed header
        raise ImageError("predict.error.not_image", name=name or "upload") from None
    width, height = im.size
    if width < 1 or height < 1:
        raise ImageError("predict.error.broken", reason=f"size {width}x{height}")
    if width * height > MAX_PIXELS:
        raise ImageError("predict.error.too_large", megapixels=round(width * height / 1e6), limit=MAX_PIXELS // 1_000_000)
    notes: list[Note] = []
    frames = _frame_count(im)
    if frames > 1:
        notes.append(Note("frames", {"frames": frames}))
        im.seek(0)
    fmt = im.format or "?"
    if fmt in ("JPEG", "MPO") and max(width, height) > 2 * WORK_SIDE:
        # JPEG can decode at 1/2, 1/4 or 1/8 scale directly, several times faster than in full.
        # draft() picks the strongest reduction that stays at least the size asked for, so
        # asking for half of WORK_SIDE lands between WORK_SIDE/2 and WORK_SIDE.
        scale = WORK_SIDE / 2 / max(width, height)
        im.draft(im.mode, (max(1, int(width * scale)), max(1, int(height * scale))))
    try:
        im.load()
    except Exception as exc:  # OSError "image file is truncated", zlib errors, broken chunks...
        text = str(exc).strip().splitlines()[0][:120] if str(exc).strip() else type(exc).__name__
        if "truncated" in text.lower() or isinstance(exc, EOFError):
            raise ImageError("predict.error.truncated") from None
        raise ImageError("predict.error.broken", reason=text) from None
    if im.size != (width, height):  # decoded at a reduced scale (JPEG draft)
        notes.append(Note("reduced", {"width": width, "height": height, "new_width": im.size[0],
                                      "new_height": im.size[1]}))
    return Decoded(image=im, format=fmt, size=(width, height), notes=notes)


def _frame_count(im: Image.Image) -> int:
    try:
        return int(getattr(im, "n_frames", 1) or 1)
    except Exception:  # counting frames reads the whole file; a broken tail is found by load()
        return 1


def exif_orientation(im: Image.Image) -> int:
    """The EXIF orientation tag (1 = upright, 2..8 = mirrored/rotated), 1 when absent or unreadable."""
    try:
        return int(im.getexif().get(0x0112, 1) or 1)
    except Exception:
        return 1


# What ImageOps.exif_transpose does for each orientation tag; applied by number so it
# still works after mode conversions have dropped the EXIF block.
_TRANSPOSE = {2: Image.Transpose.FLIP_LEFT_RIGHT, 3: Image.Transpose.ROTATE_180, 4: Image.Transpose.FLIP_TOP_BOTTOM,
              5: Image.Transpose.TRANSPOSE, 6: Image.Transpose.ROTATE_270, 7: Image.Transpose.TRANSVERSE,
              8: Image.Transpose.ROTATE_90}


def apply_exif(im: Image.Image, orientation: int) -> Image.Image:
    """Turn the picture the way the camera meant it (phones store portraits sideways)."""
    method = _TRANSPOSE.get(orientation)
    return im.transpose(method) if method is not None else im


def reduce_large(im: Image.Image, notes: list[Note]) -> Image.Image:
    """Shrink pictures larger than WORK_SIDE: later steps need no more, and stay fast."""
    width, height = im.size
    if max(width, height) <= WORK_SIDE:
        return im
    scale = WORK_SIDE / max(width, height)
    size = (max(1, round(width * scale)), max(1, round(height * scale)))
    if im.mode not in ("L", "RGB", "RGBA", "LA"):
        im = to_plain(im, notes)
    notes.append(Note("reduced", {"width": width, "height": height, "new_width": size[0], "new_height": size[1]}))
    return im.resize(size, Image.Resampling.BILINEAR, reducing_gap=2.0)


def to_plain(im: Image.Image, notes: list[Note]) -> Image.Image:
    """Any PIL mode -> "L", "RGB", "LA" or "RGBA" with 8 bits per channel."""
    mode = im.mode
    if mode in ("L", "RGB", "RGBA", "LA"):
        return im
    if mode == "1":
        return im.convert("L")
    if mode in ("P", "PA"):
        notes.append(Note("palette"))
        has_alpha = mode == "PA" or "transparency" in im.info
        return im.convert("RGBA" if has_alpha else "RGB")
    if mode in ("La", "RGBa"):
        return im.convert(mode.upper())
    if mode == "CMYK":
        notes.append(Note("cmyk"))
        return im.convert("RGB")
    if mode in ("YCbCr", "LAB", "HSV"):
        return im.convert("RGB")
    if mode.startswith("I") or mode == "F":
        notes.append(Note("bits16"))
        return Image.fromarray(_to_uint8(np.asarray(im)), "L")
    raise ImageError("predict.error.mode", mode=mode)


def _to_uint8(a: np.ndarray) -> np.ndarray:
    """16-bit (0..65535), 32-bit integer or float pixels -> 0..255, keeping the full range."""
    a = a.astype(np.float64)
    top = float(a.max()) if a.size else 0.0
    if top <= 1.0 and a.dtype.kind == "f" and float(a.min()) >= 0.0:
        scaled = a * 255.0  # float images in 0..1
    elif top > 255.0:
        scaled = a / 257.0  # 65535 -> 255: 16-bit data
    else:
        scaled = a
    return np.clip(np.rint(scaled), 0, 255).astype(np.uint8)


def flatten_alpha(im: Image.Image, notes: list[Note]) -> Image.Image:
    """Fill transparent areas with the background that contrasts with what is drawn.

    Dark ink on a transparent canvas goes onto white, light ink onto black: filling
    blindly with one colour would make a white-on-transparent digit vanish.
    """
    if im.mode not in ("LA", "RGBA"):
        return im
    a = np.asarray(im)
    alpha = a[..., -1]
    if alpha.min() == 255:
        return im.convert(im.mode[:-1])
    colour = a[..., :-1].astype(np.float32)
    luma = colour.mean(axis=-1)
    drawn = alpha > 127
    light_ink = bool(drawn.any()) and float(luma[drawn].mean()) > 127.0
    background = 0.0 if light_ink else 255.0
    notes.append(Note("alpha_black" if light_ink else "alpha_white"))
    w = alpha.astype(np.float32)[..., None] / 255.0
    out = np.clip(np.rint(colour * w + background * (1.0 - w)), 0, 255).astype(np.uint8)
    if im.mode == "LA":
        return Image.fromarray(out[..., 0], "L")
    return Image.fromarray(out, "RGB")


def plain_picture(data: bytes, color: str = "rgb", name: str = "") -> tuple[Image.Image, Decoded]:
    """A picture file -> an upright 8-bit "L" or "RGB" image, as every path of the lab sees it:
    size checked before decoding, first frame, EXIF orientation applied, transparency
    flattened by ``flatten_alpha``'s rule. Returns the image and what ``decode_image`` found."""
    decoded = decode_image(data, name)
    notes = decoded.notes
    im = to_plain(decoded.image, notes)
    im = apply_exif(im, exif_orientation(decoded.image))
    im = flatten_alpha(im, notes)
    return im.convert("L" if color == "grayscale" else "RGB"), decoded
