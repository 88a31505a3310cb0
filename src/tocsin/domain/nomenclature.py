"""The nomenclature of event types and the guided questioning it drives.

A type says what to ask the caller (questions in order, each with its kind of answer), how answers move
the priority (rules that raise or lower it), which answers mean an immediate dispatch ("départ réflexe"),
the response plan (unit types and counts, kept for dispatch), who in the chain of command must be told,
and the APCO ANS 2.103 common incident type it maps to. Priority 1 is the most urgent, 5 the least.

Everything here is pure: :func:`parse_type` reads a type from plain data (the shipped file or an
administrator's edit) and refuses what does not hold together; :func:`assess` turns answers into a
priority, a départ réflexe and the essential questions still unanswered.
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any, Literal, cast

from tocsin.domain.apco import INCIDENT_CATEGORIES
from tocsin.domain.errors import InvalidInput

AnswerKind = Literal["yes_no", "choice", "number", "text"]
ANSWER_KINDS: tuple[AnswerKind, ...] = ("yes_no", "choice", "number", "text")
Op = Literal["is", "in", "at_least", "at_most"]
OPS: tuple[Op, ...] = ("is", "in", "at_least", "at_most")
Answer = bool | float | str
HIGHEST, LOWEST = 1, 5
CATEGORIES = ("fire", "rescue", "medical", "police", "security", "technical", "other")
CODE_MAX, TEXT_MAX = 32, 300


@dataclass(frozen=True, slots=True)
class Question:
    """One question to ask the caller, in the type's order."""

    id: str
    text_en: str
    text_fr: str
    kind: AnswerKind
    choices: tuple[str, ...] = ()
    essential: bool = False  # flagged as missing while unanswered


@dataclass(frozen=True, slots=True)
class Condition:
    """An answer that matches: ``is`` a value, ``in`` a set of choices, ``at_least``/``at_most`` a number."""

    question: str
    op: Op
    value: Answer | tuple[str, ...]

    def holds(self, answers: Mapping[str, Answer]) -> bool:
        """Whether the answers given match (an unanswered question never does)."""
        given = answers.get(self.question)
        if given is None:
            return False
        if self.op == "is":
            return given == self.value
        if self.op == "in":
            return isinstance(self.value, tuple) and given in self.value
        if isinstance(given, bool) or not isinstance(given, int | float):
            return False
        limit = cast(float, self.value)
        return given >= limit if self.op == "at_least" else given <= limit


@dataclass(frozen=True, slots=True)
class PriorityRule:
    """When the condition holds, the priority moves by ``change`` levels (negative: more urgent)."""

    when: Condition
    change: int


@dataclass(frozen=True, slots=True)
class PlannedUnits:
    """A line of the response plan: how many units of a type (engaged in the next step, dispatch)."""

    unit_type: str
    count: int


@dataclass(frozen=True, slots=True)
class IncidentType:
    """One entry of the nomenclature."""

    code: str
    label_en: str
    label_fr: str
    category: str
    default_priority: int
    apco: str
    questions: tuple[Question, ...] = ()
    rules: tuple[PriorityRule, ...] = ()
    reflex: tuple[Condition, ...] = ()  # any one holding means an immediate dispatch
    reflex_always: bool = False  # the type alone means an immediate dispatch (cardiac arrest)
    response_plan: tuple[PlannedUnits, ...] = ()
    notify: tuple[str, ...] = ()  # roles of the chain of command to tell
    compatible: tuple[str, ...] = ()  # other codes a duplicate call may be typed as
    duplicate_radius_m: int = 300
    duplicate_minutes: int = 30
    active: bool = True

    def question(self, question_id: str) -> Question | None:
        """The type's question with that id."""
        return next((q for q in self.questions if q.id == question_id), None)


@dataclass(frozen=True, slots=True)
class Assessment:
    """What the answers given so far mean."""

    priority: int
    reflex: bool
    reasons: tuple[str, ...]  # the ids of the questions whose answers moved the priority or triggered
    missing: tuple[str, ...]  # essential questions not answered yet
    next_question: str | None  # the first question not answered yet, in order


def check_answers(kind: IncidentType, answers: Mapping[str, Any]) -> dict[str, Answer]:
    """The answers, checked against the type's questions: an unknown question or an answer of the wrong
    kind is refused with the question named."""
    checked: dict[str, Answer] = {}
    for question_id, given in answers.items():
        question = kind.question(question_id)
        if question is None:
            known = ", ".join(q.id for q in kind.questions) or "none"
            raise InvalidInput(f"Type {kind.code} has no question {question_id!r} (its questions: {known}).")
        if given is None:
            continue
        checked[question_id] = _checked_answer(question, given)
    return checked


