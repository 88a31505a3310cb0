"""An in-process address index: typo-tolerant search and nearest-address look-up over the address table.

Built once from the table (:func:`build_index`), then read by any number of threads; a new import builds
a new index, which replaces the old one whole. Nothing here writes.

How a search runs (a département's 400,000 addresses are about 20,000 streets and 15,000 distinct words):

1. The query is split into house number, postcode and words (:func:`tocsin.domain.geocoding.parse_query`).
2. Each word is matched against the vocabulary of the street and town names: exactly, as the start of a
   longer word (``vict`` → ``victor``), and with typos (rapidfuzz's normalised Indel ratio, so ``vicor``
   → ``victor``, ``gambeta`` → ``gambetta``). Each match has a similarity in [0, 1].
3. The streets holding the rarest matched words are the candidates; each is scored by how much of the
   query it explains (words weighted by rarity) and how much of its own name the query covers.
4. The house number picks the address on each candidate street (or the nearest number it has).

Memory stays small because addresses live in flat arrays (``array``), not objects: about 60 bytes an
address plus the streets' names (see docs/geocoding.md for the measured figures).
"""

from __future__ import annotations

import math
import re
from array import array
from bisect import bisect_left
from collections.abc import Iterable
from dataclasses import dataclass

from rapidfuzz import fuzz, process

from tocsin.domain.geo import Address
from tocsin.domain.geocoding import (
    AddressQuery,
    GeoCandidate,
    address_words,
    distance_m,
    number_key,
    parse_query,
)

CELL_DEG = 0.005  # reverse geocoding grid: about 550 m by 370 m in France
MAX_RINGS = 12  # how far reverse geocoding looks: about 6 km
MIN_SCORE = 0.55  # below this, a candidate is noise, not an answer
CANDIDATE_STREETS = 40
_FUZZY_LIMIT = 6
_SEED_MAX = 3_000  # streets a second candidate-picking word may bring
_KEEP_WITHIN = 0.12  # a word's matches this far below its best one are dropped (fewer, better streets)
_ALWAYS_KEPT = 0.8  # ... but a misspelling this close stays: a typo may spell another real word
_DIGITS = re.compile(r"\d+")


@dataclass(slots=True)
class _Street:
    name: str
    postcode: str
    city: str
    name_tokens: tuple[int, ...]
    city_tokens: tuple[int, ...]
    addresses: array[int]  # the street's houses, as rows of the index


