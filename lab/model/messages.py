"""The model engine's error messages the pages show: English templates keyed for the
catalogue (Russian in ``lab/ui/texts/engine_messages.py``). Raise ``error(key, ...)``.

A parameter may itself be a message, ``(key, params)``: a layer problem names where it
is (``model.where_block``) and what is wrong (``architecture.problem.<code>``), each
translated on the page.
"""

from __future__ import annotations

from lab.errors import LabError, keyed

MESSAGES = {
    "model.hidden_numbers": "hidden layers: give whole numbers separated by commas, like 128, 64 (got {text})",
    "model.hidden_count": "{field}: {n} hidden layers is more than the limit of {limit}",
    "model.hidden_zero": "{field}: every hidden layer needs at least 1 unit",
    "model.hidden_units": "{field}: {size} units is more than the limit of {limit} per layer",
    "model.max_blocks": "a model has at most {n} conv blocks",
    "model.min_blocks": "a model needs at least one conv block",
    "model.too_many_weights": "parameters: this model has {params} weights, more than the limit of {limit}; use "
                              "fewer filters or hidden units, or pool earlier",
    "model.too_much_memory": "activation memory: one image needs about {mb} MB of layer outputs, more than the "
                             "limit of {limit} MB; use a smaller image size, fewer filters, or pool (or stride) "
                             "earlier",
    "model.input_channels": "input channels: {c} is more than the limit of {limit} (1 for grayscale, 3 for "
                            "colour)",
    "model.input_size": "input size: {h}x{w} pixels is more than the limit of {limit} pixels a side; use a "
                        "smaller image size",
    "model.classes": "classes: {n} is more than the limit of {limit}",
    "model.layer_problem": "{where}: {problem}",
    "model.where_block": "block {block}, {layer}",
    "model.where_head": "head, {layer}",
}


def error(key: str, cls: type[LabError] = LabError, **params) -> LabError:
    return keyed(MESSAGES, key, cls, **params)


def english(message) -> str:
    """A ``(key, params)`` message in English (keys of this table or the plan's problems)."""
    from lab.model.plan import BUILD_PROBLEMS

    key, params = message
    params = {k: english(v) if isinstance(v, tuple) else v for k, v in params.items()}
    if key.startswith("architecture.problem."):
        return BUILD_PROBLEMS[key.rsplit(".", 1)[1]].format(**params)
    return MESSAGES[key].format(**params)


def layer_problem(step) -> LabError:
    """The LabError for a planned layer that cannot be built (``Step.problem``)."""
    block, _, layer = step.name.partition(".")
    where = ("model.where_head", {"layer": layer}) if step.block is None else \
        ("model.where_block", {"block": step.block, "layer": layer})
    params = {"where": where, "problem": (f"architecture.problem.{step.problem.code}", dict(step.problem.fmt))}
    return LabError(english(("model.layer_problem", params)), key="model.layer_problem", params=params)
