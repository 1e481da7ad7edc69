"""Which of sales' answers to a lead is the one to the hand-off it is in now.

Sales answer each hand-off (schema 0023): a lead they sent back to the rep can be handed off
again, and its first answer stays beside the second. Whatever asks "did sales answer this
lead?" means its current hand-off, and joins through here.
"""

from __future__ import annotations

from sqlalchemy import ColumnElement, and_

from leaddesk.store.models import Lead, SalesFeedback


def answers_its_handoff() -> ColumnElement[bool]:
    """Join condition: the answer is to the batch the lead is in now."""
    return and_(SalesFeedback.lead_id == Lead.id, SalesFeedback.batch_id == Lead.handoff_batch_id)


def answer_of(lead: Lead) -> ColumnElement[bool]:
    """Where-clause for one loaded lead's answer to its current hand-off."""
    return and_(SalesFeedback.lead_id == lead.id, SalesFeedback.batch_id == lead.handoff_batch_id)
