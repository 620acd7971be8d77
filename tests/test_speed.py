"""How close a run is to the machine's peak: multiply-adds per image (against a hand count and
torch's own FLOP counter), the cached per-machine calibration, and the figures every run reports."""

from __future__ import annotations

import json

import pytest
import torch
import torch.nn.functional as F
from torch.utils.flop_counter import FlopCounterMode

from lab.config import ConvBlock, ExperimentConfig, ModelConfig
from lab.model import build_model, preset
from lab.model.plan import make_plan
from lab.train import speed

torch.set_num_threads(1)


def counted_macs(model: torch.nn.Module, shape, batch: int = 2, backward: bool = True) -> float:
    """Multiply-adds per image by torch's FLOP counter (2 FLOPs each), forward and backward."""
    model.train()
    x = torch.randn(batch, *shape)
    y = torch.zeros(batch, dtype=torch.long)
    with FlopCounterMode(display=False) as counter:
        loss = F.cross_entropy(model(x), y)
        if backward:
            loss.backward()
    return counter.get_total_flops() / 2 / batch


def default_dtype() -> str:
    """A default run autocasts to bfloat16 where the CPU has it natively, else stays in float32."""
    from lab.train.device import bf16_support

    return "bfloat16" if bf16_support(torch.device("cpu")) else "float32"


def residual_first() -> ModelConfig:
    # a residual block straight on the images, changing channels: its 1x1 shortcut reads the
    # images too, so neither it nor the first conv needs an input gradient
    return ModelConfig(preset="custom", blocks=[
        ConvBlock(filters=8, kernel=3, padding=1, convs=2, batchnorm=True, residual=True, pool="max", pool_size=2),
        ConvBlock(filters=16, kernel=3, padding=1, convs=2, residual=True, pool="none"),
    ], hidden=[32])


def test_the_baselines_multiply_adds_are_the_hand_count():
    plan = make_plan(preset("baseline", "mnist"), (1, 28, 28), 10)
    conv = 32 * 26 * 26 * (1 * 3 * 3)  # outputs x (inputs x kernel) each
    linear = 32 * 13 * 13 * 10
    assert speed.forward_macs(plan) == conv + linear == 248_768
    # training: the weight gradients cost a forward each; the conv reads the images, so no input gradient
    assert speed.train_macs(plan) == 2 * conv + 3 * linear


@pytest.mark.parametrize("name, model_cfg, shape", [
    ("baseline", preset("baseline", "mnist"), (1, 28, 28)),
    ("mnist_cnn", preset("mnist_cnn", "mnist"), (1, 28, 28)),
    ("lenet5", preset("lenet5", "mnist"), (1, 28, 28)),
    ("cifar_fast", preset("cifar_fast", "cifar10"), (3, 32, 32)),
    ("residual_first", residual_first(), (3, 32, 32)),
])
def test_multiply_adds_equal_torchs_flop_counter(name, model_cfg, shape):
    plan = make_plan(model_cfg, shape, 10)
    model = build_model(model_cfg, shape, 10)
    assert speed.forward_macs(plan) == counted_macs(model, shape, backward=False), name
    assert speed.train_macs(plan) == counted_macs(model, shape), name


def test_calibration_is_measured_once_then_read_from_the_cache(tmp_path):
    plan = make_plan(preset("baseline", "mnist"), (1, 28, 28), 10)
    cache = tmp_path / "speed.json"
    rng = torch.get_rng_state()
    first = speed.calibrate(plan, 64, torch.device("cpu"), cache=cache, refresh_loaded=False)
    assert torch.equal(torch.get_rng_state(), rng)  # a run's dropout draws do not depend on the cache
    assert not first["cached"] and cache.is_file()
    # every layer the step runs, in the lab's order: the ReLU after the pool (lab.model.block)
    assert [layer["name"] for layer in first["layers"]] == ["block1.conv1", "block1.pool", "block1.act1",
                                                            "head.flatten", "head.out"]
    compute = [layer for layer in first["layers"] if layer["kind"] in ("conv", "linear")]
    assert sum(layer["share"] for layer in compute) == pytest.approx(1.0)
    # a 2-core machine does between 10 million and 10 trillion multiply-adds a second
    assert 1e7 < first["peak_macs_per_sec"] < 1e13
    # all the layers alone: the convs and Linears at their peak, plus the pooling, ReLU and flatten
    at_peak = 64 * speed.train_macs(plan) / first["peak_macs_per_sec"]
    assert first["layers_seconds"] == pytest.approx(sum(layer["seconds"] for layer in first["layers"]))
    assert first["layers_seconds"] > at_peak and all(layer["seconds"] > 0 for layer in first["layers"])
    stored = json.loads(cache.read_text())
    assert len(stored["layers"]) == 5 and all(e["batch"] == 64 for e in stored["layers"].values())
    second = speed.calibrate(plan, 64, torch.device("cpu"), cache=cache, refresh_loaded=False)
    assert second["cached"] and second["peak_macs_per_sec"] == first["peak_macs_per_sec"]
    assert second["layers_seconds"] == first["layers_seconds"]
    # another batch size is another measurement, kept beside the first
    third = speed.calibrate(plan, 32, torch.device("cpu"), cache=cache, refresh_loaded=False)
    assert not third["cached"] and len(json.loads(cache.read_text())["layers"]) == 10
    # the model's peak lies between its slowest and its fastest layer's
    rates = [layer["macs_per_sec"] for layer in compute]
    assert min(rates) <= first["peak_macs_per_sec"] <= max(rates)


