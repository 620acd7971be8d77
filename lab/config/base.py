"""Typed JSON round trip for the experiment's dataclasses.

Each part of an experiment is a plain dataclass with type hints. This module turns
such a dataclass into JSON-ready dicts and back, rejecting unknown keys and values of
the wrong type with a message that names the field (``model.blocks[1].kernel``), so a
hand-edited config file fails loudly instead of training something else.
"""

from __future__ import annotations

import dataclasses
import types
import typing
from typing import Any, Literal, Union, get_args, get_origin, get_type_hints

from lab.config import limits
from lab.config.messages import MESSAGES
from lab.errors import LabError, did_you_mean, keyed


class ConfigError(LabError):
    """A config value is missing, unknown or of the wrong type."""


def config_error(key: str, **params) -> ConfigError:
    """A ConfigError keyed for the catalogue (``lab/config/messages.py``)."""
    return keyed(MESSAGES, key, ConfigError, **params)


def to_dict(obj: Any) -> Any:
    """Dataclass (nested) -> plain JSON-ready data. Tuples become lists."""
    if dataclasses.is_dataclass(obj) and not isinstance(obj, type):
        return {f.name: to_dict(getattr(obj, f.name)) for f in dataclasses.fields(obj)}
    if isinstance(obj, (list, tuple)):
        return [to_dict(v) for v in obj]
    if isinstance(obj, dict):
        return {str(k): to_dict(v) for k, v in obj.items()}
    return obj


def from_dict(cls: type, data: Any, path: str = "") -> Any:
    """Build dataclass ``cls`` from ``data``; missing keys take the defaults."""
    if not isinstance(data, dict):
        raise config_error("config.expected_object", path=path or cls.__name__, kind=_kind(data))
    hints = get_type_hints(cls)
    names = {f.name for f in dataclasses.fields(cls) if f.init}
    unknown = sorted(str(k)[:60] for k in set(data) - names)
    if unknown:
        where = f"{path}." if path else ""
        raise config_error("config.unknown_field", path=f"{where}{unknown[0]}", allowed=", ".join(sorted(names)),
                           close=did_you_mean(unknown[0], names))
    kwargs = {}
    for name in names:
        if name in data:
            field_path = f"{path}.{name}" if path else name
            kwargs[name] = _convert(hints[name], data[name], field_path)
    try:
        obj = cls(**kwargs)
    except (TypeError, ValueError) as exc:
        raise config_error("config.invalid", path=path or cls.__name__, detail=str(exc)) from None
    check = getattr(obj, "validate", None)
    if check is not None:
        check(path)
    return obj


def _convert(tp: Any, value: Any, path: str) -> Any:
    origin = get_origin(tp)
    if tp is Any:
        return value
    if dataclasses.is_dataclass(tp):
        return from_dict(tp, value, path)
    if origin is Literal:
        allowed = get_args(tp)
        if value not in allowed:
            raise config_error("config.not_one_of", path=path, value=repr(value),
                               allowed=", ".join(repr(a) for a in allowed), close=did_you_mean(value, allowed))
        return value
    if origin in (Union, types.UnionType):
        errors = []
        for option in get_args(tp):
            try:
                return _convert(option, value, path)
            except ConfigError as exc:
                errors.append(exc)
        if len(errors) == 1:
            raise errors[0]
        raise config_error("config.unexpected", path=path, value=repr(value))
    if origin in (list, tuple):
        args = get_args(tp)
        if not isinstance(value, (list, tuple)):
            raise config_error("config.expected_list", path=path, kind=_kind(value))
        if origin is tuple and args and args[-1] is not Ellipsis:
            if len(value) != len(args):
                raise config_error("config.expected_count", path=path, n=len(args), got=len(value))
            return tuple(_convert(a, v, f"{path}[{i}]") for i, (a, v) in enumerate(zip(args, value)))
        item = args[0] if args else Any
        items = [_convert(item, v, f"{path}[{i}]") for i, v in enumerate(value)]
        return tuple(items) if origin is tuple else items
    if origin is dict:
        if not isinstance(value, dict):
            raise config_error("config.expected_object", path=path, kind=_kind(value))
        _, val_t = get_args(tp) or (str, Any)
        return {str(k): _convert(val_t, v, f"{path}.{k}") for k, v in value.items()}
    if tp is type(None):
        if value is not None:
            raise config_error("config.expected_null", path=path, kind=_kind(value))
        return None
    if tp is bool:
        if not isinstance(value, bool):
            raise config_error("config.expected_bool", path=path, kind=_kind(value))
        return value
    if tp is int:
        if isinstance(value, bool) or not isinstance(value, int):
            raise config_error("config.expected_int", path=path, kind=_kind(value))
        return _short_int(value, path)
    if tp is float:
        if isinstance(value, bool) or not isinstance(value, (int, float)):
            raise config_error("config.expected_number", path=path, kind=_kind(value))
        return float(_short_int(value, path) if isinstance(value, int) else value)
    if tp is str:
        if not isinstance(value, str):
            raise config_error("config.expected_text", path=path, kind=_kind(value))
        return value
    raise TypeError(f"{path}: unsupported config type {tp!r}")  # a bug in our dataclasses