class AddressIndex:
    """Searches addresses by text and by position. Build it with :func:`build_index`."""

    def __init__(self) -> None:
        self.vocabulary: list[str] = []  # token id -> word
        self._token_ids: dict[str, int] = {}
        self._sorted_words: list[str] = []  # for prefix look-ups
        self._postings: list[array[int]] = []  # token id -> street ids
        self.streets: list[_Street] = []
        self._street_ids: dict[tuple[str, str, str], int] = {}
        self.ids = array("q")
        self.numbers: list[str] = []
        self._number_keys: list[str] = []  # number_key() of each number, computed once
        self._numbers_seen: dict[str, tuple[str, str]] = {}  # number -> (one shared copy, its key)
        self.street_of = array("I")
        self.latitudes = array("d")
        self.longitudes = array("d")
        self._cells: dict[tuple[int, int], array[int]] = {}
        self._idf: list[float] = []

    # ---------------------------------------------------------------- building
    def _token(self, word: str) -> int:
        token = self._token_ids.get(word)
        if token is None:
            token = self._token_ids[word] = len(self.vocabulary)
            self.vocabulary.append(word)
            self._postings.append(array("I"))
        return token

    def _street(self, address: Address) -> int:
        key = (address.street, address.postcode, address.city)
        street = self._street_ids.get(key)
        if street is None:
            street = self._street_ids[key] = len(self.streets)
            name_tokens = tuple(dict.fromkeys(self._token(w) for w in address_words(address.street)))
            city_tokens = tuple(
                dict.fromkeys(self._token(w) for w in address_words(f"{address.city} {address.postcode}"))
            )
            for token in dict.fromkeys((*name_tokens, *city_tokens)):
                self._postings[token].append(street)
            self.streets.append(
                _Street(address.street, address.postcode, address.city, name_tokens, city_tokens, array("I"))
            )
        return street

    def add(self, address: Address) -> None:
        """Add one address (while building, before any search)."""
        street = self._street(address)
        row = len(self.ids)
        self.ids.append(address.id)
        known = self._numbers_seen.get(address.number)
        if known is None:  # "1" to "40" repeat on every street: normalise each distinct number once
            known = self._numbers_seen[address.number] = (address.number, number_key(address.number))
        self.numbers.append(known[0])
        self._number_keys.append(known[1])
        self.street_of.append(street)
        self.latitudes.append(address.latitude)
        self.longitudes.append(address.longitude)
        self.streets[street].addresses.append(row)
        where = _cell(address.latitude, address.longitude)
        cell = self._cells.get(where)
        if cell is None:
            cell = self._cells[where] = array("I")
        cell.append(row)

    def finish(self) -> AddressIndex:
        """Compute word rarities and the sorted vocabulary; the index is then read-only."""
        total = max(len(self.streets), 1)
        self._idf = [math.log(1 + total / len(p)) for p in self._postings]
        self._sorted_words = sorted(self.vocabulary)
        self._street_ids.clear()
        self._numbers_seen.clear()
        return self

    def __len__(self) -> int:
        return len(self.ids)

    # ---------------------------------------------------------------- search
    def search(self, text: str, limit: int = 10) -> list[GeoCandidate]:
        """The addresses (or streets, when no number is given) best matching ``text``, best first."""
        query = parse_query(text)
        words = [*query.words, *((query.postcode,) if query.postcode else ())]
        if not words or not self.streets:
            return []
        matches = [self._match(w) for w in words]
        scored = sorted(self._score_streets(query, matches), reverse=True)
        # a missing number costs 10 %: only the streets within reach of the top ones can still rank
        answers = [self._answer(query, street, score) for score, street in scored[: max(3 * limit, 15)]]
        answers.sort(key=lambda c: (-c.score, len(c.label), c.label))
        return answers[:limit]

    def _match(self, word: str) -> dict[int, float]:
        """Vocabulary words close to ``word``, by token id, with a similarity in [0, 1]."""
        found: dict[int, float] = {}
        exact = self._token_ids.get(word)
        if exact is not None:
            found[exact] = 1.0
        if len(word) >= 3:  # the start of a longer word, as an operator types
            start = bisect_left(self._sorted_words, word)
            for candidate in self._sorted_words[start : start + 8]:
                if not candidate.startswith(word):
                    break
                token = self._token_ids[candidate]
                found.setdefault(token, 0.80 + 0.15 * len(word) / len(candidate))
        misspelt: dict[int, float] = {}  # one or two letters off: kept even beside an exact match
        if len(word) >= 4 and not word.isdigit():
            cutoff = 70.0 if len(word) >= 6 else 75.0
            for _, ratio, token in process.extract(
                word, self.vocabulary, scorer=fuzz.ratio, score_cutoff=cutoff, limit=_FUZZY_LIMIT
            ):
                misspelt[token] = ratio / 100.0
        for token, similarity in misspelt.items():
            if found.get(token, 0.0) < similarity:
                found[token] = similarity
        if found:
            floor = max(found.values()) - _KEEP_WITHIN
            found = {
                token: sim
                for token, sim in found.items()
                if sim >= floor or (sim >= _ALWAYS_KEPT and misspelt.get(token) == sim)
            }
        return found

    def _score_streets(self, query: AddressQuery, matches: list[dict[int, float]]) -> list[tuple[float, int]]:
        idf = self._idf
        # a word weighs as much as the rarity of its best match: "gambetta" far more than "rue"
        weights = [idf[max(m, key=m.__getitem__)] if m else 1.0 for m in matches]
        reached: list[tuple[set[int], float]] = []  # per matched word: the streets holding a match
        for m, weight in zip(matches, weights, strict=True):
            if m:
                streets: set[int] = set()
                for token in m:
                    streets.update(self._postings[token])
                reached.append((streets, weight))
        if not reached:
            return []
        reached.sort(key=lambda pair: len(pair[0]))
        # the two rarest words pick the candidates (two, so one wrongly matched word loses nothing),
        # unless the second is a common one ("rue"), which would only bring noise and time
        seeds = [reached[0][0], *(r[0] for r in reached[1:2] if len(r[0]) <= _SEED_MAX)]
        candidates = set().union(*seeds)
        rough = dict.fromkeys(candidates, 0.0)
        for streets, weight in reached:
            for street in candidates.intersection(streets):
                rough[street] += weight
        best = sorted(rough, key=rough.__getitem__, reverse=True)[:CANDIDATE_STREETS]
        total_weight = sum(weights)
        scored: list[tuple[float, int]] = []
        for street_id in best:
            score = self._street_score(query, matches, weights, total_weight, street_id)
            if score >= MIN_SCORE:
                scored.append((score, street_id))
        return scored

    def _street_score(
        self,
        query: AddressQuery,
        matches: list[dict[int, float]],
        weights: list[float],
        total_weight: float,
        street_id: int,
    ) -> float:
        street = self.streets[street_id]
        tokens = (*street.name_tokens, *street.city_tokens)
        explained = 0.0
        covered: dict[int, float] = {}
        for m, weight in zip(matches, weights, strict=True):
            best_token, best = -1, 0.0
            for token in tokens:
                similarity = m.get(token, 0.0)
                if similarity > best:
                    best_token, best = token, similarity
            explained += weight * best
            if best_token >= 0 and covered.get(best_token, 0.0) < best:
                covered[best_token] = best
        idf = self._idf
        name_weight = sum(idf[t] for t in street.name_tokens) or 1.0
        name_covered = sum(idf[t] * covered.get(t, 0.0) for t in street.name_tokens) / name_weight
        score = 0.7 * (explained / total_weight) + 0.3 * name_covered
        if query.postcode is not None and query.postcode != street.postcode:
            score *= 0.85
        return score

    def _answer(self, query: AddressQuery, street_id: int, score: float) -> GeoCandidate:
        street = self.streets[street_id]
        rows = street.addresses
        if query.number is None:
            row = _middle(rows, self.numbers)
            return self._candidate(
                row, score, "street", label=f"{street.name}, {street.postcode} {street.city}"
            )
        wanted = number_key(query.number)
        keys = self._number_keys
        for row in rows:
            if keys[row] == wanted:
                return self._candidate(row, score, "address")
        row = _nearest_number(rows, self.numbers, query.number)
        return self._candidate(row, score * 0.9, "nearby_number")

    def _candidate(self, row: int, score: float, precision: str, label: str | None = None) -> GeoCandidate:
        street = self.streets[self.street_of[row]]
        number = self.numbers[row]
        return GeoCandidate(
            kind="address",
            label=label or f"{number} {street.name}, {street.postcode} {street.city}",
            score=round(min(score, 1.0), 4),
            latitude=self.latitudes[row],
            longitude=self.longitudes[row],
            precision=precision,
            address_id=self.ids[row] if precision != "street" else None,
            number=number if precision != "street" else "",
            street=street.name,
            postcode=street.postcode,
            city=street.city,
        )

    # ---------------------------------------------------------------- reverse
    def nearest(self, latitude: float, longitude: float, limit: int = 5) -> list[GeoCandidate]:
        """The addresses nearest a point, nearest first (within about 6 km)."""
        row0, col0 = _cell(latitude, longitude)
        found: list[tuple[float, int]] = []
        for ring in range(MAX_RINGS + 1):
            for cell in _ring(row0, col0, ring):
                for row in self._cells.get(cell, ()):
                    d = distance_m(latitude, longitude, self.latitudes[row], self.longitudes[row])
                    found.append((d, row))
            found.sort()
            # every point outside the rings searched is at least `ring` cells away
            reach = ring * CELL_DEG * 111_320.0 * math.cos(math.radians(min(abs(latitude), 89.0)))
            if len(found) >= limit and found[limit - 1][0] <= reach:
                break
        answers = []
        for d, row in found[:limit]:
            candidate = self._candidate(row, 1.0, "address")
            answers.append(_with_distance(candidate, d))
        return answers


