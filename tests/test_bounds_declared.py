"""Each bound is declared once (lab.config.bounds) and the config, the pages' widgets and the
command line agree on it: a value one of them takes, the others take too.

Before the table the training form's seed stopped at 2**31-1 while a config took 2**32-1,
and its early-stopping patience at 100 while a config took 500."""

from __future__ import annotations

import argparse
import dataclasses

import pytest
from streamlit.testing.v1 import AppTest

from lab.cli import audit as cli_audit, train as cli_train
from lab.config import ConfigError, ConvBlock, DataConfig, ModelConfig, TrainConfig, bounds, limits
from lab.i18n import translate

PARTS = {"train": (TrainConfig, bounds.TRAIN), "data": (DataConfig, bounds.DATA),
         "block": (ConvBlock, bounds.BLOCK)}


def fields():
    for part, (_, table) in PARTS.items():
        for name in table:
            yield part, name


def valid(part: str, name: str, value) -> bool:
    cls, _ = PARTS[part]
    obj = cls()
    if part == "block" and name in ("kernel", "stride", "padding", "dilation"):
        value = int(value)
    setattr(obj, name, value)
    try:
        obj.validate(part)
    except ConfigError:
        return False
    return True


def test_the_seeds_and_the_patience_are_the_configs():
    assert bounds.TRAIN["seed"].high == bounds.DATA["split_seed"].high == limits.MAX_SEED == 2**32 - 1
    assert bounds.TRAIN["early_stopping"].high == limits.MAX_EPOCHS == 500


@pytest.mark.parametrize("part,name", list(fields()))
def test_the_config_takes_a_widgets_ends_and_refuses_what_lies_beyond(part, name):
    bound = PARTS[part][1][name]
    low, high = bound.widget_range()
    assert valid(part, name, low) and (high is None or valid(part, name, high))
    step = 1 if isinstance(bound.low, int) else 1e-9
    if not bound.open_low:
        assert not valid(part, name, bound.low - step)
    if high is not None:
        assert not valid(part, name, bound.high + step)


def test_model_bounds_are_what_the_model_config_checks():
    assert ModelConfig(head_dropout=0.9).validate() is None
    with pytest.raises(ConfigError):
        ModelConfig(head_dropout=0.91).validate()
    with pytest.raises(ConfigError):
        ModelConfig(blocks=[ConvBlock()] * (bounds.MODEL["blocks"].high + 1)).validate()


def parse(add_arguments, argv):
    parser = argparse.ArgumentParser(exit_on_error=False)
    add_arguments(parser)
    return parser.parse_args(argv)


def refused(add_arguments, argv) -> bool:
    try:
        parse(add_arguments, argv)
    except (argparse.ArgumentError, SystemExit):
        return True
    return False


CLI = [  # (command, option, bound, base arguments)
    (cli_train.add_arguments, "--seed", bounds.TRAIN["seed"], []),
    (cli_train.add_arguments, "--epochs", bounds.TRAIN["epochs"], []),
    (cli_train.add_arguments, "--batch-size", bounds.TRAIN["batch_size"], []),
    (cli_train.add_arguments, "--train-limit", bounds.DATA["train_limit"], []),
    (cli_train.add_arguments, "--lr", bounds.TRAIN["lr"], []),
    (cli_audit.add_arguments, "--seed", bounds.DATA["split_seed"], ["mnist"]),
    (cli_audit.add_arguments, "--val-fraction", bounds.DATA["val_fraction"], ["mnist"]),
    (cli_audit.add_arguments, "--size", bounds.DATA["image_size"], ["mnist"]),
]


@pytest.mark.parametrize("add_arguments,option,bound,base", CLI, ids=[f"{c[0].__module__}{c[1]}" for c in CLI])
def test_the_command_line_takes_exactly_the_configs_range(add_arguments, option, bound, base, capsys):
    step = 1 if isinstance(bound.low, int) else bound.low / 2
    for value in (bound.low, bound.high):
        assert not refused(add_arguments, [*base, option, str(value)]), value
    assert refused(add_arguments, [*base, option, str(bound.low - step)])
    assert refused(add_arguments, [*base, option, str(bound.high * 2 if step < 1 else bound.high + 1)])


