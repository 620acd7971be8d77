"""Shared by the inside-view tests: tiny lab models as checkpoints, and a synthetic task
whose evidence is known (the class is decided by a bright square in the top-left corner).

Named ``test_*`` so pytest imports it from ``tests/``; it holds no tests itself.
"""

from __future__ import annotations

import torch

from lab.model.checkpoint import Checkpoint
from lab.config import ConvBlock, ExperimentConfig, ModelConfig
from lab.model import build_model

SIDE, SQUARE = 16, 4  # synthetic images: 16x16 grey noise, a 4x4 bright square


def lab_checkpoint(model_cfg: ModelConfig, shape=(1, 16, 16), classes=2, seed: int = 0) -> Checkpoint:
    torch.manual_seed(seed)
    cfg = ExperimentConfig(model=model_cfg)
    model = build_model(model_cfg, shape, classes).eval()
    return Checkpoint(model=model, config=cfg, classes=[f"c{i}" for i in range(classes)], mean=[0.25] * shape[0],
                      std=[0.3] * shape[0], input_shape=shape, dataset="synthetic")


def corner_images(n: int, seed: int = 0) -> tuple[torch.Tensor, torch.Tensor]:
    """uint8 (n, 1, 16, 16) and labels: every image has one bright square somewhere outside
    the top-left corner (a distractor); class 1 has a second one in the top-left corner."""
    gen = torch.Generator().manual_seed(seed)
    x = torch.randint(0, 70, (n, 1, SIDE, SIDE), generator=gen, dtype=torch.uint8)
    y = torch.randint(0, 2, (n,), generator=gen)
    for i in range(n):
        while True:  # a distractor that does not touch the corner
            top, left = (int(v) for v in torch.randint(0, SIDE - SQUARE + 1, (2,), generator=gen))
            if top >= SQUARE + 2 or left >= SQUARE + 2:
                break
        x[i, 0, top:top + SQUARE, left:left + SQUARE] = 255
        if y[i] == 1:
            x[i, 0, :SQUARE, :SQUARE] = 255
    return x, y


def corner_checkpoint(steps: int = 250) -> Checkpoint:
    """A two-block lab CNN trained on ``corner_images`` until it reads the corner (~2 s)."""
    ck = lab_checkpoint(ModelConfig(blocks=[ConvBlock(8, padding=1), ConvBlock(16, padding=1)]))
    x, y = corner_images(2048)
    xs = (x.float() / 255 - 0.25) / 0.3
    model = ck.model.train()
    opt = torch.optim.Adam(model.parameters(), lr=3e-3)
    gen = torch.Generator().manual_seed(1)
    for _ in range(steps):
        idx = torch.randint(0, len(y), (64,), generator=gen)
        loss = torch.nn.functional.cross_entropy(model(xs[idx]), y[idx])
        opt.zero_grad()
        loss.backward()
        opt.step()
    model.eval()
    return ck


def normalised(ck: Checkpoint, pixels: torch.Tensor) -> torch.Tensor:
    from lab.predict import Target, normalize

    return normalize(pixels, Target.of(ck))
