"""A real MNIST model on real test digits: the page's path gives the evaluation's answer,
a student's paper digit is read like the clean one, and a poisoned checkpoint never runs."""

from __future__ import annotations

import json
import pickle
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest
import torch
from PIL import Image

from lab.model.checkpoint import load_checkpoint
from lab.errors import LabError
from lab.predict import Options, load_model, predict_dataset_image, predict_image
from test_predict_support import digit_image, paper_digit, png_bytes, trained_checkpoint_path

ROOT = Path(__file__).resolve().parent.parent
N = 200  # test digits per check: seconds, and enough for the agreement rates to mean something


@pytest.fixture(scope="module", autouse=True)
def one_thread():
    """One image at a time: intra-op threads only add waiting on a busy 2-core machine."""
    threads = torch.get_num_threads()
    torch.set_num_threads(1)
    yield
    torch.set_num_threads(threads)


@pytest.fixture(scope="module")
def ckpt_path(mnist, tmp_path_factory) -> Path:
    return trained_checkpoint_path(mnist, tmp_path_factory)


@pytest.fixture(scope="module")
def paper_pngs(mnist) -> list[bytes]:
    return [png_bytes(paper_digit(mnist.test_x[i])) for i in range(N)]


@pytest.fixture(scope="module")
def model(ckpt_path):
    return load_checkpoint(ckpt_path)


@pytest.fixture(scope="module")
def engine_predictions(model, mnist) -> torch.Tensor:
    """What the training engine's evaluation predicts on the first N test digits."""
    from lab.train.evaluate import predict_logits

    return predict_logits(model.model, mnist.test_x[:N], model.mean, model.std, "cpu").argmax(1)


def test_the_trained_model_is_a_real_one(engine_predictions, mnist):
    assert (engine_predictions == mnist.test_y[:N]).float().mean() > 0.95


def test_a_test_image_gets_exactly_the_evaluations_answer(model, mnist, engine_predictions):
    from lab.train.evaluate import predict_logits

    for i in range(N):
        pred = predict_dataset_image(model, mnist.test_x[i])
        assert pred.index == int(engine_predictions[i]), i
    logits = predict_logits(model.model, mnist.test_x[:1], model.mean, model.std, "cpu")
    assert torch.allclose(predict_dataset_image(model, mnist.test_x[0], top_k=10).probabilities,
                          logits[0].softmax(0), atol=1e-6)


def test_a_test_digit_saved_as_png_goes_through_the_full_recipe_unharmed(model, mnist, engine_predictions):
    same = sum(predict_image(model, png_bytes(digit_image(mnist.test_x[i]))).index == int(engine_predictions[i])
               for i in range(N))
    assert same / N >= 0.97


def agreement(model, pngs, engine_predictions, options=Options()) -> float:
    same = sum(predict_image(model, data, options).index == int(engine_predictions[i]) for i, data in enumerate(pngs))
    return same / len(pngs)


def test_a_paper_digit_off_centre_on_a_big_canvas_is_read_like_its_clean_version(model, paper_pngs, engine_predictions):
    # dark on white, scaled x6, pasted off-centre on a 300x200 page: what a phone photo gives
    pred = predict_image(model, paper_pngs[0])
    assert pred.label == "7" == model.classes[int(engine_predictions[0])]
    assert pred.top[0][1] > 0.9 and not pred.warnings
    assert agreement(model, paper_pngs, engine_predictions) >= 0.95


