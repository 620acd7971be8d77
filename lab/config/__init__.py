"""The experiment config: one dataclass per part, JSON round trip, field-by-field diff."""

from lab.config.augment import AugmentConfig, TransformStep
from lab.config.breaks import BreakConfig
from lab.config.base import ConfigError, diff, from_dict, to_dict
from lab.config.data import BUILTIN_DATASETS, DataConfig
from lab.config.experiment import ExperimentConfig
from lab.config.model import ConvBlock, ModelConfig
from lab.config.train import TrainConfig

__all__ = [
    "AugmentConfig", "BUILTIN_DATASETS", "BreakConfig", "ConfigError", "ConvBlock", "DataConfig",
    "ExperimentConfig", "ModelConfig", "TrainConfig", "TransformStep", "diff",
    "from_dict", "to_dict",
]
