"""One experiment = one serialisable config: data, augmentation, model, training (and the
"break it on purpose" switches, ``lab.config.breaks``, all off unless a student turns one on).

Each page edits its part; the journal stores the whole thing beside the metrics, so
"what changed since the last run" is ``diff(old, new)``.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from pathlib import Path

from lab.config.augment import AugmentConfig
from lab.config.breaks import BreakConfig
from lab.config import limits
from lab.config.base import check_depth, config_error, from_dict, to_dict
from lab.config.messages import MESSAGES
from lab.config.data import DataConfig
from lab.config.model import ModelConfig
from lab.config.train import TrainConfig
from lab.files import read_limited


@dataclass
class ExperimentConfig:
    data: DataConfig = field(default_factory=DataConfig)
    augment: AugmentConfig = field(default_factory=AugmentConfig)
    model: ModelConfig = field(default_factory=ModelConfig)
    train: TrainConfig = field(default_factory=TrainConfig)
    breaks: BreakConfig = field(default_factory=BreakConfig)  # "break it on purpose": all off

    def to_dict(self) -> dict:
        return to_dict(self)

    def to_json(self) -> str:
        return json.dumps(self.to_dict(), indent=2, ensure_ascii=False)

    @classmethod
    def from_dict(cls, data: dict) -> "ExperimentConfig":
        check_depth(data)
        return from_dict(cls, data)

    @classmethod
    def from_json(cls, text: str) -> "ExperimentConfig":
        return cls.from_dict(parse_json(text))

    @classmethod
    def load(cls, path: str | Path) -> "ExperimentConfig":
        data = read_limited(path, limits.MAX_CONFIG_BYTES, "config")
        try:
            text = data.decode("utf-8")
        except UnicodeDecodeError:
            raise config_error("config.not_utf8", path=str(path)) from None
        return cls.from_json(text)

    def save(self, path: str | Path) -> None:
        Path(path).write_text(self.to_json() + "\n", encoding="utf-8")


def parse_json(text: str, what: str = "config") -> object:
    """JSON text -> data; every way it can fail is a ConfigError (a 5000-digit number is
    a ValueError in Python, 100,000 nested brackets a RecursionError)."""
    if len(text) > limits.MAX_CONFIG_BYTES:
        raise config_error("config.too_long", path=what, n=len(text), limit=limits.MAX_CONFIG_BYTES)
    try:
        return json.loads(text)
    except json.JSONDecodeError as exc:
        raise config_error("config.not_json", path=what, reason=_json_reason(exc.msg), line=exc.lineno) from None
    except RecursionError:
        raise config_error("config.too_deep", path=what, depth=limits.MAX_JSON_DEPTH) from None
    except ValueError as exc:  # "Exceeds the limit (4300 digits) for integer string conversion"
        raise config_error("config.number_too_long", path=what, detail=str(exc)[:80]) from None


def _json_reason(msg: str):
    """The JSON parser's words as a ``config.json.*`` message where the catalogue has them."""
    for key in JSON_REASONS:
        if MESSAGES[key] == msg:
            return (key, {})
    return msg


JSON_REASONS = ("config.json.value", "config.json.name", "config.json.extra", "config.json.comma", "config.json.colon",
                "config.json.string", "config.json.control", "config.json.escape")