def test_without_inverting_or_centring_the_same_paper_digits_fail(model, paper_pngs, engine_predictions):
    # the reason the page shows each step: drop one and the model stops reading the digit
    half = paper_pngs[: N // 2]
    assert agreement(model, half, engine_predictions, Options(invert=False)) < 0.3
    assert agreement(model, half, engine_predictions, Options(center=False)) < 0.8


def test_an_uninverted_digit_is_flagged_as_unlike_the_training_data(model, mnist):
    pred = predict_image(model, png_bytes(paper_digit(mnist.test_x[0])), Options(invert=False))
    assert {"too_bright"} <= {w.code for w in pred.warnings}


# --- poisoned and broken checkpoints ------------------------------------------------------------------
class Payload:
    """Unpickling this would create the marker file: proof that code ran."""

    def __init__(self, marker: Path):
        self.marker = marker

    def __reduce__(self):
        return (Path.touch, (self.marker,))


@pytest.mark.filterwarnings("ignore:Detected pickle protocol")  # the raw pickle file, on purpose
def test_a_checkpoint_that_would_run_code_is_refused_without_running_it(tmp_path, model, ckpt_path):
    marker = tmp_path / "pwned"
    evil = tmp_path / "evil.pt"
    good = torch.load(ckpt_path, weights_only=False)  # our own file, trusted: the template
    good["extra"] = {"surprise": Payload(marker)}
    torch.save(good, evil)
    raw = tmp_path / "raw.pkl"
    raw.write_bytes(pickle.dumps({"format": "cnn-lab-checkpoint", "x": Payload(marker)}))
    for source in (evil, evil.read_bytes(), raw, raw.read_bytes()):
        with pytest.raises(LabError, match="refused"):
            load_checkpoint(source)
    assert not marker.exists()


def test_a_checkpoint_with_the_wrong_weights_is_refused(tmp_path, ckpt_path):
    payload = torch.load(ckpt_path, weights_only=False)
    key = next(iter(payload["state_dict"]))
    payload["state_dict"][key] = torch.zeros(3, 3)
    bad = tmp_path / "bad.pt"
    torch.save(payload, bad)
    with pytest.raises(LabError, match="shape"):
        load_checkpoint(bad)


def test_a_run_folder_a_run_id_and_a_file_all_name_the_same_model(tmp_path, ckpt_path, mnist):
    from lab.config import ExperimentConfig
    from lab.runs.store import RunStore

    run = RunStore(tmp_path / "runs").create(ExperimentConfig())
    with pytest.raises(LabError, match="no checkpoint yet"):
        load_model(run.dir)
    run.checkpoint_path("best").write_bytes(ckpt_path.read_bytes())
    data = png_bytes(digit_image(mnist.test_x[3]))
    answers = {predict_image(load_model(ref, tmp_path / "runs"), data).top[0]
               for ref in (run.dir, run.id, ckpt_path)}
    assert len(answers) == 1
    with pytest.raises(LabError, match="no model at"):
        load_model(tmp_path / "nowhere")


# --- the CLI ---------------------------------------------------------------------------------------------
def cli(capsys, *args) -> tuple[int, str, str]:
    """``python -m lab predict ...`` in this process (the same main() the module runs)."""
    from lab.cli import main

    code = main(["predict", *args])
    out = capsys.readouterr()
    return code, out.out, out.err


def test_cli_json_lists_the_top_classes_and_the_steps_applied(tmp_path, ckpt_path, mnist, capsys):
    image = tmp_path / "paper.png"
    paper_digit(mnist.test_x[0]).save(image)
    code, out, err = cli(capsys, "--run", str(ckpt_path), "--image", str(image), "--top", "3", "--json")
    assert code == 0, err
    result = json.loads(out)
    assert [set(row) for row in result["top"]] == [{"class", "probability"}] * 3
    assert result["top"][0]["class"] == "7" and result["top"][0]["probability"] > 0.9
    assert result["steps"] == ["decode", "channels", "invert", "contrast", "crop", "fit", "center", "normalize"]
    code, out, _ = cli(capsys, "--run", str(ckpt_path), "--image", str(image), "--no-center", "--json")
    plain = json.loads(out)
    assert "center" not in plain["steps"] and "resize" in plain["steps"]


def test_cli_text_output_shows_each_step_and_the_classes(tmp_path, ckpt_path, mnist, capsys):
    image = tmp_path / "paper.png"
    paper_digit(mnist.test_x[0]).save(image)
    code, out, _ = cli(capsys, "--run", str(ckpt_path), "--image", str(image), "--top", "2")
    assert code == 0
    assert "+ invert a light background (background 255)" in out
    assert out.strip().splitlines()[-2].split()[0] == "7"


@pytest.mark.parametrize("content, words", [(b"", "empty"), (b"hello", "not a picture"), (None, "cannot read")])
def test_cli_bad_image_is_one_line_and_status_2(tmp_path, ckpt_path, content, words, capsys):
    image = tmp_path / "x.png"
    if content is not None:
        image.write_bytes(content)
    code, out, err = cli(capsys, "--run", str(ckpt_path), "--image", str(image))
    assert code == 2 and out == ""
    assert err.count("\n") == 1 and words in err


def test_cli_in_a_real_process_refuses_a_poisoned_checkpoint_with_status_2(tmp_path, ckpt_path, mnist):
    marker = tmp_path / "pwned"
    evil = tmp_path / "evil.pt"
    payload = torch.load(ckpt_path, weights_only=False)  # our own file, trusted: the template
    payload["extra"] = {"surprise": Payload(marker)}
    torch.save(payload, evil)
    image = tmp_path / "digit.png"
    digit_image(mnist.test_x[0]).save(image)
    result = subprocess.run([sys.executable, "-m", "lab", "predict", "--run", str(evil), "--image", str(image)],
                            cwd=ROOT, capture_output=True, text=True, timeout=300)
    assert result.returncode == 2 and not marker.exists()
    assert result.stderr.count("\n") == 1 and "refused" in result.stderr and "Traceback" not in result.stderr


def test_a_12_megapixel_phone_photo_of_a_paper_digit_is_read(model, mnist):
    # grey paper with sensor noise, the digit in one corner: decoded at 1/8 scale (JPEG draft)
    rng = np.random.default_rng(0)
    page = Image.new("L", (4000, 3000), 225)
    page.paste(Image.fromarray(255 - mnist.test_x[0][0].numpy()).resize((700, 700), Image.Resampling.BILINEAR),
               (2900, 300))
    noisy = np.clip(np.asarray(page, dtype=np.int16) + rng.integers(-15, 15, (3000, 4000)), 0, 255).astype(np.uint8)
    pred = predict_image(model, png_bytes(Image.fromarray(noisy).convert("RGB"), "JPEG", quality=85))
    assert pred.label == "7" and pred.top[0][1] > 0.8
    assert any(n.code == "reduced" for n in pred.prepared.notes) or pred.prepared.steps[0].image.shape[1] <= 768


@pytest.mark.parametrize("shape", [(1, 28, 28), (1, 24, 24)])
def test_fashion_test_images_get_the_evaluations_answer_even_when_training_cropped(fashion, shape):
    # (1, 24, 24): a model trained with RandomCrop(24) sees the centre 24x24 at evaluation
    from lab.model.checkpoint import Checkpoint
    from lab.config import ExperimentConfig
    from lab.model import build_model, preset
    from lab.predict import Target
    from lab.train.evaluate import predict_logits

    torch.manual_seed(0)
    cfg = ExperimentConfig()
    cfg.data.dataset, cfg.model = "fashion-mnist", preset("baseline", "fashion-mnist")
    net = build_model(cfg.model, shape, 10).eval()  # untrained: the answer only has to be the same one
    ck = Checkpoint(model=net, config=cfg, classes=fashion.classes, mean=[0.286], std=[0.353], input_shape=shape,
                    dataset="fashion-mnist")
    assert not Target.of(ck).digits  # clothes get a centre crop, not the digit recipe
    expected = predict_logits(net, fashion.test_x[:50], ck.mean, ck.std, "cpu", shape=shape).argmax(1)
    got = [predict_dataset_image(ck, fashion.test_x[i]).index for i in range(50)]
    assert got == expected.tolist()