def test_every_layer_is_timed_at_the_shape_and_in_the_order_the_lab_runs_it():
    plan = make_plan(residual_first(), (3, 32, 32), 10)
    steps = [(s.name, shape, reads) for s, shape, reads in speed.layer_steps(plan)]
    assert steps[:8] == [
        ("block1.conv1", (3, 32, 32), True), ("block1.bn1", (8, 32, 32), False), ("block1.act1", (8, 32, 32), False),
        ("block1.conv2", (8, 32, 32), False), ("block1.bn2", (8, 32, 32), False),
        ("block1.shortcut", (3, 32, 32), True),  # the 1x1 shortcut reads the images too
        ("block1.pool", (8, 32, 32), False), ("block1.act2", (8, 16, 16), False)]  # ReLU on the pooled map
    # the second block's 1x1 shortcut reads the block's input; the residual adds are left out
    assert ("block2.shortcut", (8, 16, 16), False) in steps and not any(n.endswith(".add") for n, _, _ in steps)
    assert steps[-4:] == [("head.flatten", (16, 16, 16), False), ("head.fc1", (4096,), False),
                          ("head.act1", (32,), False), ("head.out", (32,), False)]
    assert [s.name for s, _, _ in speed.compute_steps(plan)] == [
        "block1.conv1", "block1.conv2", "block1.shortcut", "block2.conv1", "block2.conv2", "block2.shortcut",
        "head.fc1", "head.out"]


def test_a_layer_measured_under_heavy_load_is_measured_again_and_the_best_rate_kept(tmp_path, monkeypatch):
    plan = make_plan(preset("baseline", "mnist"), (1, 28, 28), 10)
    cache = tmp_path / "speed.json"
    speed.calibrate(plan, 64, torch.device("cpu"), cache=cache, refresh_loaded=False)
    stored = json.loads(cache.read_text())
    for entry in stored["layers"].values():  # as if measured at load 50 and 1,000x too slow
        entry["load_average"] = 50.0
        if "macs_per_sec" in entry:
            entry["macs_per_sec"] /= 1000
        else:
            entry["seconds"] *= 1000
    cache.write_text(json.dumps(stored))
    low = {k: e.get("macs_per_sec") for k, e in stored["layers"].items()}
    slow = {k: e.get("seconds") for k, e in stored["layers"].items()}
    monkeypatch.setattr(speed, "load_average", lambda: 0.5)  # quiet now
    again = speed.calibrate(plan, 64, torch.device("cpu"), cache=cache)
    assert not again["cached"]
    fresh = json.loads(cache.read_text())["layers"]
    assert all(fresh[k]["load_average"] == 0.5 for k in low)
    assert all(fresh[k]["macs_per_sec"] > 10 * low[k] for k in low if low[k])
    assert all(fresh[k]["seconds"] < slow[k] / 10 for k in slow if slow[k])
    # measured at a quiet moment: read from the cache from now on
    assert speed.calibrate(plan, 64, torch.device("cpu"), cache=cache)["cached"]


def test_native_bf16_is_what_the_cpu_flags_say():
    from lab.train.device import amp_dtype, bf16_support, cpu_flags

    flags = cpu_flags()
    found = bf16_support(torch.device("cpu"))
    if "amx_bf16" in flags:
        assert found == "amx_bf16"
    elif "avx512_bf16" in flags:
        assert found == "avx512_bf16"
    else:
        assert found is None
    assert bf16_support(torch.device("meta")) is None
    # mixed precision on the CPU means bf16 where it is native, float32 elsewhere
    assert amp_dtype(torch.device("cpu"), True) == (torch.bfloat16 if found else None)
    assert amp_dtype(torch.device("cpu"), False) is None


AMX_CPU = frozenset({"avx2", "avx512f", "avx512_vnni", "avx512_bf16", "amx_tile", "amx_bf16"})
AVX2_CPU = frozenset({"avx", "avx2", "fma"})  # an AMD laptop or an older Intel one