def _checked_answer(question: Question, given: Any) -> Answer:
    if question.kind == "yes_no":
        if not isinstance(given, bool):
            raise InvalidInput(f"Question {question.id!r} is answered yes or no (true or false).")
        return given
    if question.kind == "number":
        if isinstance(given, bool) or not isinstance(given, int | float) or not math.isfinite(given):
            raise InvalidInput(f"Question {question.id!r} is answered with a number.")
        return float(given)
    if not isinstance(given, str):
        raise InvalidInput(f"Question {question.id!r} is answered with text.")
    text = given.strip()[:TEXT_MAX]
    if question.kind == "choice" and text not in question.choices:
        raise InvalidInput(
            f"Question {question.id!r} is answered with one of: {', '.join(question.choices)}."
        )
    return text


def assess(kind: IncidentType, answers: Mapping[str, Answer]) -> Assessment:
    """The priority the answers give (the type's default moved by every rule that holds, kept within 1
    to 5), whether they mean a départ réflexe, and what is still missing."""
    priority, reasons = kind.default_priority, []
    for rule in kind.rules:
        if rule.when.holds(answers):
            priority += rule.change
            reasons.append(rule.when.question)
    triggered = [c.question for c in kind.reflex if c.holds(answers)]
    reflex = kind.reflex_always or bool(triggered)
    if reflex:
        priority = HIGHEST
    missing = tuple(q.id for q in kind.questions if q.essential and q.id not in answers)
    pending = next((q.id for q in kind.questions if q.id not in answers), None)
    return Assessment(
        priority=max(HIGHEST, min(LOWEST, priority)),
        reflex=reflex,
        reasons=tuple(dict.fromkeys([*reasons, *triggered])),
        missing=missing,
        next_question=pending,
    )


# ---------------------------------------------------------------- reading types from plain data


def _text(
    data: Mapping[str, Any], key: str, where: str, *, required: bool = True, limit: int = TEXT_MAX
) -> str:
    value = data.get(key, "")
    if not isinstance(value, str) or (required and not value.strip()) or len(value) > limit:
        raise InvalidInput(f"{where}: {key} is a text of 1 to {limit} characters.")
    return value.strip()


def _integer(data: Mapping[str, Any], key: str, where: str, bounds: tuple[int, int], default: int) -> int:
    low, high = bounds
    value = data.get(key, default)
    if isinstance(value, bool) or not isinstance(value, int) or not low <= value <= high:
        raise InvalidInput(f"{where}: {key} is a whole number from {low} to {high}.")
    return value


def _list(data: Mapping[str, Any], key: str, where: str) -> Sequence[Any]:
    value = data.get(key, [])
    if not isinstance(value, list | tuple):
        raise InvalidInput(f"{where}: {key} is a list.")
    return value


def _question(data: Any, where: str) -> Question:
    if not isinstance(data, Mapping):
        raise InvalidInput(f"{where}: a question is an object.")
    qid = _text(data, "id", where, limit=CODE_MAX)
    kind = data.get("kind")
    if kind not in ANSWER_KINDS:
        raise InvalidInput(f"{where}: question {qid!r} has kind {kind!r}; kinds: {', '.join(ANSWER_KINDS)}.")
    choices = tuple(str(c) for c in _list(data, "choices", where))
    if kind == "choice" and not choices:
        raise InvalidInput(f"{where}: question {qid!r} is a choice and lists no choices.")
    return Question(
        id=qid,
        text_en=_text(data, "text_en", where),
        text_fr=_text(data, "text_fr", where),
        kind=kind,
        choices=choices,
        essential=bool(data.get("essential", False)),
    )


