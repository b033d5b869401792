"""followup: drafts the messages of the weeks after a job interview from YAML notes."""

__version__ = "0.1.0"
