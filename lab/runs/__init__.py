"""A run's life after training: the run folder (``store``), the journal that orders and
compares runs, what changed, seed groups, expectations, the course's rules, scoring on
validation or test, and the mistakes a model makes."""
