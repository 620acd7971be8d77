"""Inside a ready torchvision network (resnet18, mobilenet_v3_small, vgg11_bn): the receptive
field of every row of its plan, counted by hand, and the taps the Inside page reads, which are
the plan's rows (names, shapes, receptive fields) and the modules' real outputs.

Receptive fields grow as in ``lab.model.plan``: a layer with kernel k, dilation d adds
d*(k-1) * jump, where jump is the product of the strides before it; where branches meet
(ResNet's shortcut) the widest path counts."""

from __future__ import annotations

import pytest
import torch
from torch import nn

from lab.config import ExperimentConfig
from lab.errors import LabError
from lab.inspect import first_conv, inspect_tensor
from lab.inspect.taps import capture, model_plan, taps
from lab.model import PRESET_NAMES, build_model, preset, trace
from lab.model.checkpoint import Checkpoint
from lab.model.plan import make_plan
from lab.model.ready_plan import ready_plan
from lab.model.receptive import receptive_fields


def rf_of(plan) -> dict:
    return {s.name: s.rf for s in plan.steps()}


def test_resnet18_small_stem_on_32x32_by_hand():
    rf = rf_of(ready_plan(preset("resnet18"), (3, 32, 32), 10))
    # stem: conv1 3x3 s1 -> 3; the max-pool is an Identity with the small stem -> still 3
    assert rf["conv1"] == rf["relu"] == rf["maxpool"] == (3, 3)
    # layer1.0: two 3x3 convs at jump 1: 3 + 2 + 2 = 7; layer1.1: 7 + 2 + 2 = 11
    assert rf["layer1.0"] == (7, 7) and rf["layer1.1"] == (11, 11)
    # layer2.0: conv1 3x3 stride 2 at jump 1: 11 + 2 = 13, jump 2; conv2 3x3: 13 + 2*2 = 17.
    # Its shortcut (1x1 conv, stride 2) sees 11: the widest path, 17, counts
    assert rf["layer2.0"] == (17, 17)
    # layer2.1: +4 +4 = 25; layer3.0: +2*2 (stride 2 conv at jump 2) +2*4 = 37; layer3.1: +8 +8 = 53
    assert rf["layer2.1"] == (25, 25) and rf["layer3.0"] == (37, 37) and rf["layer3.1"] == (53, 53)
    # layer4.0: +2*4 +2*8 = 77; layer4.1: +16 +16 = 109; the global pooling keeps the last conv's, as head.gap does
    assert rf["layer4.0"] == (77, 77) and rf["layer4.1"] == (109, 109) and rf["avgpool"] == (109, 109)
    assert rf["fc"] is None  # after flatten a value sees everything: no map, no field (as make_plan)


def test_resnet18_original_stem_by_hand():
    cfg = preset("resnet18")
    cfg.stem = "original"
    rf = rf_of(ready_plan(cfg, (3, 64, 64), 10))
    # conv1 7x7 s2 -> 7, jump 2; max-pool 3x3 s2: 7 + 2*2 = 11, jump 4; layer1.0: 11 + 2*4 + 2*4 = 27
    assert rf["conv1"] == (7, 7) and rf["maxpool"] == (11, 11) and rf["layer1.0"] == (27, 27)


def test_mobilenet_v3_small_by_hand_and_squeeze_excitation_left_out():
    rf = rf_of(ready_plan(preset("mobilenet_v3_small"), (3, 32, 32), 10))
    # stem 3x3 s1 -> 3; features.1: depthwise 3x3 s2 -> 5, jump 2. Its squeeze-and-excitation
    # averages the whole map to rescale channels: counted, every value would see the whole image
    assert rf["features.0.0"] == (3, 3) and rf["features.1"] == (5, 5)
    # features.2: 1x1 expand, depthwise 3x3 s2 at jump 2: 5 + 4 = 9, jump 4; features.3: 3x3 s1: 9 + 8 = 17
    assert rf["features.2"] == (9, 9) and rf["features.3"] == (17, 17)
    # features.4: depthwise 5x5 s2 at jump 4: 17 + 4*4 = 33, jump 8
    assert rf["features.4"] == (33, 33)


