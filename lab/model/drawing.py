"""The classic picture of a CNN, from the plan: each layer's output as a box whose height
follows H, whose skew follows W and whose thickness follows the channels.

``drawing_boxes`` picks the layers that change the shape (convs, poolings, residual
additions, global pooling, Flatten, Linears); ``network_svg`` draws them as SVG (no image
files, redrawn from the plan on every edit) and ``network_drawing_text`` as plain text
for the exported script's docstring. The broken layer is red; after it the shapes are
unknown and drawn as dashed outlines.
"""

from __future__ import annotations

from dataclasses import dataclass
from html import escape
from math import log2

from lab.model.plan import Plan

DRAWN = ("conv", "maxpool", "avgpool", "add", "gap", "flatten", "linear", "block")  # block: a torchvision block
COLORS = {"input": "#9ecae9", "conv": "#4c78a8", "maxpool": "#72b7b2", "avgpool": "#72b7b2", "add": "#b279a2",
          "gap": "#72b7b2", "flatten": "#f58518", "linear": "#f58518"}
BROKEN, UNKNOWN = "#e45756", "#bbbbbb"
MAX_FACE = 120  # screen pixels of the tallest box's height
GAP = 22  # between boxes
TEXT_ROWS = 28  # characters of the longest bar in the text drawing


@dataclass
class Box:
    name: str  # "input", "block1.conv1", "head.flatten"
    kind: str  # "input" or a plan step kind
    shape: tuple[int, ...] | None  # (C, H, W), (features,), or None after a broken layer
    broken: bool = False
    first_linear: bool = False  # the Flatten whose size is the first Linear's in_features

    @property
    def label(self) -> str:
        return " × ".join(str(v) for v in self.shape) if self.shape else "?"


def drawing_boxes(plan: Plan) -> list[Box]:
    boxes = [Box("input", "input", tuple(plan.input_shape))]
    for step in plan.steps():
        if step.kind in DRAWN or step.problem:
            boxes.append(Box(step.name, step.kind, tuple(step.output) if step.output else None,
                             broken=step.problem is not None, first_linear=step.kind == "flatten"))
    return boxes


def _short(name: str) -> str:
    """'block2.conv1' -> 'b2 conv1', 'head.fc1' -> 'fc1': labels that fit under a box. A ready
    architecture's torchvision names ('layer2.0', 'classifier.3') stay whole."""
    if name.startswith("block"):
        block, _, layer = name.partition(".")
        return f"b{block[5:]} {layer}"
    return name[len("head."):] if name.startswith("head.") else name


CHAR_PX = 6.6  # about one character of the 11 px labels


