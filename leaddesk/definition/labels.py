"""The words the published lead definition gives the fixed keys: a stage is shown as the team
named it ("Basic Qualified Lead"), never as its key (issue #19 item 6)."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy.orm import Session

from leaddesk.definition.model import Definition
from leaddesk.definition.reject_reasons import DEFAULT_REJECT_REASONS, RejectReason, reason_for
from leaddesk.definition.versions import current_id, definition_for_version
from leaddesk.domain import VERDICT_STAGE, LeadType, Stage, Verdict


@dataclass(frozen=True)
class Labels:
    """Stage, verdict, lead type and reject-reason words of one definition (LeadDesk's own
    words where no definition is published)."""

    definition: Definition | None = None

    def stage(self, stage: Stage) -> str:
        return self.definition.stage_label(stage) if self.definition else stage.label.capitalize()

    def verdict(self, verdict: Verdict) -> str:
        """A verdict as the stage it sends the lead to: 'Hand off to sales (Sales-qualified)'."""
        return f"{verdict.choice} → {self.stage(VERDICT_STAGE[verdict])}"

    def lead_type(self, lead_type: LeadType) -> str:
        if self.definition:
            return self.definition.lead_type_label(lead_type)
        return lead_type.label.capitalize()

    @property
    def reject_reasons(self) -> tuple[RejectReason, ...]:
        return self.definition.reject_reasons if self.definition else DEFAULT_REJECT_REASONS

    def reject_reason(self, key: str | None) -> str:
        """A stored reject reason's label; a key no longer in the definition in plain words."""
        if not key:
            return ""
        found = reason_for(self.reject_reasons, key)
        return found.label if found else key.replace("_", " ")


def current_labels(session: Session) -> Labels:
    """The words of the current published definition."""
    version_id = current_id(session)
    if version_id is None:
        return Labels()
    return Labels(definition_for_version(session, version_id))