@pytest.fixture()
def samples_only(tmp_path, monkeypatch, runs_dir):
    empty = tmp_path / "no-data"
    empty.mkdir()
    monkeypatch.setenv("LAB_DATA_DIR", str(empty))
    monkeypatch.setenv("LAB_OFFLINE", "1")
    for cap in ("LAB_MAX_EPOCHS", "LAB_MAX_TRAIN_SIZE"):
        monkeypatch.delenv(cap, raising=False)


def open_page(page: str) -> AppTest:
    at = AppTest.from_file("../app.py", default_timeout=90)
    at.session_state["lab.language"] = "en"
    at.run()
    at.switch_page(page).run()
    assert not at.exception, at.exception
    return at


def widget_range(widget):
    return widget.min, widget.max


def by_label(widgets, key):
    label = translate(key, "en")
    return next(w for w in widgets if w.label == label)


def test_a_bound_reads_the_way_the_messages_always_did():
    assert bounds.TRAIN["lr"].why() == ("config.why.outside", {"low": "1e-6", "high": 10})
    assert bounds.TRAIN["momentum"].why() == ("config.why.outside", {"low": 0, "high": 0.999})
    assert bounds.TRAIN["step_epochs"].why() == ("config.why.outside_epochs", {"low": 1, "high": 500})
    assert bounds.DATA["image_size"].why() == ("config.why.outside_pixels", {"low": 8, "high": 256})
    with pytest.raises(ConfigError, match=r"train.epochs: 501 is outside 1..500$"):
        dataclasses.replace(TrainConfig(), epochs=501).validate("train")


def beyond(bound) -> list[tuple]:
    """(a value just outside an end, the value the form then uses) for each end."""
    low, high = bound.widget_range()
    below = bound.low - 1 if isinstance(bound.low, int) else (bound.low / 2 if bound.low > 0 else bound.low - 0.5)
    out = [(below, low)]
    if high is not None:
        out.append((bound.high + (1 if isinstance(bound.high, int) else 0.5), high))
    return out


def said_outside(at, bound) -> bool:
    """The form said the field's range in words ("... goes from 1 to 500: 0 is not taken ...")."""
    low, high = bound.widget_range()
    ends = [str(bounds._shown(low))] + ([str(bounds._shown(high))] if high is not None else [])
    return any("is not taken" in e.value and all(end in e.value for end in ends) for e in at.error)


def stored(at, name):
    exp = at.session_state["lab.experiment"]
    return exp.data.train_limit if name == "train_limit" else getattr(exp.train, name)


def test_the_training_form_takes_the_configs_range_and_says_it_beyond(samples_only):
    """A number outside a field's declared bound is said in words and the nearest allowed one
    is used: the form and the config agree on every end."""
    at = open_page("pages/training.py")
    fields = {**{n: b for n, b in bounds.TRAIN.items() if n != "batch_size"}, "train_limit": bounds.DATA["train_limit"]}
    for name, bound in fields.items():
        for typed, used in beyond(bound):
            at.number_input(key=f"training_form_{name}").set_value(typed).run()
            assert stored(at, name) == pytest.approx(used), (name, typed)
            assert said_outside(at, bound), (name, typed)
        at.number_input(key=f"training_form_{name}").set_value(bound.widget_min).run()
        assert stored(at, name) == pytest.approx(bound.widget_min) and not at.error, name


def test_the_architecture_and_dataset_pages_take_the_configs_range(samples_only):
    at = open_page("pages/architecture.py")
    for name in ("filters", "convs", "dropout"):
        for typed, used in beyond(bounds.BLOCK[name]):
            by_label(at.number_input, f"architecture.{name}").set_value(typed).run()
            assert getattr(at.session_state["lab.experiment"].model.blocks[0], name) == pytest.approx(used), name
            assert said_outside(at, bounds.BLOCK[name]), name
    for typed, used in beyond(bounds.MODEL["head_dropout"]):
        by_label(at.number_input, "architecture.head_dropout").set_value(typed).run()
        assert at.session_state["lab.experiment"].model.head_dropout == pytest.approx(used)

    at = open_page("pages/dataset.py")
    by_label(at.number_input, "dataset.split_seed").set_value(2**32).run()
    assert at.session_state["lab.experiment"].data.split_seed == 2**32 - 1
    assert said_outside(at, bounds.DATA["split_seed"])
    assert widget_range(by_label(at.slider, "dataset.val_fraction")) == pytest.approx(
        bounds.DATA["val_fraction"].widget_range())
