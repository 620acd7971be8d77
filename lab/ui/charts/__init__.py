"""Altair charts the pages draw: the data audit, the training curves, the journal's
comparison, and a cache of finished chart specs."""
