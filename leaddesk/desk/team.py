"""The team lead's console: reassign, rebalance, sweep, the team view and reports.

Previews read; applying writes in one transaction. The logic lives in leaddesk/team/."""

from __future__ import annotations

from datetime import date
from pathlib import Path

from leaddesk.desk.context import DeskContext
from leaddesk.people.permissions import Action
from leaddesk.team import reassign as team_reassign
from leaddesk.team import rebalance as team_rebalance
from leaddesk.team import reports as team_reports
from leaddesk.team import sweep as team_sweep
from leaddesk.team import team_view as team_views
from leaddesk.team.moves import PlannedMove
from leaddesk.team.reopen import KEEP, Reopened, reopen_lead
from leaddesk.team.reports import huddle as team_huddle


class Team:
    """``desk.team``: the team lead's console: moves, rebalancing, the sweep, reports."""

    def __init__(self, ctx: DeskContext) -> None:
        self._ctx = ctx

    def reopen(self, lead_id: int, reason: str, *, to_user: str | None = KEEP) -> Reopened:
        """Reopen a closed lead (team leads): its verdict withdrawn, open and due now for the
        rep who had it, another rep (``to_user``) or the pool ("pool"). Audited."""
        at = self._ctx.clock()
        with self._ctx.write(Action.REASSIGN) as session:
            return reopen_lead(
                session, lead_id, actor_id=self._ctx.user_id, at=at, reason=reason, to_user=to_user
            )

    def view(self) -> team_views.TeamView:
        """Per rep: open, callbacks today, SLA breaches, untouched, verdicts; pool; sales wait."""
        with self._ctx.read(Action.VIEW_TEAM) as session:
            return team_views.team_view(session, at=self._ctx.clock())

    def leads(self, pick: team_reassign.LeadPick) -> list[PlannedMove]:
        """Open leads of a rep (or the pool, ``from_user="pool"``), oldest first, to pick from."""
        with self._ctx.read(Action.REASSIGN) as session:
            return team_reassign.picked_leads(session, pick, self._ctx.clock())

    def preview_reassign(
        self, pick: team_reassign.LeadPick, *, to_user: str | None, reason: str | None = None
    ) -> team_reassign.ReassignPreview:
        """Who would move where (and who is on a call), before anything is written."""
        with self._ctx.read(Action.REASSIGN) as session:
            return team_reassign.preview_reassign(
                session, pick, to_user=to_user, reason=reason, at=self._ctx.clock()
            )

    def apply_reassign(
        self,
        preview: team_reassign.ReassignPreview,
        *,
        force: bool = False,
        after_call: bool = False,
    ) -> team_reassign.ReassignResult:
        """Carry out a preview; Conflict if any lead changed since (nothing is moved then)."""
        with self._ctx.write(Action.REASSIGN) as session:
            return team_reassign.apply_reassign(
                session,
                preview,
                actor_id=self._ctx.actor.id,
                at=self._ctx.clock(),
                force=force,
                after_call=after_call,
            )

    def reassign(
        self,
        pick: team_reassign.LeadPick,
        *,
        to_user: str | None,
        reason: str | None = None,
        force: bool = False,
        after_call: bool = False,
    ) -> team_reassign.ReassignResult:
        with self._ctx.write(Action.REASSIGN) as session:
            return team_reassign.reassign(
                session,
                pick,
                to_user=to_user,
                reason=reason,
                actor_id=self._ctx.actor.id,
                at=self._ctx.clock(),
                force=force,
                after_call=after_call,
            )

    def plan_rebalance(self, *, include_pool: bool = True) -> team_rebalance.RebalancePlan:
        with self._ctx.read(Action.REASSIGN) as session:
            return team_rebalance.plan_rebalance(
                session, at=self._ctx.clock(), include_pool=include_pool
            )

    def plan_spread(self, from_user: str) -> team_rebalance.RebalancePlan:
        """Spread an absent rep's open leads over the others (a preview)."""
        with self._ctx.read(Action.REASSIGN) as session:
            return team_rebalance.plan_spread(session, from_user, at=self._ctx.clock())

    def apply_rebalance(self, plan: team_rebalance.RebalancePlan) -> team_rebalance.RebalancePlan:
        """Apply a previewed plan; Conflict if any lead changed since (nothing is moved then)."""
        with self._ctx.write(Action.REASSIGN) as session:
            return team_rebalance.apply_plan(
                session, plan, actor_id=self._ctx.actor.id, at=self._ctx.clock()
            )

    def rebalance(self, *, include_pool: bool = True) -> team_rebalance.RebalancePlan:
        with self._ctx.write(Action.REASSIGN) as session:
            plan = team_rebalance.plan_rebalance(
                session, at=self._ctx.clock(), include_pool=include_pool
            )
            return team_rebalance.apply_plan(
                session, plan, actor_id=self._ctx.actor.id, at=self._ctx.clock()
            )

    def sweep(self, *, dry_run: bool = False) -> team_sweep.SweepResult:
        """Flag untouched leads and, if the policy says so, move the long-untouched ones;
        ``dry_run`` says what it would do and changes nothing."""
        with self._ctx.write(Action.REASSIGN, rollback=dry_run) as session:
            return team_sweep.sweep(
                session, actor_id=self._ctx.actor.id, at=self._ctx.clock(), dry_run=dry_run
            )

    def report(
        self,
        name: str,
        *,
        since: date | None = None,
        until: date | None = None,
        by: str | None = None,
    ) -> team_reports.Report:
        """One dashboard's figures: funnel, throughput, sla, sources, acceptance, agreement or
        workload; ``by`` cuts sources and acceptance by source, campaign, version or referrer.
        Team leads, admins and marketing."""
        with self._ctx.read(Action.VIEW_REPORTS) as session:
            return team_reports.build_report(
                session, name, since=since, until=until, at=self._ctx.clock(), by=by
            )

    def huddle_pack(
        self, *, since: date | None, until: date | None = None, out: Path | None = None
    ) -> team_huddle.HuddlePack:
        """The huddle pack for the period (default: the last 30 days), written as a new dated
        folder in ``out`` (default: beside the hand-off exports)."""
        with self._ctx.read(Action.MAKE_HUDDLE_PACK) as session:
            at = self._ctx.clock()
            span = team_reports.period(session, since=since, until=until, at=at)
            huddle = team_huddle.gather(session, span, at=at, made_by=self._ctx.actor.display_name)
        return team_huddle.write_pack(huddle, out)
