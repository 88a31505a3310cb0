"""Property tests for Contact ID and SIA DCS data: any text parses or raises the documented error,
and every accepted form written from known fields reads back as those fields."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from tocsin.protocols import contact_id, sia_dcs

CID_DIGIT = "0123456789BCDEF"
_CID_ALPHABET = CID_DIGIT + "bcdefA#| 0189"
_SIA_ALPHABET = 'NOABRTFHri0123456789/|^*"#:tipd MAZ'

cid_text = st.text() | st.text(alphabet=_CID_ALPHABET, max_size=40)
sia_text = st.text() | st.text(alphabet=_SIA_ALPHABET, max_size=60)


@settings(max_examples=500)
@given(cid_text, st.text(max_size=6))
def test_contact_id_any_text_is_an_event_or_a_contact_id_error(data: str, account: str) -> None:
    """parse() gives a ContactIdEvent with 3+2+3 digits, or raises ContactIdError, for any text."""
    try:
        event = contact_id.parse(data, account=account)
    except contact_id.ContactIdError:
        return
    assert event.qualifier in contact_id.QUALIFIERS.values()
    assert (len(event.code), len(event.partition), len(event.zone_or_user)) == (3, 2, 3)


def _digits(size: int) -> st.SearchStrategy[str]:
    return st.text(alphabet=CID_DIGIT, min_size=size, max_size=size)


cid_fields = st.tuples(st.sampled_from(sorted(contact_id.QUALIFIERS)), _digits(3), _digits(2), _digits(3))


@given(
    cid_fields,
    _digits(4),
    st.sampled_from(["bare", "spaced", "prefixed", "hash-prefixed", "message-type", "dc05"]),
    st.sampled_from(["18", "98"]),
)
def test_contact_id_every_accepted_form_reads_back(
    fields: tuple[str, str, str, str], account: str, form: str, message_type: str
) -> None:
    """A Contact ID event written in any accepted form parses back to its own fields."""
    q, code, group, zone = fields
    event = f"{q}{code}{group}{zone}"
    written = {
        "bare": event,
        "spaced": f"{q}{code} {group} {zone}",
        "prefixed": f"{account}|{q}{code} {group} {zone}",
        "hash-prefixed": f"#{account}|{event}",
        "message-type": f"{message_type} {q}{code} {group} {zone}",
        "dc05": f"{account} {message_type} {q}{code} {group} {zone} 7",
    }[form]
    parsed = contact_id.parse(written, account="FFFF")
    expected_account = account if form in ("prefixed", "hash-prefixed", "dc05") else "FFFF"
    assert parsed == contact_id.ContactIdEvent(expected_account, contact_id.QUALIFIERS[q], code, group, zone)


@settings(max_examples=500)
@given(sia_text, st.text(max_size=6))
def test_sia_any_text_is_events_or_a_sia_error(data: str, account: str) -> None:
    """parse() gives at least one SiaEvent with a 2-letter code, or raises SiaDcsError, for any text."""
    try:
        events = sia_dcs.parse(data, account=account)
    except sia_dcs.SiaDcsError:
        return
    assert events
    assert all(len(e.code) == 2 and e.code.isupper() for e in events)


codes = st.text(alphabet="ABCDEFGHIJKLMNOPQRSTUVWXYZ", min_size=2, max_size=2)
numbers = st.text(alphabet="0123456789", max_size=4)
names = st.text(alphabet="abcdefghijklmnopqrstuvwxyz ", max_size=10)


@given(
    st.lists(st.tuples(codes, numbers, st.none() | names), min_size=1, max_size=5),
    st.none() | st.text(alphabet="0123456789", min_size=1, max_size=3),
    st.none() | st.text(alphabet="0123456789", min_size=1, max_size=4),
    st.booleans(),
    st.text(alphabet="0123456789ABCDEF", min_size=3, max_size=16),
)
def test_sia_blocks_written_from_fields_read_back(
    blocks: list[tuple[str, str, str | None]], area: str | None, user: str | None, new: bool, account: str
) -> None:
    """SIA DCS data written from events (area, user, names) parses back to those events, in order."""
    modifiers = (f"ri{area}/" if area else "") + (f"id{user}/" if user else "")
    written = "/".join(
        f"{code}{number}" + (f"^{name}^" if name is not None else "") for code, number, name in blocks
    )
    data = f"#{account}|{'N' if new else 'O'}{modifiers}{written}"
    parsed = sia_dcs.parse(data)
    assert [(e.code, e.zone_or_user, e.text or None) for e in parsed] == [
        (code, number, name or None) for code, number, name in blocks
    ]
    assert all(e.account == account and e.new is new for e in parsed)
    assert all(e.partition == (area or "") and e.user == user for e in parsed)
