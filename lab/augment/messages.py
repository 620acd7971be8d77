"""The augmentation engine's error messages: English templates keyed for the catalogue.

``lab.errors.keyed(MESSAGES, key, **params)`` is the LabError to raise; ``lab/i18n/texts/engine_messages.py``
gives each key its Russian. Placeholders hold names and numbers, never English prose.
"""

from __future__ import annotations


# What the lab does itself after the last step: convert to float and normalise with the
# training split's statistics (``lab.augment.normalize``). Typed by habit from the course.
LAB_DOES_IT = ("ToTensor", "ToImage", "ToDtype", "ConvertImageDtype", "PILToTensor", "ToPureTensor", "Normalize")

MESSAGES = {
    "augment.syntax": "cannot read the transforms: Python syntax error on line {line}; write them like "
                      "RandomCrop(28, padding=2), RandomRotation(10)",
    "augment.compose": "Compose(...) takes one list of transforms: Compose([RandomCrop(28, padding=2)])",
    "augment.not_call": "{text} is not a transform call; write e.g. RandomRotation(10)",
    "augment.lab_does_it": "{name}: the lab does this itself, last: after your transforms it turns the images "
                           "into float tensors and normalises them with the training images' mean and std. "
                           "Remove {name} from the list.",
    "augment.unknown": "unknown transform {name}{close}; known: {known}",
    "augment.starred": "{name}: *args and **kwargs are not allowed, write each argument",
    "augment.positional": "{name}: takes at most {n} argument(s) without a name ({names}); name the others, "
                          "e.g. padding=2",
    "augment.twice": "{name}: {arg} is given twice",
    "augment.unknown_arg": "{name}: unknown argument {arg}{close}; allowed: {allowed}",
    "augment.not_literal": "{name}({param}=...): {text} is not a literal value (use numbers, text, True/False "
                           "or a tuple of numbers)",
    "augment.bad_type": "{name}({param}=...): {kind} values are not transform arguments",
    "augment.needs": "{name}: needs {param} (for example {name}({example}))",
    "augment.expand": "{name}: expand=True gives every image its own size, which a batch cannot hold; use "
                      "expand=False (the corners are cut)",
    "augment.rejected": "{name}: torchvision refuses these arguments: {error}",
    "augment.interpolation": "interpolation={value}: use one of {allowed}",
    "augment.policy": "policy={value}: use 'imagenet', 'cifar10' or 'svhn'",
    "augment.not_finite": "{path}: {value} is not a finite number",
    "augment.nested": "{path}: nested lists are not parameters of any transform here",
    "augment.bad_value": "{path}: {value} is not a number, text, true/false or a list of numbers",
    "augment.crop_too_big": "RandomCrop: size {th}x{tw} is larger than the padded image {ph}x{pw}; lower the "
                            "size, add padding or set pad_if_needed=True",
    "augment.blur_too_big": "GaussianBlur: kernel_size {kernel} is too large for {h}x{w} images",
    "augment.policy_channels": "{name} works on 1- or 3-channel images, these have {c}",
    "augment.preview_uint8": "preview needs uint8 images (K, C, H, W)",
    "augment.uint8": "augmentation expects uint8 images (N, C, H, W), got {dtype} {shape}",
    "augment.no_class_images": "no training images of class {label}",
}