def test_vgg11_bn_by_hand():
    rf = rf_of(ready_plan(preset("vgg11_bn"), (3, 32, 32), 10))
    # conv 3x3 -> 3; pool 2x2 s2: 3 + 1 = 4, jump 2; conv: 4 + 2*2 = 8; pool: 8 + 2 = 10, jump 4
    assert rf["features.0"] == (3, 3) and rf["features.3"] == (4, 4)
    assert rf["features.4"] == (8, 8) and rf["features.7"] == (10, 10)
    # two convs at jump 4: 10 + 8 + 8 = 26; pool: 26 + 4 = 30
    assert rf["features.11"] == (26, 26) and rf["features.14"] == (30, 30)


@pytest.mark.parametrize("name", PRESET_NAMES)
def test_the_traced_graph_gives_the_lab_plans_receptive_fields_for_its_own_networks(name):
    """The lab's presets: plain chains of convs and pools, and cifar_fast's residual block."""
    plan = make_plan(preset(name), (3, 32, 32), 10)
    model = build_model(preset(name), (3, 32, 32), 10)
    traced = receptive_fields(model, rows=("Residual",))
    compared = 0
    for block in plan.blocks:
        rows = ([block.add] + block.after) if block.shortcut else (block.body + block.after)
        for i, step in enumerate(rows):
            # the layers that widen the field; a ReLU before a max-pool runs after it (lab.model.block)
            if step.kind in ("conv", "maxpool", "avgpool", "add"):
                assert traced[f"block{block.index}.{i}"] == step.rf, step.name
                compared += 1
    assert compared >= 2


def test_the_architecture_table_shows_the_receptive_fields():
    layers = {layer.name: layer for layer in trace(preset("resnet18"), (1, 28, 28), 10).layers}
    assert layers["layer1.1"].receptive_field == (11, 11) and layers["fc"].receptive_field is None


TAPS = {  # (1, 28, 28): the names, the groups, the shapes, the receptive fields
    "resnet18": [("relu", "stem", (64, 28, 28), (3, 3)), ("layer1.1", "layer1", (64, 28, 28), (11, 11)),
                 ("layer2.1", "layer2", (128, 14, 14), (25, 25)), ("layer3.1", "layer3", (256, 7, 7), (53, 53)),
                 ("layer4.1", "layer4", (512, 4, 4), (109, 109))],
    # the last block before each stride-2 block, and the last 1x1 conv
    "mobilenet_v3_small": [("features.0.2", "stem", (16, 28, 28), (3, 3)),
                           ("features.1", "features.1", (16, 14, 14), (5, 5)),
                           ("features.3", "features.3", (24, 7, 7), (17, 17)),
                           ("features.8", "features.8", (48, 4, 4), (161, 161)),
                           ("features.12.2", "features.12", (576, 2, 2), (321, 321))],
    # each stage's max-pool; the small stem's fifth pool is an Identity, so its last ReLU
    "vgg11_bn": [("features.3", "stage1", (64, 14, 14), (4, 4)), ("features.7", "stage2", (128, 7, 7), (10, 10)),
                 ("features.14", "stage3", (256, 3, 3), (30, 30)), ("features.21", "stage4", (512, 1, 1), (70, 70)),
                 ("features.27", "stage5", (512, 1, 1), (134, 134))],
}


def checkpoint(arch: str, shape=(1, 28, 28)) -> Checkpoint:
    cfg = ExperimentConfig(model=preset(arch))
    torch.manual_seed(0)
    model = build_model(cfg.model, shape, 10).eval()
    return Checkpoint(model=model, config=cfg, classes=[str(i) for i in range(10)], mean=[0.0] * shape[0],
                      std=[1.0] * shape[0], input_shape=shape, dataset="mnist")


