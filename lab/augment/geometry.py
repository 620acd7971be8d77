"""Geometric transforms on a batch, each image with its own random parameters.

``torchvision.transforms.v2`` applied to a (N, C, H, W) tensor draws one set of
parameters for the whole batch (pytorch/vision#8484): every image of a batch is
flipped, or none is. Here each function draws N sets and applies them at once:
flips by masked select, crops by one padding and a per-sample gather, rotation /
affine / perspective / resized crop by one ``grid_sample`` with N sampling grids.
The matrices are torchvision's own (``_get_inverse_affine_matrix``,
``_perspective_grid``) written for N images, so a drawn angle means what it means
in torchvision and a single image comes out pixel-identical to ``v2.functional``.

Every op takes the constructed v2 transform ``t`` (its normalised arguments), a
uint8 batch and the generator; it returns the new batch and the drawn parameters
as tensors of N values (the preview reports them; training ignores them).
"""

from __future__ import annotations

from functools import lru_cache

import torch
import torch.nn.functional as nnf
from torchvision.transforms.v2 import functional as TF

from lab.augment import rng
from lab.errors import keyed
from lab.augment.messages import MESSAGES

Drawn = dict[str, torch.Tensor]


def horizontal_flip(t, x: torch.Tensor, gen) -> tuple[torch.Tensor, Drawn]:
    flip = rng.chance(gen, len(x), t.p).to(x.device)
    return torch.where(flip[:, None, None, None], x.flip(-1), x), {"flipped": flip}


def vertical_flip(t, x: torch.Tensor, gen) -> tuple[torch.Tensor, Drawn]:
    flip = rng.chance(gen, len(x), t.p).to(x.device)
    return torch.where(flip[:, None, None, None], x.flip(-2), x), {"flipped": flip}


def crop_padding(t, h: int, w: int) -> tuple[list[int], int, int]:
    """torchvision's RandomCrop padding [left, top, right, bottom] and the padded size."""
    left, right, top, bottom = t.padding if t.padding is not None else (0, 0, 0, 0)
    ph, pw = h + top + bottom, w + left + right
    th, tw = t.size
    if t.pad_if_needed:
        if ph < th:
            top, bottom, ph = top + th - ph, bottom + th - ph, ph + 2 * (th - ph)
        if pw < tw:
            left, right, pw = left + tw - pw, right + tw - pw, pw + 2 * (tw - pw)
    if ph < th or pw < tw:
        raise keyed(MESSAGES, "augment.crop_too_big", th=th, tw=tw, ph=ph, pw=pw)
    return [left, top, right, bottom], ph, pw


def random_crop(t, x: torch.Tensor, gen) -> tuple[torch.Tensor, Drawn]:
    n, _, h, w = x.shape
    th, tw = t.size
    padding, ph, pw = crop_padding(t, h, w)
    if any(padding):
        # One pad for the whole batch (uint8 stays uint8), then each image picks its window
        x = TF.pad(x, padding, fill=t.fill, padding_mode=t.padding_mode)
    top = rng.below(gen, ph - th + 1, n)
    left = rng.below(gen, pw - tw + 1, n)
    # Small per-image numbers are computed where they were drawn and moved once: on a GPU
    # each tiny kernel launch would cost more than the arithmetic
    offset = (top * pw + left).to(x.device)
    return _windows(x, offset, th, tw), {"top": top - padding[1], "left": left - padding[0]}


def _windows(x: torch.Tensor, offset: torch.Tensor, th: int, tw: int) -> torch.Tensor:
    """x[k, :, top_k:top_k+th, left_k:left_k+tw] for every k (offset_k = top_k * W + left_k),
    as one gather on the flat image (a few times faster than advanced indexing)."""
    n, c, ph, pw = x.shape
    window = (torch.arange(th, device=x.device)[:, None] * pw + torch.arange(tw, device=x.device)).view(1, 1, -1)
    index = (window + offset.view(n, 1, 1)).expand(n, c, th * tw)
    return x.reshape(n, c, ph * pw).gather(2, index).view(n, c, th, tw)


# ---- one grid_sample for rotation, affine, perspective and resized crop ----

