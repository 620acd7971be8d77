"""The one exception type the lab raises for bad user input.

Pages show its message; the CLI prints it as one line on stderr and exits with status 2.
Anything else escaping is a bug in the lab, not the user's fault.
"""


class LabError(Exception):
    """A problem the user can fix: the message says what and how."""
