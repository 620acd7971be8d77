"""The Training page's parts: setup, the form, the plan, the rules, submitting a run,
the live view and the session's trained models."""
