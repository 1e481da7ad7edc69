"""The audit trail: one event per change, written in the same transaction as the change."""

from leaddesk.audit.trail import record

__all__ = ["record"]
