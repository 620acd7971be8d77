"""The architecture engine: ModelConfig -> nn.Module, shape trace, PyTorch source.

No Streamlit here. ``shapes`` holds the pure conv/pool output-size formula; ``plan``
walks a config layer by layer; ``build``, ``trace`` and ``source`` all read that one plan.
"""

from lab.model.build import LabNet, build_model
from lab.model.presets import ALL_PRESET_NAMES, PRESET_NAMES, READY_NAMES, preset, recommended_preset
from lab.model.source import model_source
from lab.model.trace import Trace, TracedLayer, trace

__all__ = ["ALL_PRESET_NAMES", "LabNet", "PRESET_NAMES", "READY_NAMES", "Trace", "TracedLayer", "build_model", "model_source", "preset",
           "recommended_preset", "trace"]