def _condition(data: Any, questions: Mapping[str, Question], where: str) -> Condition:
    if not isinstance(data, Mapping):
        raise InvalidInput(f"{where}: a condition is an object.")
    question = questions.get(str(data.get("question")))
    if question is None:
        raise InvalidInput(f"{where}: a condition names question {data.get('question')!r}, not asked.")
    op, value = data.get("op", "is"), data.get("value")
    if op not in OPS:
        raise InvalidInput(f"{where}: condition op {op!r}; ops: {', '.join(OPS)}.")
    if op == "in":
        if not isinstance(value, list) or not value:
            raise InvalidInput(f"{where}: an 'in' condition lists its values.")
        return Condition(question.id, op, tuple(str(v) for v in value))
    if op in {"at_least", "at_most"} and (isinstance(value, bool) or not isinstance(value, int | float)):
        raise InvalidInput(f"{where}: an {op} condition compares with a number.")
    if not isinstance(value, bool | int | float | str):
        raise InvalidInput(f"{where}: a condition's value is yes/no, a number or a text.")
    return Condition(
        question.id, op, float(value) if isinstance(value, int) and not isinstance(value, bool) else value
    )


def parse_type(data: Mapping[str, Any]) -> IncidentType:
    """An event type from plain data, or InvalidInput naming what is wrong."""
    code = _text(data, "code", "an event type", limit=CODE_MAX).upper()
    where = f"type {code}"
    apco = _text(data, "apco", where, limit=CODE_MAX)
    if apco not in INCIDENT_CATEGORIES:
        raise InvalidInput(f"{where}: {apco!r} is not an APCO 2.103 common incident type.")
    category = data.get("category", "other")
    if category not in CATEGORIES:
        raise InvalidInput(f"{where}: category {category!r}; categories: {', '.join(CATEGORIES)}.")
    questions = tuple(_question(q, where) for q in _list(data, "questions", where))
    by_id = {q.id: q for q in questions}
    if len(by_id) != len(questions):
        raise InvalidInput(f"{where}: two questions share an id.")
    rules = []
    for rule in _list(data, "rules", where):
        if not isinstance(rule, Mapping):
            raise InvalidInput(f"{where}: a rule is an object.")
        rules.append(
            PriorityRule(
                _condition(rule.get("when"), by_id, where), _integer(rule, "change", where, (-4, 4), 0)
            )
        )
    plan = []
    for line in _list(data, "response_plan", where):
        if not isinstance(line, Mapping):
            raise InvalidInput(f"{where}: a response plan line is an object.")
        plan.append(
            PlannedUnits(
                _text(line, "unit_type", where, limit=CODE_MAX), _integer(line, "count", where, (1, 50), 1)
            )
        )
    return IncidentType(
        code=code,
        label_en=_text(data, "label_en", where),
        label_fr=_text(data, "label_fr", where),
        category=category,
        default_priority=_integer(data, "default_priority", where, (HIGHEST, LOWEST), 3),
        apco=apco,
        questions=questions,
        rules=tuple(rules),
        reflex=tuple(_condition(c, by_id, where) for c in _list(data, "reflex", where)),
        reflex_always=bool(data.get("reflex_always", False)),
        response_plan=tuple(plan),
        notify=tuple(str(n)[:CODE_MAX] for n in _list(data, "notify", where)),
        compatible=tuple(str(c).upper()[:CODE_MAX] for c in _list(data, "compatible", where)),
        duplicate_radius_m=_integer(data, "duplicate_radius_m", where, (0, 10_000), 300),
        duplicate_minutes=_integer(data, "duplicate_minutes", where, (0, 24 * 60), 30),
        active=bool(data.get("active", True)),
    )


def _condition_data(condition: Condition) -> dict[str, Any]:
    value = list(condition.value) if isinstance(condition.value, tuple) else condition.value
    return {"question": condition.question, "op": condition.op, "value": value}


def type_data(kind: IncidentType) -> dict[str, Any]:
    """A type as plain data (what :func:`parse_type` reads back)."""
    return {
        "code": kind.code,
        "label_en": kind.label_en,
        "label_fr": kind.label_fr,
        "category": kind.category,
        "default_priority": kind.default_priority,
        "apco": kind.apco,
        "questions": [
            {
                "id": q.id,
                "text_en": q.text_en,
                "text_fr": q.text_fr,
                "kind": q.kind,
                "choices": list(q.choices),
                "essential": q.essential,
            }
            for q in kind.questions
        ],
        "rules": [{"when": _condition_data(r.when), "change": r.change} for r in kind.rules],
        "reflex": [_condition_data(c) for c in kind.reflex],
        "reflex_always": kind.reflex_always,
        "response_plan": [{"unit_type": p.unit_type, "count": p.count} for p in kind.response_plan],
        "notify": list(kind.notify),
        "compatible": list(kind.compatible),
        "duplicate_radius_m": kind.duplicate_radius_m,
        "duplicate_minutes": kind.duplicate_minutes,
        "active": kind.active,
    }
