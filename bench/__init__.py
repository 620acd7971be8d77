"""Benchmarks: speed and memory targets, printed as ratios (see DEVELOPERS.md)."""
