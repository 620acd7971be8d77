"""The conv/pool output-size formula agrees with the real PyTorch layers it describes.

A seeded random generator (hypothesis is not installed) draws thousands of parameter
combinations, edge cases included; for each, the lab's answer is compared with a real
forward pass, and every combination the lab rejects is one PyTorch rejects too (or one
the lab rejects on purpose: a conv padded more than half its kernel).
"""

from __future__ import annotations

import random

import pytest
import torch
from torch import nn

from lab.cli import main as cli
from lab.errors import LabError
from lab.model.shapes import ShapeError, dropped, layer_output, pair, wrong_formula



@pytest.fixture(autouse=True)
def _one_thread():
    """Thousands of tiny layers: threads cost more than they give. Restored for other tests."""
    before = torch.get_num_threads()
    torch.set_num_threads(1)
    with torch.no_grad():
        yield
    torch.set_num_threads(before)


def torch_output(kind, shape, k, s, p, d, out_c, ceil):
    if kind == "conv2d":
        layer = nn.Conv2d(shape[0], out_c, k, stride=s, padding=p, dilation=d, device="meta")
        # the real conv kernel on real zeros; a weight of zeros skips the layer's random init
        weight = torch.zeros(layer.weight.shape)
        x = torch.zeros(1, *shape)
        return tuple(torch.nn.functional.conv2d(x, weight, None, layer.stride, layer.padding,
                                                layer.dilation).shape[1:])
    if kind == "maxpool2d":
        layer = nn.MaxPool2d(k, stride=s, padding=p, dilation=d, ceil_mode=ceil)
    else:
        layer = nn.AvgPool2d(k, stride=s, padding=p, ceil_mode=ceil)
    return tuple(layer(torch.zeros(1, *shape)).shape[1:])


