"""The architecture builder: the tracer's numbers are what a real forward pass does, the
exported code is the model the lab trains, and a broken architecture says what to change."""

from __future__ import annotations

import json
import random

import pytest
import torch
from torch import nn

from lab.cli import main as cli
from lab.config import ConvBlock, ExperimentConfig, ModelConfig, from_dict, to_dict
from lab.errors import LabError
from lab.model import PRESET_NAMES, build_model, model_source, preset, recommended_preset, trace
from lab.model.layers import Residual

SHAPES = {"mnist": (1, 28, 28), "fashion-mnist": (1, 28, 28), "cifar10": (3, 32, 32)}


@pytest.fixture(autouse=True)
def _no_grad_one_thread():
    """Small models on one or two images: threads cost more than they give. Restored after."""
    before = torch.get_num_threads()
    torch.set_num_threads(1)
    with torch.no_grad():
        yield
    torch.set_num_threads(before)


def observed_layers(model: nn.Module, shape) -> list[tuple[tuple, int]]:
    """(output shape without batch, parameter count) of every leaf module, in the order it ran."""
    seen = []
    hooks = [m.register_forward_hook(lambda m, i, o: seen.append((tuple(o.shape[1:]), _own_params(m))))
             for m in model.modules() if not list(m.children())]
    model.eval()(torch.randn(1, *shape))
    for h in hooks:
        h.remove()
    return seen


def _own_params(m: nn.Module) -> int:
    return sum(p.numel() for p in m.parameters())


