"""The words the front ends use with the desk: what its operations return, the values they
take, and the small helpers that read or word them (docs/architecture.md §3).

The window and the command line import these from ``leaddesk.desk`` only; an import-linter
contract in pyproject.toml keeps them off the rooms behind it.

Each word is imported from its room the first time it is asked for (PEP 562), so a command
loads only the rooms it uses: ``leaddesk --version`` none, ``leaddesk queue`` the queue's.
``WHERE`` is the one list of them; the imports under ``TYPE_CHECKING`` say the same for mypy
(tests/test_desk_words.py keeps the two equal and checks every word resolves).
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from leaddesk.admin.backup_reading import BackupUnreadable as BackupUnreadable
    from leaddesk.admin.backup_restore import RestoreSummary as RestoreSummary
    from leaddesk.admin.backups import SUFFIX
    from leaddesk.admin.backups import BackupSummary as BackupSummary
    from leaddesk.admin.backups import BackupTaken as BackupTaken
    from leaddesk.admin.restoring import RestoreCancelled as RestoreCancelled
    from leaddesk.calling.call_log import CallResult as CallResult
    from leaddesk.calling.call_log import parse_outcome as parse_outcome
    from leaddesk.calling.calling_hours import callback_outside_hours as callback_outside_hours
    from leaddesk.calling.ending import CallEnded as CallEnded
    from leaddesk.calling.left_open import CallLeftOpen as CallLeftOpen
    from leaddesk.calling.my_day import DaySummary as DaySummary
    from leaddesk.calling.undo import UndoneCall as UndoneCall
    from leaddesk.checkup.qt_platform import missing_library_message as missing_library_message
    from leaddesk.checkup.qt_platform import require_window_platform as require_window_platform
    from leaddesk.checkup.self_test import Status
    from leaddesk.checkup.self_test import run_checks as run_checks
    from leaddesk.definition import Definition as Definition
    from leaddesk.definition import DefinitionError as DefinitionError
    from leaddesk.definition import Policy as Policy
    from leaddesk.definition import Question as Question
    from leaddesk.definition import QuestionType as QuestionType
    from leaddesk.definition import Scores as Scores
    from leaddesk.definition import Suggestion as Suggestion
    from leaddesk.definition import check_answers as check_answers
    from leaddesk.definition import parse_definition as parse_definition
    from leaddesk.definition.reject_reasons import DEFAULT_REJECT_REASONS as DEFAULT_REJECT_REASONS
    from leaddesk.definition.reject_reasons import RejectReason as _SalesRejectReason
    from leaddesk.definition.reject_reasons import RejectRoute as RejectRoute
    from leaddesk.definition.versions import DefinitionDiff as DefinitionDiff
    from leaddesk.definition.versions import PublishResult as PublishResult
    from leaddesk.definition.versions import ShownDefinition as ShownDefinition
    from leaddesk.desk.context import SETUP_ACTOR as SETUP_ACTOR
    from leaddesk.desk.context import Actor as Actor
    from leaddesk.desk.intake import ImportLook as ImportLook
    from leaddesk.desk.sync import HeldHandoff as HeldHandoff
    from leaddesk.desk.sync import SyncCheck as SyncCheck
    from leaddesk.desk.sync import SyncStatus as SyncStatus
    from leaddesk.files.logs import log_path as log_path
    from leaddesk.files.logs import setup_logging as setup_logging
    from leaddesk.files.reading import read_text_file as read_text_file
    from leaddesk.files.reading import why_no_folder as why_no_folder
    from leaddesk.files.resources import resource_path as resource_path
    from leaddesk.files.resources import resources_dir as resources_dir
    from leaddesk.handoff import ExportedBatch as ExportedBatch
    from leaddesk.handoff import ExportResult as ExportResult
    from leaddesk.handoff import FeedbackReport as FeedbackReport
    from leaddesk.handoff import HandoffPreview as HandoffPreview
    from leaddesk.handoff import PendingLead as PendingLead
    from leaddesk.handoff import PendingReport as PendingReport
    from leaddesk.handoff import RejectReason as RejectReason
    from leaddesk.handoff import decision_from_form as decision_from_form
    from leaddesk.handoff import verify_batch as verify_batch
    from leaddesk.handoff.mine import MyHandoff as MyHandoff
    from leaddesk.handoff.mine import MyHandoffs as MyHandoffs
    from leaddesk.handoff.progress import HandoffCancelled as HandoffCancelled
    from leaddesk.handoff.records import HandoffRecord as HandoffRecord
    from leaddesk.handoff.routing import Route as Route
    from leaddesk.handoff.routing import Salesperson as Salesperson
    from leaddesk.handoff.sales_clock import ChaseResult as ChaseResult
    from leaddesk.handoff.selection import PreviewLead as PreviewLead
    from leaddesk.intake.by_hand import BY_POLICY as BY_POLICY
    from leaddesk.intake.by_hand import AddedLead as AddedLead
    from leaddesk.intake.by_hand import NewInterest as NewInterest
    from leaddesk.intake.errors import IntakeFileError as IntakeFileError
    from leaddesk.intake.mapping import IDENTIFYING as IDENTIFYING
    from leaddesk.intake.mapping import Field as Field
    from leaddesk.intake.mapping import Mapping as Mapping
    from leaddesk.intake.mapping import Shape as Shape
    from leaddesk.intake.needed_columns import CONTACT
    from leaddesk.intake.runs import BY_HAND as BY_HAND
    from leaddesk.intake.runs import RunStatus as RunStatus
    from leaddesk.intake.summary import Counts as Counts
    from leaddesk.intake.summary import ImportCancelled as ImportCancelled
    from leaddesk.intake.summary import ImportSummary as ImportSummary
    from leaddesk.intake.undo import UndoSummary as UndoSummary
    from leaddesk.leads.contact_corrections import WORDS
    from leaddesk.leads.contact_corrections import ContactChanged as ContactChanged
    from leaddesk.leads.contact_corrections import ContactDetails as ContactDetails
    from leaddesk.leads.lead_file import Colleague as Colleague
    from leaddesk.leads.lead_file import LeadFile as LeadFile
    from leaddesk.meetings.booking import MeetingInfo as MeetingInfo
    from leaddesk.meetings.calendars import CalendarInfo as CalendarInfo
    from leaddesk.meetings.sent import MeetingSent as MeetingSent
    from leaddesk.meetings.slots import FreeSlots as FreeSlots
    from leaddesk.meetings.slots import Slot as Slot
    from leaddesk.people.permissions import Action as Action
    from leaddesk.people.users import DEFAULT_CAPACITY as DEFAULT_CAPACITY
    from leaddesk.people.users import UserInfo as UserInfo
    from leaddesk.people.users import parse_role as parse_role
    from leaddesk.privacy.do_not_call import Added as Added
    from leaddesk.privacy.do_not_call import Entry as Entry
    from leaddesk.privacy.do_not_call import Removed as Removed
    from leaddesk.qualifying.qualification import Qualification as Qualification
    from leaddesk.qualifying.undo import UndoneVerdict as UndoneVerdict
    from leaddesk.qualifying.verdicts import VerdictInfo as VerdictInfo
    from leaddesk.queue import Band as Band
    from leaddesk.queue import QueueRow as QueueRow
    from leaddesk.queue import parse_band as parse_band
    from leaddesk.queue.arrivals import QueueMark as QueueMark
    from leaddesk.queue.arrivals import arrival_notice as arrival_notice
    from leaddesk.queue.outlook import QueueOutlook as QueueOutlook
    from leaddesk.queue.rows import sla_minutes_left as sla_minutes_left
    from leaddesk.queue.search import MAX_RESULTS, MIN_CHARS
    from leaddesk.queue.skipping import Skipped as Skipped
    from leaddesk.queue.zones import valid_zone as valid_zone
    from leaddesk.sign_in.passwords import NO_PASSWORDS_NOTE as NO_PASSWORDS_NOTE
    from leaddesk.sign_in.passwords import PasswordAsk as PasswordAsk
    from leaddesk.sign_in.passwords import check_new_password as check_new_password
    from leaddesk.sign_in.saved_passwords import keyring_available as keyring_available
    from leaddesk.sign_in.saved_passwords import remember_password as remember_password
    from leaddesk.sign_in.saved_passwords import saved_password as saved_password
    from leaddesk.sign_in.windows import HEARTBEAT as HEARTBEAT
    from leaddesk.sign_in.windows import WindowTaken as WindowTaken
    from leaddesk.sign_in.windows import WindowTakenOver as WindowTakenOver
    from leaddesk.store.database import ENV_URL as ENV_URL
    from leaddesk.store.database import default_backup_folder as default_backup_folder
    from leaddesk.store.database import default_store_path as default_store_path
    from leaddesk.sync.connector import CONNECTORS
    from leaddesk.sync.pulling import PullRun as PullRun
    from leaddesk.sync.sending import SyncRun as SyncRun
    from leaddesk.sync.team_settings import VALUES, default_settings
    from leaddesk.sync.team_settings import SyncSettings as SyncSettings
    from leaddesk.team.moves import POOL as POOL
    from leaddesk.team.moves import QUEUE_ROLES as QUEUE_ROLES
    from leaddesk.team.moves import PlannedMove as PlannedMove
    from leaddesk.team.reassign import DEFAULT_REASON as DEFAULT_REASON
    from leaddesk.team.reassign import LeadPick as LeadPick
    from leaddesk.team.reassign import ReassignPreview as ReassignPreview
    from leaddesk.team.reassign import ReassignResult as ReassignResult
    from leaddesk.team.rebalance import RebalancePlan as RebalancePlan
    from leaddesk.team.rebalance import RepLoad as RepLoad
    from leaddesk.team.reopen import KEEP as KEEP
    from leaddesk.team.reopen import REOPENABLE as REOPENABLE
    from leaddesk.team.reports import BY
    from leaddesk.team.reports import REPORTS as REPORTS
    from leaddesk.team.reports import Report as Report
    from leaddesk.team.reports.huddle import HuddlePack as HuddlePack
    from leaddesk.team.sweep import SweepResult as SweepResult
    from leaddesk.team.sweep_summary import sweep_summary as sweep_summary
    from leaddesk.team.team_view import RepRow as RepRow
    from leaddesk.team.team_view import TeamView as TeamView
    from leaddesk.team.user_admin import UserChange as UserChange

    # The words a room calls otherwise.
    BACKUP_SUFFIX = SUFFIX
    CONTACT_FIELDS = CONTACT
    SalesRejectReason = _SalesRejectReason
    SYNC_CONNECTORS = CONNECTORS
    SYNC_VALUES = VALUES
    sync_default_settings = default_settings
    REPORT_CUTS = BY
    CheckStatus = Status
    CONTACT_WORDS = WORDS
    MAX_SEARCH_RESULTS = MAX_RESULTS
    MIN_SEARCH_CHARS = MIN_CHARS

# Each word and the module it is defined in ("module:name" where the room calls it otherwise).
WHERE: dict[str, str] = {
    "BackupUnreadable": "leaddesk.admin.backup_reading",
    "RestoreSummary": "leaddesk.admin.backup_restore",
    "BACKUP_SUFFIX": "leaddesk.admin.backups:SUFFIX",
    "BackupSummary": "leaddesk.admin.backups",
    "BackupTaken": "leaddesk.admin.backups",
    "RestoreCancelled": "leaddesk.admin.restoring",
    "CallResult": "leaddesk.calling.call_log",
    "parse_outcome": "leaddesk.calling.call_log",
    "callback_outside_hours": "leaddesk.calling.calling_hours",
    "CallEnded": "leaddesk.calling.ending",
    "CallLeftOpen": "leaddesk.calling.left_open",
    "DaySummary": "leaddesk.calling.my_day",
    "UndoneCall": "leaddesk.calling.undo",
    "missing_library_message": "leaddesk.checkup.qt_platform",
    "require_window_platform": "leaddesk.checkup.qt_platform",
    "CheckStatus": "leaddesk.checkup.self_test:Status",
    "run_checks": "leaddesk.checkup.self_test",
    "Definition": "leaddesk.definition",
    "DefinitionError": "leaddesk.definition",
    "Policy": "leaddesk.definition",
    "Question": "leaddesk.definition",
    "QuestionType": "leaddesk.definition",
    "Scores": "leaddesk.definition",
    "Suggestion": "leaddesk.definition",
    "check_answers": "leaddesk.definition",
    "parse_definition": "leaddesk.definition",
    "DefinitionDiff": "leaddesk.definition.versions",
    "PublishResult": "leaddesk.definition.versions",
    "ShownDefinition": "leaddesk.definition.versions",
    "SETUP_ACTOR": "leaddesk.desk.context",
    "Actor": "leaddesk.desk.context",
    "ImportLook": "leaddesk.desk.intake",
    "log_path": "leaddesk.files.logs",
    "setup_logging": "leaddesk.files.logs",
    "read_text_file": "leaddesk.files.reading",
    "why_no_folder": "leaddesk.files.reading",
    "resource_path": "leaddesk.files.resources",
    "resources_dir": "leaddesk.files.resources",
    "ExportedBatch": "leaddesk.handoff",
    "ExportResult": "leaddesk.handoff",
    "FeedbackReport": "leaddesk.handoff",
    "HandoffPreview": "leaddesk.handoff",
    "PendingLead": "leaddesk.handoff",
    "PendingReport": "leaddesk.handoff",
    "RejectReason": "leaddesk.handoff",
    "decision_from_form": "leaddesk.handoff",
    "verify_batch": "leaddesk.handoff",
    "HandoffCancelled": "leaddesk.handoff.progress",
    "HandoffRecord": "leaddesk.handoff.records",
    "PreviewLead": "leaddesk.handoff.selection",
    "BY_POLICY": "leaddesk.intake.by_hand",
    "AddedLead": "leaddesk.intake.by_hand",
    "NewInterest": "leaddesk.intake.by_hand",
    "IDENTIFYING": "leaddesk.intake.mapping",
    "Field": "leaddesk.intake.mapping",
    "Mapping": "leaddesk.intake.mapping",
    "Shape": "leaddesk.intake.mapping",
    "BY_HAND": "leaddesk.intake.runs",
    "RunStatus": "leaddesk.intake.runs",
    "Counts": "leaddesk.intake.summary",
    "ImportCancelled": "leaddesk.intake.summary",
    "ImportSummary": "leaddesk.intake.summary",
    "UndoSummary": "leaddesk.intake.undo",
    "CONTACT_WORDS": "leaddesk.leads.contact_corrections:WORDS",
    "ContactChanged": "leaddesk.leads.contact_corrections",
    "ContactDetails": "leaddesk.leads.contact_corrections",
    "Colleague": "leaddesk.leads.lead_file",
    "LeadFile": "leaddesk.leads.lead_file",
    "MeetingInfo": "leaddesk.meetings.booking",
    "CalendarInfo": "leaddesk.meetings.calendars",
    "MeetingSent": "leaddesk.meetings.sent",
    "FreeSlots": "leaddesk.meetings.slots",
    "Slot": "leaddesk.meetings.slots",
    "Action": "leaddesk.people.permissions",
    "DEFAULT_CAPACITY": "leaddesk.people.users",
    "UserInfo": "leaddesk.people.users",
    "parse_role": "leaddesk.people.users",
    "Added": "leaddesk.privacy.do_not_call",
    "Entry": "leaddesk.privacy.do_not_call",
    "Removed": "leaddesk.privacy.do_not_call",
    "Qualification": "leaddesk.qualifying.qualification",
    "UndoneVerdict": "leaddesk.qualifying.undo",
    "VerdictInfo": "leaddesk.qualifying.verdicts",
    "Band": "leaddesk.queue",
    "QueueRow": "leaddesk.queue",
    "parse_band": "leaddesk.queue",
    "QueueMark": "leaddesk.queue.arrivals",
    "arrival_notice": "leaddesk.queue.arrivals",
    "QueueOutlook": "leaddesk.queue.outlook",
    "sla_minutes_left": "leaddesk.queue.rows",
    "MAX_SEARCH_RESULTS": "leaddesk.queue.search:MAX_RESULTS",
    "MIN_SEARCH_CHARS": "leaddesk.queue.search:MIN_CHARS",
    "Skipped": "leaddesk.queue.skipping",
    "valid_zone": "leaddesk.queue.zones",
    "NO_PASSWORDS_NOTE": "leaddesk.sign_in.passwords",
    "PasswordAsk": "leaddesk.sign_in.passwords",
    "check_new_password": "leaddesk.sign_in.passwords",
    "keyring_available": "leaddesk.sign_in.saved_passwords",
    "remember_password": "leaddesk.sign_in.saved_passwords",
    "saved_password": "leaddesk.sign_in.saved_passwords",
    "HEARTBEAT": "leaddesk.sign_in.windows",
    "WindowTaken": "leaddesk.sign_in.windows",
    "WindowTakenOver": "leaddesk.sign_in.windows",
    "ENV_URL": "leaddesk.store.database",
    "default_backup_folder": "leaddesk.store.database",
    "default_store_path": "leaddesk.store.database",
    "POOL": "leaddesk.team.moves",
    "QUEUE_ROLES": "leaddesk.team.moves",
    "PlannedMove": "leaddesk.team.moves",
    "DEFAULT_REASON": "leaddesk.team.reassign",
    "LeadPick": "leaddesk.team.reassign",
    "ReassignPreview": "leaddesk.team.reassign",
    "ReassignResult": "leaddesk.team.reassign",
    "RebalancePlan": "leaddesk.team.rebalance",
    "RepLoad": "leaddesk.team.rebalance",
    "KEEP": "leaddesk.team.reopen",
    "REOPENABLE": "leaddesk.team.reopen",
    "REPORTS": "leaddesk.team.reports",
    "REPORT_CUTS": "leaddesk.team.reports:BY",
    "Report": "leaddesk.team.reports",
    "HuddlePack": "leaddesk.team.reports.huddle",
    "SweepResult": "leaddesk.team.sweep",
    "sweep_summary": "leaddesk.team.sweep_summary",
    "RepRow": "leaddesk.team.team_view",
    "TeamView": "leaddesk.team.team_view",
    "UserChange": "leaddesk.team.user_admin",
    "CONTACT_FIELDS": "leaddesk.intake.needed_columns:CONTACT",
    "SYNC_CONNECTORS": "leaddesk.sync.connector:CONNECTORS",
    "SYNC_VALUES": "leaddesk.sync.team_settings:VALUES",
    "sync_default_settings": "leaddesk.sync.team_settings:default_settings",
    "ChaseResult": "leaddesk.handoff.sales_clock",
    "HeldHandoff": "leaddesk.desk.sync",
    "IntakeFileError": "leaddesk.intake.errors",
    "MyHandoff": "leaddesk.handoff.mine",
    "MyHandoffs": "leaddesk.handoff.mine",
    "RejectRoute": "leaddesk.definition.reject_reasons",
    "Route": "leaddesk.handoff.routing",
    "SalesRejectReason": "leaddesk.definition.reject_reasons:RejectReason",
    "DEFAULT_REJECT_REASONS": "leaddesk.definition.reject_reasons",
    "Salesperson": "leaddesk.handoff.routing",
    "SyncCheck": "leaddesk.desk.sync",
    "SyncRun": "leaddesk.sync.sending",
    "PullRun": "leaddesk.sync.pulling",
    "SyncSettings": "leaddesk.sync.team_settings",
    "SyncStatus": "leaddesk.desk.sync",
}

# Hidden from mypy, which reads the words from the imports above and would otherwise take any
# name as valid (a module __getattr__ answers every name).
if not TYPE_CHECKING:
    __all__ = list(WHERE)

    def __getattr__(name: str) -> object:
        return load(name)


def load(name: str) -> object:
    """The word ``name``, imported from its room on first use and kept here after."""
    where = WHERE.get(name)
    if where is None:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    module, _, defined_as = where.partition(":")
    value = getattr(importlib.import_module(module), defined_as or name)
    globals()[name] = value
    return value
