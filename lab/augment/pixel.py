"""Colour, blur, noise and erasing on a batch, each image with its own random draw.

Same contract as ``geometry``: ``op(t, x_uint8, gen) -> (x_uint8, drawn)`` where ``t``
is the constructed torchvision v2 transform (its normalised arguments). Arithmetic
follows ``torchvision.transforms.v2.functional`` on uint8 images: each colour
adjustment blends in float and truncates back to whole pixel values, colour steps
leave 1-channel images alone where torchvision does (saturation, hue, grayscale).
"""

from __future__ import annotations

import threading

import torch
import torch.nn.functional as nnf
from torchvision.transforms.v2 import functional as TF

from lab.augment import rng
from lab.errors import keyed
from lab.augment.messages import MESSAGES

Drawn = dict[str, torch.Tensor]


def _where(mask: torch.Tensor, a: torch.Tensor, b: torch.Tensor) -> torch.Tensor:
    return torch.where(mask[:, None, None, None], a, b)


def _gray(img: torch.Tensor) -> torch.Tensor:
    """(N, 1, H, W) float luma with torchvision's weights."""
    if img.shape[1] == 1:
        return img
    r, g, b = img.unbind(1)
    return (0.2989 * r + 0.587 * g + 0.114 * b).unsqueeze(1)


def _blend(a: torch.Tensor, b: torch.Tensor, factor: torch.Tensor) -> torch.Tensor:
    f = factor.view(-1, 1, 1, 1)
    return (f * a + (1 - f) * b).clamp_(0, 255).floor_()


def _brightness(img, f):
    return _blend(img, torch.zeros_like(img), f)


def _contrast(img, f):
    gray = _gray(img)
    if img.shape[1] == 3:
        gray = gray.floor()
    return _blend(img, gray.mean(dim=(1, 2, 3), keepdim=True), f)


def _saturation(img, f):
    return img if img.shape[1] == 1 else _blend(img, _gray(img).floor(), f)


def _hue(img, f):
    if img.shape[1] == 1:
        return img
    hsv = _rgb_to_hsv(img / 255.0)
    hsv[:, 0] = (hsv[:, 0] + f.view(-1, 1, 1)) % 1.0
    return (_hsv_to_rgb(hsv) * 255.0).round_().clamp_(0, 255)


def _rgb_to_hsv(img: torch.Tensor) -> torch.Tensor:
    r, g, b = img.unbind(1)
    maxc, _ = img.max(1)
    minc, _ = img.min(1)
    delta = maxc - minc
    safe = torch.where(delta == 0, torch.ones_like(delta), delta)
    s = torch.where(maxc == 0, torch.zeros_like(maxc), delta / torch.where(maxc == 0, torch.ones_like(maxc), maxc))
    rc, gc, bc = (maxc - r) / safe, (maxc - g) / safe, (maxc - b) / safe
    h = torch.where(maxc == r, bc - gc, torch.where(maxc == g, 2.0 + rc - bc, 4.0 + gc - rc))
    h = torch.where(delta == 0, torch.zeros_like(h), (h / 6.0) % 1.0)
    return torch.stack([h, s, maxc], 1)


def _hsv_to_rgb(hsv: torch.Tensor) -> torch.Tensor:
    h, s, v = hsv.unbind(1)
    i = torch.floor(h * 6.0)
    f = h * 6.0 - i
    i = i.long() % 6
    p, q, t = v * (1 - s), v * (1 - s * f), v * (1 - s * (1 - f))
    table = torch.stack([
        torch.stack([v, q, p, p, t, v]), torch.stack([t, v, v, q, p, p]), torch.stack([p, p, t, v, v, q]),
    ])  # (3, 6, N, H, W)
    return table.gather(1, i[None, None].expand(3, 1, *i.shape)).squeeze(1).permute(1, 0, 2, 3)


def color_jitter(t, x: torch.Tensor, gen) -> tuple[torch.Tensor, Drawn]:
    n = len(x)
    # Like ColorJitter.make_params: a random order of the four adjustments, then the factors
    order = torch.argsort(torch.rand(n, 4, generator=gen, device=gen.device), dim=1).to(x.device)
    drawn: Drawn = {}
    fns = []
    for name, fn, bounds in (("brightness", _brightness, t.brightness), ("contrast", _contrast, t.contrast),
                             ("saturation", _saturation, t.saturation), ("hue", _hue, t.hue)):
        if bounds is not None:
            drawn[name] = rng.uniform(gen, n, float(bounds[0]), float(bounds[1])).to(x.device)
        fns.append((fn, drawn.get(name)))
    img = x.float()
    for position in range(4):
        for fn_id, (fn, factor) in enumerate(fns):
            if factor is None:
                continue
            pick = order[:, position] == fn_id
            if pick.any():
                img[pick] = fn(img[pick], factor[pick].float())
    return img.to(torch.uint8), drawn


def grayscale(t, x: torch.Tensor, gen) -> tuple[torch.Tensor, Drawn]:
    gray_mask = rng.chance(gen, len(x), t.p).to(x.device)
    if x.shape[1] == 1:  # already gray: torchvision returns the image unchanged
        return x, {"applied": gray_mask}
    gray = _gray(x.float()).to(torch.uint8).expand_as(x)
    return _where(gray_mask, gray, x), {"applied": gray_mask}


