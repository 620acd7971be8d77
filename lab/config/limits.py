"""The lab's bounds: how large anything from outside (a config, a checkpoint, an upload,
a command-line number) may be. One place, so the page, the CLI, the worker and the
checkpoint loader refuse the same things with the same numbers.

Each bound sits well above what the lab's own presets and pages need (checked by
``tests/test_bounds.py``) and well below what would exhaust a small classroom server
(2 CPU cores, a few GB of memory shared by 30 students).
"""

from __future__ import annotations

# --- model ---------------------------------------------------------------------------------------
MAX_INPUT_CHANNELS = 4  # grayscale 1, RGB 3; 4 leaves room for RGBA experiments
MAX_INPUT_SIDE = 512  # pixels; folders decode to at most 256, the built-in sets are 28 and 32
MAX_CLASSES = 1000
MAX_BLOCKS = 10
MAX_FILTERS = 1024  # output channels of one conv
MAX_LAYER_NUMBER = 512  # kernel, stride, padding, dilation, pool_size: no layer needs more than the image
MAX_HIDDEN_LAYERS = 8
MAX_FREEZE_GROUPS = 32  # train.freeze = N: the model's groups (blocks, stages, head) kept trainable
MAX_HIDDEN_UNITS = 8192  # one hidden Linear layer; the presets use at most 256
MAX_PARAMS = 50_000_000  # 200 MB of float32 weights (Adam keeps two more copies while training)
# Float32 outputs of every layer for one image, as training keeps them for the backward pass.
# cifar_cnn on a 256x256 folder needs about 95 MB; 30 students x batch 64 of that is already a lot.
MAX_ACTIVATION_MB = 256

# --- numbers in configs and on the command line ------------------------------------------------
MAX_SEED = 2**32 - 1  # NumPy's seeds are 32-bit; torch and Python take these too
MAX_EPOCHS = 500
MAX_BATCH = 4096
MAX_TRAIN_LIMIT = 10_000_000  # images
MAX_THREADS = 256
MAX_CALC_NUMBER = 100_000  # `lab layer`, the formula calculator: sizes, kernels, channels
MAX_JSON_DEPTH = 32  # the deepest real config is 5 levels (model.blocks[i].kernel[j])
MAX_NUMBER_DIGITS = 30  # a whole number in a config; longer is refused before Python parses it

# --- files ---------------------------------------------------------------------------------------
MB = 1024 * 1024
MAX_CONFIG_BYTES = 1 * MB
MAX_CHECKPOINT_BYTES = 256 * MB  # MAX_PARAMS of float32 weights plus the config
MAX_IMAGE_BYTES = 64 * MB  # one picture file (a 50-megapixel PNG is about 50-150 MB raw, far less packed)
MAX_IMAGE_PIXELS = 50_000_000  # refused from the header, before decoding: 150 MB as RGB
MAX_ZIP_BYTES = 512 * MB  # what an archive may expand to (refused at >=)
MAX_ZIP_FILES = 100_000
MAX_UPLOADS_BYTES = 2048 * MB  # all unpacked uploads together; the oldest go first
UPLOADS_TTL_HOURS = 72.0  # an unpacked upload nobody used for this long is removed
