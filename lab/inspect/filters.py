"""The first conv layer's filters, now and at initialisation.

Training changes the first layer's random weights into edge, stroke and blob
detectors; seeing both side by side shows what it learned. The initial weights are
stored in the run folder as ``initial_filters.pt`` (a few KB: {"name", "weight"}),
written once when the run starts and read back with ``weights_only=True``.
"""

from __future__ import annotations

import io
from pathlib import Path

import torch
from torch import nn

from lab.files import atomic_write
from lab.errors import keyed
from lab.inspect.messages import MESSAGES as INSPECT_MESSAGES

FILE = "initial_filters.pt"
FORMAT = "cnn-lab-initial-filters"


def first_conv(model: nn.Module) -> tuple[str, nn.Conv2d]:
    """(module name, layer) of the first Conv2d in forward order: block1's first conv."""
    for name, module in model.named_modules():
        if isinstance(module, nn.Conv2d):
            return name, module
    raise keyed(INSPECT_MESSAGES, "inspect.no_conv")


def first_filters(model: nn.Module) -> torch.Tensor:
    """float (out_channels, in_channels, kH, kW), detached, on the CPU."""
    return first_conv(model)[1].weight.detach().to("cpu", torch.float32).clone()


def save_initial_filters(run_dir: str | Path, model: nn.Module) -> Path:
    """Call once, after the model is built and before the first optimiser step."""
    name, conv = first_conv(model)
    path = Path(run_dir) / FILE
    payload = {"format": FORMAT, "name": name, "weight": conv.weight.detach().to("cpu").clone()}
    atomic_write(path, lambda f: torch.save(payload, f))  # a reader never sees half a file
    return path


def load_initial_filters(run_dir: str | Path | None) -> torch.Tensor | None:
    """The run's first-layer weights at initialisation, or None when the run has none
    (runs from before this file existed, uploaded checkpoints) or it is unreadable."""
    if run_dir is None:
        return None
    path = Path(run_dir) / FILE
    if not path.is_file():
        return None
    try:
        payload = torch.load(io.BytesIO(path.read_bytes()), map_location="cpu", weights_only=True)
    except Exception:  # a damaged file just means "no initial filters to show"
        return None
    weight = payload.get("weight") if isinstance(payload, dict) and payload.get("format") == FORMAT else None
    if not isinstance(weight, torch.Tensor) or weight.dim() != 4 or not weight.is_floating_point():
        return None
    return weight.float()


def matching_initial(initial: torch.Tensor | None, learned: torch.Tensor) -> torch.Tensor | None:
    """The initial filters if they belong to this layer (same shape), else None."""
    return initial if initial is not None and tuple(initial.shape) == tuple(learned.shape) else None
