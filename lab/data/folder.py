"""Image-folder datasets: a directory with one subfolder per class, or with ``train/``
and ``test/`` each holding class folders. Zips of such a tree: ``lab.data.archive``.

Every image is decoded once, converted to the chosen colour mode and resized to a
square, into the same uint8 (N, C, H, W) form as the built-in datasets. A file that
cannot be decoded is skipped and listed, never fatal: students' folders hold stray
``.DS_Store`` files and half-downloaded images.
"""

from __future__ import annotations

import io
import warnings
from collections import Counter
from pathlib import Path

import torch
import torch.nn.functional as F
import torchvision.io as tvio
from PIL import Image

from lab.config.limits import MAX_IMAGE_PIXELS
from lab.data.images import ImageData
from lab.errors import LabError, keyed
from lab.data.messages import MESSAGES
from lab.files import os_reason
from lab.data.image_io import ImageError, exif_orientation, plain_picture

IMAGE_SUFFIXES = {".jpg", ".jpeg", ".png", ".bmp", ".gif", ".webp", ".tif", ".tiff"}

# torchvision 0.29 marks its image decoders deprecated in favour of TorchCodec (a new
# dependency); they still work on the pinned 0.29 line, so keep them and stay quiet.
warnings.filterwarnings("ignore", message="The image decoding and encoding", category=DeprecationWarning)


def find_layout(root: Path) -> tuple[Path, Path | None]:
    """(train folder, test folder or None) for a dataset root."""
    if not root.exists():
        raise keyed(MESSAGES, "data.folder_missing", path=str(root))
    if not root.is_dir():
        raise keyed(MESSAGES, "data.not_folder", path=str(root))
    train, test = root / "train", root / "test"
    if train.is_dir() and class_dirs(train):
        return train, (test if test.is_dir() and class_dirs(test) else None)
    if not class_dirs(root):
        raise keyed(MESSAGES, "data.no_classes", path=str(root))
    return root, None


def class_dirs(folder: Path) -> list[Path]:
    return sorted(p for p in folder.iterdir() if p.is_dir() and not p.name.startswith("."))


def load_image_folder(root: str | Path, size: int = 32, color: str = "rgb") -> ImageData:
    """Decode a class-folder tree into an ImageData of ``size``x``size`` images."""
    root = Path(root)
    train_dir, test_dir = find_layout(root)
    classes = [p.name for p in class_dirs(train_dir)]
    if len(classes) < 2:
        raise keyed(MESSAGES, "data.few_classes", path=str(train_dir), n=len(classes))
    stats = _Stats()
    train_x, train_y = _decode_split(train_dir, classes, size, color, stats, root)
    if len(train_y) == 0:
        raise keyed(MESSAGES, "data.no_images", path=str(train_dir))
    if test_dir is not None:
        test_x, test_y = _decode_split(test_dir, classes, size, color, stats, root)
    else:
        test_x = torch.empty((0, *train_x.shape[1:]), dtype=torch.uint8)
        test_y = torch.empty(0, dtype=torch.int64)
    return ImageData(
        name=root.name, classes=classes, train_x=train_x, train_y=train_y,
        test_x=test_x, test_y=test_y, source="folder", origin=str(root),
        skipped=stats.skipped, skipped_messages=stats.messages, original_sizes=stats.sizes, original_modes=stats.modes,
    )


class _Stats:
    def __init__(self) -> None:
        self.skipped: list[tuple[str, str]] = []
        self.messages: dict[str, tuple[str, dict]] = {}
        self.sizes: Counter = Counter()
        self.modes: Counter = Counter()

    def skip(self, rel: str, exc: LabError) -> None:
        self.skipped.append((rel, str(exc)))
        if exc.key:
            self.messages[rel] = (exc.key, exc.params)


def _decode_split(folder: Path, classes: list[str], size: int, color: str, stats: _Stats, root: Path):
    images, labels = [], []
    for label, name in enumerate(classes):
        class_dir = folder / name
        if not class_dir.is_dir():
            continue
        for path in sorted(class_dir.rglob("*")):
            if not path.is_file() or path.name.startswith("."):
                continue
            rel = str(path.relative_to(root))
            if path.suffix.lower() not in IMAGE_SUFFIXES:
                stats.skip(rel, keyed(MESSAGES, "data.skip.type"))
                continue
            try:
                tensor, orig_size, mode = decode_file(path, size, color)
            except LabError as exc:
                stats.skip(rel, exc)
                continue
            stats.sizes[orig_size] += 1
            stats.modes[mode] += 1
            images.append(tensor)
            labels.append(label)
    channels = 1 if color == "grayscale" else 3
    if not images:
        return torch.empty((0, channels, size, size), dtype=torch.uint8), torch.empty(0, dtype=torch.int64)
    return torch.stack(images), torch.tensor(labels, dtype=torch.int64)


def decode_file(path: Path, size: int, color: str) -> tuple[torch.Tensor, tuple[int, int], str]:
    """One image file -> (uint8 (C, size, size), original (W, H), original mode)."""
    try:
        data = path.read_bytes()
    except OSError as exc:
        raise keyed(MESSAGES, "data.skip.unreadable", reason=os_reason(exc)) from None
    return decode_bytes(data, size, color)


def decode_bytes(data: bytes, size: int, color: str) -> tuple[torch.Tensor, tuple[int, int], str]:
    """Through the lab's one decoder (``lab.data.image_io``): the same pixel limit, EXIF
    orientation and alpha rule as uploads and prediction."""
    if not data:
        raise keyed(MESSAGES, "data.skip.empty")
    try:
        with Image.open(io.BytesIO(data)) as im:  # reads the header only
            fast = (im.format in ("JPEG", "PNG") and im.mode in ("L", "RGB") and exif_orientation(im) == 1
                    and im.width * im.height <= MAX_IMAGE_PIXELS)
            mode, orig = im.mode, (im.width, im.height)
        if fast:
            # torchvision's decoder is ~3x faster than PIL's on small JPEGs: CIFAR-10's
            # 60,000 files load in ~6 s instead of ~15 s
            arr = _fast_decode(data, color)
        else:
            picture, decoded = plain_picture(data, color)
            mode, orig = decoded.image.mode, decoded.size
            arr = torch.frombuffer(bytearray(picture.tobytes()), dtype=torch.uint8)
            arr = arr.view(picture.height, picture.width, -1).permute(2, 0, 1)
    except ImageError as exc:
        raise LabError(str(exc), key=exc.key, params=exc.params) from None  # the picture's own key
    except Exception as exc:  # a malformed header or stream: PIL and torchvision raise almost anything
        raise keyed(MESSAGES, "data.skip.not_image", kind=type(exc).__name__) from None
    return resize_square(arr, size), orig, mode


def _fast_decode(data: bytes, color: str) -> torch.Tensor:
    mode = tvio.ImageReadMode.GRAY if color == "grayscale" else tvio.ImageReadMode.RGB
    return tvio.decode_image(torch.frombuffer(bytearray(data), dtype=torch.uint8), mode=mode)


def resize_square(x: torch.Tensor, size: int) -> torch.Tensor:
    """uint8 (C, H, W) -> uint8 (C, size, size): centre-crop to a square, then resize."""
    c, h, w = x.shape
    side = min(h, w)
    top, left = (h - side) // 2, (w - side) // 2
    x = x[:, top : top + side, left : left + side]
    if side == size:
        return x.contiguous()
    out = F.interpolate(x[None].float(), size=(size, size), mode="bilinear", antialias=True, align_corners=False)
    return out[0].round().clamp(0, 255).to(torch.uint8)
