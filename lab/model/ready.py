"""Ready architectures: torchvision's ResNet-18, MobileNetV3-Small and VGG-11 (BN), modified
for small images in the open.

Each was made for 224x224 ImageNet photos. ``modifications(cfg, input_shape, classes)`` lists
what changes for this dataset, each change with its reason, as data: the Architecture page
shows that list, ``lab model --json`` prints it, and the exported script writes its
``code`` lines. ``build_ready`` runs the very same ``code`` lines on the torchvision model,
so the lab's network and the exported one cannot drift apart.

The built model keeps torchvision's class (a subclass adding ``groups()``) and therefore its
``state_dict`` keys: ImageNet weights, or a run's, load by name where the shapes match.
"""

from __future__ import annotations

import textwrap
from dataclasses import asdict, dataclass

from torch import nn
from torchvision.models import mobilenetv3, resnet, vgg

from lab.config.model import ModelConfig

# English reasons; the Russian is in lab/i18n/texts/ready.py under the same keys and placeholders.
REASONS = {
    "ready.reason.resnet_stem": "ResNet's stem was made for 224x224 photos: a 7x7 stride-2 conv and a stride-2 "
                                "max-pool shrink {size} to {stem} before the first block, and layer4 would see "
                                "{end}. A 3x3 stride-1 conv keeps {size}, so layer4 sees {end_small}.",
    "ready.reason.resnet_pool": "The stem's max-pool is the other halving: removed (nn.Identity keeps the "
                                "layer names, so weights still load by name).",
    "ready.reason.mobilenet_stem": "MobileNetV3 halves its input 5 times (224 -> 7): at {size} the last blocks "
                                   "would see {end}. Stride 1 in the first conv leaves 4 halvings ({end_small}); "
                                   "the 3x3 kernel, and so its weights' shape, stays.",
    "ready.reason.vgg_pool": "VGG halves its input with 5 max-pools (224 -> 7): at {size} the fifth pooling "
                             "leaves {end}. Without it the features end at {end_small}.",
    "ready.reason.channels": "Input channels: these images have {c}, ImageNet's photos 3.",
    "ready.reason.vgg_avgpool": "AdaptiveAvgPool2d((7, 7)) was for the 7x7 maps of 224x224 photos; on a "
                                "{map} map it only copies values (25,088 features). Averaging to 1x1 gives 512.",
    "ready.reason.vgg_classifier": "The 4096-wide Linears hold 119 M weights (25,088 features to 1,000 "
                                   "classes); 512-wide ones fit 512 features and {n} classes.",
    "ready.reason.head": "The classifier head: {n} classes here, 1,000 in ImageNet.",
    "ready.reason.mobilenet_bn": "torchvision's MobileNetV3 moves its BatchNorm statistics 1 % a step (momentum "
                                 "0.01), made for ImageNet's 100,000s of steps; a run of a few hundred steps is then "
                                 "validated with statistics that are still mostly the initial ones: at chance "
                                 "(10 %) while training reaches 53 %. PyTorch's default 0.1 follows the data.",
}
# The catalogue key for each reason code, written whole (tests/test_i18n_keys.py finds them).
REASON_KEYS = {
    "resnet_stem": "ready.reason.resnet_stem", "resnet_pool": "ready.reason.resnet_pool",
    "mobilenet_stem": "ready.reason.mobilenet_stem", "vgg_pool": "ready.reason.vgg_pool",
    "channels": "ready.reason.channels", "vgg_avgpool": "ready.reason.vgg_avgpool",
    "vgg_classifier": "ready.reason.vgg_classifier", "head": "ready.reason.head",
    "mobilenet_bn": "ready.reason.mobilenet_bn",
}


@dataclass(frozen=True)
class Modification:
    code: str  # REASON_KEYS' key
    layer: str  # the attribute path in torchvision's model: "conv1", "features[0][0]"
    before: str  # torchvision's layer, as PyTorch code
    after: str  # what replaces it
    fmt: dict  # the reason's values
    statement: str = ""  # a change that is not one replaced layer: its own line of PyTorch

    @property
    def key(self) -> str:
        return REASON_KEYS[self.code]

    @property
    def reason(self) -> str:
        """The English reason (pages translate ``key`` with ``fmt``)."""
        return REASONS[self.key].format(**self.fmt)

    @property
    def code_line(self) -> str:
        """Plain PyTorch applying it: ``model.conv1 = nn.Conv2d(...)``."""
        if self.statement:
            return self.statement
        return "model." + self.layer + " = " + self.after  # (not an f-string: "model." also starts catalogue keys)

    def to_dict(self) -> dict:
        return {**asdict(self), "reason": self.reason, "code_line": self.code_line}


