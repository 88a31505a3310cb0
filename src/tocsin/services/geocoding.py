"""Finding places: addresses by text with typos allowed, the addresses nearest a point, sites by name.

The address table is reference data shared by every tenant (a town's streets belong to no one); sites
belong to a tenant and are searched in the caller's scope only.

The :class:`Geocoder` keeps one in-process index of the whole address table (built by an adapter: see
bootstrap). It is built on first use, and rebuilt when ``geo_revision`` (bumped by every load or import,
from any process) says the table changed: the check costs one one-row read, at most every
``check_every_s`` seconds; the rebuild runs in a background thread while the old index keeps answering.
"""

from __future__ import annotations

import threading
from collections.abc import Callable, Iterable
from dataclasses import dataclass

from tocsin.domain.errors import InvalidInput
from tocsin.domain.geo import Address, normalize_address_text
from tocsin.domain.geocoding import MAX_LIMIT, GeoCandidate, nothing_found, parse_query
from tocsin.domain.places import check_coordinates
from tocsin.domain.scope import Scope
from tocsin.domain.sites import Site
from tocsin.services.ports import AddressIndex, Clock
from tocsin.services.unit_of_work import Store, UnitOfWork

IndexBuilder = Callable[[Iterable[Address]], AddressIndex]
KINDS = ("all", "address", "site")


@dataclass(frozen=True, slots=True)
class SearchAnswer:
    """Candidates best first; ``message`` says what to do when there are none (offer a map click)."""

    query: str
    candidates: list[GeoCandidate]
    message: str | None


class Geocoder:
    """The installation's address index, kept in step with the address table."""

    def __init__(self, store: Store, build: IndexBuilder, clock: Clock, check_every_s: float = 2.0) -> None:
        self._store = store
        self._build = build
        self._clock = clock
        self._check_every_s = check_every_s
        self._index: AddressIndex | None = None
        self._revision = -1
        self._checked_at = float("-inf")
        self._lock = threading.Lock()
        self._rebuilding: threading.Thread | None = None

    def _load(self) -> tuple[int, AddressIndex]:
        def read(uow: UnitOfWork) -> tuple[int, AddressIndex]:
            revision = uow.geo.address_revision()
            return revision, self._build(uow.geo.addresses())

        return self._store.read(read, Scope.system())

    def refresh(self) -> int:
        """Rebuild the index now, whatever its revision; return how many addresses it holds."""
        revision, index = self._load()
        with self._lock:
            self._index, self._revision = index, revision
            self._checked_at = self._clock.monotonic()
        return len(index)

    def _stored_revision(self) -> int:
        return self._store.read(lambda uow: uow.geo.address_revision(), Scope.system())

    def index(self) -> AddressIndex:
        """The current index: built now on first use; rebuilt in the background when the table changed."""
        if self._index is None:
            with self._lock:
                if self._index is None:
                    self._revision, self._index = self._load()
                    self._checked_at = self._clock.monotonic()
            return self._index
        now = self._clock.monotonic()
        if now - self._checked_at >= self._check_every_s:
            self._checked_at = now
            if self._stored_revision() != self._revision:
                self._rebuild_in_background()
        return self._index

    def _rebuild_in_background(self) -> None:
        with self._lock:
            if self._rebuilding is not None and self._rebuilding.is_alive():
                return
            self._rebuilding = threading.Thread(target=self.refresh, name="geocoder-rebuild", daemon=True)
            self._rebuilding.start()

    def warm_up(self) -> None:
        """Build the index in the background now, so the first search does not wait (server start)."""
        with self._lock:
            if self._index is not None or self._rebuilding is not None:
                return
            self._rebuilding = threading.Thread(target=self.index, name="geocoder-build", daemon=True)
            self._rebuilding.start()

    def wait_for_rebuild(self, timeout: float | None = None) -> None:
        """Wait until a background rebuild, if any, is done (for tests and the CLI)."""
        thread = self._rebuilding
        if thread is not None:
            thread.join(timeout)

    def search(self, text: str, limit: int = 10) -> SearchAnswer:
        """Addresses best matching ``text``; none: a message offering a map click."""
        check_limit(limit)
        parse_query(text)  # refuses an empty or too long query with a clear message
        found = self.index().search(text, limit)
        return SearchAnswer(text, found, None if found else nothing_found(text))

    def reverse(self, latitude: float, longitude: float, limit: int = 5) -> list[GeoCandidate]:
        """The addresses nearest a point, nearest first, each with its distance in metres."""
        check_limit(limit)
        check_coordinates(latitude, longitude)
        return self.index().nearest(latitude, longitude, limit)


