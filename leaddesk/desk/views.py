"""The words the front ends use with the desk: what its operations return, the values they
take, and the small helpers that read or word them (docs/architecture.md §3).

The window and the command line import these from ``leaddesk.desk`` only; an import-linter
contract in pyproject.toml keeps them off the rooms behind it.
"""

from __future__ import annotations

from leaddesk.admin.backup_reading import BackupUnreadable
from leaddesk.admin.backup_restore import RestoreSummary
from leaddesk.admin.backups import SUFFIX as BACKUP_SUFFIX
from leaddesk.admin.backups import BackupSummary, BackupTaken
from leaddesk.admin.restoring import RestoreCancelled
from leaddesk.calling.call_log import CallResult, parse_outcome
from leaddesk.calling.calling_hours import callback_outside_hours
from leaddesk.calling.ending import CallEnded
from leaddesk.calling.left_open import CallLeftOpen
from leaddesk.calling.my_day import DaySummary
from leaddesk.calling.undo import UndoneCall
from leaddesk.checkup.qt_platform import missing_library_message, require_window_platform
from leaddesk.checkup.self_test import Status as CheckStatus
from leaddesk.checkup.self_test import run_checks
from leaddesk.definition import (
    Definition,
    DefinitionError,
    Policy,
    Question,
    QuestionType,
    Scores,
    Suggestion,
    check_answers,
    parse_definition,
)
from leaddesk.definition.reject_reasons import RejectReason as SalesRejectReason
from leaddesk.definition.reject_reasons import RejectRoute
from leaddesk.definition.versions import DefinitionDiff, PublishResult, ShownDefinition
from leaddesk.desk.sync import HeldHandoff, SyncCheck, SyncStatus
from leaddesk.files.logs import log_path, setup_logging
from leaddesk.files.reading import read_text_file, why_no_folder
from leaddesk.files.resources import resource_path, resources_dir
from leaddesk.handoff import (
    ExportedBatch,
    ExportResult,
    FeedbackReport,
    HandoffPreview,
    PendingLead,
    PendingReport,
    RejectReason,
    decision_from_form,
    verify_batch,
)
from leaddesk.handoff.mine import MyHandoff, MyHandoffs
from leaddesk.handoff.progress import HandoffCancelled
from leaddesk.handoff.records import HandoffRecord
from leaddesk.handoff.routing import Route, Salesperson
from leaddesk.handoff.sales_clock import ChaseResult
from leaddesk.handoff.selection import PreviewLead
from leaddesk.intake.by_hand import BY_POLICY, AddedLead, NewInterest
from leaddesk.intake.errors import IntakeFileError
from leaddesk.intake.mapping import IDENTIFYING, Field, Mapping, Shape
from leaddesk.intake.needed_columns import CONTACT as CONTACT_FIELDS
from leaddesk.intake.runs import BY_HAND, RunStatus
from leaddesk.intake.summary import Counts, ImportCancelled, ImportSummary
from leaddesk.intake.undo import UndoSummary
from leaddesk.leads.contact_corrections import WORDS as CONTACT_WORDS
from leaddesk.leads.contact_corrections import ContactChanged, ContactDetails
from leaddesk.leads.lead_file import Colleague, LeadFile
from leaddesk.people.permissions import Action
from leaddesk.people.users import DEFAULT_CAPACITY, UserInfo, parse_role
from leaddesk.privacy.do_not_call import Added, Entry, Removed
from leaddesk.qualifying.qualification import Qualification
from leaddesk.qualifying.undo import UndoneVerdict
from leaddesk.qualifying.verdicts import VerdictInfo
from leaddesk.queue import Band, QueueRow, parse_band
from leaddesk.queue.arrivals import QueueMark, arrival_notice
from leaddesk.queue.outlook import QueueOutlook
from leaddesk.queue.rows import sla_minutes_left
from leaddesk.queue.search import MAX_RESULTS as MAX_SEARCH_RESULTS
from leaddesk.queue.search import MIN_CHARS as MIN_SEARCH_CHARS
from leaddesk.queue.skipping import Skipped
from leaddesk.queue.zones import valid_zone
from leaddesk.sign_in.passwords import NO_PASSWORDS_NOTE, PasswordAsk, check_new_password
from leaddesk.sign_in.saved_passwords import keyring_available, remember_password, saved_password
from leaddesk.sign_in.windows import HEARTBEAT, WindowTaken, WindowTakenOver
from leaddesk.store.database import ENV_URL, default_backup_folder, default_store_path
from leaddesk.sync.connector import CONNECTORS as SYNC_CONNECTORS
from leaddesk.sync.sending import SyncRun
from leaddesk.sync.team_settings import VALUES as SYNC_VALUES
from leaddesk.sync.team_settings import SyncSettings
from leaddesk.team.moves import POOL, QUEUE_ROLES, PlannedMove
from leaddesk.team.reassign import DEFAULT_REASON, LeadPick, ReassignPreview, ReassignResult
from leaddesk.team.rebalance import RebalancePlan, RepLoad
from leaddesk.team.reopen import KEEP, REOPENABLE
from leaddesk.team.reports import REPORTS, Report
from leaddesk.team.sweep import SweepResult
from leaddesk.team.sweep_summary import sweep_summary
from leaddesk.team.team_view import RepRow, TeamView
from leaddesk.team.user_admin import UserChange

