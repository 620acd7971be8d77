"""The inside view's engine: feature maps are the layers' real outputs, Grad-CAM and
occlusion find the evidence where a synthetic task put it, filters round-trip."""

from __future__ import annotations

import pytest
import torch
import torch.nn.functional as F

from lab.config import ConvBlock, ModelConfig
from lab.errors import LabError
from lab.inspect import first_filters, inspect_tensor, load_initial_filters, occlusion, save_initial_filters, taps
from lab.inspect.taps import model_plan
from lab.model import trace
from test_inspect_support import SQUARE, corner_checkpoint, corner_images, lab_checkpoint, normalised


@pytest.fixture(autouse=True)
def _one_thread():
    threads = torch.get_num_threads()
    torch.set_num_threads(1)
    yield
    torch.set_num_threads(threads)


def small_model():
    """Conv+BN+ReLU+max pool, then a residual block (2 convs, a 1x1 shortcut) with avg pool."""
    cfg = ModelConfig(blocks=[ConvBlock(4, padding=1, batchnorm=True),
                              ConvBlock(6, padding=1, convs=2, residual=True, pool="avg", activation="tanh")])
    ck = lab_checkpoint(cfg, shape=(1, 12, 12), classes=3, seed=3)
    for m in ck.model.modules():  # non-trivial BatchNorm statistics, so "eval" really differs from "train"
        if isinstance(m, torch.nn.BatchNorm2d):
            m.running_mean.uniform_(-0.5, 0.5)
            m.running_var.uniform_(0.5, 2.0)
    return ck


def manual_forward(model, x):
    """The same layers as plain functional calls on the modules' weights."""
    b1, b2 = model.block1, model.block2
    conv, bn = b1[0], b1[1]
    a = F.conv2d(x, conv.weight, conv.bias, padding=1)
    a = F.batch_norm(a, bn.running_mean, bn.running_var, bn.weight, bn.bias, False, 0.0, bn.eps)
    act1 = F.relu(a)
    pool1 = F.max_pool2d(act1, 2)
    body, short = b2[0].body, b2[0].shortcut
    h = torch.tanh(F.conv2d(pool1, body[0].weight, body[0].bias, padding=1))
    h = F.conv2d(h, body[2].weight, body[2].bias, padding=1)
    s = F.conv2d(pool1, short.weight, short.bias)
    act2 = torch.tanh(h + s)
    pool2 = F.avg_pool2d(act2, 2)
    return {"block1.act1": act1, "block1.pool": pool1, "block2.act1": torch.tanh(F.conv2d(
        pool1, body[0].weight, body[0].bias, padding=1)), "block2.act2": act2, "block2.pool": pool2}


def test_feature_maps_equal_a_manual_forward_pass_exactly():
    ck = small_model()
    x = torch.randn(1, 1, 12, 12, generator=torch.Generator().manual_seed(0))
    look = inspect_tensor(ck, x)
    expected = manual_forward(ck.model, x)
    assert [f.name for f in look.features] == list(expected)
    for f in look.features:
        assert torch.equal(f.maps, expected[f.name][0]), f.name
    with torch.no_grad():
        assert torch.allclose(look.probabilities, torch.softmax(ck.model(x)[0], 0), atol=1e-6)
    assert float(look.probabilities.sum()) == pytest.approx(1.0, abs=1e-6)


def test_each_tap_has_the_tracers_shape_and_receptive_field():
    ck = small_model()
    rows = {layer.name: layer for layer in trace(ck.config.model, ck.input_shape, 3).layers}
    tap_list = taps(ck.model, model_plan(ck))
    assert [(t.name, t.stage) for t in tap_list] == [
        ("block1.act1", "activation"), ("block1.pool", "pool"), ("block2.act1", "activation"),
        ("block2.act2", "activation"), ("block2.pool", "pool")]
    for tap in tap_list:
        assert tap.shape == rows[tap.name].output and tap.receptive_field == rows[tap.name].receptive_field
    assert [t.shape for t in tap_list] == [(4, 12, 12), (4, 6, 6), (6, 6, 6), (6, 6, 6), (6, 3, 3)]
    assert tap_list[0].receptive_field == (3, 3) and tap_list[-1].receptive_field == (14, 14)


def test_channels_are_ordered_strongest_first():
    ck = small_model()
    look = inspect_tensor(ck, torch.randn(1, 1, 12, 12, generator=torch.Generator().manual_seed(1)))
    for f in look.features:
        strength = f.maps.abs().mean(dim=(1, 2))
        assert sorted(f.order) == list(range(f.maps.shape[0]))
        assert f.response == pytest.approx(sorted(strength.tolist(), reverse=True))
        assert f.response[0] > f.response[-1]


def test_a_model_the_lab_did_not_build_is_refused():
    ck = small_model()
    ck.model = torch.nn.Sequential(torch.nn.Conv2d(1, 2, 3), torch.nn.Flatten(), torch.nn.LazyLinear(3))
    with pytest.raises(LabError, match="not built by CNN Lab"):
        inspect_tensor(ck, torch.zeros(1, 1, 12, 12))


def test_a_wrong_input_shape_is_refused():
    with pytest.raises(LabError, match="shape"):
        inspect_tensor(small_model(), torch.zeros(1, 1, 28, 28))


