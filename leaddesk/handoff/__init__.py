"""Handing qualified leads to sales and hearing back (docs/architecture.md §6, issue 7).

* ``preview`` and ``export``: the end-of-day batch (CSV for the CRM, JSON Lines, optional
  XLSX, manifest), written so that a failure at any step leaves no batch or a whole one;
  ``rewrite`` writes a batch's lost files again, byte for byte.
* ``verify_batch``: check a batch folder against its manifest.
* ``import_feedback_file`` / ``record_decision``: sales accepts (with its opportunity) or
  rejects; the only way an opportunity enters LeadDesk, and only for sales users.
* ``pending``: handed-off leads sales has not answered within the policy's window.
* ``mine``: a rep's own hand-offs and what sales answered (My hand-offs), and the answers
  that came in since the window last asked.
* ``crm_feedback``: a Salesforce or HubSpot export read as a feedback file.

The functions check the acting user's role themselves, beneath the desk's own check.
"""

from leaddesk.handoff.batch_export import ExportedBatch, ExportResult, export
from leaddesk.handoff.feedback import (
    COLUMNS as FEEDBACK_COLUMNS,
)
from leaddesk.handoff.feedback import (
    Decision,
    FeedbackReport,
    Problem,
    RejectReason,
    decision_from_form,
)
from leaddesk.handoff.feedback_apply import import_feedback, import_feedback_file, record_decision
from leaddesk.handoff.feedback_file import read_feedback
from leaddesk.handoff.pending import PendingLead, PendingReport, pending
from leaddesk.handoff.progress import Cancelled, HandoffCancelled, Progress
from leaddesk.handoff.rewriting import rewrite
from leaddesk.handoff.selection import HandoffPreview, PreviewLead, Scope, preview
from leaddesk.handoff.verify import VerifyReport, verify_batch

__all__ = [
    "FEEDBACK_COLUMNS",
    "Cancelled",
    "Decision",
    "ExportResult",
    "ExportedBatch",
    "FeedbackReport",
    "HandoffCancelled",
    "HandoffPreview",
    "PendingLead",
    "PendingReport",
    "PreviewLead",
    "Problem",
    "Progress",
    "RejectReason",
    "Scope",
    "VerifyReport",
    "decision_from_form",
    "export",
    "import_feedback",
    "import_feedback_file",
    "pending",
    "preview",
    "read_feedback",
    "record_decision",
    "rewrite",
    "verify_batch",
]