__all__ = [
    "BACKUP_SUFFIX",
    "BY_HAND",
    "BY_POLICY",
    "CONTACT_FIELDS",
    "CONTACT_WORDS",
    "DEFAULT_CAPACITY",
    "DEFAULT_REASON",
    "ENV_URL",
    "HEARTBEAT",
    "IDENTIFYING",
    "KEEP",
    "MAX_SEARCH_RESULTS",
    "MIN_SEARCH_CHARS",
    "NO_PASSWORDS_NOTE",
    "POOL",
    "QUEUE_ROLES",
    "REOPENABLE",
    "REPORTS",
    "SYNC_CONNECTORS",
    "SYNC_VALUES",
    "Action",
    "Added",
    "AddedLead",
    "BackupSummary",
    "BackupTaken",
    "BackupUnreadable",
    "Band",
    "CallEnded",
    "CallLeftOpen",
    "CallResult",
    "ChaseResult",
    "CheckStatus",
    "Colleague",
    "ContactChanged",
    "ContactDetails",
    "Counts",
    "DaySummary",
    "Definition",
    "DefinitionDiff",
    "DefinitionError",
    "Entry",
    "ExportResult",
    "ExportedBatch",
    "FeedbackReport",
    "Field",
    "HandoffCancelled",
    "HandoffPreview",
    "HandoffRecord",
    "HeldHandoff",
    "ImportCancelled",
    "ImportSummary",
    "IntakeFileError",
    "LeadFile",
    "LeadPick",
    "Mapping",
    "MyHandoff",
    "MyHandoffs",
    "NewInterest",
    "PasswordAsk",
    "PendingLead",
    "PendingReport",
    "PlannedMove",
    "Policy",
    "PreviewLead",
    "PublishResult",
    "Qualification",
    "Question",
    "QuestionType",
    "QueueMark",
    "QueueOutlook",
    "QueueRow",
    "ReassignPreview",
    "ReassignResult",
    "RebalancePlan",
    "RejectReason",
    "RejectRoute",
    "Removed",
    "RepLoad",
    "RepRow",
    "Report",
    "RestoreCancelled",
    "RestoreSummary",
    "Route",
    "RunStatus",
    "SalesRejectReason",
    "Salesperson",
    "Scores",
    "Shape",
    "ShownDefinition",
    "Skipped",
    "Suggestion",
    "SweepResult",
    "SyncCheck",
    "SyncRun",
    "SyncSettings",
    "SyncStatus",
    "TeamView",
    "UndoSummary",
    "UndoneCall",
    "UndoneVerdict",
    "UserChange",
    "UserInfo",
    "VerdictInfo",
    "WindowTaken",
    "WindowTakenOver",
    "arrival_notice",
    "callback_outside_hours",
    "check_answers",
    "check_new_password",
    "decision_from_form",
    "default_backup_folder",
    "default_store_path",
    "keyring_available",
    "log_path",
    "missing_library_message",
    "parse_band",
    "parse_definition",
    "parse_outcome",
    "parse_role",
    "read_text_file",
    "remember_password",
    "require_window_platform",
    "resource_path",
    "resources_dir",
    "run_checks",
    "saved_password",
    "setup_logging",
    "sla_minutes_left",
    "sweep_summary",
    "valid_zone",
    "verify_batch",
    "why_no_folder",
]
