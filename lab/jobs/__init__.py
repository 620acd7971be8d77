"""Runs as jobs: ``submit`` writes a job folder and puts a message on the ``queue``; a
``worker`` process takes it and runs the one ``task`` both sides know. The run folder
(``lab.runs.store``) is what the pages read back."""
