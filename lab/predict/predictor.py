"""Run a checkpoint's model on one prepared picture; say when the answer deserves doubt."""

from __future__ import annotations

from dataclasses import dataclass, field

import torch

from lab.data.image_io import Note
from lab.predict.preprocess import Options, Prepared, Target, prepare_image, prepare_pixels

LOW_CONFIDENCE = 0.5  # below this top probability the answer is flagged
# How far a prepared picture's own mean may stray from the training mean, in training
# stds. Measured on the test sets (0.1% .. 99.9% of per-image means): MNIST strays
# -0.32..+0.53 std, Fashion-MNIST -0.7..+1.1, CIFAR-10 -1.5..+1.7. Digits are that
# uniform, so their bound is tight; everything else gets CIFAR's width.
MEAN_STDS = {"digits": 0.55, "other": 1.8}
# A picture's own std / the training std: 0.1%..99.9% span 0.28..1.54 over the three sets.
STD_RATIO = (0.25, 1.7)


@dataclass
class Prediction:
    top: list[tuple[str, float]]  # (class name, probability), best first
    probabilities: torch.Tensor  # float (num_classes,)
    index: int  # the predicted class's index
    prepared: Prepared
    warnings: list[Note] = field(default_factory=list)

    @property
    def label(self) -> str:
        return self.top[0][0]

    def to_json(self) -> dict:
        """The CLI's --json contract: ``top`` and the ``steps`` applied, plus notes and warnings."""
        return {
            "top": [{"class": name, "probability": round(p, 6)} for name, p in self.top],
            "steps": self.prepared.applied,
            "skipped": [s.key for s in self.prepared.steps if not s.applied],
            "notes": [n.text for n in self.prepared.notes],
            "warnings": [w.text for w in self.warnings],
        }


def predict(checkpoint, prepared: Prepared, top_k: int = 5) -> Prediction:
    with torch.inference_mode():
        logits = checkpoint.model(prepared.tensor)
    probs = torch.softmax(logits[0].float(), dim=0)
    k = max(1, min(int(top_k), len(checkpoint.classes)))
    values, indices = probs.topk(k)
    top = [(checkpoint.classes[int(i)], float(v)) for v, i in zip(values, indices)]
    pred = Prediction(top=top, probabilities=probs, index=int(indices[0]), prepared=prepared)
    pred.warnings = unlike_training(pred, Target.of(checkpoint))
    return pred


def predict_image(checkpoint, data: bytes, options: Options = Options(), top_k: int = 5, name: str = "") -> Prediction:
    """A user's picture file -> the model's top classes, with every preprocessing step."""
    return predict(checkpoint, prepare_image(data, Target.of(checkpoint), options, name), top_k)


def predict_dataset_image(checkpoint, pixels: torch.Tensor, top_k: int = 5, options: Options = Options()) -> Prediction:
    """A dataset image (uint8 (C, H, W)) -> the same answer the evaluation gives."""
    return predict(checkpoint, prepare_pixels(pixels, Target.of(checkpoint), options), top_k)


def unlike_training(pred: Prediction, target: Target) -> list[Note]:
    """Reasons to doubt the answer: low confidence, intensity statistics far from training."""
    out = []
    if pred.top[0][1] < LOW_CONFIDENCE:
        out.append(Note("low_confidence", {"percent": round(100 * pred.top[0][1])}))
    x = pred.prepared.pixels.float() / 255.0  # (C, H, W) in 0..1, before normalisation
    mean = sum(target.mean) / len(target.mean)
    std = sum(target.std) / len(target.std)
    img_mean, img_std = float(x.mean()), float(x.std(unbiased=False))
    if abs(img_mean - mean) > MEAN_STDS["digits" if target.digits else "other"] * std:
        out.append(Note("too_bright" if img_mean > mean else "too_dark",
                        {"mean": f"{img_mean:.2f}", "train_mean": f"{mean:.2f}"}))
    if img_std < STD_RATIO[0] * std:
        out.append(Note("flat", {"std": f"{img_std:.2f}", "train_std": f"{std:.2f}"}))
    elif img_std > STD_RATIO[1] * std:
        out.append(Note("busy", {"std": f"{img_std:.2f}", "train_std": f"{std:.2f}"}))
    return out


def class_examples(train_x: torch.Tensor, train_y: torch.Tensor, index: int, n: int = 6) -> torch.Tensor:
    """The first ``n`` training images of class ``index``, uint8 (n, C, H, W)."""
    where = torch.nonzero(train_y == index).flatten()[:n]
    return train_x[where]
