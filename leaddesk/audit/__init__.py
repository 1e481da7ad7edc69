"""The audit trail: one event per change, written in the same transaction as the change."""

from leaddesk.audit.actions import AuditAction
from leaddesk.audit.trail import record

__all__ = ["AuditAction", "record"]
