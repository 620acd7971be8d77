"""Take a run out of the lab: the standalone training script (``script``)."""
