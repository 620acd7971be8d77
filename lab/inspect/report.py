"""Every inside view as files: what ``python -m lab inspect --out DIR`` writes.

One PNG per view (the input, each tapped layer's feature maps, the first layer's filters
now and at initialisation, a Grad-CAM map per top class, the occlusion map, the softmax)
and ``gradcam.npy``: the top class's heat map at the input's size, float32 (H, W), 0..1.
"""

from __future__ import annotations

import re
from pathlib import Path

import numpy as np
from PIL import Image

from lab.errors import keyed
from lab.files import MESSAGES as FILES_MESSAGES, os_reason
from lab.inspect import images
from lab.inspect.engine import Inspection
from lab.inspect.filters import first_filters, matching_initial
from lab.inspect.occlusion import Occlusion


def safe_name(text: str) -> str:
    """A class name as a file-name part: "T-shirt/top" -> "T-shirt_top"."""
    return re.sub(r"[^A-Za-z0-9._-]+", "_", text).strip("_") or "class"


def write_views(out_dir: str | Path, checkpoint, pixels, look: Inspection, occ: Occlusion | None,
                initial=None) -> list[Path]:
    """Write the views into ``out_dir`` (created); returns the files in the order written."""
    out = Path(out_dir)
    try:
        out.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise keyed(FILES_MESSAGES, "files.cannot_create", path=str(out), reason=os_reason(exc)) from None
    files: list[tuple[str, np.ndarray]] = [("input.png", images.input_image(pixels))]
    for fm in look.features:
        files.append((f"features_{safe_name(fm.name)}.png", images.feature_grid(fm)))
    learned = first_filters(checkpoint.model)
    initial = matching_initial(initial, learned)
    files.append(("filters.png", images.filter_grid(learned)))
    if initial is not None:
        files.append(("filters_initial.png", images.filter_grid(initial)))
    for rank, cam in enumerate(look.gradcam, 1):
        files.append((f"gradcam_{rank}_{safe_name(cam.label)}.png", images.overlay(pixels, cam.heat)))
    if occ is not None:
        files.append(("occlusion.png", images.overlay(pixels, images.signed_heat(occ.drop))))
    files.append(("softmax.png", images.bar_chart(look.classes, look.probabilities)))
    written = []
    try:
        for name, picture in files:
            Image.fromarray(picture).save(out / name)
            written.append(out / name)
        if look.gradcam:
            np.save(out / "gradcam.npy", look.gradcam[0].heat.numpy().astype(np.float32))
            written.append(out / "gradcam.npy")
    except OSError as exc:
        raise keyed(FILES_MESSAGES, "files.cannot_write_into", path=str(out), reason=os_reason(exc)) from None
    return written
