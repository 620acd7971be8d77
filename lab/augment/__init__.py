"""Augmentation: batched, per-sample random transforms with torchvision's meaning.

No Streamlit here. The training loop and the preview page call the same functions:

- ``augment_batch(x_uint8, steps, generator)`` -> uint8 batch, one random draw per image
- ``augment_batch_recorded(...)`` -> the same batch plus what each image drew (preview)
- ``output_shape(steps, (C, H, W))`` -> (C, H', W') after crops
- ``normalize(x_uint8, mean, std)`` -> float32, the last step for train and eval alike
- ``parse_transforms(text)`` / ``format_transforms(steps)`` / ``validate_steps(steps)``
- ``warnings_for(steps, dataset, channels)`` -> ``[(catalogue key, placeholders)]``
- ``compose_source(steps, mean, std, image_shape, folder)`` -> v2 code for train and eval
  (one generator with the exported script's ``transforms_function``)
"""

from lab.augment.advice import warnings_for
from lab.augment.catalog import NAMES, SPECS, ParamSpec, TransformSpec, build_v2, validate_steps
from lab.augment.code import compose_source, folder_of
from lab.augment.engine import augment_batch, augment_batch_recorded, normalize, output_shape
from lab.augment.text import format_step, format_transforms, new_step, parse_transforms

__all__ = [
    "NAMES", "SPECS", "ParamSpec", "TransformSpec", "augment_batch", "augment_batch_recorded",
    "build_v2", "compose_source", "folder_of", "format_step", "format_transforms", "new_step", "normalize",
    "output_shape", "parse_transforms", "validate_steps", "warnings_for",
]
