"""回头看: a follow-up inspection re-checks only the items its rectification orders were about.

A follow-up record is an ordinary :class:`~inspector_app.core.records.Inspection` of type 回头看 whose
``attributes`` (hashed with the record) name the original record and the orders it follows up. Its checklist is
the original's, narrowed by :func:`recheck_scope` to those items, so answering, the verdict, the blocking
problems and the printed record all see only what is re-checked. On finalizing, :func:`order_outcomes` says for
each order whether it is closed, re-ordered (still failing, a new order given) or escalated (still failing).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import replace

from inspector_app.core.checklist import Checklist, Result, Section
from inspector_app.core.planning import OrderOutcome
from inspector_app.core.records import Inspection

FOLLOWS_UP = "follows_up"
FOLLOWS_UP_DOCUMENT = "follows_up_document_no"
RECHECK_ITEMS = "recheck_items"
FOLLOWUP_IDS = "followup_ids"


def recheck_attributes(
    original_id: str, document_no: str, orders: Sequence[tuple[str, str]]
) -> dict[str, str]:
    """The attributes of a follow-up record: original id and number, and (follow-up id, item code) pairs."""
    return {
        FOLLOWS_UP: original_id,
        FOLLOWS_UP_DOCUMENT: document_no,
        FOLLOWUP_IDS: ",".join(fid for fid, _ in orders),
        RECHECK_ITEMS: ",".join(code for _, code in orders),
    }


def rechecked(attributes: Mapping[str, str]) -> list[tuple[str, str]]:
    """The (follow-up id, item code) pairs a record re-checks; empty for any other record."""
    ids = [x for x in attributes.get(FOLLOWUP_IDS, "").split(",") if x]
    codes = [x for x in attributes.get(RECHECK_ITEMS, "").split(",") if x]
    return list(zip(ids, codes, strict=False)) if len(ids) == len(codes) else []


def is_recheck(attributes: Mapping[str, str]) -> bool:
    return bool(attributes.get(FOLLOWS_UP)) and bool(rechecked(attributes))


def recheck_scope(checklist: Checklist, attributes: Mapping[str, str] | None) -> Checklist:
    """``checklist`` narrowed to the re-checked items for a follow-up record (unchanged for any other).

    Conditions are dropped (each item was shown when it failed), and so is 量化分级: a partial re-check is not a
    grading visit.
    """
    if not attributes or not is_recheck(attributes):
        return checklist
    wanted = {code for _, code in rechecked(attributes)}
    sections = []
    for section in checklist.sections:
        items = tuple(replace(item, show_if=()) for item in section.items if item.code in wanted)
        if items:
            sections.append(Section(section.title, items))
    return Checklist(
        id=checklist.id,
        version=checklist.version,
        title=checklist.title,
        family=checklist.family,
        sections=tuple(sections),
        business_kinds=checklist.business_kinds,
        equipment_types=checklist.equipment_types,
        description=checklist.description,
        source=checklist.source,
        grading="",
        _index={},
    )


def order_outcomes(record: Inspection, checklist: Checklist) -> list[tuple[str, OrderOutcome]]:
    """For each followed-up order: closed when the item now passes (or no longer applies), re-ordered when it
    still fails and this record gives a new order for it, escalated when it still fails without one."""
    reordered = {order.item_code for order in record.orders}
    outcomes = []
    for followup_id, code in rechecked(record.attributes):
        answer = record.answers.get(code)
        result = (
            checklist.item(code).judge(answer.value if answer else None) if checklist.has_item(code) else None
        )
        if result is Result.NONCOMPLIANT:
            outcome = OrderOutcome.REORDERED if code in reordered else OrderOutcome.ESCALATED
        else:
            outcome = OrderOutcome.CLOSED
        outcomes.append((followup_id, outcome))
    return outcomes