def _inverse_affine(angle, tx, ty, scale, shear_x, shear_y, cx: float, cy: float) -> torch.Tensor:
    """torchvision's _get_inverse_affine_matrix for N parameter sets: (N, 2, 3) float64.

    Degrees in, output pixel (centred coordinates) -> input pixel out.
    """
    rot, sx, sy = torch.deg2rad(angle), torch.deg2rad(shear_x), torch.deg2rad(shear_y)
    cos_sy, tan_sx = torch.cos(sy), torch.tan(sx)
    a = torch.cos(rot - sy) / cos_sy
    b = -(a * tan_sx + torch.sin(rot))
    c = torch.sin(rot - sy) / cos_sy
    d = torch.cos(rot) - c * tan_sx
    m0, m1, m3, m4 = d / scale, -b / scale, -c / scale, a / scale
    cxt, cyt = cx + tx, cy + ty
    m2 = cx - m0 * cxt - m1 * cyt
    m5 = cy - m3 * cxt - m4 * cyt
    return torch.stack([torch.stack([m0, m1, m2], -1), torch.stack([m3, m4, m5], -1)], 1)


@lru_cache(maxsize=32)
def _centred_base(h: int, w: int, device: torch.device) -> torch.Tensor:
    """(1, H*W, 3) pixel centres relative to the image centre, plus a 1 (homogeneous)."""
    xs = torch.linspace((1.0 - w) * 0.5, (w - 1.0) * 0.5, w, device=device)
    ys = torch.linspace((1.0 - h) * 0.5, (h - 1.0) * 0.5, h, device=device)
    return torch.stack([xs.expand(h, w), ys[:, None].expand(h, w), torch.ones(h, w, device=device)], -1).view(1, h * w, 3)


def _affine_grid(matrix: torch.Tensor, h: int, w: int, device: torch.device) -> torch.Tensor:
    """Sampling grid (N, H, W, 2) on ``device`` for grid_sample, built like torchvision's
    _affine_grid (the N small matrices are scaled where they are, then moved once). One bmm
    measured faster here than broadcast multiply-adds or F.affine_grid."""
    theta = (matrix.float().transpose(1, 2) / torch.tensor([0.5 * w, 0.5 * h], device=matrix.device)).to(device)
    base = _centred_base(h, w, torch.device(device))
    return base.expand(len(matrix), -1, -1).bmm(theta).view(-1, h, w, 2)


def warp(x: torch.Tensor, grid: torch.Tensor, mode: str, fill) -> torch.Tensor:
    """torchvision's _apply_grid_transform with one grid per image (uint8 in and out)."""
    n, c = x.shape[:2]
    img = x.float()
    # A fill of 0 with nearest sampling is what zero padding gives: skip the mask channel
    use_mask = fill is not None and not (mode == "nearest" and _is_zero(fill))
    if use_mask:
        img = torch.cat([img, torch.ones_like(img[:, :1])], 1)
    out = nnf.grid_sample(img, grid, mode=mode, padding_mode="zeros", align_corners=False)
    if use_mask:
        out, mask = out[:, :c], out[:, c:].expand(-1, c, -1, -1)
        fill_img = torch.tensor(fill if isinstance(fill, (list, tuple)) else [float(fill)],
                                dtype=out.dtype, device=out.device).view(1, -1, 1, 1)
        if mode == "nearest":
            out = torch.where(mask < 0.5, fill_img.expand_as(out), out)
        else:
            out = (out - fill_img) * mask + fill_img
    if mode == "nearest" and not use_mask:
        return out.to(torch.uint8)  # picked pixels or padding zeros: whole numbers 0..255 already
    return out.round_().clamp_(0, 255).to(torch.uint8)


def _is_zero(fill) -> bool:
    values = fill if isinstance(fill, (list, tuple)) else [fill]
    return all(float(v) == 0 for v in values)


def _centre(t, h: int, w: int) -> tuple[float, float]:
    if t.center is None:
        return 0.0, 0.0
    return float(t.center[0]) - w * 0.5, float(t.center[1]) - h * 0.5


def _mode(t) -> str:
    return getattr(t.interpolation, "value", t.interpolation)


def _fill(t):
    fill = t.fill
    return fill.get(torch.Tensor, 0) if isinstance(fill, dict) else fill


def rotation(t, x: torch.Tensor, gen) -> tuple[torch.Tensor, Drawn]:
    n, _, h, w = x.shape
    angle = rng.uniform(gen, n, t.degrees[0], t.degrees[1])
    zero, one = torch.zeros_like(angle), torch.ones_like(angle)
    cx, cy = _centre(t, h, w)
    # rotate() passes -angle: a positive angle turns the image anticlockwise
    matrix = _inverse_affine(-angle, zero, zero, one, zero, zero, cx, cy)
    return warp(x, _affine_grid(matrix, h, w, x.device), _mode(t), _fill(t)), {"angle": angle}


