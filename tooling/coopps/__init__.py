"""coop-ps as code: the register of French health-cooperation protocols, run as GitOps."""

__version__ = "0.1.0"