def check_limit(limit: int) -> None:
    """A result count is 1 to :data:`MAX_LIMIT`."""
    if not 1 <= limit <= MAX_LIMIT:
        raise InvalidInput(f"limit must be 1 to {MAX_LIMIT}; {limit} is not.")


# ---------------------------------------------------------------- sites
def _close(word: str, candidate: str) -> float:
    """How well a typed word matches a word of a site: 1 equal, 0.9 its start, 0.8 one typo, else 0."""
    if word == candidate:
        return 1.0
    if len(word) >= 2 and candidate.startswith(word):
        return 0.9
    if len(word) >= 5 and within_one_edit(word, candidate):
        return 0.8
    return 0.0


def within_one_edit(a: str, b: str) -> bool:
    """Whether one insertion, deletion, substitution or swap of neighbours turns ``a`` into ``b``."""
    if abs(len(a) - len(b)) > 1 or a == b:
        return a == b
    if len(a) == len(b):
        diffs = [i for i, (x, y) in enumerate(zip(a, b, strict=True)) if x != y]
        if len(diffs) == 1:
            return True
        first = diffs[0]
        return (
            len(diffs) == 2
            and diffs[1] == first + 1
            and a[first] == b[first + 1]
            and a[first + 1] == b[first]
        )
    short, long = (a, b) if len(a) < len(b) else (b, a)
    i = 0
    while i < len(short) and short[i] == long[i]:
        i += 1
    return short[i:] == long[i + 1 :]


def site_score(site: Site, words: list[str]) -> float:
    """How well the typed words find a site: the share of words matched in its reference, name or
    address (1.0 when the whole query is its reference)."""
    if not words:
        return 0.0
    ref = normalize_address_text(site.ref)
    if " ".join(words) == ref:
        return 1.0
    own = set(normalize_address_text(f"{site.ref} {site.name} {site.address} {site.city}").split())
    total = sum(max((_close(w, c) for c in own), default=0.0) for w in words)
    return 0.98 * total / len(words)


def search_sites(uow: UnitOfWork, text: str, limit: int = 10, min_score: float = 0.6) -> list[GeoCandidate]:
    """Sites in the unit of work's scope whose reference, name or address matches ``text``, best first."""
    check_limit(limit)
    parse_query(text)
    words = normalize_address_text(text).split()
    scored = [(site_score(site, words), site) for site in uow.sites.find()]
    ranked = sorted(((s, site) for s, site in scored if s >= min_score), key=lambda p: (-p[0], p[1].ref))[
        :limit
    ]
    return [_site_candidate(site, score) for score, site in ranked]


def _site_candidate(site: Site, score: float) -> GeoCandidate:
    address = ", ".join(part for part in (site.address, f"{site.postcode} {site.city}".strip()) if part)
    return GeoCandidate(
        kind="site",
        label=f"{site.ref} {site.name}" + (f" ({address})" if address else ""),
        score=round(score, 4),
        latitude=site.latitude,
        longitude=site.longitude,
        precision="site" if site.latitude is not None else "none",
        street=site.address,
        postcode=site.postcode,
        city=site.city,
        site_id=str(site.id),
    )
