"""Prediction on a user's picture, with every preprocessing step kept for display.

    decode_image (image_io)  ->  prepare_image (preprocess)  ->  predict (predictor)

No Streamlit here: the page and ``python -m lab predict`` call the same functions.
"""

from lab.data.image_io import MAX_PIXELS, Decoded, ImageError, Note, decode_image
from lab.predict.models import load_model, run_checkpoint_path
from lab.predict.predictor import Prediction, class_examples, predict, predict_dataset_image, predict_image
from lab.predict.preprocess import STEP_TITLES, Options, Prepared, Step, Target, normalize, prepare_image, prepare_pixels

__all__ = [
    "MAX_PIXELS", "STEP_TITLES", "Decoded", "ImageError", "Note", "Options", "Prediction", "Prepared", "Step",
    "Target", "class_examples", "decode_image", "load_model", "normalize", "predict", "predict_dataset_image",
    "predict_image", "prepare_image", "prepare_pixels", "run_checkpoint_path",
]