def _short_int(value: int, path: str) -> int:
    """A whole number of at most MAX_NUMBER_DIGITS digits: longer ones cannot even be printed
    in the error (Python refuses to format ints over 4300 digits) or turned into a float."""
    if abs(value) >= 10 ** limits.MAX_NUMBER_DIGITS:
        raise config_error("config.long_number", path=path, digits=limits.MAX_NUMBER_DIGITS)
    return value


def check_depth(data: Any, path: str = "config") -> None:
    """Refuse JSON nested deeper than MAX_JSON_DEPTH before anything recurses into it
    (a recursive reader would end in RecursionError). Iterative on purpose."""
    stack = [(data, 1)]
    while stack:
        value, depth = stack.pop()
        if depth > limits.MAX_JSON_DEPTH:
            raise config_error("config.too_deep", path=path, depth=limits.MAX_JSON_DEPTH)
        if isinstance(value, dict):
            stack.extend((v, depth + 1) for v in value.values())
        elif isinstance(value, (list, tuple)):
            stack.extend((v, depth + 1) for v in value)


def _kind(value: Any):
    """What a JSON value is, as a ``config.kind.*`` message (a Python type name for anything else)."""
    if isinstance(value, int) and not isinstance(value, bool) and abs(value) >= 10 ** limits.MAX_NUMBER_DIGITS:
        return ("config.kind.big", {"digits": limits.MAX_NUMBER_DIGITS})
    if value is None:
        return ("config.kind.null", {})
    if isinstance(value, bool):
        return ("config.kind.bool", {"value": str(value).lower()})
    if isinstance(value, (int, float)):
        return ("config.kind.number", {"value": repr(value)})
    if isinstance(value, str):
        return ("config.kind.text", {"value": repr(value)})
    if isinstance(value, (list, tuple)):
        return ("config.kind.list", {})
    if isinstance(value, dict):
        return ("config.kind.object", {})
    return type(value).__name__


def diff(a: Any, b: Any, path: str = "") -> list[tuple[str, Any, Any]]:
    """Fields that differ between two configs as (path, value in a, value in b).

    Works on dataclasses or their dicts. Lists of blocks are compared item by item so
    that "block 2's kernel changed" reads as ``model.blocks[1].kernel``, not as a
    wholesale replacement of the list; a list that changes length reports the length
    and the items that exist on one side only.
    """
    a, b = to_dict(a), to_dict(b)
    if isinstance(a, dict) and isinstance(b, dict):
        out = []
        for key in sorted(set(a) | set(b), key=_key_order(a, b)):
            sub = f"{path}.{key}" if path else str(key)
            if key not in a:
                out.append((sub, None, b[key]))
            elif key not in b:
                out.append((sub, a[key], None))
            else:
                out.extend(diff(a[key], b[key], sub))
        return out
    if isinstance(a, list) and isinstance(b, list) and _is_list_of_dicts(a) and _is_list_of_dicts(b):
        if len(a) != len(b):
            return [(path, a, b)]
        out = []
        for i, (x, y) in enumerate(zip(a, b)):
            out.extend(diff(x, y, f"{path}[{i}]"))
        return out
    return [] if a == b else [(path, a, b)]


def _key_order(a: dict, b: dict) -> typing.Callable[[str], tuple[int, str]]:
    order = {k: i for i, k in enumerate(list(a) + [k for k in b if k not in a])}
    return lambda k: (order[k], k)


def _is_list_of_dicts(x: list) -> bool:
    return all(isinstance(v, dict) for v in x)
