"""The few errors baymap raises on purpose, each with a message a user can act on."""


class BaymapError(Exception):
    """Base class: the command line prints these as one line and exits non-zero."""


class ReportError(BaymapError):
    """A report cannot be read: missing, empty, binary, undecodable or too large."""


class GazetteerError(BaymapError):
    """A gazetteer or style file is malformed; the message names the file and line."""


class OutputError(BaymapError):
    """The output folder cannot be written."""
