"""Find sites by what an operator or an administrator remembers of them: a part of the name, the
reference, the address, a transmitter's account number, or a contact's name (never a secret).

Every word typed must be found in one of those (case and accents do not matter); the best matches come
first (a reference or account typed whole, then a name starting with the words), and the answer is
bounded. The records are read through the caller's scope, so a site outside it is never found.
"""

from __future__ import annotations

import unicodedata
from functools import lru_cache
from uuid import UUID

from tocsin.domain.sites import Site
from tocsin.services.unit_of_work import UnitOfWork

MAX_RESULTS = 50
QUERY_MAX = 100
FOLDED_MAX = 65_536  # folded texts kept between searches (a few MiB at most)


def _strip(ch: str) -> str:
    return "".join(c for c in unicodedata.normalize("NFKD", ch) if not unicodedata.combining(c))


# Latin letters with accents, to their bare letters, in one C-level translate (a per-character
# normalisation would be most of a search's time); other scripts go through NFKD below.
_LATIN = {code: _strip(chr(code)) for code in range(0xC0, 0x250) if _strip(chr(code)) != chr(code)}
_LATIN |= {ord("œ"): "oe", ord("æ"): "ae", ord("ß"): "ss"}


@lru_cache(maxsize=FOLDED_MAX)
def fold(text: str) -> str:
    """Lower case without accents: 'École' and 'ecole' are the same word to a search (the stored texts
    come back search after search: their folded forms are kept, up to ``FOLDED_MAX`` of them)."""
    lowered = text.casefold().translate(_LATIN)
    if lowered.isascii():
        return lowered
    return _strip(lowered)


def search_sites(uow: UnitOfWork, text: str, limit: int = 20) -> list[Site]:
    """The sites in scope matching every word of ``text``, best first, at most ``limit``."""
    words = fold(text[:QUERY_MAX]).split()
    if not words:
        return []
    limit = max(1, min(limit, MAX_RESULTS))
    whole = " ".join(words)
    scored: list[tuple[int, str, str]] = []
    for found in uow.site_texts.texts():
        name, ref = fold(found.name), fold(found.ref)
        numbers = [fold(n) for n in found.accounts]
        haystack = " ".join([name, ref, fold(" ".join([found.place, *found.contacts])), *numbers])
        if not all(w in haystack for w in words):
            continue
        if whole == ref or whole in numbers:
            rank = 0
        elif name.startswith(words[0]):
            rank = 1
        elif all(w in name for w in words):
            rank = 2
        else:
            rank = 3
        scored.append((rank, f"{name}\x00{ref}", found.site_id))
    best = [UUID(site_id) for _, _, site_id in sorted(scored)[:limit]]
    sites = {site.id: site for site in uow.sites.get_many(best)}
    return [sites[i] for i in best if i in sites]
