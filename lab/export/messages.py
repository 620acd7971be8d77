"""The export's error messages (English); the Russian is in lab/i18n/texts/engine_messages.py."""

MESSAGES = {
    "export.onnx_mismatch": "the ONNX model does not compute what PyTorch computes: the largest logit difference "
                            "on {n} real images is {diff:.2e}, more than {limit:.0e}; nothing was written",
    "export.missing": "this needs {packages}, which is not installed here (pip install {packages})",
    "export.no_checkpoint": "{run} has no trained weights (best.pt) to export",
}
