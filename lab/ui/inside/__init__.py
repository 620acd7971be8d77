"""The Inside page's parts: where the model and the image come from, and the views."""