@pytest.mark.parametrize("arch", list(TAPS))
def test_the_taps_are_the_plans_rows_and_the_table_agrees(arch):
    ck = checkpoint(arch)
    tap_list = taps(ck.model, model_plan(ck))
    assert [(t.name, t.group, t.shape, t.receptive_field) for t in tap_list] == TAPS[arch]
    rows = {layer.name: layer for layer in trace(ck.config.model, (1, 28, 28), 10).layers}
    for tap in tap_list:  # the Architecture page's table: the same shape and field on the same row
        assert (tuple(rows[tap.name].output), rows[tap.name].receptive_field) == (tap.shape, tap.receptive_field)
        assert tap.module is ck.model.get_submodule(tap.name)


def test_resnet18s_feature_maps_are_its_layers_real_outputs_and_gradcam_reads_layer4():
    ck = checkpoint("resnet18")
    m = ck.model
    x = torch.randn(1, 1, 28, 28)
    look = inspect_tensor(ck, x)
    with torch.no_grad():
        stem = m.relu(m.bn1(m.conv1(x)))
        l1 = m.layer1(stem)
        l4 = m.layer4(m.layer3(m.layer2(l1)))
        logits = m(x)
    maps = {f.name: f.maps for f in look.features}
    assert torch.allclose(maps["relu"], stem[0], atol=1e-5) and torch.allclose(maps["layer1.1"], l1[0], atol=1e-5)
    assert torch.allclose(maps["layer4.1"], l4[0], atol=1e-5)
    assert torch.allclose(look.probabilities, torch.softmax(logits[0], 0), atol=1e-5)
    assert [f.tap.stage for f in look.features] == ["activation"] + ["block"] * 4
    assert look.gradcam[0].layer == "layer4.1" and tuple(look.gradcam[0].heat.shape) == (28, 28)
    assert first_conv(m)[0] == "conv1" and tuple(first_conv(m)[1].weight.shape) == (64, 1, 3, 3)
    assert look.layers()[1] == {"name": "layer1.1", "stage": "block", "output": [64, 28, 28],
                                "receptive_field": [11, 11], "group": "layer1"}


def test_vgg_on_28x28_takes_gradcam_from_its_last_map_with_room_and_every_arch_answers():
    assert inspect_tensor(checkpoint("vgg11_bn"), torch.randn(1, 1, 28, 28)).gradcam[0].layer == "features.14"
    look = inspect_tensor(checkpoint("mobilenet_v3_small", (3, 32, 32)), torch.randn(1, 3, 32, 32))
    assert [f.name for f in look.features][-1] == "features.12.2" and look.gradcam[0].layer == "features.12.2"
    assert abs(float(look.probabilities.sum()) - 1) < 1e-5


def test_the_hooks_see_an_inplace_relu_before_later_layers_could_touch_it():
    """torchvision's ReLUs work in place: the stem's tapped map must still be the stem's output
    after the whole forward pass (the blocks add into their own tensors, never their input)."""
    ck = checkpoint("resnet18")
    tap_list = taps(ck.model, model_plan(ck))
    x = torch.randn(1, 1, 28, 28)
    with torch.no_grad(), capture(tap_list) as outputs:
        ck.model(x)
        expected = ck.model.relu(ck.model.bn1(ck.model.conv1(x)))
    assert torch.equal(outputs["relu"], expected)


def test_a_model_that_is_not_its_plans_network_is_refused_with_the_message():
    ck = checkpoint("resnet18")
    plan = model_plan(ck)
    with pytest.raises(LabError, match="not built by CNN Lab"):
        taps(nn.Sequential(nn.Conv2d(1, 2, 3)), plan)


def test_the_plan_is_remembered_per_architecture_and_input():
    """The Inside page asks on every stroke; a ready plan costs a meta pass and a graph trace."""
    first, again = checkpoint("resnet18"), checkpoint("resnet18")
    assert model_plan(first) is model_plan(again)
    other = checkpoint("resnet18", (3, 32, 32))
    assert model_plan(other) is not model_plan(first) and model_plan(other).input_shape == (3, 32, 32)
