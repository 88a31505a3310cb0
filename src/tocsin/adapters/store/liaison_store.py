"""The SQL store of partners' side of events and their closure (see
:class:`tocsin.services.liaison_ports.LiaisonStore`): every statement is kept inside the caller's tenant."""

from __future__ import annotations

import dataclasses
from typing import Any, TypeVar, cast
from uuid import UUID, uuid5

from sqlalchemy import ColumnElement, Table, delete, insert, select, true, update
from sqlalchemy.orm import Session

from tocsin.adapters.store.partner_rows import (
    CorrectionRow,
    IncidentRadioRow,
    IncidentReportRow,
    MessageTemplateRow,
    NotificationRuleRow,
    PartnerRequestRow,
)
from tocsin.domain.closure import Correction, Report
from tocsin.domain.partners import Matrix, MatrixRule, PartnerRequest, RadioAssignment, Template
from tocsin.domain.scope import Scope

R = TypeVar("R")
_RULE = cast(Table, NotificationRuleRow.__table__)
_TEMPLATE = cast(Table, MessageTemplateRow.__table__)
_REQUEST = cast(Table, PartnerRequestRow.__table__)
_RADIO = cast(Table, IncidentRadioRow.__table__)
_REPORT = cast(Table, IncidentReportRow.__table__)
_CORRECTION = cast(Table, CorrectionRow.__table__)


def _names(kind: type[Any]) -> tuple[str, ...]:
    return tuple(f.name for f in dataclasses.fields(kind))


def _values(record: Any) -> dict[str, Any]:
    return {name: getattr(record, name) for name in _names(type(record))}


class SqlLiaisonStore:
    """Matrix, requests, radio, reports and corrections in the caller's transaction."""

    def __init__(self, session: Session, scope: Scope) -> None:
        self._session = session
        self._scope = scope

    def _run(self, statement: Any, rows: list[dict[str, Any]] | None = None) -> Any:
        return self._session.connection().execute(statement, rows)

    def _mine(self, table: Table) -> ColumnElement[bool]:
        if self._scope.all_tenants:
            return true()
        return table.c.tenant_id == self._scope.tenant_id

    def _one(self, table: Table, kind: type[R], key: Any, value: UUID) -> R | None:
        row = self._run(select(table).where(key == value, self._mine(table))).first()
        return None if row is None else kind(**{n: row._mapping[n] for n in _names(kind)})

    def matrix(self, tenant_id: UUID) -> Matrix:
        templates = tuple(
            Template(row.tenant_id, row.code, row.name, row.text)
            for row in self._run(
                select(_TEMPLATE).where(_TEMPLATE.c.tenant_id == tenant_id).order_by(_TEMPLATE.c.code)
            )
        )
        names = _names(MatrixRule)
        rules = tuple(
            MatrixRule(**{n: row._mapping[n] for n in names})
            for row in self._run(
                select(_RULE).where(_RULE.c.tenant_id == tenant_id).order_by(_RULE.c.position)
            )
        )
        return Matrix(rules, templates)

    def put_matrix(self, tenant_id: UUID, matrix: Matrix) -> None:
        self._run(delete(_RULE).where(_RULE.c.tenant_id == tenant_id))
        self._run(delete(_TEMPLATE).where(_TEMPLATE.c.tenant_id == tenant_id))
        templates = [
            {**_values(t), "id": uuid5(tenant_id, "template:" + t.code), "tenant_id": tenant_id}
            for t in matrix.templates
        ]
        rules = [
            {**_values(r), "id": uuid5(tenant_id, f"rule:{n}"), "position": n, "tenant_id": tenant_id}
            for n, r in enumerate(matrix.rules)
        ]
        if templates:
            self._run(insert(_TEMPLATE), templates)
        if rules:
            self._run(insert(_RULE), rules)

    def requests(self, incident_id: UUID) -> list[PartnerRequest]:
        statement = (
            select(_REQUEST)
            .where(_REQUEST.c.incident_id == incident_id, self._mine(_REQUEST))
            .order_by(_REQUEST.c.sent_at, _REQUEST.c.id)
        )
        names = _names(PartnerRequest)
        return [PartnerRequest(**{n: row._mapping[n] for n in names}) for row in self._run(statement)]

    def request(self, request_id: UUID) -> PartnerRequest | None:
        return self._one(_REQUEST, PartnerRequest, _REQUEST.c.id, request_id)

    def add_request(self, request: PartnerRequest) -> None:
        self._run(insert(_REQUEST).values(**_values(request)))

    def save_request(self, request: PartnerRequest) -> None:
        values = _values(request)
        del values["id"]
        self._run(update(_REQUEST).where(_REQUEST.c.id == request.id).values(**values))

    def radio(self, incident_id: UUID) -> RadioAssignment | None:
        return self._one(_RADIO, RadioAssignment, _RADIO.c.incident_id, incident_id)

    def set_radio(self, radio: RadioAssignment) -> None:
        self._run(delete(_RADIO).where(_RADIO.c.incident_id == radio.incident_id))
        self._run(insert(_RADIO).values(**_values(radio)))

    def report(self, incident_id: UUID) -> Report | None:
        row = self._run(
            select(_REPORT).where(_REPORT.c.incident_id == incident_id, self._mine(_REPORT))
        ).first()
        if row is None:
            return None
        found = {n: row._mapping[n] for n in _names(Report)}
        return Report(**{**found, "outcomes": tuple(found["outcomes"])})

    def put_report(self, report: Report) -> None:
        self._run(delete(_REPORT).where(_REPORT.c.incident_id == report.incident_id))
        self._run(insert(_REPORT).values(**{**_values(report), "outcomes": list(report.outcomes)}))

    def corrections(
        self, *, state: str | None = None, incident_id: UUID | None = None, limit: int = 500
    ) -> list[Correction]:
        statement = select(_CORRECTION).where(self._mine(_CORRECTION))
        if state is not None:
            statement = statement.where(_CORRECTION.c.state == state)
        if incident_id is not None:
            statement = statement.where(_CORRECTION.c.incident_id == incident_id)
        statement = statement.order_by(_CORRECTION.c.filed_at.desc(), _CORRECTION.c.id).limit(limit)
        names = _names(Correction)
        return [Correction(**{n: row._mapping[n] for n in names}) for row in self._run(statement)]

    def correction(self, correction_id: UUID) -> Correction | None:
        return self._one(_CORRECTION, Correction, _CORRECTION.c.id, correction_id)

    def add_correction(self, correction: Correction) -> None:
        self._run(insert(_CORRECTION).values(**_values(correction)))

    def save_correction(self, correction: Correction) -> None:
        values = _values(correction)
        del values["id"]
        self._run(update(_CORRECTION).where(_CORRECTION.c.id == correction.id).values(**values))
