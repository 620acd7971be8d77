"""What the first layer sees: the dataset's image shape after the augmentation's crops.

The one place the lab computes an input size: the engine, the journal, the pages and
the CLI all call ``input_shape`` on ``raw_image_shape`` (or ``model_input_shape`` where a broken augmentation
must not stop a page from drawing).
"""

from __future__ import annotations

from lab.config import AugmentConfig, DataConfig, ExperimentConfig
from lab.errors import LabError

# Known without loading anything: (C, H, W) and the number of classes of the built-in datasets.
BUILTIN_SHAPES = {"mnist": (1, 28, 28), "fashion-mnist": (1, 28, 28), "cifar10": (3, 32, 32)}
BUILTIN_CLASSES = {"mnist": 10, "fashion-mnist": 10, "cifar10": 10}


def raw_image_shape(images) -> tuple[int, int, int]:
    """(C, H, W) of a dataset's images before augmentation: the one place the lab reads it.

    ``images``: loaded images (an ``ImageData`` or ``Splits``: their ``train_x``, or a uint8
    (N, C, H, W) tensor), or a ``DataConfig`` when nothing is loaded (``lab submit``, the
    Architecture page): the built-in sets' known shapes, image folders decoded to
    ``image_size`` and ``color``."""
    if isinstance(images, DataConfig):
        from lab.data import builtin_name  # heavy: loaded on first use, to keep start-up light

        name = builtin_name(images.dataset)
        if name in BUILTIN_SHAPES:
            return BUILTIN_SHAPES[name]
        return (3 if images.color == "rgb" else 1, images.image_size, images.image_size)
    c, h, w = getattr(images, "train_x", images).shape[1:]
    return int(c), int(h), int(w)


def dataset_classes(data: DataConfig) -> int | None:
    """Classes of a built-in dataset; None for a folder (count its subfolders by loading it)."""
    from lab.data import builtin_name  # heavy: loaded on first use, to keep start-up light

    return BUILTIN_CLASSES.get(builtin_name(data.dataset) or "")


def input_shape(config: ExperimentConfig, raw_shape: tuple[int, int, int] | None = None) -> tuple[int, int, int]:
    """(C, H, W) the model of ``config`` sees. ``raw_shape``: the loaded images' shape when
    known (else the dataset's, from the config alone). Raises LabError when the
    augmentation cannot be applied to images of that size."""
    shape = tuple(int(v) for v in (raw_shape or raw_image_shape(config.data)))
    steps = list(config.augment.transforms)
    if not steps:
        return shape
    from lab.augment import output_shape  # heavy: loaded on first use, to keep start-up light

    return tuple(int(v) for v in output_shape(steps, shape))


def model_input_shape(shape: tuple[int, int, int], augment: AugmentConfig) -> tuple[tuple[int, int, int], str | None]:
    """The shape after the augmentation steps (a crop changes it) and, if the steps cannot be
    applied, the reason (then the dataset's own shape is used)."""
    from lab.augment import output_shape  # heavy: loaded on first use, to keep start-up light

    steps = list(augment.transforms)
    if not steps:
        return tuple(shape), None
    try:
        return tuple(int(v) for v in output_shape(steps, tuple(shape))), None
    except LabError as exc:
        return tuple(shape), str(exc)
