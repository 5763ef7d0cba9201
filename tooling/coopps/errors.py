"""The one expected-error class: the command cannot continue, for a reason
the user can fix. The CLI prints its French message and exits with status 2."""


class CoopError(Exception):
    pass
