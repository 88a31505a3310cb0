"""The site search's reads: a few columns of the sites, transmitters and contacts in the caller's scope,
read as plain rows (building records would cost more than the search itself)."""

from __future__ import annotations

from sqlalchemy import String, cast, select
from sqlalchemy.orm import Session

from tocsin.adapters.store.repositories import SqlRepository
from tocsin.adapters.store.rows import AccountRow, ContactRow, SiteRow
from tocsin.domain.scope import Scope
from tocsin.domain.sites import Account, Contact, Site
from tocsin.services.site_search_ports import SiteText


class SqlSiteTexts:
    """Site texts through the same scope conditions as the repositories."""

    def __init__(self, session: Session, scope: Scope) -> None:
        self._session = session
        self._sites = SqlRepository(session, scope, Site, SiteRow)
        self._accounts = SqlRepository(session, scope, Account, AccountRow)
        self._contacts = SqlRepository(session, scope, Contact, ContactRow)

    def texts(self) -> list[SiteText]:
        # the ids as the database's own text, one form throughout (no UUID built per row: a search reads
        # every row); only the few sites found are read as records
        site_columns = (
            cast(SiteRow.id, String),
            SiteRow.name,
            SiteRow.ref,
            SiteRow.address,
            SiteRow.postcode,
            SiteRow.city,
        )
        connection = self._session.connection()  # plain rows: no ORM result processing
        found = {
            row[0]: SiteText(row[0], row[1], row[2], " ".join((row[3], row[4], row[5])))
            for row in connection.execute(select(*site_columns).where(self._sites.scope_condition())).all()
        }
        for site_id, number in connection.execute(
            select(cast(AccountRow.site_id, String), AccountRow.number).where(
                self._accounts.scope_condition()
            )
        ).all():
            if site_id in found:
                found[site_id].accounts.append(number)
        for site_id, name in connection.execute(
            select(cast(ContactRow.site_id, String), ContactRow.name).where(self._contacts.scope_condition())
        ).all():
            if site_id in found:
                found[site_id].contacts.append(name)
        return list(found.values())