@pytest.fixture(scope="module")
def corner():
    torch.set_num_threads(1)
    ck = corner_checkpoint()
    x, y = corner_images(200, seed=7)
    with torch.no_grad():
        accuracy = float((ck.model(normalised(ck, x)).argmax(1) == y).float().mean())
    assert accuracy > 0.95  # the model has learnt the task, so its evidence is the corner
    return ck, x, y


def test_gradcam_peaks_in_the_corner_that_decides_the_class(corner):
    ck, x, y = corner
    hits = 0
    images = [i for i in range(len(y)) if y[i] == 1][:20]
    for i in images:
        look = inspect_tensor(ck, normalised(ck, x[i]))
        cam = next(g for g in look.gradcam if g.class_index == 1)
        assert cam.heat.shape == (16, 16) and float(cam.heat.max()) == pytest.approx(1.0)
        row, col = divmod(int(cam.heat.argmax()), 16)
        hits += row < SQUARE + 2 and col < SQUARE + 2
        # the corner holds more of the class's evidence than the distractor square does
    assert hits >= 0.9 * len(images), f"Grad-CAM peaked in the corner on {hits}/{len(images)}"


def test_occlusion_drop_is_largest_over_the_corner(corner):
    ck, x, y = corner
    images = [i for i in range(len(y)) if y[i] == 1][:10]
    for i in images:
        occ = occlusion(ck.model, normalised(ck, x[i]), 1, patch=4, stride=2)
        assert occ.drop.shape == (16, 16) and occ.base > 0.5
        row, col = occ.peak
        assert row < SQUARE + 2 and col < SQUARE + 2, (i, occ.peak)
        assert float(occ.drop.max()) > 0.3  # hiding the corner really changes the answer


def test_initial_filters_round_trip_and_a_missing_file_is_none(tmp_path):
    ck = small_model()
    before = first_filters(ck.model)
    save_initial_filters(tmp_path, ck.model)
    with torch.no_grad():
        ck.model.block1[0].weight.add_(1.0)  # "training"
    loaded = load_initial_filters(tmp_path)
    assert torch.equal(loaded, before) and not torch.equal(loaded, first_filters(ck.model))
    assert load_initial_filters(tmp_path / "no-such-run") is None
    assert load_initial_filters(None) is None


def test_a_poisoned_initial_filters_file_is_never_unpickled(tmp_path):
    from test_predict_model import Payload

    marker = tmp_path / "pwned"
    torch.save({"format": "cnn-lab-initial-filters", "weight": Payload(marker)}, tmp_path / "initial_filters.pt")
    assert load_initial_filters(tmp_path) is None
    assert not marker.exists()


def test_with_a_gap_head_the_heat_map_is_classic_gradcam():
    """Element-wise weighting (HiResCAM) equals Grad-CAM's channel-mean weights when the
    gradient is the same at every position, as behind global average pooling."""
    from lab.inspect.taps import capture

    ck = lab_checkpoint(ModelConfig(blocks=[ConvBlock(5, padding=1, pool="none")], head="gap"), seed=4)
    x = torch.randn(1, 1, 16, 16, generator=torch.Generator().manual_seed(2))
    look = inspect_tensor(ck, x)
    tap_list = taps(ck.model, model_plan(ck))
    xx = x.clone().requires_grad_(True)
    with capture(tap_list) as out:
        logits = ck.model(xx)[0]
    for cam in look.gradcam:
        a = out[cam.layer]
        g = torch.autograd.grad(logits[cam.class_index], a, retain_graph=True)[0]
        classic = F.relu((g.mean(dim=(2, 3), keepdim=True) * a).sum(1, keepdim=True))
        classic = F.interpolate(classic, size=(16, 16), mode="bilinear", align_corners=False)[0, 0].detach()
        expected = classic / classic.max() if float(classic.max()) > 0 else classic
        assert float(expected.max()) == 1.0 and torch.allclose(cam.heat, expected, atol=1e-5)


def test_pictures_put_the_strongest_channel_first_and_rgb_filters_side_by_side():
    from lab.inspect import images

    ck = small_model()
    look = inspect_tensor(ck, torch.randn(1, 1, 12, 12, generator=torch.Generator().manual_seed(5)))
    fm = look.features[0]  # 4 channels of 12x12
    grid = images.feature_grid(fm, columns=4, tile_px=12)
    first = grid[:12, :12]
    assert (first == images.to_u8(fm.maps[fm.order[0]], float(fm.maps.min()), float(fm.maps.max()))).all()
    assert grid.shape == (12, 4 * 12 + 3)  # four tiles, three 1-px gaps
    rgb = torch.randn(8, 3, 3, 3)
    tiles = images.filter_tiles(rgb)
    assert tiles.shape == (24, 3, 3) and (tiles.min() == 0 or tiles.max() == 255)  # the largest |w| is black or white
    assert images.filter_grid(rgb, tile_px=3).shape == (2 * 3 + 1, 15 * 3 + 14)  # 5 filters x RGB a row
    heat = images.overlay(torch.zeros(1, 4, 4, dtype=torch.uint8), torch.ones(4, 4), side=8)
    assert heat.shape == (8, 8, 3) and tuple(heat[0, 0]) != (0, 0, 0)
