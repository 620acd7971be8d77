"""Runnable Python files that ``lab.templates.fill.fill`` turns into the code the lab offers to copy."""
