"""The text form students already write: ``RandomCrop(28, padding=2), RandomRotation(10)``.

Parsed with ``ast`` and never executed: only calls of known transform names (bare,
``T.``/``v2.``/``transforms.v2.`` prefixed, optionally wrapped in ``Compose([...])``)
whose arguments are literals (numbers, text, True/False/None, tuples and lists of
them, ``InterpolationMode.X``). Anything else — attribute access, names, lambdas,
calls inside arguments — is refused with a LabError naming it.
"""

from __future__ import annotations

import ast
from typing import Any, Callable

from lab.augment.catalog import SPECS, spec, validate_steps
from lab.errors import did_you_mean, keyed
from lab.augment.messages import MESSAGES
from lab.config.augment import TransformStep

_PREFIXES = {"T", "v2", "transforms", "torchvision"}


def parse_transforms(text: str) -> list[TransformStep]:
    """Text -> validated steps; ``""`` -> ``[]``."""
    text = text.strip()
    if not text:
        return []
    try:
        tree = ast.parse(f"[\n{text}\n]", mode="eval")
    except SyntaxError as exc:
        lines = text.count("\n") + 1  # the text sits on lines 2.. of the parsed "[...]"
        raise keyed(MESSAGES, "augment.syntax", line=min(max(1, (exc.lineno or 2) - 1), lines)) from None
    items = tree.body.elts
    if len(items) == 1 and isinstance(items[0], ast.Call) and _name(items[0].func) == "Compose":
        inner = items[0]
        if len(inner.args) != 1 or inner.keywords or not isinstance(inner.args[0], (ast.List, ast.Tuple)):
            raise keyed(MESSAGES, "augment.compose")
        items = inner.args[0].elts
    steps = [_step(node) for node in items]
    validate_steps(steps)
    return steps


def _name(func: ast.expr) -> str | None:
    """'RandomCrop' for RandomCrop, T.RandomCrop, v2.RandomCrop, transforms.v2.RandomCrop."""
    if isinstance(func, ast.Name):
        return func.id
    if isinstance(func, ast.Attribute):
        owner = func.value
        while isinstance(owner, ast.Attribute) and owner.attr in _PREFIXES:
            owner = owner.value
        if isinstance(owner, ast.Name) and owner.id in _PREFIXES:
            return func.attr
    return None


def _step(node: ast.expr) -> TransformStep:
    source = ast.unparse(node)
    if not isinstance(node, ast.Call):
        raise keyed(MESSAGES, "augment.not_call", text=repr(_short(source)))
    name = _name(node.func)
    if name is None or name not in SPECS:
        spec(name or _short(ast.unparse(node.func)))  # raises: the lab's own step, or unknown
    s = spec(name)
    if any(isinstance(a, ast.Starred) for a in node.args) or any(k.arg is None for k in node.keywords):
        raise keyed(MESSAGES, "augment.starred", name=name)
    if len(node.args) > len(s.positional):
        raise keyed(MESSAGES, "augment.positional", name=name, n=len(s.positional), names=", ".join(s.positional) or "-")
    params: dict[str, Any] = {}
    for pname, arg in zip(s.positional, node.args):
        params[pname] = _literal(name, pname, arg)
    for kw in node.keywords:
        if kw.arg in params:
            raise keyed(MESSAGES, "augment.twice", name=name, arg=kw.arg)
        if kw.arg not in s.param_names:
            raise keyed(MESSAGES, "augment.unknown_arg", name=name, arg=repr(kw.arg), allowed=", ".join(s.param_names),
                        close=did_you_mean(kw.arg, s.param_names))
        params[kw.arg] = _literal(name, kw.arg, kw.value)
    return TransformStep(name, params)


def _literal(name: str, pname: str, node: ast.expr) -> Any:
    # InterpolationMode.BILINEAR / T.InterpolationMode.BILINEAR / v2.AutoAugmentPolicy.CIFAR10
    if isinstance(node, ast.Attribute) and node.attr.isupper():
        owner = node.value
        owner_name = owner.attr if isinstance(owner, ast.Attribute) else getattr(owner, "id", None)
        if owner_name in ("InterpolationMode", "AutoAugmentPolicy"):
            return node.attr.lower()
    try:
        value = ast.literal_eval(node)
    except (ValueError, TypeError, SyntaxError, MemoryError, RecursionError):
        raise keyed(MESSAGES, "augment.not_literal", name=name, param=pname, text=repr(_short(ast.unparse(node)))) from None
    return _json(name, pname, value)


def _json(name: str, pname: str, value: Any) -> Any:
    """Literal -> JSON-ready config value: tuples become lists; sets, dicts, bytes refused."""
    if isinstance(value, (tuple, list)):
        return [_json(name, pname, v) for v in value]
    if value is None or isinstance(value, (bool, int, float, str)):
        return value
    raise keyed(MESSAGES, "augment.bad_type", name=name, param=pname, kind=type(value).__name__)


def _short(text: str, limit: int = 60) -> str:
    return text if len(text) <= limit else text[: limit - 1] + "…"


def format_step(step: TransformStep, special: Callable[[str, Any], str | None] | None = None) -> str:
    """One step as students write it: the required first argument bare, the rest named,
    in torchvision's parameter order (``RandomCrop(28, padding=2)``). ``special(name, value)``
    may give a parameter's own source text (code uses enums where the text form has names)."""
    s = spec(step.name)
    parts: list[str] = []
    given = dict(step.params)
    first = s.params[0] if s.params else None
    if first is not None and first.required and first.name in given and first.name in s.positional[:1]:
        parts.append(_value(given.pop(first.name)))
    order = {p: i for i, p in enumerate(s.param_names)}
    for pname in sorted(given, key=order.__getitem__):
        shown = special(pname, given[pname]) if special else None
        parts.append(f"{pname}={_value(given[pname]) if shown is None else shown}")
    return f"{step.name}({', '.join(parts)})"


def _value(value: Any) -> str:
    if isinstance(value, list):
        inner = ", ".join(_value(v) for v in value)
        return f"({inner},)" if len(value) == 1 else f"({inner})"
    return repr(value)


def format_transforms(steps: list[TransformStep]) -> str:
    """Steps -> the text form; ``parse_transforms(format_transforms(s)) == s``."""
    return ", ".join(format_step(step) for step in steps)


def new_step(name: str, image_size: int | None = None) -> TransformStep:
    """A step with gentle, typical settings and the required parameters filled in
    (crops keep ``image_size`` when given, so adding one does not change the input size)."""
    s = spec(name)
    params = {p.name: _tuple_as_list(p.suggest) for p in s.params if p.required}
    if name in ("RandomCrop", "RandomResizedCrop") and image_size:
        params["size"] = int(image_size)
    if name == "RandomCrop":
        params["padding"] = 2
    if name == "ColorJitter":
        params = {"brightness": 0.2, "contrast": 0.2}
    if name == "RandomAffine":
        params = {"degrees": 0, "translate": [0.1, 0.1]}
    if name == "RandomResizedCrop":
        params["scale"] = [0.6, 1.0]
    return TransformStep(name, params)


def _tuple_as_list(value):
    return list(value) if isinstance(value, tuple) else value
