"""Error messages of the inside view (``lab.inspect``): English templates keyed for the
catalogue, Russian in ``lab/i18n/texts/engine_messages.py``. Raise
``lab.errors.keyed(MESSAGES, key, ...)``.
"""

from __future__ import annotations

MESSAGES = {
    "inspect.no_conv": "this model has no convolution layer",
    "inspect.image_shape": "the inside view takes one image of shape {needs}, not {shape}",
    "inspect.not_lab_model": "this model was not built by CNN Lab's builder from its configuration: the inside "
                             "view finds its layers by the configuration's plan",
}
