"""How long one epoch of a model will take on this machine, before Train: the model's multiply-adds
per training image (the tracer's) over the rate this machine's calibration measured
(``lab.train.speed``'s cache of per-layer peaks), or a reference measurement where nothing is
calibrated yet.

A ready torchvision network at full resolution is heavy for a CPU: ResNet-18 with the 32x32 stem
costs 0.56 G multiply-adds per image forward, about 1.7 G with the backward pass; the lab measured
about 28 images/s on 2 AVX2 cores (a CIFAR-10 epoch of 40,000 images: about 24 minutes). The page
says so before Train, with a cap that fits a few minutes.
"""

from __future__ import annotations

import statistics
from dataclasses import dataclass

from lab.model.trace import trace
from lab.train.speed import _read_cache, cache_path

# ResNet-18, 32x32 stem, 10 classes: 28 images/s x 3 x 555.4 M MACs on 2 AVX2 cores (issue 22)
REFERENCE_MACS_PER_SEC = 28 * 3 * 555_422_720
TARGET_SECONDS = 180  # the cap suggested: an epoch in about 3 minutes
# Multiply-adds do not cost the same in every network: the share of ResNet-18's rate each ready network
# reaches, trained one after the other at 32x32 (batch 32, 2 threads, channels_last; 2026-12-03 on a
# machine shared with other work, so only the ratios count, and they moved with the load): ResNet-18
# 7.0 and 11.8 G/s, VGG-11 (BN) 4.8 G/s, MobileNetV3-Small 0.15 and 0.72 G/s (2 % and 6 %).
# MobileNet's depthwise convs, squeeze-excitation and Hardswish are memory-bound on a CPU: 1 % of
# ResNet's multiply-adds, yet only 2-6x its images/s. Without this its estimate read 30x too fast.
EFFICIENCY = {"resnet18": 1.0, "vgg11_bn": 0.68, "mobilenet_v3_small": 0.04}


@dataclass(frozen=True)
class EpochEstimate:
    seconds: float  # one epoch over ``images`` training images
    images: int
    images_per_sec: float
    macs_per_sec: float  # the rate this network reaches (the machine's, times its EFFICIENCY)
    calibrated: bool  # the rate is this machine's calibration (else the reference measurement)
    suggested_limit: int  # training images that fit TARGET_SECONDS


def machine_rate(cache=None) -> tuple[float, bool]:
    """(multiply-adds per second, from this machine's calibration?): the upper quartile of the layer
    peaks the calibration cache holds, the reference measurement where it holds none.

    Not the median: small layers (a 1x1 map, a Linear) calibrate at a few G/s, the big 3x3 convs that
    hold a ready network's work near the top. Measured (2 cores, 44 cached layers): median 17 G/s,
    upper quartile 38 G/s; ResNet-18 at 32x32 then reads 23 images/s against 28 trained."""
    layers = _read_cache(cache or cache_path())["layers"].values()
    rates = [entry["macs_per_sec"] for entry in layers if isinstance(entry, dict) and entry.get("macs_per_sec")]
    if not rates:
        return float(REFERENCE_MACS_PER_SEC), False
    return statistics.quantiles(rates, n=4)[2] if len(rates) > 1 else rates[0], True


def epoch_estimate(model_cfg, input_shape, classes: int, images: int, cache=None) -> EpochEstimate | None:
    """None for a model that cannot be built (the page says why elsewhere)."""
    tr = trace(model_cfg, input_shape, classes)
    if not tr.ok or images <= 0:
        return None
    train_macs = 3 * tr.total_macs  # forward, weight gradients, input gradients
    rate, calibrated = machine_rate(cache)
    rate *= EFFICIENCY.get(model_cfg.arch, 1.0)
    per_sec = rate / train_macs
    return EpochEstimate(images / per_sec, images, per_sec, rate, calibrated,
                         max(1, int(per_sec * TARGET_SECONDS) // 100 * 100))
