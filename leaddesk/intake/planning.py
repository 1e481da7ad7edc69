"""Plan a chunk of an import, row by row: what each row becomes before anything is written
(docs/architecture.md §6). ``writing.write_plan`` then stores the plan in one transaction."""

from __future__ import annotations

from datetime import datetime
from pathlib import Path
from typing import Any

from sqlalchemy.orm import Session

from leaddesk import lifecycle
from leaddesk.contacts.emails import company_domain
from leaddesk.definition import Definition, Policy
from leaddesk.definition.business_time import sla_deadline
from leaddesk.domain import Stage
from leaddesk.intake import same_person
from leaddesk.intake.assignment import Assigner
from leaddesk.intake.attached_keys import short_key
from leaddesk.intake.chunk_plan import (
    ChunkPlan,
    MoreInterest,
    PlannedAccount,
    PlannedLead,
    PlannedPerson,
    fact_key,
    row_number,
    source_key,
    website_domain,
)
from leaddesk.intake.cleaning import Chunk
from leaddesk.intake.companies import CompanyLookups
from leaddesk.intake.do_not_call_check import ListCheck, Listing
from leaddesk.intake.earlier_rows import EarlierRows, NewLead, NewPerson
from leaddesk.intake.matching import (
    KnownAccount,
    KnownLead,
    KnownPerson,
    StoreView,
    Whereabouts,
    company_keys_of,
    look_up,
    now_or_before,
)
from leaddesk.intake.prepared import Prepared, PreparedFor, before_keys, for_planning, lead_extra
from leaddesk.intake.rows import CleanRow, RowProblem
from leaddesk.intake.same_person import Match, shared_numbers, shared_phone, to_decide
from leaddesk.intake.scores import Scorer
from leaddesk.intake.summary import ImportSummary

# Points new interest adds to an open lead's interest score (at most 100).
MORE_INTEREST_POINTS = 10
PREVIEW_PROBLEMS = 20
LISTED_ROW = "do not call: on the team's do-not-call list; the lead is held, out of every queue"
ERASED_ROW = "erased person: not imported (they asked to be forgotten)"


