"""The model engine's error messages the pages show: English templates keyed for the
catalogue (Russian in ``lab/i18n/texts/engine_messages.py``). Raise ``lab.errors.keyed(MESSAGES, key, ...)``.

A parameter may itself be a message, ``(key, params)``: a layer problem names where it
is (``model.where_block``) and what is wrong (``architecture.problem.<code>``), each
translated on the page.
"""

from __future__ import annotations

from lab.errors import LabError, keyed

MESSAGES = {
    "model.hidden_numbers": "hidden layers: give whole numbers separated by commas, like 128, 64 (got {text})",
    "model.max_blocks": "a model has at most {n} conv blocks",
    "model.min_blocks": "a model needs at least one conv block",
    "model.too_many_weights": "parameters: this model has {params:count} weights, more than the limit of {limit:count}; use "
                              "fewer filters or hidden units, or pool earlier",
    "model.too_much_memory": "activation memory: one image needs about {mb:count} MB of layer outputs, more than the "
                             "limit of {limit} MB; use a smaller image size, fewer filters, or pool (or stride) "
                             "earlier",
    "model.input_channels": "input channels: {c} is more than the limit of {limit} (1 for grayscale, 3 for "
                            "colour)",
    "model.input_size": "input size: {h}x{w} pixels is more than the limit of {limit} pixels a side; use a "
                        "smaller image size",
    "model.classes": "classes: {n} is more than the limit of {limit}",
    "model.unknown_preset": "unknown preset {name}{close}: use one of {known}",
    "model.unknown_layer": "unknown layer {kind}{close}: use one of {known}",
    "model.avgpool_dilation": "dilation: AvgPool2d has no dilation; set it to 1",
    "model.input_shape_numbers": "input shape must be three numbers C,H,W, not {shape}",
    "model.input_shape_positive": "input shape {c},{h},{w}: channels, height and width must be at least 1",
    "model.classes_positive": "number of classes must be at least 1, not {n}",
    "model.layer_problem": "{where}: {problem}",
    "model.where_block": "block {block}, {layer}",
    "model.where_head": "head, {layer}",
}


# English templates for builder problems (a layer cannot be built) and hints (rules of thumb).
BUILD_PROBLEMS = {
    "conv_too_small": "the {kernel} kernel (dilation {dilation}) does not fit the {size} image here: add "
                      "padding ({same} keeps the size), use a smaller kernel, or remove a pooling before this block",
    "pool_too_small": "a {pool}x{pool} pooling needs at least {pool} pixels but the image here is {size}: set this "
                      "block's pool to none or pool_size to {max_pool} or less, or keep the size up earlier "
                      "(padding, fewer poolings)",
    "pool_no_room": "the image here is already {size}: nothing is left to pool; set this block's pool to none, "
                    "or keep the size up earlier (padding, fewer poolings)",
    "conv_padding": "padding {padding} is more than half the {kernel} kernel: set padding to {limit} or less",
    "residual_convs": "residual needs at least 2 convs in the block: set convs to 2 or turn residual off",
    "ready_too_small": "{layer} gets a {size} image and cannot shrink it further: choose the small-image stem "
                       "(stem: small), or use larger images",
    "residual_shape": "the convs change the size {before} -> {after}, so the block's input cannot be added: "
                      "set padding to {same} (keeps the size) or turn residual off",
}
HINTS = {
    "kernel_big": "block {block}: kernel {value} is large; stacks of 3x3 convs see as far with fewer parameters",
    "padding_big": "block {block}: padding {value} is more than 2; usually padding = kernel // 2 (1 for 3x3)",
    "stride_big": "block {block}: stride {value} skips pixels; more than 2 throws information away",
    "filters_jump": "block {block}: filters go {before} -> {value}; changing by more than about 3x per block is unusual",
    "many_blocks": "{value} blocks: more than 7 conv blocks is deep for small images; training gets slow and unstable",
    "many_pools": "{value} poolings but a {size}-pixel input halves only {max} times before it is 1 pixel",
    "hidden_huge": "hidden layer {layer} has {value} units ({params} M weights in it): \"Hidden Linear sizes\" are "
                   "the layers' outputs, not in_features (the lab computes in_features = {features} itself); "
                   "hidden layers of 64..512 units are usual",
}
# Their catalogue keys, written whole so that unused ones can be found.
PROBLEM_KEYS = {  # builder problem code -> key
    "conv_too_small": "architecture.problem.conv_too_small", "pool_too_small": "architecture.problem.pool_too_small",
    "pool_no_room": "architecture.problem.pool_no_room", "conv_padding": "architecture.problem.conv_padding",
    "residual_convs": "architecture.problem.residual_convs", "residual_shape": "architecture.problem.residual_shape",
    "ready_too_small": "architecture.problem.ready_too_small",
}
HINT_KEYS = {  # hint code -> key
    "kernel_big": "architecture.hint.kernel_big", "padding_big": "architecture.hint.padding_big",
    "stride_big": "architecture.hint.stride_big", "filters_jump": "architecture.hint.filters_jump",
    "many_blocks": "architecture.hint.many_blocks", "many_pools": "architecture.hint.many_pools",
    "hidden_huge": "architecture.hint.hidden_huge"
}



# The builder's problems as messages, for a layer problem's English (the page translates the key).
_WITH_PROBLEMS = {**MESSAGES, **{PROBLEM_KEYS[code]: text for code, text in BUILD_PROBLEMS.items()}}


def layer_problem(step) -> LabError:
    """The LabError for a planned layer that cannot be built (``Step.problem``)."""
    return _layer_problem(step.name, step.block, step.problem.code, step.problem.fmt)


def traced_problem(layer) -> LabError:
    """The same LabError for a traced layer (``lab.model.trace.TracedLayer``) with a problem."""
    return _layer_problem(layer.name, layer.block, layer.problem_code, layer.problem_fmt)


def _layer_problem(name: str, block: int | None, code: str, fmt: dict) -> LabError:
    layer = name.partition(".")[2]
    where = ("model.where_head", {"layer": layer}) if block is None else \
        ("model.where_block", {"block": block, "layer": layer})
    params = {"where": where, "problem": (PROBLEM_KEYS[code], dict(fmt))}
    return keyed(_WITH_PROBLEMS, "model.layer_problem", **params)