def affine(t, x: torch.Tensor, gen) -> tuple[torch.Tensor, Drawn]:
    n, _, h, w = x.shape
    angle = rng.uniform(gen, n, t.degrees[0], t.degrees[1])
    zero = torch.zeros_like(angle)
    tx = ty = zero
    if t.translate is not None:
        max_dx, max_dy = float(t.translate[0] * w), float(t.translate[1] * h)
        tx = rng.uniform(gen, n, -max_dx, max_dx).round()
        ty = rng.uniform(gen, n, -max_dy, max_dy).round()
    scale = rng.uniform(gen, n, t.scale[0], t.scale[1]) if t.scale is not None else torch.ones_like(angle)
    shear_x = shear_y = zero
    if t.shear is not None:
        shear_x = rng.uniform(gen, n, t.shear[0], t.shear[1])
        if len(t.shear) == 4:
            shear_y = rng.uniform(gen, n, t.shear[2], t.shear[3])
    drawn = {"angle": angle, "translate_x": tx, "translate_y": ty, "scale": scale,
             "shear_x": shear_x, "shear_y": shear_y}
    cx, cy = _centre(t, h, w)
    matrix = _inverse_affine(*drawn.values(), cx, cy)
    return warp(x, _affine_grid(matrix, h, w, x.device), _mode(t), _fill(t)), drawn