def _box_svg(box: Box, x: float, mid: float, scale: float, tallest: int, widest_vector: int) -> tuple[str, float, float]:
    """One box drawn from its left edge ``x``: (svg, its width, its top y)."""
    color = BROKEN if box.broken else COLORS.get(box.kind, "#4c78a8") if box.shape else UNKNOWN
    dash = ' stroke-dasharray="4 3"' if box.shape is None and not box.broken else ""
    if box.shape is not None and len(box.shape) != 3:  # a vector: a bar
        n = box.shape[0]
        bar_h = max(6.0, MAX_FACE * (log2(n + 1) / log2(widest_vector + 1)))
        return (f'<g><title>{escape(box.name)}: {n}</title><rect x="{x:.1f}" y="{mid - bar_h / 2:.1f}" '
                f'width="10" height="{bar_h:.1f}" fill="{color}" stroke="#333"/></g>', 10.0, mid - bar_h / 2)
    c, h, w = box.shape if box.shape else (8, tallest // 3 or 1, tallest // 3 or 1)
    face_h = max(3.0, h * scale)
    thick = 4 + 5 * log2(c + 1)
    ox, oy = max(2.0, w * scale * 0.35), max(2.0, w * scale * 0.25)
    y0 = mid - face_h / 2
    svg = (f'<g><title>{escape(box.name)}: {escape(box.label)}</title>'
           f'<polygon points="{x:.1f},{y0:.1f} {x + ox:.1f},{y0 - oy:.1f} {x + thick + ox:.1f},{y0 - oy:.1f} '
           f'{x + thick:.1f},{y0:.1f}" fill="{color}" fill-opacity="0.55" stroke="#333"{dash}/>'
           f'<polygon points="{x + thick:.1f},{y0:.1f} {x + thick + ox:.1f},{y0 - oy:.1f} '
           f'{x + thick + ox:.1f},{y0 - oy + face_h:.1f} {x + thick:.1f},{y0 + face_h:.1f}" fill="{color}" '
           f'fill-opacity="0.75" stroke="#333"{dash}/>'
           f'<rect x="{x:.1f}" y="{y0:.1f}" width="{thick:.1f}" height="{face_h:.1f}" fill="{color}" '
           f'stroke="#333"{dash}/></g>')
    return svg, thick + ox, y0 - oy


def network_svg(plan: Plan, in_features_label: str = "in_features") -> str:
    """The drawing as one SVG document at its own size (the page shrinks it only to fit).

    Each box sits in a column as wide as its widest label, so no label runs under the next
    box (the first Linear's in_features label did); the picture starts at its highest box
    (no empty band above it)."""
    boxes = drawing_boxes(plan)
    tallest = max((b.shape[1] for b in boxes if b.shape and len(b.shape) == 3), default=1)
    scale = MAX_FACE / tallest
    widest_vector = max((b.shape[0] for b in boxes if b.shape and len(b.shape) == 1), default=1)
    parts, x, top = [], 10.0, float("inf")
    mid = MAX_FACE * 0.75
    label_y = mid + MAX_FACE / 2 + 16
    for box in boxes:
        texts = [_short(box.name), box.label] + ([in_features_label] if box.first_linear and box.shape else [])
        text_w = CHAR_PX * max(len(s) for s in texts) + 8
        drawn, width, box_top = _box_svg(box, x, mid, scale, tallest, widest_vector)
        column = max(width, text_w)
        shift = (column - width) / 2  # the box centred in its column
        parts.append(f'<g transform="translate({shift:.1f},0)">{drawn}</g>')
        top = min(top, box_top)
        cx, ink = x + column / 2, "#b00" if box.broken else "#333"
        for i, (text, extra) in enumerate(zip(texts, ("", ' font-weight="bold"', ""))):
            fill = "#c45a00" if i == 2 else ink
            parts.append(f'<text x="{cx:.1f}" y="{label_y + 14 * i:.1f}" font-size="11" text-anchor="middle"'
                         f'{extra} fill="{fill}">{escape(text)}</text>')
        x += column + GAP
    y0 = top - 8
    total_w, total_h = x - GAP + 10, label_y + 14 * 2 + 8 - y0
    return (f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 {y0:.0f} {total_w:.0f} {total_h:.0f}" '
            f'width="{total_w:.0f}" height="{total_h:.0f}" font-family="sans-serif">'
            + "".join(parts) + "</svg>")


def network_drawing_text(plan: Plan) -> str:
    """The same drawing as text: one line per box, a bar as long as its height H."""
    boxes = drawing_boxes(plan)
    tallest = max((b.shape[1] for b in boxes if b.shape and len(b.shape) == 3), default=1)
    name_w = max(len(b.name) for b in boxes)
    shape_w = max(len(_plain(b)) for b in boxes)
    lines = ["Each layer's output, C x H x W: the |===| bar is as long as H, the #s grow with the channels (log2)"]
    for box in boxes:
        shape = _plain(box)
        if box.broken:
            tail = "<-- BROKEN: this layer cannot work here"
        elif box.shape is None:
            tail = "(unknown: after the broken layer)"
        elif len(box.shape) == 3:
            c, h, _ = box.shape
            rows = max(1, round(h / tallest * TEXT_ROWS))
            tail = "|" + "=" * rows + "|" + " " + "#" * max(1, round(log2(c + 1)))
        elif box.first_linear:
            tail = "<-- the first Linear's in_features"
        else:
            tail = ""
        lines.append(f"  {box.name:<{name_w}}  {shape:>{shape_w}}  {tail}".rstrip())
    return "\n".join(lines)


def _plain(box: Box) -> str:
    return " x ".join(str(v) for v in box.shape) if box.shape else "?"
