"""``python -m lab layer conv2d --input 3,32,32 --kernel 3``: one layer's output shape."""

from __future__ import annotations

from lab.cli import print_json
from lab.config.limits import MAX_CALC_NUMBER
from lab.errors import keyed
from lab.cli.messages import MESSAGES as CLI_MESSAGES
from lab.model.shapes import LAYER_KINDS, layer_output, pair, wrong_formula

NAME = "layer"
HELP = "output shape of one Conv2d / MaxPool2d / AvgPool2d, with the formula worked out"


def add_arguments(parser) -> None:
    parser.add_argument("kind", choices=LAYER_KINDS)
    parser.add_argument("--input", required=True, help="input shape C,H,W, e.g. 3,32,32")
    parser.add_argument("--kernel", required=True, help="K or KH,KW")
    parser.add_argument("--stride", help="S or SH,SW (default: 1 for conv2d, the kernel for pools)")
    parser.add_argument("--padding", default="0", help="P or PH,PW zeros on each side (default 0)")
    parser.add_argument("--dilation", default="1", help="D or DH,DW (default 1; conv2d and maxpool2d)")
    parser.add_argument("--out-channels", type=int, help="conv2d: output channels (default: input channels)")
    parser.add_argument("--ceil-mode", action="store_true", help="pools: round the output size up")
    parser.add_argument("--json", action="store_true", help="print one JSON object")


def parse_shape(text: str) -> tuple[int, int, int]:
    try:
        values = tuple(int(v) for v in text.replace("x", ",").split(","))
    except ValueError:
        values = ()
    if len(values) != 3:
        raise keyed(CLI_MESSAGES, "cli.layer_input", text=repr(text))
    return values


def run(args) -> int:
    if args.kind != "conv2d" and args.out_channels is not None:
        raise keyed(CLI_MESSAGES, "cli.layer_out_channels")
    if args.kind == "conv2d" and args.ceil_mode:
        raise keyed(CLI_MESSAGES, "cli.layer_ceil_mode")
    shape = parse_shape(args.input)
    kernel, padding, dilation = pair(args.kernel, "kernel"), pair(args.padding, "padding"), pair(args.dilation, "dilation")
    stride = pair(args.stride, "stride") if args.stride else None
    _check_sizes(input=shape, kernel=kernel, stride=stride or (), padding=padding, dilation=dilation,
                 out_channels=(args.out_channels,) if args.out_channels is not None else ())
    res = layer_output(args.kind, shape, kernel, stride, padding, dilation, args.out_channels, args.ceil_mode)
    if args.json:
        print_json(res.to_dict())
        return 0
    print(f"{args.kind}: input {_s(res.input)} -> output {_s(res.output)}")
    for axis in (res.h, res.w):
        print(f"  {axis.formula()}")
        if axis.dropped:
            side = "bottom rows" if axis.name == "H" else "right-hand columns"
            print(f"  {axis.dropped} {side} of the input are covered by no window (the floor drops them)")
    if args.kind == "conv2d" and not res.h.ceil_mode:
        wrong = wrong_formula(res.h.size, res.h.kernel, res.h.stride, res.h.padding, res.h.dilation)
        if wrong != res.h.out:
            print(f"  (the wrong copy with '- 1' and no floor would say {wrong:g}: it is {res.h.out})")
    return 0


def _check_sizes(**values) -> None:
    """Numbers past the calculator's range would only overflow the float formula."""
    for name, numbers in values.items():
        if any(abs(v) > MAX_CALC_NUMBER for v in numbers):
            big = str(max(numbers, key=abs))
            shown = big if len(big) <= 12 else ("cli.layer_many_digits", {"n": len(big)})
            raise keyed(CLI_MESSAGES, "cli.layer_too_big", name=name.replace("_", "-"), shown=shown, limit=MAX_CALC_NUMBER)


def _s(shape) -> str:
    return "(" + ", ".join(str(v) for v in shape) + ")"
