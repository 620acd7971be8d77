"""One look inside: a single forward pass gives the softmax, every tapped feature map
and, from the same graph, a Grad-CAM heat map for each of the top classes.

The heat map is Grad-CAM (Selvaraju et al. 2017) in its element-wise form, HiResCAM
(Draelos & Carin 2020): ReLU(sum_k dY/dA_k * A_k) instead of averaging each channel's
gradient over the map first. With a global-average-pooling head the two are the same
map (the gradient is uniform over positions); with the lab's usual Flatten -> Linear
head the averaging mixes the weights of every position, and on a task whose evidence is
known (a bright square in one corner) classic Grad-CAM pointed at the corner in 8 of 20
images, the element-wise form in 20 of 20 (tests/test_inspect.py).

Written with the taps' forward hooks rather than taken from the ``grad-cam`` package:
the hooks are already needed for the feature maps, the method is a few lines on the
same pass, and that package would bring OpenCV, matplotlib and scikit-learn into a lab
that has none of them.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import torch
import torch.nn.functional as F

from lab.errors import keyed
from lab.inspect.messages import MESSAGES as INSPECT_MESSAGES
from lab.inspect.taps import Tap, capture, model_plan, taps

TOP_K = 3


@dataclass
class FeatureMap:
    tap: Tap
    maps: torch.Tensor  # float (C, H, W), detached
    order: list[int]  # channel indices, strongest response first
    response: list[float]  # mean |activation| per channel, in ``order``

    @property
    def name(self) -> str:
        return self.tap.name


@dataclass
class GradCam:
    class_index: int
    label: str
    probability: float
    heat: torch.Tensor  # float (H, W) at the input's size, 0..1 (1 = the strongest evidence)
    layer: str  # the tap the maps come from


@dataclass
class Inspection:
    classes: list[str]
    probabilities: torch.Tensor  # float (num_classes,), softmax of the logits
    features: list[FeatureMap]
    gradcam: list[GradCam] = field(default_factory=list)  # top classes, best first

    @property
    def top(self) -> list[tuple[int, str, float]]:
        values, indices = self.probabilities.topk(min(TOP_K, len(self.classes)))
        return [(int(i), self.classes[int(i)], float(v)) for v, i in zip(values, indices)]

    def layers(self) -> list[dict]:
        """The taps as the CLI's --json lists them (a ready network's with its group: "layer1")."""
        return [{"name": f.name, "stage": f.tap.stage, "output": list(f.tap.shape),
                 "receptive_field": list(f.tap.receptive_field)} | ({"group": f.tap.group} if f.tap.group else {})
                for f in self.features]


def gradcam_tap(tap_list: list[Tap]) -> Tap:
    """Grad-CAM's layer: the last conv activation that still has a spatial extent (more than
    one pixel), where the network's most abstract features still know *where* they fired;
    failing that, the last tap that has one (VGG's stages end at pools: on 28x28 its last
    activation is 1x1, its third pool 3x3)."""
    spatial = [t for t in tap_list if t.shape[1] * t.shape[2] > 1]
    convs = ("activation", "block")  # a torchvision block's output: its convs, added up
    return ([t for t in spatial if t.stage in convs] or spatial
            or [t for t in tap_list if t.stage in convs] or tap_list)[-1]


def inspect_tensor(checkpoint, tensor: torch.Tensor, gradcam_classes: int = TOP_K) -> Inspection:
    """``tensor``: float (1, C, H, W), normalised as training did (``Prepared.tensor``)."""
    model = checkpoint.model
    if tensor.dim() != 4 or tensor.shape[0] != 1 or tuple(tensor.shape[1:]) != tuple(checkpoint.input_shape):
        raise keyed(INSPECT_MESSAGES, "inspect.image_shape", needs=str(tuple(checkpoint.input_shape)),
                    shape=str(tuple(tensor.shape)))
    tap_list = taps(model, model_plan(checkpoint))
    cam_tap = gradcam_tap(tap_list)
    x = tensor.detach().clone().requires_grad_(True)  # the graph exists even if the weights are frozen
    model.eval()
    with torch.enable_grad(), capture(tap_list) as outputs:
        logits = model(x)[0]
    probs = torch.softmax(logits.detach().float(), dim=0)
    features = [_feature_map(t, outputs[t.name]) for t in tap_list]
    k = max(0, min(int(gradcam_classes), len(checkpoint.classes)))
    cams = []
    if k:
        activation = outputs[cam_tap.name]
        for value, index in zip(*probs.topk(k)):
            heat = _gradcam(logits[int(index)], activation, tuple(tensor.shape[2:]), retain=True)
            cams.append(GradCam(int(index), checkpoint.classes[int(index)], float(value), heat, cam_tap.name))
    return Inspection(list(checkpoint.classes), probs, features, cams)


def _feature_map(tap: Tap, output: torch.Tensor) -> FeatureMap:
    maps = output.detach()[0].float()
    strength = maps.abs().mean(dim=(1, 2))  # tanh/GELU go negative: strength, not sign
    order = torch.argsort(strength, descending=True, stable=True)
    return FeatureMap(tap, maps, [int(i) for i in order], [float(strength[i]) for i in order])


def _gradcam(score: torch.Tensor, activation: torch.Tensor, size: tuple[int, int], retain: bool) -> torch.Tensor:
    """ReLU(sum_k dY/dA_k * A_k) over the channels k, enlarged to the input (bilinear) and
    scaled to 0..1 (all zero when nothing speaks for the class)."""
    grads = torch.autograd.grad(score, activation, retain_graph=retain)[0]  # (1, C, h, w)
    cam = F.relu((grads * activation.detach()).sum(dim=1, keepdim=True))
    cam = F.interpolate(cam, size=size, mode="bilinear", align_corners=False)[0, 0]
    top = float(cam.max())
    return (cam / top if top > 0 else cam).detach()