def random_case(rng: random.Random):
    kind = rng.choice(["conv2d", "maxpool2d", "avgpool2d"])

    def side():  # mostly ordinary images, sometimes tiny ones
        return rng.randint(1, 3) if rng.random() < 0.15 else rng.randint(4, 40)

    shape = (rng.randint(1, 3), side(), side())

    def num(low, high):
        a = rng.randint(low, high)
        return a if rng.random() < 0.6 else (a, rng.randint(low, high))

    k = num(1, 7)
    s = num(1, 4)
    kp = pair(k, "kernel")
    p = num(0, max(kp) // 2 + (rng.random() < 0.2))  # sometimes one more than half the kernel
    d = 1 if kind == "avgpool2d" else num(1, 3)
    return kind, shape, k, s, p, d, rng.randint(1, 4), rng.random() < 0.5 and kind != "conv2d"


def test_formula_matches_torch_on_thousands_of_random_layers():
    rng = random.Random(1234)
    valid = rejected = 0
    for _ in range(4000):
        kind, shape, k, s, p, d, out_c, ceil = random_case(rng)
        try:
            ours = layer_output(kind, shape, k, s, p, d, out_channels=out_c if kind == "conv2d" else None,
                                ceil_mode=ceil)
        except ShapeError as exc:
            rejected += 1
            try:
                torch_output(kind, shape, k, s, p, d, out_c, ceil)
            except RuntimeError:
                continue  # PyTorch rejects it too
            # The only thing the lab rejects and PyTorch allows: a conv padded beyond half its kernel
            assert kind == "conv2d" and exc.code == "padding_too_big", (kind, shape, k, s, p, d, exc)
            continue
        valid += 1
        theirs = torch_output(kind, shape, k, s, p, d, out_c, ceil)
        assert ours.output == theirs, (kind, shape, k, s, p, d, ceil)
    assert valid > 2500 and rejected > 300, (valid, rejected)  # both sides of the rule were exercised


@pytest.mark.parametrize("case", [
    # kind, (C,H,W), kernel, stride, padding, dilation, ceil
    ("conv2d", (1, 1, 1), 1, 1, 0, 1, False),  # the smallest image
    ("conv2d", (3, 7, 7), 7, 1, 0, 1, False),  # kernel exactly the image
    ("conv2d", (3, 5, 9), (5, 3), (1, 2), (2, 1), (1, 3), False),  # every pair different
    ("conv2d", (1, 4, 4), 1, 5, 0, 1, False),  # stride larger than the image
    ("maxpool2d", (1, 5, 5), 2, 2, 0, 1, True),  # ceil keeps a last half window
    ("maxpool2d", (1, 5, 5), 2, 2, 1, 1, True),  # ...but not one starting in the right padding
    ("maxpool2d", (1, 6, 6), 3, 2, 1, 2, True),
    ("avgpool2d", (1, 4, 4), 3, 3, 1, 1, True),
    ("avgpool2d", (2, 1, 1), 1, 1, 0, 1, True),
])
def test_edge_cases_match_torch(case):
    kind, shape, k, s, p, d, ceil = case
    ours = layer_output(kind, shape, k, s, p, d, ceil_mode=ceil)
    assert ours.output == torch_output(kind, shape, k, s, p, d, shape[0], ceil)


def test_32x32_with_3x3_gives_30x30_not_the_wrong_copys_28():
    res = layer_output("conv2d", (3, 32, 32), 3, out_channels=16)
    assert res.output == (16, 30, 30)
    assert wrong_formula(32, 3, 1, 0) == 28
    assert res.h.formula() == "H_out = ⌊(32 + 2·0 − 1·(3 − 1) − 1) / 1⌋ + 1 = ⌊29 / 1⌋ + 1 = 29 + 1 = 30"


def test_dropped_rows_are_the_last_input_rows_no_window_spans():
    rng = random.Random(7)
    for _ in range(2000):
        n, k, s, d = rng.randint(1, 30), rng.randint(1, 6), rng.randint(1, 5), rng.randint(1, 3)
        p = rng.randint(0, (d * (k - 1) + 1) // 2)
        out = (n + 2 * p - d * (k - 1) - 1) // s + 1
        if out < 1:
            continue
        # a window spans d*(k-1)+1 pixels (a dilated one has gaps inside; those are not the floor's doing)
        touched = {o * s + j - p for o in range(out) for j in range(d * (k - 1) + 1)}
        last = max(i for i in touched if i < n) if any(0 <= i < n for i in touched) else -1
        assert dropped(n, k, s, p, d, out) == n - 1 - last, (n, k, s, p, d)
    # 33 rows pooled 2 by 2: the 33rd row is in no window
    assert layer_output("maxpool2d", (1, 33, 32), 2).dropped_rows == 1
    assert layer_output("maxpool2d", (1, 33, 32), 2, ceil_mode=True).dropped_rows == 0


@pytest.mark.parametrize("args, param", [
    (dict(kind="conv2d", input_shape=(1, 5, 5), kernel=7), "kernel"),
    (dict(kind="conv2d", input_shape=(1, 5, 5), kernel=3, stride=0), "stride"),
    (dict(kind="conv2d", input_shape=(1, 5, 5), kernel=0), "kernel"),
    (dict(kind="conv2d", input_shape=(1, 5, 5), kernel=3, padding=-1), "padding"),
    (dict(kind="conv2d", input_shape=(1, 5, 5), kernel=3, padding=2), "padding"),
    (dict(kind="maxpool2d", input_shape=(1, 8, 8), kernel=2, padding=2), "padding"),
    (dict(kind="conv2d", input_shape=(1, 5, 5), kernel=3, out_channels=0), "out channels"),
    (dict(kind="conv2d", input_shape=(1, 0, 5), kernel=1), "input height"),
    (dict(kind="conv2d", input_shape=(1, 5, 5), kernel="3,x"), "kernel"),
])
def test_invalid_layers_say_which_parameter_to_change(args, param):
    with pytest.raises(ShapeError) as err:
        layer_output(**args)
    assert err.value.param == param
    assert param in str(err.value)


def test_cli_layer_json_and_errors(capsys):
    assert cli(["layer", "conv2d", "--input", "3,32,32", "--kernel", "3", "--out-channels", "16", "--json"]) == 0
    import json

    out = json.loads(capsys.readouterr().out)
    assert out["output"] == [16, 30, 30]
    assert cli(["layer", "maxpool2d", "--input", "3,33,33", "--kernel", "2", "--ceil-mode", "--json"]) == 0
    assert json.loads(capsys.readouterr().out)["output"] == [3, 17, 17]
    assert cli(["layer", "conv2d", "--input", "1,28,28", "--kernel", "3,5", "--stride", "2", "--padding", "1,2",
                "--dilation", "1,2"]) == 0
    assert "(1, 14, 12)" in capsys.readouterr().out
    assert cli(["layer", "conv2d", "--input", "1,5,5", "--kernel", "9"]) == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and "kernel" in err and "Traceback" not in err


def test_cli_layer_rejects_a_pool_with_out_channels(capsys):
    assert cli(["layer", "avgpool2d", "--input", "1,8,8", "--kernel", "2", "--out-channels", "3"]) == 2
    assert "--out-channels" in capsys.readouterr().err


def test_labError_is_the_base():
    assert issubclass(ShapeError, LabError)