@pytest.mark.parametrize("cap, native", [
    (None, "amx_bf16"), ("AVX512_CORE_AMX", "amx_bf16"), ("avx10_1_512_amx", "amx_bf16"),  # an alias
    ("AVX512_CORE_BF16", "avx512_bf16"), ("AVX512_CORE_VNNI", None), ("AVX2", None), ("ALL", "amx_bf16"),
    ("nonsense", "amx_bf16"),  # oneDNN ignores a name it does not know: so does the lab
])
def test_a_onednn_cap_below_native_bf16_trains_in_float32(monkeypatch, cap, native):
    from lab.train import device

    monkeypatch.setattr(device, "cpu_flags", lambda: AMX_CPU)
    monkeypatch.delenv("DNNL_MAX_CPU_ISA", raising=False)
    if cap is None:
        monkeypatch.delenv("ONEDNN_MAX_CPU_ISA", raising=False)
    else:
        monkeypatch.setenv("ONEDNN_MAX_CPU_ISA", cap)
    cpu = torch.device("cpu")
    assert device.bf16_support(cpu) == native
    assert device.amp_dtype(cpu, True) == (torch.bfloat16 if native else None)


def test_the_cpu_features_name_avx2_avx512_amx_native_bf16_and_the_caps(monkeypatch):
    from lab.train import device

    monkeypatch.delenv("ONEDNN_MAX_CPU_ISA", raising=False)
    monkeypatch.delenv("DNNL_MAX_CPU_ISA", raising=False)
    monkeypatch.setattr(device, "cpu_flags", lambda: AVX2_CPU)
    assert device.cpu_features().startswith("AVX2; no AMX; no native bf16")
    monkeypatch.setattr(device, "cpu_flags", lambda: AMX_CPU)
    assert device.cpu_features().startswith("AVX2, AVX-512, AVX-512 VNNI; AMX; native bf16 (amx_bf16)")
    monkeypatch.setenv("ONEDNN_MAX_CPU_ISA", "AVX2")
    words = device.cpu_features()
    assert "no native bf16" in words and "oneDNN capped at AVX2" in words
    # ATen's own kernels (pooling, BatchNorm) dispatch on their own level: named too
    assert f"ATen {torch.backends.cpu.get_cpu_capability()}" in words
    assert device.cpu_features("meta") == "meta"


def test_a_capped_cpu_is_another_machine_for_the_calibration(monkeypatch):
    monkeypatch.delenv("ONEDNN_MAX_CPU_ISA", raising=False)
    free = speed.machine_name(torch.device("cpu"))
    monkeypatch.setenv("ONEDNN_MAX_CPU_ISA", "AVX2")
    capped = speed.machine_name(torch.device("cpu"))
    assert free != capped and "oneDNN capped at AVX2" in capped


def test_the_compute_path_line_names_features_dtype_and_threads():
    path = speed.compute_path("cpu", None)
    assert path["compute_dtype"] == "float32" and path["threads"] == torch.get_num_threads() == 1
    from lab.train.device import cpu_features

    assert speed.path_line(path) == f"{cpu_features()} | float32 | 1 thread(s)"
    assert speed.compute_path("cpu", torch.bfloat16)["compute_dtype"] == "bfloat16"


def test_every_run_reports_images_and_multiply_adds_per_second_against_the_peak(mnist, tmp_path):
    from lab.data import Splits, channel_stats
    from lab.runs.store import RunStore
    from lab.train import from_splits, train

    n = 600
    splits = Splits(mnist.train_x[:n], mnist.train_y[:n], mnist.train_x[n:n + 200], mnist.train_y[n:n + 200],
                    mnist.test_x[:200], mnist.test_y[:200])
    cfg = ExperimentConfig()
    cfg.model = preset("baseline", "mnist")
    cfg.train.epochs = 1
    mean, std = channel_stats(splits.train_x)
    run = RunStore(tmp_path).create(cfg)
    seen = []
    result = train(from_splits(cfg, splits, mnist.classes, (mean, std)), run, device="cpu", listeners=[seen.append])
    start = seen[0]
    assert start["event"] == "start"
    s = start["speed"]
    assert s["macs_per_image"] == 248_768 and s["train_macs_per_image"] == 2 * 194_688 + 3 * 54_080
    assert s["compute_dtype"] == default_dtype() and s["threads"] == 1 and s["peak_macs_per_sec"] > 0
    from lab.train.device import cpu_features

    assert s["cpu_features"] == cpu_features()  # AVX2, AVX-512, AMX, native bf16: what decided the kernels
    epoch = result.history[0]
    assert epoch["macs_per_sec"] == pytest.approx(s["train_macs_per_image"] * epoch["images_per_sec"])
    assert epoch["peak_fraction"] == pytest.approx(epoch["macs_per_sec"] / s["peak_macs_per_sec"])
    # the loop does more than its convs and Linears: on a quiet machine well under the peak;
    # 3x is room for a calibration taken while other work shared the cores
    assert 0 < epoch["peak_fraction"] < 3
    # and against all its layers alone: the loop's share, well above its convs' and Linears' share
    assert s["layers_images_per_sec"] < s["peak_macs_per_sec"] / s["train_macs_per_image"]
    assert epoch["loop_fraction"] == pytest.approx(epoch["images_per_sec"] / s["layers_images_per_sec"])
    assert epoch["peak_fraction"] < epoch["loop_fraction"] < 3
    summary = json.loads((run.dir / "summary.json").read_text())
    assert summary["macs_per_sec"] == pytest.approx(s["train_macs_per_image"] * summary["images_per_sec"])
    assert summary["peak_macs_per_sec"] == s["peak_macs_per_sec"] and summary["speed"] == s


