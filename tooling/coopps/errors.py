"""The one expected-error class: the command cannot go on, for a reason the user can fix.

Raised anywhere (pipeline, git, authoring); a plain exception, so the domain code
knows nothing of the command line. It carries the French message and the exit
status: 2 when the command cannot run (usage, no register, git failure), 1 when
it ran and refused the input (a file that exists already, an answer that is not
valid). The command line shows it as « Erreur : … », without a traceback
(`cli/failure.py`).
"""

from __future__ import annotations

CANNOT_RUN = 2
REFUSED = 1


class CoopError(Exception):
    def __init__(self, message: str, exit_code: int = CANNOT_RUN) -> None:
        super().__init__(message)
        self.message = message
        self.exit_code = exit_code


def refused(message: str) -> CoopError:
    """The input is refused (exit status 1): the command ran and changed nothing."""
    return CoopError(message, exit_code=REFUSED)
