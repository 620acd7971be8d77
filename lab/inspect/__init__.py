"""Inside the model: what each layer of a student's own CNN computes, and why it answers.

    prepared = lab.predict.prepare_image(...)        # the Prediction page's preprocessing
    look = inspect_tensor(checkpoint, prepared.tensor)   # softmax, feature maps, Grad-CAM
    occ = occlusion(checkpoint.model, prepared.tensor, look.top[0][0])

No Streamlit here: the Inside page and ``python -m lab inspect`` call the same functions.
``images`` turns every view into a picture.
"""

from lab.inspect.engine import TOP_K, FeatureMap, GradCam, Inspection, gradcam_tap, inspect_tensor
from lab.inspect.filters import first_conv, first_filters, load_initial_filters, matching_initial, \
    save_initial_filters
from lab.inspect.occlusion import Occlusion, default_patch, occlusion
from lab.inspect.taps import Tap, model_plan, taps

__all__ = [
    "TOP_K", "FeatureMap", "GradCam", "Inspection", "Occlusion", "Tap", "default_patch", "first_conv",
    "first_filters", "gradcam_tap", "inspect_tensor", "load_initial_filters", "matching_initial", "model_plan",
    "occlusion", "save_initial_filters", "taps",
]
