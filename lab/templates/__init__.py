"""Runnable Python files that ``lab.template.fill`` turns into the code the lab offers to copy."""