def _halve(side: int, times: int) -> int:
    """A stride-2 conv with kernel k and padding k // 2 (or a padded pool): ceil(side / 2)."""
    for _ in range(times):
        side = (side - 1) // 2 + 1
    return side


def _floor_halve(side: int, times: int) -> int:
    """VGG's MaxPool2d(2): floor(side / 2)."""
    for _ in range(times):
        side //= 2
    return side


def _sq(h: int, w: int) -> str:
    return f"{h}x{w}"


def _conv(c_in: int, c_out: int, kernel: int, stride: int, padding: int, bias: bool = False) -> str:
    text = f"nn.Conv2d({c_in}, {c_out}, kernel_size={kernel}, stride={stride}, padding={padding}"
    return text + (", bias=False)" if not bias else ")")


def _resnet(c: int, h: int, w: int, n: int, small: bool) -> list[Modification]:
    size = _sq(h, w)
    mods = []
    original = _conv(3, 64, 7, 2, 3)
    if small:
        fmt = {"size": size, "stem": _sq(_halve(h, 2), _halve(w, 2)), "end": _sq(_halve(h, 5), _halve(w, 5)),
               "end_small": _sq(_halve(h, 3), _halve(w, 3))}
        mods += [Modification("resnet_stem", "conv1", original, _conv(c, 64, 3, 1, 1), fmt),
                 Modification("resnet_pool", "maxpool", "nn.MaxPool2d(kernel_size=3, stride=2, padding=1)",
                              "nn.Identity()", {})]
    elif c != 3:
        mods.append(Modification("channels", "conv1", original, _conv(c, 64, 7, 2, 3), {"c": c}))
    return mods + [Modification("head", "fc", "nn.Linear(512, 1000)", f"nn.Linear(512, {n})", {"n": n})]


def _mobilenet(c: int, h: int, w: int, n: int, small: bool) -> list[Modification]:
    mods = []
    original = _conv(3, 16, 3, 2, 1)
    if small:
        fmt = {"size": _sq(h, w), "end": _sq(_halve(h, 5), _halve(w, 5)), "end_small": _sq(_halve(h, 4), _halve(w, 4))}
        mods.append(Modification("mobilenet_stem", "features[0][0]", original, _conv(c, 16, 3, 1, 1), fmt))
    elif c != 3:
        mods.append(Modification("channels", "features[0][0]", original, _conv(c, 16, 3, 2, 1), {"c": c}))
    momentum = Modification("mobilenet_bn", "every BatchNorm2d", "momentum=0.01", "momentum=0.1", {},
                            statement="for bn in (m for m in model.modules() if isinstance(m, nn.BatchNorm2d)): "
                                      "bn.momentum = 0.1")
    return mods + [momentum, Modification("head", "classifier[3]", "nn.Linear(1024, 1000)", f"nn.Linear(1024, {n})",
                                          {"n": n})]


def _vgg(c: int, h: int, w: int, n: int, small: bool) -> list[Modification]:
    mods = []
    if c != 3:
        mods.append(Modification("channels", "features[0]", _conv(3, 64, 3, 1, 1, bias=True),
                                 _conv(c, 64, 3, 1, 1, bias=True), {"c": c}))
    if small:
        fmt = {"size": _sq(h, w), "end": _sq(_floor_halve(h, 5), _floor_halve(w, 5)),
               "end_small": _sq(_floor_halve(h, 4), _floor_halve(w, 4))}
        mods.append(Modification("vgg_pool", "features[28]", "nn.MaxPool2d(kernel_size=2, stride=2)",
                                 "nn.Identity()", fmt))
    times = 4 if small else 5
    mods.append(Modification("vgg_avgpool", "avgpool", "nn.AdaptiveAvgPool2d((7, 7))", "nn.AdaptiveAvgPool2d(1)",
                             {"map": _sq(_floor_halve(h, times), _floor_halve(w, times))}))
    head = (f"nn.Sequential(nn.Linear(512, 512), nn.ReLU(True), nn.Dropout(0.5), nn.Linear(512, 512), "
            f"nn.ReLU(True), nn.Dropout(0.5), nn.Linear(512, {n}))")
    mods.append(Modification("vgg_classifier", "classifier", "nn.Sequential(nn.Linear(25088, 4096), ..., "
                             "nn.Linear(4096, 1000))", head, {"n": n}))
    return mods


