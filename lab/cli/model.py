"""``python -m lab model --preset cifar_fast --input 3,32,32``: the shape tracer, or the code."""

from __future__ import annotations

from lab.cli import print_json
from lab.cli._args import bounded_int
from lab.cli.layer import parse_shape
from lab.config import ModelConfig, from_dict
from lab.config.base import check_depth
from lab.config.experiment import parse_json
from lab.config.limits import MAX_CLASSES, MAX_CONFIG_BYTES
from lab.model.messages import traced_problem
from lab.files import read_limited
from lab.model import ALL_PRESET_NAMES, PRESET_NAMES, READY_NAMES, model_source, preset, trace

NAME = "model"
HELP = "trace a CNN layer by layer (shapes, parameters, multiply-adds) or print its PyTorch code"


def add_arguments(parser) -> None:
    which = parser.add_mutually_exclusive_group(required=True)
    which.add_argument("--preset", choices=ALL_PRESET_NAMES,
                       help=f"the lab's own ({', '.join(PRESET_NAMES)}) or a ready torchvision architecture, "
                            f"modified for small images ({', '.join(READY_NAMES)})")
    parser.add_argument("--stem", choices=["small", "original"],
                        help="ready architectures: the stem for small images (default) or torchvision's own")
    which.add_argument("--spec", help="JSON file: a model config, or a whole experiment config")
    parser.add_argument("--input", required=True, help="input shape C,H,W, e.g. 1,28,28")
    parser.add_argument("--classes", type=bounded_int(1, MAX_CLASSES), default=10, help="number of classes (default 10)")
    parser.add_argument("--json", action="store_true", help="print one JSON object")
    parser.add_argument("--code", action="store_true", help="print the model as a PyTorch class")


def load_spec(path: str) -> ModelConfig:
    raw = read_limited(path, MAX_CONFIG_BYTES, "spec")
    data = parse_json(raw.decode("utf-8", errors="replace"), str(path))
    check_depth(data, str(path))
    if isinstance(data, dict) and "model" in data and "blocks" not in data:
        return from_dict(ModelConfig, data["model"], "model")  # a whole experiment config
    return from_dict(ModelConfig, data, "model")


def run(args) -> int:
    shape = parse_shape(args.input)
    cfg = preset(args.preset) if args.preset else load_spec(args.spec)
    if args.stem:
        cfg.stem = args.stem
    if args.code:
        print(model_source(cfg, shape, args.classes), end="")
        return 0
    tr = trace(cfg, shape, args.classes)
    mods = ready_modifications(cfg, shape, args.classes)
    if args.json:
        print_json({**tr.to_dict(), **({"arch": cfg.arch, "stem": cfg.stem, "modifications": [m.to_dict() for m in mods]}
                                       if cfg.ready else {})})
    else:
        print(format_table(tr))
        for m in mods:
            print(f"modified {m.layer}: {m.before} -> {m.after}\n  because: {m.reason}")
    if not tr.ok:
        raise traced_problem(tr.first_problem)
    return 0


def ready_modifications(cfg: ModelConfig, shape, classes: int) -> list:
    """What a ready architecture changes in torchvision's network ([] for the lab's own)."""
    if not cfg.ready:
        return []
    from lab.model.ready import modifications  # heavy: torchvision's models, loaded on first use

    return modifications(cfg, shape, classes)


def _cell(v) -> str:
    if v is None:
        return "?"
    if isinstance(v, tuple):
        return "x".join(str(x) for x in v)
    return f"{v:,}" if isinstance(v, int) else str(v)


def format_table(tr) -> str:
    rows = [("layer", "PyTorch", "output", "params", "MACs", "RF")]
    for layer in tr.layers:
        rf = _cell(layer.receptive_field) if layer.receptive_field or not layer.output else "-"
        rows.append((layer.name, layer.layer, _cell(layer.output), _cell(layer.params), _cell(layer.macs), rf))
    widths = [max(len(r[i]) for r in rows) for i in range(len(rows[0]))]
    lines = []
    for r, layer in zip(rows, [None] + tr.layers):
        line = "  ".join(c.ljust(w) if i < 3 else c.rjust(w) for i, (c, w) in enumerate(zip(r, widths)))
        lines.append(line.rstrip())
        if layer is not None and layer.problem:
            lines.append(f"  ^^ {layer.problem}")
    lines.append(f"input {_cell(tr.input_shape)}, {tr.num_classes} classes: {tr.total_params:,} parameters "
                 f"({tr.size_mb:.2f} MB), {tr.total_macs:,} multiply-adds per image")
    lines += [f"hint: {h.text}" for h in tr.hints]
    return "\n".join(lines)