def _with_distance(candidate: GeoCandidate, metres: float) -> GeoCandidate:
    return GeoCandidate(
        kind=candidate.kind,
        label=candidate.label,
        score=candidate.score,
        latitude=candidate.latitude,
        longitude=candidate.longitude,
        precision=candidate.precision,
        address_id=candidate.address_id,
        number=candidate.number,
        street=candidate.street,
        postcode=candidate.postcode,
        city=candidate.city,
        distance_m=round(metres, 1),
    )


def _cell(latitude: float, longitude: float) -> tuple[int, int]:
    return math.floor(latitude / CELL_DEG), math.floor(longitude / CELL_DEG)


def _ring(row: int, col: int, ring: int) -> Iterable[tuple[int, int]]:
    if ring == 0:
        yield row, col
        return
    for c in range(col - ring, col + ring + 1):
        yield row - ring, c
        yield row + ring, c
    for r in range(row - ring + 1, row + ring):
        yield r, col - ring
        yield r, col + ring


def _numeric(number: str) -> int:
    digits = _DIGITS.search(number)
    return int(digits[0]) if digits else 0


def _middle(rows: array[int], numbers: list[str]) -> int:
    ordered = sorted(rows, key=lambda r: (_numeric(numbers[r]), numbers[r]))
    return ordered[len(ordered) // 2]


def _nearest_number(rows: array[int], numbers: list[str], wanted: str) -> int:
    target = _numeric(wanted)
    return min(rows, key=lambda r: ((_numeric(numbers[r]) - target) % 2, abs(_numeric(numbers[r]) - target)))


def build_index(addresses: Iterable[Address]) -> AddressIndex:
    """An index over these addresses (streamed: only the index is kept)."""
    index = AddressIndex()
    for address in addresses:
        index.add(address)
    return index.finish()