def observed_macs(model: nn.Module, shape) -> int:
    macs = []

    def hook(m, i, o):
        if isinstance(m, nn.Conv2d):
            macs.append(o[0].numel() * m.in_channels // m.groups * m.kernel_size[0] * m.kernel_size[1])
        elif isinstance(m, nn.Linear):
            macs.append(m.in_features * m.out_features)

    hooks = [m.register_forward_hook(hook) for m in model.modules()]
    model.eval()(torch.randn(1, *shape))
    for h in hooks:
        h.remove()
    return sum(macs)


def assert_trace_matches_forward(cfg: ModelConfig, shape, classes: int) -> None:
    tr = trace(cfg, shape, classes)
    model = build_model(cfg, shape, classes)
    expected = [(layer.output, layer.params) for layer in tr.layers if layer.kind != "add"]
    assert observed_layers(model, shape) == expected
    assert tr.total_params == sum(p.numel() for p in model.parameters())
    assert tr.total_macs == observed_macs(model, shape)
    assert tr.layers[-1].output == (classes,)


@pytest.mark.parametrize("name", PRESET_NAMES)
@pytest.mark.parametrize("dataset", list(SHAPES))
def test_every_preset_traces_what_a_forward_pass_does(name, dataset):
    cfg = preset(name, dataset)
    assert_trace_matches_forward(cfg, SHAPES[dataset], 10)
    assert trace(cfg, SHAPES[dataset], 10).ok


def random_spec(rng: random.Random) -> ModelConfig:
    def num(low, high):
        a = rng.randint(low, high)
        return a if rng.random() < 0.7 else [a, rng.randint(low, high)]

    blocks = []
    for _ in range(rng.randint(1, 5)):
        k, d = num(1, 5), rng.choice([1, 1, num(1, 2)])
        kk = k if isinstance(k, list) else [k, k]
        dd = d if isinstance(d, list) else [d, d]
        same = [dd[i] * (kk[i] - 1) // 2 for i in range(2)]  # size-keeping padding (odd kernels)
        blocks.append(ConvBlock(
            filters=rng.choice([2, 4, 6, 8]), kernel=k, stride=rng.choice([1, 1, 1, num(1, 2)]),
            padding=rng.choice([0, same, same, rng.randint(0, 1)]), dilation=d,
            convs=rng.randint(1, 3), batchnorm=rng.random() < 0.5,
            activation=rng.choice(["relu", "leaky_relu", "gelu", "elu", "silu", "tanh", "sigmoid", "none"]),
            residual=rng.random() < 0.3, pool=rng.choice(["none", "max", "avg"]), pool_size=rng.randint(1, 3),
            dropout=rng.choice([0.0, 0.2])))
    return ModelConfig(preset="random", blocks=blocks, head=rng.choice(["flatten", "gap"]),
                       hidden=rng.choice([[], [16], [32, 8]]), head_dropout=rng.choice([0.0, 0.3]),
                       head_activation=rng.choice(["relu", "tanh", "none"]))


def test_random_specs_trace_like_the_real_model_or_fail_with_the_layer_named():
    rng = random.Random(5)
    built = broken = 0
    for _ in range(150):
        cfg = random_spec(rng)
        shape = rng.choice([(1, 28, 28), (3, 32, 32), (2, 17, 23)])
        tr = trace(cfg, shape, rng.randint(2, 12))
        if tr.ok:
            assert_trace_matches_forward(cfg, shape, tr.num_classes)
            built += 1
        else:
            with pytest.raises(LabError) as err:
                build_model(cfg, shape, tr.num_classes)
            bad = tr.first_problem
            assert str(err.value) == bad.problem
            assert str(err.value).startswith(f"block {bad.block}, ")
            assert all(layer.output is None for layer in tr.layers[tr.layers.index(bad):])
            broken += 1
    assert built > 50 and broken > 20, (built, broken)


def exec_source(source: str) -> type:
    namespace: dict = {}
    exec(compile(source, "<generated>", "exec"), namespace)
    return namespace["Net"]


@pytest.mark.parametrize("name", PRESET_NAMES)
def test_exported_code_is_the_model_the_lab_trains(name):
    shape = SHAPES["cifar10"]
    cfg = preset(name, "cifar10")
    source = model_source(cfg, shape, 10)
    assert "import torch\nfrom torch import nn" in source and "lab" not in source.split("class")[0]
    theirs = exec_source(source)()
    ours = build_model(cfg, shape, 10)
    assert sum(p.numel() for p in theirs.parameters()) == sum(p.numel() for p in ours.parameters())
    theirs.load_state_dict(ours.state_dict())  # same names and shapes, strictly
    x = torch.randn(3, *shape)
    assert torch.allclose(theirs.eval()(x), ours.eval()(x), atol=1e-5)


def test_exported_code_round_trips_random_specs():
    rng = random.Random(11)
    done = 0
    while done < 25:
        cfg, shape = random_spec(rng), (3, 32, 32)
        if not trace(cfg, shape, 7).ok:
            continue
        theirs, ours = exec_source(model_source(cfg, shape, 7))(), build_model(cfg, shape, 7)
        theirs.load_state_dict(ours.state_dict())
        assert tuple(theirs(torch.randn(2, *shape)).shape) == (2, 7)
        done += 1


def test_the_first_linear_in_features_is_computed():
    # pytorch/examples' MNIST net hard-codes nn.Linear(9216, 128): 64 x 12 x 12 after two convs and a pool
    cfg = ModelConfig(blocks=[ConvBlock(32, pool="none"), ConvBlock(64, pool="max")], hidden=[128])
    tr = trace(cfg, (1, 28, 28), 10)
    assert tr.flatten_features == 9216
    assert "nn.Linear(9216, 128)" in model_source(cfg, (1, 28, 28), 10)
    # the course baseline: 32 x 13 x 13
    assert trace(preset("baseline"), (1, 28, 28), 10).flatten_features == 5408
    assert trace(preset("baseline"), (1, 28, 28), 10).total_params == 54_410


def test_receptive_field_grows_as_expected():
    tr = trace(preset("mnist_cnn"), (1, 28, 28), 10)
    rf = {layer.name: layer.receptive_field for layer in tr.layers}
    assert rf["block1.conv1"] == (3, 3) and rf["block1.pool"] == (4, 4) and rf["block2.conv1"] == (8, 8)
    dilated = trace(ModelConfig(blocks=[ConvBlock(8, kernel=3, dilation=2, pool="none")]), (1, 28, 28), 10)
    assert dilated.layers[0].receptive_field == (5, 5)


def test_residual_block_uses_identity_or_a_1x1_projection():
    same = ModelConfig(blocks=[ConvBlock(8, padding=1, pool="none"), ConvBlock(8, padding=1, convs=2, residual=True)])
    model = build_model(same, (1, 16, 16), 3)
    assert isinstance(model.block2[0], Residual) and isinstance(model.block2[0].shortcut, nn.Identity)
    grow = ModelConfig(blocks=[ConvBlock(16, padding=1, stride=2, convs=2, residual=True)])
    model = build_model(grow, (3, 16, 16), 3)
    assert isinstance(model.block1[0].shortcut, nn.Conv2d) and model.block1[0].shortcut.stride == (4, 4)
    assert_trace_matches_forward(grow, (3, 16, 16), 3)


@pytest.mark.parametrize("cfg, where, words", [
    (ModelConfig(blocks=[ConvBlock(8, kernel=29)]), "block 1, conv1", "padding (14 keeps the size)"),
    (ModelConfig(blocks=[ConvBlock(8)] * 5), "block 4, conv1", "remove a pooling"),
    (ModelConfig(blocks=[ConvBlock(8, padding=1)] * 6), "block 5, pool", "pool to none"),
    (ModelConfig(blocks=[ConvBlock(8, padding=1, residual=True)]), "block 1, add", "convs to 2"),
    (ModelConfig(blocks=[ConvBlock(8, convs=2, residual=True)]), "block 1, add", "padding to 1"),
    (ModelConfig(blocks=[ConvBlock(8, kernel=3, padding=3)]), "block 1, conv1", "padding to 1 or less"),
])
def test_a_broken_architecture_names_the_layer_and_the_fix(cfg, where, words):
    tr = trace(cfg, (1, 28, 28), 10)
    assert not tr.ok
    assert tr.first_problem.problem.startswith(where + ":")
    assert words in tr.first_problem.problem
    with pytest.raises(LabError, match=where):
        build_model(cfg, (1, 28, 28), 10)


def test_hints_are_rules_of_thumb_not_errors():
    cfg = ModelConfig(blocks=[ConvBlock(8, kernel=9, padding=3, stride=3, pool="none"), ConvBlock(64, pool="none")]
                      + [ConvBlock(64, padding=1, pool="none")] * 6)
    tr = trace(cfg, (3, 64, 64), 10)
    assert tr.ok
    codes = {h.code for h in tr.hints}
    assert codes == {"kernel_big", "padding_big", "stride_big", "filters_jump", "many_blocks"}
    many_pools = trace(ModelConfig(blocks=[ConvBlock(8, padding=1)] * 6), (1, 28, 28), 10)
    assert "many_pools" in {h.code for h in many_pools.hints}
    assert not trace(preset("cifar_fast"), (3, 32, 32), 10).hints


def test_invalid_config_values_are_config_errors_with_the_field():
    with pytest.raises(LabError, match=r"model.blocks\[0\].filters"):
        from_dict(ModelConfig, {"blocks": [{"filters": 0}]}, "model")
    with pytest.raises(LabError, match="unknown field"):
        from_dict(ModelConfig, {"blocks": [{"filter": 3}]}, "model")
    with pytest.raises(LabError, match="1 to 10"):
        build_model(ModelConfig(blocks=[]), (1, 28, 28), 10)
    with pytest.raises(LabError, match="input shape"):
        build_model(preset("baseline"), (1, 0, 28), 10)
    with pytest.raises(LabError, match="unknown preset"):
        preset("resnet152")


def test_presets_round_trip_through_json_and_recommendations():
    for name in PRESET_NAMES:
        cfg = preset(name, "mnist")
        assert from_dict(ModelConfig, json.loads(json.dumps(to_dict(cfg)))) == cfg
        exp = ExperimentConfig(model=cfg)
        assert ExperimentConfig.from_json(exp.to_json()).model == cfg
    assert recommended_preset("mnist") == "mnist_cnn"
    assert recommended_preset("Fashion_MNIST") == "fashion_cnn"
    assert recommended_preset("cifar10") == "cifar_cnn"
    assert recommended_preset("/some/folder") in PRESET_NAMES
    # the fast CIFAR net stays small: the 10-minutes-on-2-cores goal needs few multiply-adds
    assert trace(preset("cifar_fast"), (3, 32, 32), 10).total_macs < 15_000_000


def test_cli_model_json_code_and_errors(tmp_path, capsys):
    assert cli(["model", "--preset", "baseline", "--input", "1,28,28", "--json"]) == 0
    out = json.loads(capsys.readouterr().out)
    assert out["total_params"] == 54_410 and out["layers"][0]["name"] == "block1.conv1"
    assert out["layers"][0]["output"] == [32, 26, 26] and out["layers"][-1]["output"] == [10]
    assert {"name", "output", "params", "macs"} <= set(out["layers"][0])
    assert cli(["model", "--preset", "cifar_fast", "--input", "3,32,32", "--code"]) == 0
    exec_source(capsys.readouterr().out)
    spec = tmp_path / "spec.json"
    spec.write_text(json.dumps(to_dict(ModelConfig(blocks=[ConvBlock(8)] * 5))))
    assert cli(["model", "--spec", str(spec), "--input", "1,28,28", "--classes", "3"]) == 2
    captured = capsys.readouterr()
    assert "block 4, conv1" in captured.err and captured.err.count("\n") == 1
    assert "^^ block 4, conv1" in captured.out
    spec.write_text(ExperimentConfig(model=preset("lenet5")).to_json())  # a whole experiment works too
    assert cli(["model", "--spec", str(spec), "--input", "1,28,28", "--json"]) == 0
    assert json.loads(capsys.readouterr().out)["layers"][-3]["output"] == [84]
    spec.write_text("{not json")
    assert cli(["model", "--spec", str(spec), "--input", "1,28,28"]) == 2
    assert "not valid JSON" in capsys.readouterr().err


@pytest.mark.parametrize("dataset,shape", [("mnist", (1, 28, 28)), ("fashion-mnist", (1, 28, 28)),
                                           ("cifar10", (3, 32, 32))])
def test_no_preset_trips_the_labs_own_rules_of_thumb(dataset, shape):
    """LeNet-5's 6 -> 16 filters is the classic, not 'unusual'."""
    from lab.model import PRESET_NAMES

    for name in PRESET_NAMES:
        tr = trace(preset(name, dataset), shape, 10)
        assert tr.ok and not tr.hints, (name, [h.code for h in tr.hints])


def test_a_pooling_at_one_pixel_never_suggests_a_pool_size_of_one():
    cfg = ModelConfig(blocks=[ConvBlock(8, padding=1)] * 5)  # 28 -> 14 -> 7 -> 3 -> 1, then a pool at 1x1
    text = trace(cfg, (1, 28, 28), 10).first_problem.problem
    assert "1x1" in text and "pool to none" in text and "pool_size" not in text  # was "pool_size to 1 or less"
