"""Errors the domain and the services raise. Each message is a sentence a user can act on."""


class TocsinError(Exception):
    """Base of every error Tocsin reports to a user; its text names the problem and the way out."""


class InvalidInput(TocsinError):
    """The request itself is wrong: a missing field, a bad format, an unknown time zone."""


class NotFound(TocsinError):
    """The thing named does not exist, or the caller may not see it (the two are not told apart)."""


class OutOfScope(TocsinError):
    """The caller's grant does not cover the tenant, client or site the request touches."""


class Conflict(TocsinError):
    """The request clashes with what is stored: a duplicate transmitter number, a used reference."""


class StoreUnavailable(TocsinError):
    """The database cannot be reached or is not in a usable state."""


class LogbookError(TocsinError):
    """The logbook cannot be written or its signing key cannot be used."""
