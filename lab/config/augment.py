"""The augmentation part of an experiment: an ordered list of transforms.

Each step names a ``torchvision.transforms.v2`` class and its keyword arguments as
literal JSON values. What the names and arguments may be is checked by
``lab.augment`` (the engine that applies them); here only the shape of the data.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from lab.config.base import ConfigError, config_error
from lab.config.messages import MESSAGES
from lab.errors import LabError, within


@dataclass
class TransformStep:
    name: str = "RandomHorizontalFlip"  # a torchvision.transforms.v2 class name
    params: dict[str, Any] = field(default_factory=dict)  # its keyword arguments

    def validate(self, path: str = "") -> None:
        if not self.name.isidentifier():
            raise config_error("config.not_transform", path=f"{path}.name", name=repr(self.name))


@dataclass
class AugmentConfig:
    # Applied to the training split only, in this order; the lab always converts to
    # float and normalises with the dataset's mean/std after the last step.
    # Text form: lab.augment.format_transforms / parse_transforms.
    transforms: list[TransformStep] = field(default_factory=list)

    def validate(self, path: str = "") -> None:
        """A loaded config with an unknown transform or an argument torchvision refuses
        fails here, with the step named, instead of at the first training batch."""
        from lab.augment.catalog import validate_steps  # the engine imports this module

        p = f"{path}." if path else ""
        for i, step in enumerate(self.transforms):
            try:
                validate_steps([step])
            except LabError as exc:
                raise within(MESSAGES, "config.at", exc, ConfigError, path=f"{p}transforms[{i}]") from None