def test_lab_train_json_carries_the_speed_fields(tmp_path, capsys, monkeypatch):
    from lab.cli import main

    monkeypatch.setenv("LAB_CACHE_DIR", str(tmp_path / "cache"))
    code = main(["train", "--dataset", "mnist", "--preset", "baseline", "--epochs", "1", "--train-limit", "300",
                 "--runs-dir", str(tmp_path / "runs"), "--json"])
    out = capsys.readouterr()
    assert code == 0, out.err
    result = json.loads(out.out)
    assert result["macs_per_image"] == 248_768 and result["compute_dtype"] == default_dtype()
    assert result["images_per_sec"] > 0
    assert result["macs_per_sec"] == pytest.approx(result["train_macs_per_image"] * result["images_per_sec"])
    assert result["peak_fraction"] == pytest.approx(result["macs_per_sec"] / result["peak_macs_per_sec"])
    assert result["epochs"][0]["peak_fraction"] > 0
    assert result["loop_fraction"] == pytest.approx(result["images_per_sec"] / result["layers_images_per_sec"])
    assert result["epochs"][0]["loop_fraction"] > result["epochs"][0]["peak_fraction"]
    assert (tmp_path / "cache" / "speed.json").is_file()  # the calibration is kept for the next run
    assert "of peak" in out.err and "of its layers alone" in out.err and "multiply-adds per image" in out.err
    from lab.train.device import cpu_features

    assert result["cpu_features"] == cpu_features() and result["threads"] == 1
    # the speed line names what decides the kernels: CPU features, compute dtype, threads
    assert f"on {cpu_features()} | {default_dtype()} | " in out.err and " thread(s)" in out.err


def test_a_run_faster_than_its_cached_peak_measures_its_layers_again(mnist, tmp_path, monkeypatch):
    from lab.data import Splits, channel_stats
    from lab.train import from_splits, train

    monkeypatch.setenv("LAB_CACHE_DIR", str(tmp_path))
    plan = make_plan(preset("baseline", "mnist"), (1, 28, 28), 10)
    native = default_dtype() == "bfloat16"
    cal = speed.calibrate(plan, 64, torch.device("cpu"), torch.bfloat16 if native else None, channels_last=True,
                          refresh_loaded=False)
    stored = json.loads(speed.cache_path().read_text())
    for entry in stored["layers"].values():  # a calibration 1,000x too slow, taken at a quiet moment
        if "macs_per_sec" in entry:
            entry["macs_per_sec"] /= 1000
        else:
            entry["seconds"] *= 1000
    speed.cache_path().write_text(json.dumps(stored))
    splits = Splits(mnist.train_x[:640], mnist.train_y[:640], mnist.train_x[640:840], mnist.train_y[640:840],
                    mnist.test_x[:10], mnist.test_y[:10])
    cfg = ExperimentConfig()
    cfg.model = preset("baseline", "mnist")
    cfg.train.epochs = 2
    mean, std = channel_stats(splits.train_x)
    seen = []
    result = train(from_splits(cfg, splits, mnist.classes, (mean, std)), device="cpu", listeners=[seen.append])
    assert seen[0]["speed"]["peak_macs_per_sec"] < cal["peak_macs_per_sec"] / 100  # started from the bad cache
    first = result.history[0]
    assert first["speed"]["remeasured"] == 1 and first["peak_fraction"] < 3  # not 100x "of the peak"
    assert first["loop_fraction"] < 3  # nor 100x "of its layers alone"
    assert "speed" not in result.history[1]  # once a run
    assert result.summary["peak_fraction"] < 3 and result.summary["loop_fraction"] < 3
    fresh = json.loads(speed.cache_path().read_text())["layers"]
    assert all(fresh[k]["macs_per_sec"] > 100 * e["macs_per_sec"] if "macs_per_sec" in e
               else fresh[k]["seconds"] < e["seconds"] / 100 for k, e in stored["layers"].items())