def perspective(t, x: torch.Tensor, gen) -> tuple[torch.Tensor, Drawn]:
    n, _, h, w = x.shape
    apply = rng.chance(gen, n, t.p)
    bh = int(t.distortion_scale * (h // 2)) + 1
    bw = int(t.distortion_scale * (w // 2)) + 1
    # Corners as torchvision draws them: each moves inwards by up to distortion_scale/2
    ends = torch.stack([
        rng.below(gen, bw, n), rng.below(gen, bh, n),
        w - bw + rng.below(gen, bw, n), rng.below(gen, bh, n),
        w - bw + rng.below(gen, bw, n), h - bh + rng.below(gen, bh, n),
        rng.below(gen, bw, n), h - bh + rng.below(gen, bh, n),
    ], 1).view(n, 4, 2).to(torch.float64).cpu()
    starts = torch.tensor([[0, 0], [w - 1, 0], [w - 1, h - 1], [0, h - 1]], dtype=torch.float64)
    coeffs = _perspective_coeffs(starts, ends).to(x.device)
    out = warp(x, _perspective_grid(coeffs, h, w), _mode(t), _fill(t))
    apply = apply.to(x.device)
    drawn = {"applied": apply, "corners": ends.to(x.device).view(n, 8)}
    return torch.where(apply[:, None, None, None], out, x), drawn


def _perspective_coeffs(starts: torch.Tensor, ends: torch.Tensor) -> torch.Tensor:
    """torchvision's _get_perspective_coeffs for N corner sets: (N, 8), solved in float64."""
    n = len(ends)
    a = torch.zeros(n, 8, 8, dtype=torch.float64)
    ex, ey = ends[..., 0], ends[..., 1]  # (N, 4)
    sx, sy = starts[:, 0], starts[:, 1]  # (4,)
    a[:, 0::2, 0], a[:, 0::2, 1], a[:, 0::2, 2] = ex, ey, 1
    a[:, 0::2, 6], a[:, 0::2, 7] = -sx * ex, -sx * ey
    a[:, 1::2, 3], a[:, 1::2, 4], a[:, 1::2, 5] = ex, ey, 1
    a[:, 1::2, 6], a[:, 1::2, 7] = -sy * ex, -sy * ey
    b = starts.reshape(8).expand(n, 8)
    return torch.linalg.solve(a, b).float()


def _perspective_grid(coeffs: torch.Tensor, h: int, w: int) -> torch.Tensor:
    """torchvision's _perspective_grid with one set of coefficients per image."""
    dev = coeffs.device
    n = len(coeffs)
    xs = torch.linspace(0.5, w - 0.5, w, device=dev)
    ys = torch.linspace(0.5, h - 0.5, h, device=dev)
    base = torch.stack([xs.expand(h, w), ys[:, None].expand(h, w), torch.ones(h, w, device=dev)], -1)
    base = base.view(1, h * w, 3).expand(n, -1, -1)
    theta1 = coeffs[:, :6].view(n, 2, 3).transpose(1, 2) / torch.tensor([0.5 * w, 0.5 * h], device=dev)
    g, hh = coeffs[:, 6], coeffs[:, 7]
    row = torch.stack([g, hh, torch.ones_like(g)], -1)  # (N, 3)
    denom = base.bmm(row[:, :, None])  # (N, HW, 1)
    return (base.bmm(theta1) / denom - 1.0).view(n, h, w, 2)


def resized_crop_boxes(t, n: int, h: int, w: int, gen) -> torch.Tensor:
    """(N, 4) boxes (top, left, height, width) drawn as RandomResizedCrop.make_params does:
    up to 10 tries of area and log-uniform aspect ratio, else a centre crop."""
    area = h * w
    lo, hi = float(t._log_ratio[0]), float(t._log_ratio[1])
    target = area * rng.uniform(gen, n * 10, t.scale[0], t.scale[1]).view(n, 10)
    ratio = torch.exp(rng.uniform(gen, n * 10, lo, hi).view(n, 10))
    cw = torch.sqrt(target * ratio).round().long()
    ch = torch.sqrt(target / ratio).round().long()
    ok = (cw > 0) & (cw <= w) & (ch > 0) & (ch <= h)
    first = torch.where(ok.any(1), ok.float().argmax(1), torch.full((n,), -1, device=ok.device))
    # Fallback: torchvision's central crop at the nearest allowed aspect ratio
    in_ratio = w / h
    if in_ratio < min(t.ratio):
        fw, fh = w, int(round(w / min(t.ratio)))
    elif in_ratio > max(t.ratio):
        fw, fh = int(round(h * max(t.ratio))), h
    else:
        fw, fh = w, h
    idx = first.clamp_min(0)[:, None]
    bw = torch.where(first >= 0, cw.gather(1, idx)[:, 0], torch.full_like(first, fw))
    bh = torch.where(first >= 0, ch.gather(1, idx)[:, 0], torch.full_like(first, fh))
    top = torch.where(first >= 0, rng.below(gen, h - bh + 1), (h - bh) // 2)
    left = torch.where(first >= 0, rng.below(gen, w - bw + 1), (w - bw) // 2)
    return torch.stack([top, left, bh, bw], 1)


def _resize_coords(start: torch.Tensor, length: torch.Tensor, size: int, mode: str, device) -> torch.Tensor:
    """Where each of ``size`` output pixels samples a crop [start, start+length) of the input,
    as continuous coordinates (pixel k spans k..k+1), following torch's ``interpolate``:
    bilinear uses pixel centres clamped inside the crop, nearest takes floor(o * scale).
    Not reproduced: antialiasing when shrinking (torchvision's antialias=True)."""
    o = torch.arange(size, device=device, dtype=torch.float32)[None]
    scale = length / size
    if mode == "nearest":
        return start + torch.minimum((o * scale).floor(), length - 1) + 0.5
    centre = (o + 0.5) * scale
    return start + centre.clamp(min=0.5, max=None).minimum(length - 0.5)


def random_resized_crop(t, x: torch.Tensor, gen) -> tuple[torch.Tensor, Drawn]:
    n, _, h, w = x.shape
    oh, ow = t.size
    box = resized_crop_boxes(t, n, h, w, gen).to(x.device)
    top, left, bh, bw = (box[:, k, None].float() for k in range(4))
    mode = _mode(t) if _mode(t) in ("nearest", "bilinear") else "bilinear"
    gy = _resize_coords(top, bh, oh, mode, x.device) * (2.0 / h) - 1.0  # (N, oh), grid_sample's -1..1
    gx = _resize_coords(left, bw, ow, mode, x.device) * (2.0 / w) - 1.0  # (N, ow)
    grid = torch.stack([gx[:, None, :].expand(n, oh, ow), gy[:, :, None].expand(n, oh, ow)], -1)
    out = nnf.grid_sample(x.float(), grid, mode=mode, padding_mode="border", align_corners=False)
    drawn = {"top": box[:, 0], "left": box[:, 1], "height": box[:, 2], "width": box[:, 3]}
    return out.round_().clamp_(0, 255).to(torch.uint8), drawn
