"""One decoder for every path: a dataset folder, the augmentation upload and prediction see
the same upright, flattened picture (issue 16: phone photos trained sideways)."""

from __future__ import annotations

import io
import zlib

import numpy as np
from PIL import Image

from lab.data.folder import decode_bytes
from lab.data import image_io
from lab.data.image_io import plain_picture


def portrait_jpeg_stored_sideways() -> bytes:
    """A 40x20 (W x H) landscape whose EXIF tag 6 says: turn me into a 20x40 portrait."""
    a = np.zeros((20, 40, 3), np.uint8)
    a[:, :10] = 255  # a white band on the left of the stored picture
    exif = Image.Exif()
    exif[0x0112] = 6
    buf = io.BytesIO()
    Image.fromarray(a).save(buf, "JPEG", exif=exif.tobytes(), quality=95)
    return buf.getvalue()


def test_a_folder_image_is_turned_upright_like_a_prediction():
    data = portrait_jpeg_stored_sideways()
    upright, _ = plain_picture(data)
    assert upright.size == (20, 40)  # portrait, as the phone meant it
    tensor, orig, _ = decode_bytes(data, 20, "rgb")  # the folder crops the centre square of the portrait
    expected = np.asarray(upright)[10:30].transpose(2, 0, 1)
    assert np.abs(tensor.numpy().astype(int) - expected.astype(int)).max() <= 2
    # rotated by 270 degrees, the stored left band is now the top rows
    assert np.asarray(upright)[:5].mean() > 200 and np.asarray(upright)[-5:].mean() < 50


def test_transparency_follows_one_rule_everywhere():
    a = np.zeros((16, 16, 4), np.uint8)
    a[4:12, 4:12] = (255, 255, 255, 255)  # white ink on a transparent canvas
    buf = io.BytesIO()
    Image.fromarray(a, "RGBA").save(buf, "PNG")
    tensor, _, mode = decode_bytes(buf.getvalue(), 16, "grayscale")
    assert mode == "RGBA"
    assert int(tensor[0, 0, 0]) == 0 and int(tensor[0, 8, 8]) == 255  # light ink goes onto black, not white


def test_the_pixel_limit_is_the_same_for_folders_and_uploads():
    from lab.config import limits

    assert image_io.MAX_PIXELS == limits.MAX_IMAGE_PIXELS
    buf = io.BytesIO()
    Image.new("L", (1, 1)).save(buf, "PNG")
    huge = bytearray(buf.getvalue())
    huge[16:24] = (10_000).to_bytes(4, "big") + (10_000).to_bytes(4, "big")  # the header claims 100 MP
    huge[29:33] = zlib.crc32(bytes(huge[12:29])).to_bytes(4, "big")  # with a valid chunk checksum
    try:
        decode_bytes(bytes(huge), 8, "rgb")
    except Exception as exc:
        assert "too large" in str(exc) and "100 megapixels" in str(exc)
    else:
        raise AssertionError("a 100-megapixel header was decoded")