_MODIFY = {"resnet18": _resnet, "mobilenet_v3_small": _mobilenet, "vgg11_bn": _vgg}


def modifications(cfg: ModelConfig, input_shape, num_classes: int) -> list[Modification]:
    """What changes in torchvision's ``cfg.arch`` for ``input_shape`` images and ``num_classes``."""
    c, h, w = (int(v) for v in input_shape)
    return _MODIFY[cfg.arch](c, h, w, int(num_classes), cfg.stem == "small")


# --- the built model: torchvision's class, plus groups() ------------------------------------------

class ReadyResNet(resnet.ResNet):
    def groups(self) -> list[tuple[str, nn.Module]]:
        """Input to output: the stem, layer1..layer4, the classifier head (last)."""
        stem = nn.Sequential(self.conv1, self.bn1, self.relu, self.maxpool)
        return [("stem", stem)] + [(f"layer{i}", getattr(self, f"layer{i}")) for i in range(1, 5)] + [("head", self.fc)]


class ReadyMobileNetV3(mobilenetv3.MobileNetV3):
    def groups(self) -> list[tuple[str, nn.Module]]:
        """Input to output: the stem conv, each inverted-residual block, the last 1x1 conv, the head."""
        parts = [("stem", self.features[0])]
        parts += [(f"features.{i}", self.features[i]) for i in range(1, len(self.features))]
        return parts + [("head", self.classifier)]


class ReadyVGG(vgg.VGG):
    def groups(self) -> list[tuple[str, nn.Module]]:
        """Input to output: the conv stages (each ends at a max-pool), the classifier head."""
        stages, current = [], []
        for layer in self.features:
            current.append(layer)
            if isinstance(layer, nn.MaxPool2d):
                stages.append(current)
                current = []
        if current:
            stages.append(current)
        return [(f"stage{i}", nn.Sequential(*s)) for i, s in enumerate(stages, 1)] + [("head", self.classifier)]


_CLASSES = {"resnet18": (resnet.resnet18, ReadyResNet), "mobilenet_v3_small": (mobilenetv3.mobilenet_v3_small,
                                                                                ReadyMobileNetV3),
            "vgg11_bn": (vgg.vgg11_bn, ReadyVGG)}


def build_ready(cfg: ModelConfig, input_shape, num_classes: int) -> nn.Module:
    """torchvision's ``cfg.arch(weights=None)``, then each modification's ``code_line``."""
    constructor, ready_class = _CLASSES[cfg.arch]
    model = constructor(weights=None)
    for mod in modifications(cfg, input_shape, num_classes):
        # our own lines (ints formatted into fixed templates, never a user's text), run as written:
        # the exported script runs the same lines, so the two models cannot differ
        exec(mod.code_line, {"nn": nn, "model": model})  # noqa: S102
    # ResNet keeps its constructor's ``groups`` (an int, 1 = no ResNeXt grouping, read only while
    # its layers are made) on the instance, where it would hide the groups() method
    model.__dict__.pop("groups", None)
    model.__class__ = ready_class  # the same object and keys; groups() added
    return model


def ready_source(cfg: ModelConfig, input_shape, num_classes: int, alias: str = "Net") -> str:
    """Standalone Python (torch and torchvision only): ``make_model()`` builds the same network;
    ``alias`` names it too (the exported script's loop calls ``Net()`` for every architecture)."""
    function = "make_model"
    c, h, w = (int(v) for v in input_shape)
    lines = ["import torch", "import torchvision", "from torch import nn", "", "",
             f"def {function}():",
             f'    """torchvision\'s {cfg.arch}, modified for ({c}, {h}, {w}) images and {num_classes} classes."""',
             f"    model = torchvision.models.{cfg.arch}(weights=None)  # the architecture, random weights"]
    for mod in modifications(cfg, input_shape, num_classes):
        lines += [f"    # {line}" for line in textwrap.wrap(mod.reason, 96)]
        lines.append(f"    # was: {mod.before}")
        lines.append(f"    {mod.code_line}")
    lines += ["    return model", "", "", f"{alias} = {function}  # what the training code calls", "", "",
              'if __name__ == "__main__":', f"    model = {function}()",
              f"    print(model(torch.zeros(2, {c}, {h}, {w})).shape)  # torch.Size([2, {num_classes}])", ""]
    return "\n".join(lines)

