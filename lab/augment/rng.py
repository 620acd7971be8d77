"""Per-sample random draws from the batch's generator.

Every draw takes the generator explicitly (never the global RNG), so the same seed
gives the same augmented batch whatever else ran before. Values are drawn on the
generator's device and moved to the images' device by the caller's ``to``.
"""

from __future__ import annotations

import torch


def uniform(gen: torch.Generator, n: int, lo: float, hi: float) -> torch.Tensor:
    """(n,) float64 uniform in [lo, hi) — float64 so angles and boxes match torchvision's maths."""
    return torch.rand(n, generator=gen, device=gen.device, dtype=torch.float64) * (hi - lo) + lo


def chance(gen: torch.Generator, n: int, p: float) -> torch.Tensor:
    """(n,) bool, each True with probability p (torchvision applies a step when rand < p)."""
    return torch.rand(n, generator=gen, device=gen.device) < p


def below(gen: torch.Generator, high: torch.Tensor | int, n: int | None = None) -> torch.Tensor:
    """int64 uniform in 0..high-1, elementwise for a tensor of highs (torch.randint per sample)."""
    if isinstance(high, int):
        return torch.randint(0, high, (n,), generator=gen, device=gen.device)
    u = torch.rand(high.shape, generator=gen, device=gen.device, dtype=torch.float64)
    return (u * high.to(u.device)).floor().long().clamp_max_(high.to(u.device) - 1)


def seeds(gen: torch.Generator, n: int) -> list[int]:
    """One seed per sample for transforms that only exist as a per-image torchvision call."""
    return torch.randint(0, 2**62, (n,), generator=gen, device=gen.device).tolist()