class Planner:
    """Decides, row by row, what each row becomes: a new lead, a lead on a known person, more
    interest on an open lead, or nothing (already imported, or unusable)."""

    def __init__(
        self,
        session: Session,
        summary: ImportSummary,
        policy: Policy,
        definition: Definition | None,
        at: datetime,
        *,
        run_id: int | None,
        dry_run: bool,
        keep_for: int | None = None,
    ) -> None:
        self.summary = summary
        self.counts = summary.counts
        self.source = summary.source
        self.file_name = Path(summary.file).name
        self.policy = policy
        self.at = at
        self.run_id = run_id
        self.dry_run = dry_run
        self.actor_id: int | None = None
        self.entered_by: str | None = None  # a lead typed in by hand: who typed it
        # A salesperson's referral typed in by hand: who is credited with it.
        self.referred_by: int | None = None
        self.campaign = summary.campaign  # for rows that name none
        self.scorer = Scorer(definition)
        # Kept with each lead's assignment record: the lead file shows how it reached the rep.
        self.keeping = keep_for is not None
        self.companies = CompanyLookups()
        if keep_for is not None:
            self.assigner = Assigner.keeping(session, keep_for)
            self.assigned_why = f"Imported from {self.file_name} (their own import)"
        else:
            self.assigner = Assigner.load(session, policy.assignment)
            self.assigned_why = (
                f"Imported from {self.file_name} ({policy.assignment.value.replace('_', ' ')})"
            )
        # Reps cannot act before a lead reaches the desk, so its speed-to-lead clock starts
        # at the import; an old export does not arrive already overdue.
        self.sla_due_at = sla_deadline(at, policy)
        self._where = Whereabouts(None, None)
        self._prepared: Prepared | None = None  # the row's, when made for this file's rows
        self._prepared_for = PreparedFor(self.file_name, self.source, policy.default_phone_region)
        self._listed: dict[int, Listing] = {}
        self.do_not_call = ListCheck()
        # A dry run: what earlier chunks would have stored (the store has it in a real import).
        self.earlier: EarlierRows | None = None
        # Short keys of rows an earlier run of the same file added as more interest.
        self.imported_before: set[int] = set()
        self._before_names: dict[int, str] = {}
        # Within one chunk rows are matched against each other too.
        self._reset_pending()

    def _reset_pending(self) -> None:
        self.pending_email: dict[str, KnownPerson] = {}
        self.pending_phone: dict[str, list[KnownPerson]] = {}
        self.pending_company: dict[str, list[KnownPerson]] = {}
        self.pending_accounts: dict[str, KnownAccount] = {}
        self.pending_domains: dict[str, KnownAccount] = {}
        self.pending_new: dict[int, PlannedPerson] = {}  # by id(KnownPerson)
        self.pending_new_accounts: dict[int, PlannedAccount] = {}  # by id(KnownAccount)
        self.pending_leads: dict[int, PlannedLead] = {}  # by id(KnownLead)
        # The chunk's import keys by their first 64 bits (as good at telling rows apart).
        self.pending_keys: dict[int, int] = {}

    def plan(self, session: Session, chunk: Chunk) -> ChunkPlan:
        self._reset_pending()
        self.companies.start_chunk(session, chunk)
        plan = ChunkPlan()
        items = chunk.items
        if items:
            plan.first_row, plan.last_row = row_number(items[0]), row_number(items[-1])
        rows = [item for item in items if isinstance(item, CleanRow)]
        keys = [key for key in chunk.keys if key]
        prepared = for_planning(items, chunk.prepared, chunk.prepared_for, self._prepared_for)
        self._before_names = before_keys(items, prepared, self.source)
        view = look_up(session, rows, keys, self._before_names.values())
        self._listed = self.do_not_call.rows(session, rows)
        if self.earlier is not None:
            self.earlier.add_to(view, rows, (int(key[:16], 16) for key in keys))
        counts = self.counts
        for item, key, place, entry in zip(items, chunk.keys, chunk.places, prepared, strict=True):
            counts.rows += 1
            if isinstance(item, RowProblem):
                counts.invalid += 1
                plan.report.append(item)
                self._preview(item)
                continue
            if item.flags:
                counts.flagged += 1
                plan.report.extend(item.flags)
                for flag in item.flags:
                    self._preview(flag)
            assert place is not None
            self._where = place
            self._prepared = entry
            self._plan_row(item, key, view, plan)
        plan.counts = counts.as_json()
        if self.earlier is not None:
            self.earlier.remember(
                accounts=[(new.key, new.known.name) for new in plan.accounts],
                people=[NewPerson(new.known, new.phones, new.companies) for new in plan.people],
                leads=[NewLead(new.known, new.person, new.row) for new in plan.leads],
                raised=[interest.lead for interest in plan.interest.values()],
                keys=self.pending_keys,
            )
        return plan

    def _imported_before(self, number: int, key: str, view: StoreView) -> bool:
        """The row is in the store already: by its key, or by the key it had before names were
        part of keys (a file imported before then, imported again)."""
        before = self.imported_before
        for held in (key, self._before_names.get(number)):
            if held is not None and (held in view.keys or (before and short_key(held) in before)):
                return True
        return False

    def _preview(self, problem: RowProblem) -> None:
        if len(self.summary.problems) < PREVIEW_PROBLEMS:
            self.summary.problems.append(problem)

    def _plan_row(self, row: CleanRow, key: str, view: StoreView, plan: ChunkPlan) -> None:
        counts = self.counts
        number = row.number
        if self._imported_before(number, key, view):
            counts.unchanged += 1
            plan.report.append(RowProblem(number, "", "unchanged: already imported"))
            return
        short = int(key[:16], 16)
        earlier = self.pending_keys.get(short)
        if earlier is None:
            earlier = view.earlier_keys.get(short)
        if earlier is not None:
            counts.unchanged += 1
            plan.report.append(RowProblem(number, "", f"unchanged: same as row {earlier}"))
            return
        listed = self._listed.get(number)
        if listed is not None and listed.erased:
            # Someone who asked to be forgotten: an old list or export must not bring them
            # back. Their value is not echoed in the report.
            counts.erased += 1
            problem = RowProblem(number, listed.field, ERASED_ROW)
            plan.report.append(problem)
            self._preview(problem)
            return
        self.pending_keys[short] = number

        match = self._person(row, view)
        if match.conflict is not None:
            self.pending_keys.pop(short)
            plan.report.append(to_decide(row, match.conflict))
            self._preview(plan.report[-1])
            counts.to_decide += 1
            return
        person, how = match.person, match.how
        account = self._account(row, view, plan)
        if not row.company and person is not None and person.account_id is not None:
            # A known person without a company in this row keeps the company on file.
            account = self.companies.stored(person.account_id) or account
        if listed is not None:
            counts.do_not_call += 1
            problem = RowProblem(number, listed.field, LISTED_ROW, listed.value)
            plan.report.append(problem)
            self._preview(problem)
            if person is not None and not person.do_not_call:
                person.do_not_call = True
                plan.do_not_call.append(person)
        if account is not None and account.is_customer:
            counts.existing_account += 1
            owner = f" (owner {account.owner_name})" if account.owner_name else ""
            reason = f"existing account: {account.name} is a customer{owner}"
            plan.report.append(RowProblem(number, "company", reason, row.company))

        if person is not None:
            lead = person.open_lead()
            if lead is not None:
                self._add_interest(row, key, lead, how, plan, person.phone)
                return
            counts.merged += 1
            self._new_lead(row, key, person, None, account, plan)
            whose = f"#{person.id}" if person.id is not None else "from an earlier row"
            plan.report.append(
                RowProblem(number, "", f"merged: new lead for known person {whose} ({how})")
            )
            return

        counts.created += 1
        new_person = self._new_person(row, account, plan)
        if listed is not None:
            new_person.known.do_not_call = True
            new_person.values.update(do_not_call=True, do_not_call_at=self.at)
        new_lead = self._new_lead(row, key, new_person.known, new_person, account, plan)
        if match.shares:
            counts.shared_phone += 1
            shared_numbers(new_lead.values["extra"], match.shares)
            plan.report.extend(shared_phone(row, number, other) for number, other in match.shares)
            same_person.flag_the_others(row, match.shares, self.pending_leads, plan.shared_on)
        if self.dry_run:
            plan.report.append(RowProblem(number, "", "new lead"))

    # -- matching ----------------------------------------------------------------------------

    def _person(self, row: CleanRow, view: StoreView) -> Match:
        if row.email:
            address = row.email.casefold()
            found = view.by_email.get(address) or self.pending_email.get(address)
            if found is not None:
                return same_person.by_email(row, found)
        match = Match()
        for number in dict.fromkeys(n for n in (row.phone_e164, row.mobile_e164) if n):
            candidates = (*view.by_phone.get(number, ()), *self.pending_phone.get(number, ()))
            if same_person.by_phone(row, number, candidates, match):
                return match
        if row.company and row.full_name:
            for company in company_keys_of(row):
                for person in (
                    *view.by_company.get(company, ()),
                    *self.pending_company.get(company, ()),
                ):
                    if same_person.by_name(row, person):
                        match.person, match.how = person, "same name at the same company"
                        return match
        return match

    def _account(self, row: CleanRow, view: StoreView, plan: ChunkPlan) -> KnownAccount | None:
        """The row's company by its name, written any way ("Maddox-Taylor Ltd" is "Maddox
        Taylor"); a row without one, by its email's company domain (not a free mail one)."""
        for key in company_keys_of(row):
            found = view.accounts.get(key) or self.pending_accounts.get(key)
            if found is not None:
                return found
        domain = company_domain(row.email_domain)
        if not row.company:
            if domain is None:
                return None
            return self.companies.with_domain(domain) or self.pending_domains.get(domain)
        known = KnownAccount(None, row.company[:256], False)
        values: dict[str, Any] = {
            "name": row.company[:256],
            "name_key": row.company_key[:256],
            "domain": website_domain(row) or domain,
            "industry": row.industry[:128] or None,
            "employees": row.employees,
            "country": None,
            "is_customer": False,
            "owner_name": None,
            "created_at": self.at,
        }
        new = PlannedAccount(values, known, row.company_key)
        plan.accounts.append(new)
        self.pending_accounts[row.company_key] = known
        self.pending_new_accounts[id(known)] = new
        if domain is not None:
            self.pending_domains.setdefault(domain, known)
        return known

    def _assign(self, account: KnownAccount | None, country: str | None) -> int | None:
        """Who gets a new lead: with one rep per company, whoever works its company already;
        else (and for a rep's own import) the assignment's turn."""
        if not self.policy.one_rep_per_company or self.keeping or account is None:
            return self.assigner.assign(country)
        working = self.companies.rep_of(account)
        if working is not None:
            self.assigner.give(*working)
            return working[0]
        rep = self.assigner.assign(country)
        if rep is not None:
            key = account.id if account.id is not None else id(account)
            self.companies.reps[key] = (rep, self.assigner.shown.get(rep, ""))
        return rep

    # -- new rows ----------------------------------------------------------------------------

    def _new_person(
        self, row: CleanRow, account: KnownAccount | None, plan: ChunkPlan
    ) -> PlannedPerson:
        where = self._whereabouts(row)
        phone = row.best_phone
        raw = row.phone_raw if row.phone_e164 else row.mobile_raw
        known = KnownPerson(None, row.email, phone, row.first_name[:128], row.last_name[:128], None)
        values: dict[str, Any] = {
            "first_name": row.first_name[:128],
            "last_name": row.last_name[:128],
            "email": row.email[:320] if row.email else None,
            "phone": phone,
            "phone_raw": raw[:64] or None,
            "title": row.title[:256] or None,
            "seniority": None,
            "country": where.country,
            "region": row.state[:128] or None,
            "city": row.city[:128] or None,
            "timezone": None,
            "zone_key": where.zone_key,
            "do_not_call": False,
            "do_not_call_at": None,
            "erased_at": None,
            "created_at": self.at,
        }
        new_account = self.pending_new_accounts.get(id(account)) if account else None
        if account is not None:
            known.account_id = account.id
        if new_account is not None and new_account.values["country"] is None:
            new_account.values["country"] = where.country
        # A row whose phone and mobile are one number has that number once.
        phones = tuple(dict.fromkeys(n for n in (row.phone_e164, row.mobile_e164) if n))
        companies = company_keys_of(row)
        new = PlannedPerson(values, known, account, phones, companies)
        plan.people.append(new)
        self.pending_new[id(known)] = new
        if row.email:
            self.pending_email.setdefault(row.email.casefold(), known)
        for number in phones:
            self.pending_phone.setdefault(number, []).append(known)
        for company in companies:
            self.pending_company.setdefault(company, []).append(known)
        return new

    def _new_lead(
        self,
        row: CleanRow,
        key: str,
        person: KnownPerson,
        new_person: PlannedPerson | None,
        account: KnownAccount | None,
        plan: ChunkPlan,
    ) -> PlannedLead:
        at = self.at
        arrived = now_or_before(row.arrived_at, at)
        source = source_key(row.source) or self.source
        existing_customer = bool(account is not None and account.is_customer)
        where = self._whereabouts(row)
        facts = {
            "employees": row.employees,
            "industry": fact_key(row.industry),
            "title": row.title or person.title,
            "seniority": fact_key(person.seniority) if person.seniority else None,
            "country": where.country,
            "region": row.state or None,
            "state": row.state or None,
            "city": row.city or None,
            "email_domain": row.email_domain,
            "source": source,
            "campaign": row.campaign or self.campaign or None,
            "inquiry": row.inquiry or None,
            "existing_customer": existing_customer,
            "earlier_leads": len(person.leads),
            "hours_since_arrival": max(0.0, (at - arrived).total_seconds() / 3600),
            "call_attempts": 0,
        }
        scores = self.scorer.score(facts)
        extra, searchable = lead_extra(
            self._prepared, row, run_id=self.run_id, made_for=self._prepared_for
        )
        rep = self._assign(account, where.country)
        if rep is None:
            self.counts.pool += 1
        else:
            self.counts.assigned += 1
        values: dict[str, Any] = {
            "account_id": None,  # set when written
            "source": source[:64],
            "campaign": (row.campaign or self.campaign)[:256] or None,
            "referred_by_id": self.referred_by,
            "inquiry": row.inquiry or None,
            "arrived_at": arrived,
            # New, or marketing-qualified when the definition's rule for it holds on arrival.
            **lifecycle.started(
                at, marketing_qualified=self.scorer.marketing_qualified(facts, scores)
            ),
            "lead_type": None,
            "existing_account": existing_customer,
            "assigned_to_id": rep,
            "fit_score": scores.fit,
            "interest_score": scores.interest,
            "framework_score": None,
            "sla_due_at": self.sla_due_at,
            "first_contact_at": None,
            "last_attempt_at": None,
            "next_attempt_at": None,
            "callback_at": None,
            "attempts": 0,
            "claimed_by_id": None,
            "claim_expires_at": None,
            "definition_version_id": None,
            "handoff_batch_id": None,
            "flagged_untouched_at": None,
            "closed_at": None,
            "hold_reason": "do_not_call" if person.do_not_call else None,
            "import_key": key,
            "extra": extra,
            "version": 1,
            "created_at": at,
        }
        if person.id is not None:
            values["person_id"] = person.id
        known = KnownLead(None, Stage.NEW, scores.interest, None, row=row.number)
        person.leads.append(known)
        new = PlannedLead(values, known, person, new_person, account, row.number, searchable)
        plan.leads.append(new)
        self.pending_leads[id(known)] = new
        return new

    def _whereabouts(self, _row: CleanRow) -> Whereabouts:
        # Worked out with the cleaning (in the helper process for a big file).
        return self._where

    def _add_interest(
        self,
        row: CleanRow,
        key: str,
        lead: KnownLead,
        how: str,
        plan: ChunkPlan,
        phone: str | None,
    ) -> None:
        self.counts.attached += 1
        new_lead = self.pending_leads.get(id(lead))
        interest = plan.interest.get(id(lead))
        if interest is None:
            interest = plan.interest[id(lead)] = MoreInterest(lead, new_lead, lead.interest_score)
        lead.interest_score = min(100, lead.interest_score + MORE_INTEREST_POINTS)
        lead.keys.append(key)
        arrived = now_or_before(row.arrived_at, self.at)
        what = row.inquiry or row.campaign or source_key(row.source) or self.source
        origin = (
            f"entered by hand by {self.entered_by}"
            if self.entered_by
            else f"import of {self.file_name}, row {row.number}"
        )
        interest.notes.append(f"More interest on {arrived:%Y-%m-%d}: {what} ({origin})")
        differ = interest.add_row(row, self.file_name, phone)
        if differ and not row.flags:
            self.counts.flagged += 1  # kept, with a value to check
        for problem in differ:
            plan.report.append(problem)
            self._preview(problem)
        target = f"open lead #{lead.id}" if lead.id else f"the open lead from row {lead.row}"
        said = f"attached: more interest on {target} ({how}); interest now {lead.interest_score}"
        plan.report.append(RowProblem(row.number, "", said))
