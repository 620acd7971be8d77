"""The drawing of the network follows the plan: one box per shape-changing layer, sizes
that follow H and the channels, the first Linear's in_features, the broken layer red."""

from __future__ import annotations

import re

from lab.config import ConvBlock, ModelConfig
from lab.model import preset
from lab.model.drawing import BROKEN, UNKNOWN, drawing_boxes, network_drawing_text, network_svg
from lab.model.plan import make_plan


def mnist_plan():
    return make_plan(preset("mnist_cnn", "mnist"), (1, 28, 28), 10)


def broken_plan():
    # five unpadded conv+pool blocks on 28x28: 26/13, 11/5, 3/1, then a 3x3 conv on 1x1
    return make_plan(ModelConfig(blocks=[ConvBlock(8) for _ in range(5)]), (1, 28, 28), 10)


def test_boxes_are_the_shape_changing_layers_with_the_plans_shapes():
    boxes = drawing_boxes(mnist_plan())
    assert [(b.name, b.shape) for b in boxes] == [
        ("input", (1, 28, 28)), ("block1.conv1", (32, 28, 28)), ("block1.pool", (32, 14, 14)),
        ("block2.conv1", (64, 14, 14)), ("block2.pool", (64, 7, 7)), ("block3.conv1", (128, 7, 7)),
        ("block3.pool", (128, 3, 3)), ("head.flatten", (1152,)), ("head.fc1", (128,)), ("head.out", (10,))]
    assert [b.name for b in boxes if b.first_linear] == ["head.flatten"]


def test_box_heights_follow_h_and_thickness_follows_the_channels():
    svg = network_svg(mnist_plan())
    rects = re.findall(r'<rect x="[\d.]+" y="[\d.]+" width="([\d.]+)" height="([\d.]+)"', svg)
    faces = [(float(w), float(h)) for w, h in rects[:7]]  # input, conv/pool x 3
    heights = [h for _, h in faces]
    assert heights[0] == heights[1] == 2 * heights[2]  # 28, 28, 14
    assert heights[2] == heights[3] and abs(heights[4] - heights[2] / 2) < 0.2  # 14, 14, 7
    widths = [w for w, _ in faces]
    assert widths[0] < widths[1] < widths[3] < widths[5]  # 1 < 32 < 64 < 128 channels
    assert "1152" in svg and "in_features" in svg and "32 × 28 × 28" in svg


def test_the_broken_layer_is_red_and_later_ones_unknown():
    svg = network_svg(broken_plan())
    assert svg.count(f'fill="{BROKEN}"') >= 1 and svg.count(f'fill="{UNKNOWN}"') >= 1
    boxes = drawing_boxes(broken_plan())
    broken = [b for b in boxes if b.broken]
    assert [b.name for b in broken] == ["block4.conv1"] and broken[0].label == "?"
    assert all(b.shape is None for b in boxes[boxes.index(broken[0]):])


def test_the_text_drawing_for_the_exported_docstring():
    text = network_drawing_text(mnist_plan())
    lines = text.splitlines()
    assert len(lines) == 11
    assert "input" in lines[1] and "|" + "=" * 28 + "|" in lines[1]
    assert "block1.pool" in lines[3] and "|" + "=" * 14 + "|" in lines[3]
    assert "1152" in lines[8] and "in_features" in lines[8]
    assert '"""' not in text and all(ord(ch) < 128 for ch in text)  # safe inside a docstring
    assert "BROKEN" in network_drawing_text(broken_plan())
