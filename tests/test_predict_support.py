"""Shared by the prediction tests: a small real MNIST model and pictures made from real digits.

The model is trained here (a few hundred Adam steps of the course's baseline, >95% on
the MNIST test set in a few seconds) rather than by the training engine, so these
tests depend only on the checkpoint format. Named ``test_*`` so pytest imports it from
``tests/``; it holds no tests itself.
"""

from __future__ import annotations

import io
from pathlib import Path

import torch
from PIL import Image

STEPS, BATCH = 400, 64


def train_mnist_checkpoint(mnist, path: Path) -> Path:
    """Train the baseline on real MNIST and save a self-describing checkpoint at ``path``."""
    threads = torch.get_num_threads()
    torch.set_num_threads(1)  # on a busy 2-core machine one thread is ~4x faster for this small net
    try:
        return _train(mnist, path)
    finally:
        torch.set_num_threads(threads)


def _train(mnist, path: Path) -> Path:
    from lab.model.checkpoint import save_checkpoint
    from lab.config import ExperimentConfig
    from lab.data import channel_stats
    from lab.model import build_model, preset

    torch.manual_seed(0)
    config = ExperimentConfig()
    config.model = preset("baseline", "mnist")
    shape = tuple(mnist.train_x.shape[1:])
    model = build_model(config.model, shape, len(mnist.classes))
    mean, std = channel_stats(mnist.train_x[:10000])
    m = torch.tensor(mean).view(1, -1, 1, 1)
    s = torch.tensor(std).view(1, -1, 1, 1)
    opt = torch.optim.Adam(model.parameters(), lr=2e-3)
    gen = torch.Generator().manual_seed(0)
    model.train()
    for _ in range(STEPS):
        idx = torch.randint(0, len(mnist.train_x), (BATCH,), generator=gen)
        x = (mnist.train_x[idx].float() / 255.0 - m) / s
        loss = torch.nn.functional.cross_entropy(model(x), mnist.train_y[idx])
        opt.zero_grad()
        loss.backward()
        opt.step()
    model.eval()
    save_checkpoint(path, model, config, mnist.classes, mean, std, shape, extra={"steps": STEPS})
    return path


def png_bytes(image: Image.Image, fmt: str = "PNG", **save) -> bytes:
    buf = io.BytesIO()
    image.save(buf, format=fmt, **save)
    return buf.getvalue()


def digit_image(pixels: torch.Tensor) -> Image.Image:
    """A dataset digit, uint8 (1, 28, 28), as a PIL grayscale picture."""
    return Image.fromarray(pixels[0].numpy(), "L")


def paper_digit(pixels: torch.Tensor, scale: int = 6, at: tuple[int, int] = (150, 30),
                canvas: tuple[int, int] = (300, 200)) -> Image.Image:
    """A real test digit as a student's photo of paper would show it: dark ink on white,
    scaled up, off-centre on a large canvas (``canvas`` is (width, height))."""
    ink = Image.fromarray(255 - pixels[0].numpy(), "L")
    big = ink.resize((28 * scale, 28 * scale), Image.Resampling.BILINEAR)
    page = Image.new("L", canvas, 255)
    page.paste(big, at)
    return page


_TRAINED: dict[str, Path] = {}


def trained_checkpoint_path(mnist, tmp_path_factory) -> Path:
    """One trained model per test process, whichever prediction test asks first."""
    if "mnist" not in _TRAINED:
        path = tmp_path_factory.mktemp("predict-model") / "mnist-baseline.pt"
        _TRAINED["mnist"] = train_mnist_checkpoint(mnist, path)
    return _TRAINED["mnist"]


def claim_size(png: bytes, width: int, height: int) -> bytes:
    """Rewrite a PNG's header (IHDR) to claim another size, with a valid CRC: a
    decompression bomb's header on a few bytes of data."""
    import struct
    import zlib

    assert png[12:16] == b"IHDR"
    body = struct.pack(">II", width, height) + png[24:29]
    chunk = b"IHDR" + body
    return png[:8] + struct.pack(">I", len(body)) + chunk + struct.pack(">I", zlib.crc32(chunk)) + png[33:]
