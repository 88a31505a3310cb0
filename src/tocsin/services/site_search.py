"""Find sites by what an operator or an administrator remembers of them: a part of the name, the
reference, the address, a transmitter's account number, or a contact's name (never a secret).

Every word typed must be found in one of those (case and accents do not matter); the best matches come
first (a reference or account typed whole, then a name starting with the words), and the answer is
bounded. The records are read through the caller's scope, so a site outside it is never found.
"""

from __future__ import annotations

import threading
import unicodedata
from collections import OrderedDict
from dataclasses import dataclass
from functools import lru_cache
from uuid import UUID

from tocsin.domain.logbook import chain_for
from tocsin.domain.scope import Scope
from tocsin.domain.sites import Site
from tocsin.services.site_search_ports import SiteText
from tocsin.services.unit_of_work import UnitOfWork

MAX_RESULTS = 50
QUERY_MAX = 100
FOLDED_MAX = 65_536  # folded texts kept between searches (a few MiB at most)
CACHED_SCOPES = 16  # scopes whose folded sites are kept between searches


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


@dataclass(frozen=True, slots=True)
class _Folded:
    """A site's texts as a search compares them."""

    site_id: str
    name: str
    ref: str
    numbers: tuple[str, ...]
    haystack: str


def _fold_all(texts: list[SiteText]) -> list[_Folded]:
    folded = []
    for found in texts:
        name, ref = fold(found.name), fold(found.ref)
        numbers = tuple(fold(n) for n in found.accounts)
        haystack = " ".join([name, ref, fold(" ".join([found.place, *found.contacts])), *numbers])
        folded.append(_Folded(found.site_id, name, ref, numbers, haystack))
    return folded


_CACHE: OrderedDict[Scope, tuple[int, list[_Folded]]] = OrderedDict()
_CACHE_LOCK = threading.Lock()


def _searchable(uow: UnitOfWork) -> list[_Folded]:
    """The folded texts of the sites in the unit of work's scope. They are kept per scope (at most
    ``CACHED_SCOPES``) with the tenant's logbook head: every change to a site, a transmitter or a contact
    is an entry of that chain in the change's transaction, so while the head stays the same the texts
    do (the head is read first: texts read after it are as new or newer)."""
    scope = uow.scope
    if scope.tenant_id is None:
        return _fold_all(uow.site_texts.texts())
    head = uow.logbook.head(chain_for(scope.tenant_id)).seq
    with _CACHE_LOCK:
        kept = _CACHE.get(scope)
        if kept is not None and kept[0] == head:
            _CACHE.move_to_end(scope)
            return kept[1]
    folded = _fold_all(uow.site_texts.texts())
    with _CACHE_LOCK:
        _CACHE[scope] = (head, folded)
        _CACHE.move_to_end(scope)
        while len(_CACHE) > CACHED_SCOPES:
            _CACHE.popitem(last=False)
    return folded


def search_sites(uow: UnitOfWork, text: str, limit: int = 20) -> list[Site]:
    """The sites in scope matching every word of ``text``, best first, at most ``limit``."""
    words = fold(text[:QUERY_MAX]).split()
    if not words:
        return []
    limit = max(1, min(limit, MAX_RESULTS))
    whole = " ".join(words)
    scored: list[tuple[int, str, str]] = []
    for found in _searchable(uow):
        if not all(w in found.haystack for w in words):
            continue
        if whole in (found.ref, *found.numbers):
            rank = 0
        elif found.name.startswith(words[0]):
            rank = 1
        elif all(w in found.name for w in words):
            rank = 2
        else:
            rank = 3
        scored.append((rank, f"{found.name}\x00{found.ref}", found.site_id))
    best = [UUID(site_id) for _, _, site_id in sorted(scored)[:limit]]
    sites = {site.id: site for site in uow.sites.get_many(best)}
    return [sites[i] for i in best if i in sites]
