"""Find sites by what an operator or an administrator remembers of them: a part of the name, the
reference, the address, a transmitter's account number, or a contact's name (never a secret).

Every word typed must be found in one of those (case and accents do not matter); the best matches come
first (a reference or account typed whole, then a name starting with the words), and the answer is
bounded. The records are read through the caller's scope, so a site outside it is never found.
"""

from __future__ import annotations

import unicodedata
from collections import defaultdict
from uuid import UUID

from tocsin.domain.sites import Site
from tocsin.services.unit_of_work import UnitOfWork

MAX_RESULTS = 50
QUERY_MAX = 100


def fold(text: str) -> str:
    """Lower case without accents: 'École' and 'ecole' are the same word to a search."""
    decomposed = unicodedata.normalize("NFKD", text.casefold())
    return "".join(ch for ch in decomposed if not unicodedata.combining(ch))


def search_sites(uow: UnitOfWork, text: str, limit: int = 20) -> list[Site]:
    """The sites in scope matching every word of ``text``, best first, at most ``limit``."""
    words = fold(text[:QUERY_MAX]).split()
    if not words:
        return []
    limit = max(1, min(limit, MAX_RESULTS))
    extra: dict[UUID, list[str]] = defaultdict(list)
    exact: set[UUID] = set()
    whole = fold(text.strip())
    for account in uow.accounts.find():
        extra[account.site_id].append(fold(account.number))
        if fold(account.number) == whole:
            exact.add(account.site_id)
    for contact in uow.contacts.find():
        extra[contact.site_id].append(fold(contact.name))
    scored: list[tuple[int, str, Site]] = []
    for site in uow.sites.find():
        name, ref = fold(site.name), fold(site.ref)
        haystack = " ".join(
            [name, ref, fold(site.address), fold(site.postcode), fold(site.city), *extra[site.id]]
        )
        if not all(w in haystack for w in words):
            continue
        if ref == whole or site.id in exact:
            rank = 0
        elif name.startswith(words[0]):
            rank = 1
        elif all(w in name for w in words):
            rank = 2
        else:
            rank = 3
        scored.append((rank, name, site))
    scored.sort(key=lambda x: (x[0], x[1], x[2].ref))
    return [site for _, _, site in scored[:limit]]