def gaussian_blur(t, x: torch.Tensor, gen) -> tuple[torch.Tensor, Drawn]:
    n, c, h, w = x.shape
    kx, ky = t.kernel_size
    sigma = rng.uniform(gen, n, float(t.sigma[0]), float(t.sigma[1])).to(x.device).float()
    if kx // 2 >= w or ky // 2 >= h:
        raise keyed(MESSAGES, "augment.blur_too_big", kernel=f"{kx}x{ky}", h=h, w=w)

    def kernel(k: int) -> torch.Tensor:  # (N, k), torchvision's _get_gaussian_kernel1d per image
        lim = (k - 1) / (2.0 * 2 ** 0.5)
        pos = torch.linspace(-lim, lim, k, device=x.device).square()[None]
        return torch.softmax(-pos / (sigma * sigma)[:, None], dim=1)

    img = nnf.pad(x.float().view(1, n * c, h, w), [kx // 2, kx // 2, ky // 2, ky // 2], mode="reflect")
    wx = kernel(kx).repeat_interleave(c, 0).view(n * c, 1, 1, kx)
    wy = kernel(ky).repeat_interleave(c, 0).view(n * c, 1, ky, 1)
    img = nnf.conv2d(nnf.conv2d(img, wx, groups=n * c), wy, groups=n * c)
    return img.view(n, c, h, w).round_().clamp_(0, 255).to(torch.uint8), {"sigma": sigma}


def gaussian_noise(t, x: torch.Tensor, gen) -> tuple[torch.Tensor, Drawn]:
    # torchvision adds N(mean, sigma) to float images in 0..1; here the same on x / 255
    noise = torch.randn(x.shape, generator=gen, device=gen.device).to(x.device)
    img = x.float() / 255.0 + t.mean + t.sigma * noise
    if t.clip:
        img = img.clamp_(0.0, 1.0)
    return (img * 255.0).round_().clamp_(0, 255).to(torch.uint8), {}


def erasing(t, x: torch.Tensor, gen) -> tuple[torch.Tensor, Drawn]:
    n, c, h, w = x.shape
    apply = rng.chance(gen, n, t.p)
    lo, hi = float(t._log_ratio[0]), float(t._log_ratio[1])
    # RandomErasing.make_params: up to 10 tries of area and aspect ratio that fit inside
    target = h * w * rng.uniform(gen, n * 10, t.scale[0], t.scale[1]).view(n, 10)
    ratio = torch.exp(rng.uniform(gen, n * 10, lo, hi).view(n, 10))
    eh = torch.sqrt(target * ratio).round().long()
    ew = torch.sqrt(target / ratio).round().long()
    ok = (eh < h) & (ew < w)
    found = ok.any(1)
    idx = ok.float().argmax(1, keepdim=True)
    eh, ew = eh.gather(1, idx)[:, 0], ew.gather(1, idx)[:, 0]
    top, left = rng.below(gen, h - eh + 1), rng.below(gen, w - ew + 1)
    erase = apply & found
    if t.value is None:  # "random": uniform pixel noise (torchvision's normal noise suits float images only)
        fill = torch.randint(0, 256, x.shape, generator=gen, device=gen.device, dtype=torch.uint8).to(x.device)
    else:
        fill = torch.tensor([round(float(v)) for v in t.value], device=x.device).clamp(0, 255)
        fill = fill.to(torch.uint8).view(1, -1, 1, 1).expand_as(x)
    erase, top, left, eh, ew = (v.to(x.device) for v in (erase, top, left, eh, ew))
    rows = torch.arange(h, device=x.device)[None, :, None]
    cols = torch.arange(w, device=x.device)[None, None, :]
    inside = ((rows >= top[:, None, None]) & (rows < (top + eh)[:, None, None])
              & (cols >= left[:, None, None]) & (cols < (left + ew)[:, None, None]) & erase[:, None, None])
    out = torch.where(inside[:, None], fill, x)
    return out, {"applied": erase, "top": top, "left": left, "height": eh, "width": ew}


def invert(t, x: torch.Tensor, gen) -> tuple[torch.Tensor, Drawn]:
    mask = rng.chance(gen, len(x), t.p).to(x.device)
    return _where(mask, 255 - x, x), {"applied": mask}


def solarize(t, x: torch.Tensor, gen) -> tuple[torch.Tensor, Drawn]:
    mask = rng.chance(gen, len(x), t.p).to(x.device)
    return _where(mask, torch.where(x >= t.threshold, 255 - x, x), x), {"applied": mask}


def autocontrast(t, x: torch.Tensor, gen) -> tuple[torch.Tensor, Drawn]:
    mask = rng.chance(gen, len(x), t.p).to(x.device)
    return _where(mask, TF.autocontrast(x), x), {"applied": mask}  # per image, no randomness


def equalize(t, x: torch.Tensor, gen) -> tuple[torch.Tensor, Drawn]:
    mask = rng.chance(gen, len(x), t.p).to(x.device)
    return _where(mask, TF.equalize(x), x), {"applied": mask}


_GLOBAL_RNG = threading.Lock()


def per_sample(t, x: torch.Tensor, gen) -> tuple[torch.Tensor, Drawn]:
    """The torchvision transform itself, image by image, each with a seed from the batch
    generator (for the automatic policies, whose op choice differs per image anyway).

    torchvision draws from the global RNG: it is forked and reseeded per image and the
    loop holds a lock, so two sessions' policy steps never share a seeded state. (Other
    code drawing from the global RNG in another thread during the loop can still see it;
    the batched ops take the generator and never touch the global RNG.)"""
    out = torch.empty_like(x)
    sample_seeds = rng.seeds(gen, len(x))
    with _GLOBAL_RNG, torch.random.fork_rng(devices=[]):
        for k, seed in enumerate(sample_seeds):
            torch.manual_seed(seed)
            out[k] = t(x[k])
    return out, {"seed": torch.tensor(sample_seeds)}
