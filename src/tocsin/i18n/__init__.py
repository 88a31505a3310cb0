"""Every text a person reads, in English and French, through one catalogue."""

from tocsin.i18n.catalogue import LANGUAGES, render

__all__ = ["LANGUAGES", "render"]
