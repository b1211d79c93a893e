"""Errors that fail one page (or the whole run) with a one-line reason a person can act on."""


class PageError(Exception):
    """This page cannot be processed; the message names the problem and the fix."""


class SetupError(Exception):
    """The run cannot start at all (for example Tesseract is missing)."""
