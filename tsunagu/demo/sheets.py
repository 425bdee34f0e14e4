"""The standard forms of the demo cases (tsunagu.sheets), written once every case has
been taken through its steps, in the order and at the times a centre would have
written them:

- 申込・同意: the 相談受付・申込票 (version 1), signed just before the case moved on;
- アセスメント: the assessment, in the days after the step (a second version when the
  plan is made again after an evaluation, or when support resumes after a suspension);
- プラン案: the plan with its rows; the person agrees to it before the 支援調整会議,
  which also schedules its review (an `evaluation_due` task, as the app does). A plan
  the meeting sent back gets a second version, still to be agreed;
- 支援決定: the municipal officer's decisions for the plan's programmes, within the
  programme rules (tsunagu.sheets.rules); a 住居確保給付金 whose three months ran out
  while support went on was extended once;
- 支援提供: when a plan's review date passed while support went on, the plan was
  reviewed and a new version agreed with the next date (or it is overdue, for a case
  whose spec says so);
- 評価: the evaluation of the agreed plan, saved just before the case moved to 評価
  (終結 proposed, the chief's approval task; or 再プラン).

The rows get their past times when they are built; their audit entries carry the
time of the load, as every other audit entry of the demo.
"""

import datetime as dt
import math
import random
import uuid
from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from django.db import models
from django.utils import timezone

from tsunagu.accounts.models import Agency, AgencyKind, Role, Staff
from tsunagu.audit.models import Action, record
from tsunagu.cases.models import Case, CaseConcern, CaseState, Task, TaskKind, TimelineEntry, TimelineKind
from tsunagu.demo.sheet_texts import DECISION_NOTES, SHEETS, EvaluationText, ItemText, SheetStory
from tsunagu.demo.town import AGENCIES
from tsunagu.people.models import Relation, Sex
from tsunagu.sheets import rules
from tsunagu.sheets.models import (
    CONDITIONS,
    AssessmentSheet,
    Attainment,
    ConsentPurpose,
    DecisionExtension,
    EvaluationSheet,
    GoalAttainment,
    Insurance,
    IntakeSheet,
    Outcome,
    Pension,
    PlanItem,
    PlanSheet,
    Programme,
    SheetVersion,
    SupportDecision,
)

if TYPE_CHECKING:
    from tsunagu.demo.loader import DemoLoader, Member, Step, Town, WrittenCase

S = CaseState
MINUTE = dt.timedelta(minutes=1)
HOUR = dt.timedelta(hours=1)
AGENCY_KINDS = {a.key: a.kind for a in AGENCIES}
REVIEW_TITLE = "プランのモニタリング・評価（第{version}版）"
APPROVAL_TITLE = "終結の承認（評価シート第{version}版）"
# States in which the case's plan review is still scheduled (or was done).
REVIEWED_STATES = frozenset({S.COORDINATION, S.DECIDED, S.IN_SUPPORT, S.EVALUATION, S.CLOSED, S.FOLLOW_UP, S.ENDED})


def local_day(moment: dt.datetime) -> dt.date:
    return timezone.localtime(moment).date()


def fill(text: str, values: dict[str, Any]) -> str:
    return text.format(**values)


def amount(template: str, values: dict[str, Any]) -> int | None:
    """A number of yen from a template: "{total}*10000" → 1800000; "" → None."""
    if not template:
        return None
    return math.prod(int(part) for part in fill(template, values).split("*"))


def family_line(subject: "Member", household: Sequence["Member"]) -> str:
    """The household as seen from the person: 妻（52歳）、長男（17歳）と同居（3人世帯）."""
    others = [m for m in household if m is not subject]
    if not others:
        return "単身"
    children = sorted(
        (m for m in others if m.relation == Relation.CHILD and subject.relation != Relation.CHILD),
        key=lambda m: -m.age,
    )
    words = []
    for member in others:
        if member in children:
            same_sex = [c for c in children if c.sex == member.sex]
            order = ("長", "次", "三")[min(same_sex.index(member), 2)]
            words.append(f"{order}{'男' if member.sex == Sex.MALE else '女'}（{member.age}歳）")
            continue
        if subject.relation == Relation.CHILD or member.relation == Relation.PARENT:
            word = "父" if member.sex == Sex.MALE else "母"
        elif Relation.SPOUSE in (member.relation, subject.relation):
            word = "夫" if member.sex == Sex.MALE else "妻"
        else:
            word = "同居人"
        words.append(f"{word}（{member.age}歳）")
    return f"{'、'.join(words)}と同居（{len(household)}人世帯）"


@dataclass
class Progress:
    """One case's forms as they are written, in time order."""

    written: "WrittenCase"
    text: SheetStory
    worker: Staff
    officer: Staff | None
    interval: int
    values: dict[str, Any]
    versions: dict[type[models.Model], int] = field(default_factory=lambda: defaultdict(int))
    assessment: AssessmentSheet | None = None
    evaluation: EvaluationSheet | None = None
    plans: list[PlanSheet] = field(default_factory=list)
    items: dict[int, list[PlanItem]] = field(default_factory=dict)
    # The date the latest plan version counts its review from.
    base: dt.date | None = None
    review: Task | None = None
    tasks: list[Task] = field(default_factory=list)
    decisions: list[SupportDecision] = field(default_factory=list)
    cycle_decisions: list[SupportDecision] = field(default_factory=list)
    extensions: dict[int, list[DecisionExtension]] = field(default_factory=lambda: defaultdict(list))
    latest: dt.datetime | None = None

    @property
    def case(self) -> Case:
        return self.written.case

    @property
    def town(self) -> "Town":
        return self.written.town

    def agreed_plan(self) -> PlanSheet | None:
        return next((p for p in reversed(self.plans) if p.agreed_on is not None), None)

    def current_end(self, decision: SupportDecision) -> dt.date:
        return max([decision.ends_on, *(e.new_ends_on for e in self.extensions[id(decision)])])


class SheetWriter:
    def __init__(self, loader: "DemoLoader", rng: random.Random | None = None) -> None:
        self.loader = loader
        self.rng = rng or loader.rng
        self.clock = loader.clock
        self.intakes: list[IntakeSheet] = []
        self.consents: list[tuple[IntakeSheet, list[Agency]]] = []
        self.assessments: list[AssessmentSheet] = []
        self.plans: list[PlanSheet] = []
        self.items: list[PlanItem] = []
        self.evaluations: list[EvaluationSheet] = []
        self.attainments: list[GoalAttainment] = []
        self.decisions: list[SupportDecision] = []
        self.extensions: list[DecisionExtension] = []
        self.tasks: list[Task] = []
        self.entries: list[TimelineEntry] = []
        # (when, actor, action, object, record() keywords), per case in time order.
        self.audits: list[tuple[dt.datetime, Staff, str, models.Model, dict[str, Any]]] = []
        self.touched: dict[int, dt.datetime] = {}

    # -- the whole pass ----------------------------------------------------------

    def write(self, cases: Sequence["WrittenCase"], concerns: Sequence[CaseConcern]) -> None:
        by_case: dict[int, list[CaseConcern]] = defaultdict(list)
        for concern in concerns:
            by_case[concern.case_id].append(concern)
        for written in cases:
            self.write_case(written, by_case[written.case.pk])
        self.save()
        self.finish()

    def save(self) -> None:
        """Write the rows gathered so far (one case's, when the loader writes them as it
        goes) and start gathering afresh."""
        IntakeSheet.objects.bulk_create(self.intakes)
        through = IntakeSheet.consent_agencies.through
        through.objects.bulk_create(
            through(intakesheet_id=sheet.pk, agency_id=agency.pk)
            for sheet, agencies in self.consents
            for agency in agencies
        )
        AssessmentSheet.objects.bulk_create(self.assessments)
        PlanSheet.objects.bulk_create(self.plans)
        PlanItem.objects.bulk_create(self.items)
        EvaluationSheet.objects.bulk_create(self.evaluations)
        GoalAttainment.objects.bulk_create(self.attainments)
        SupportDecision.objects.bulk_create(self.decisions)
        DecisionExtension.objects.bulk_create(self.extensions)
        Task.objects.bulk_create(self.tasks)
        TimelineEntry.objects.bulk_create(self.entries)
        for _when, actor, action, obj, details in self.audits:
            record(actor, action, obj, **details)
        for rows in (
            self.intakes,
            self.consents,
            self.assessments,
            self.plans,
            self.items,
            self.evaluations,
            self.attainments,
            self.decisions,
            self.extensions,
            self.tasks,
            self.entries,
            self.audits,
        ):
            rows.clear()

    def save_until(self, at: dt.datetime) -> None:
        """Write the forms recorded by `at`, with the rows that hang on them, and keep the
        rest: a step of the case sees the forms written before it, not the later ones."""

        def due(rows: list[Any], when: Any) -> list[Any]:
            taken = [row for row in rows if when(row) <= at]
            rows[:] = [row for row in rows if when(row) > at]
            return taken

        intakes = due(self.intakes, lambda sheet: sheet.recorded_at)
        IntakeSheet.objects.bulk_create(intakes)
        written = {id(sheet) for sheet in intakes}
        through = IntakeSheet.consent_agencies.through
        through.objects.bulk_create(
            through(intakesheet_id=sheet.pk, agency_id=agency.pk)
            for sheet, agencies in self.consents
            if id(sheet) in written
            for agency in agencies
        )
        self.consents[:] = [(sheet, agencies) for sheet, agencies in self.consents if id(sheet) not in written]
        AssessmentSheet.objects.bulk_create(due(self.assessments, lambda sheet: sheet.recorded_at))
        plans = due(self.plans, lambda sheet: sheet.recorded_at)
        PlanSheet.objects.bulk_create(plans)
        saved = {id(plan) for plan in plans}
        PlanItem.objects.bulk_create([item for item in self.items if id(item.plan) in saved])
        self.items[:] = [item for item in self.items if id(item.plan) not in saved]

    def finish(self) -> None:
        """The case was last changed with its latest form, if that came after its last step."""
        for case_id, latest in self.touched.items():
            Case.objects.filter(pk=case_id, updated_at__lt=latest).update(updated_at=latest)

    # -- one case ------------------------------------------------------------------

    def write_case(self, written: "WrittenCase", concerns: list[CaseConcern]) -> None:
        plan = written.plan
        steps = plan.steps
        if not any(step.to == S.APPLIED for step in steps):
            return
        text = SHEETS.get(plan.story.key)
        if text is None:
            raise LookupError(f"No sheet texts for the story {plan.story.key!r} (tsunagu/demo/sheet_texts.py).")
        town = written.town
        worker = written.case.worker or self.loader.chief_of(town)
        officer = next((s for s in town.staff.values() if s.role == Role.MUNICIPAL_OFFICER), None)
        progress = Progress(
            written=written,
            text=text,
            worker=worker,
            officer=officer,
            interval=town.municipality.monitoring_interval_months,
            values=self.values_of(written, text),
        )
        audits_from = len(self.audits)
        end = min(plan.end_at, self.clock.now - 10 * MINUTE)
        for index, step in enumerate(steps):
            previous = steps[index - 1] if index else None
            started = previous.at if previous else plan.opened_at
            came_from = previous.to if previous else plan.start
            following = steps[index + 1] if index + 1 < len(steps) else None
            until = following.at if following else max(end, step.at + MINUTE)
            if step.to == S.APPLIED:
                self.intake(progress, step.at, started, concerns)
            elif step.to == S.ASSESSMENT:
                self.assess(progress, step.at, until)
            elif step.to == S.PLAN_DRAFT:
                self.draft(progress, index, came_from, until)
            elif step.to == S.COORDINATION:
                self.agree(progress, progress.plans[-1], step.at)
            elif step.to == S.DECIDED:
                self.decide(progress, step.at, until)
            elif step.to == S.IN_SUPPORT and came_from == S.SUSPENDED:
                self.resume(progress, step.at, until)
            elif step.to == S.EVALUATION:
                self.evaluate(progress, step.at, started, following)
        if plan.final_state == S.IN_SUPPORT:
            self.review_on(progress, end)
            self.extend(progress, end)
        if plan.final_state not in REVIEWED_STATES:
            progress.tasks = [t for t in progress.tasks if t.kind != TaskKind.EVALUATION_DUE or t.done_at]
        self.tasks.extend(progress.tasks)
        self.audits[audits_from:] = sorted(self.audits[audits_from:], key=lambda a: a[0])
        if progress.latest is not None:
            self.touched[written.case.pk] = progress.latest

    def values_of(self, written: "WrittenCase", text: SheetStory) -> dict[str, Any]:
        age = written.subject.age
        subject = written.subject
        couple = {Relation.HEAD, Relation.SPOUSE}
        spouse = next(
            (
                "夫" if m.sex == Sex.MALE else "妻"
                for m in written.household
                if {m.relation, subject.relation} == couple
            ),
            "",
        )
        return {
            **written.values,
            **{key: self.rng.choice(options) for key, options in text.choices.items()},
            "family_line": family_line(written.subject, written.household),
            "insurance": Insurance(self.insurance(text, age)).label,
            "spouse": spouse,
        }

    @staticmethod
    def insurance(text: SheetStory, age: int) -> str:
        if age >= 75:
            return Insurance.LATE_ELDERLY
        return Insurance.NATIONAL if text.intake.insurance == Insurance.LATE_ELDERLY else text.intake.insurance

    # -- the forms ---------------------------------------------------------------------

    def intake(self, p: Progress, applied_at: dt.datetime, started: dt.datetime, concerns: list[CaseConcern]) -> None:
        """Signed at the counter, just before the case moved to 申込・同意."""
        text, case = p.text.intake, p.case
        at = max(started + 2 * MINUTE, applied_at - self.rng.randint(5, 25) * MINUTE)
        pension = text.pension
        if p.written.subject.age >= 65 and pension in (Pension.PAYING, Pension.UNPAID, Pension.EXEMPT):
            pension = Pension.RECEIVING
        visitor_name, visitor_relation = self.visitor(p.written, text.visitor)
        sheet = IntakeSheet(
            code=self.code(),
            case=case,
            version=self.next_version(p, IntakeSheet),
            recorded_at=at,
            recorded_by=p.worker,
            received_on=case.opened_on,
            receiving_worker=p.worker,
            visitor_name=visitor_name,
            visitor_relation=visitor_relation,
            concerns=[c.concern for c in concerns],
            primary_concern=next(c.concern for c in concerns if c.is_primary),
            concern_detail=case.summary,
            work_status=text.work,
            housing_status=text.housing,
            insurance=self.insurance(p.text, p.written.subject.age),
            pension=pension,
            applied=True,
            applied_on=local_day(applied_at),
            consent_method=text.consent_method,
            consent_purposes=list(ConsentPurpose.values),
        )
        agencies = list(dict.fromkeys(self.agency(p.town, key) for key in text.consent_agencies))
        self.intakes.append(sheet)
        self.consents.append((sheet, [a for a in agencies if a != p.town.centre]))
        self.log_version(p, sheet, None)

    @staticmethod
    def visitor(written: "WrittenCase", who: str) -> tuple[str, str]:
        if who != "mother":
            return "", ""
        subject = written.subject
        mother = next(
            (m for m in written.household if m is not subject and m.sex == Sex.FEMALE and m.age >= subject.age + 15),
            None,
        )
        if mother is None or mother.family is None or mother.given is None:
            return "", ""
        return f"{mother.family.kanji} {mother.given.kanji}", "母"

    def assess(self, p: Progress, started: dt.datetime, until: dt.datetime) -> None:
        at = self.within(started, until, 20 * MINUTE, days=10)
        self.add_assessment(p, at, revised=False)

    def add_assessment(self, p: Progress, at: dt.datetime, *, revised: bool) -> None:
        text = p.text.assessment
        fields = text._asdict()
        revision = fields.pop("revision")
        if_spouse = fields.pop("key_person_if_spouse")
        if if_spouse and p.values["spouse"]:
            fields["key_person"] = if_spouse
        if revised:
            fields.update(revision)
        content: dict[str, Any] = {}
        for name, value in fields.items():
            if name in ("monthly_income", "debt_total"):
                content[name] = amount(value, p.values)
            elif name == "issues":
                content[name] = [str(issue) for issue in value]
            else:
                content[name] = fill(value, p.values)
        content["emergency_needed"] = bool(content["emergency_note"])
        sheet = AssessmentSheet(
            code=self.code(),
            case=p.case,
            version=self.next_version(p, AssessmentSheet),
            recorded_at=at,
            recorded_by=p.worker,
            assessed_on=local_day(at),
            **content,
        )
        self.assessments.append(sheet)
        self.log_version(p, sheet, p.assessment)
        p.assessment = sheet

    def draft(self, p: Progress, index: int, came_from: str, until: dt.datetime) -> None:
        """A plan made after the assessment, after an evaluation (再プラン), or after
        the 支援調整会議 sent it back."""
        steps = p.written.plan.steps
        started = steps[index].at
        text = p.text.plan
        following = steps[index + 1] if index + 1 < len(steps) else None
        # Made before the meeting (with time to agree to it), or in the days after the step.
        until = started + (until - started) * 0.6 if following and following.to == S.COORDINATION else until
        if came_from == S.EVALUATION:
            if p.text.assessment.revision and p.assessment is not None:
                reassessed = self.within(started, started + min(until - started, 5 * HOUR) / 3, 10 * MINUTE)
                self.add_assessment(p, reassessed, revised=True)
                started = reassessed
            text = p.text.replan or text
        if text is None:
            raise LookupError(f"No plan text for the story {p.written.plan.story.key!r}.")
        items, programmes = text.items, text.programmes
        if came_from == S.COORDINATION:
            # The review scheduled at the agreement goes with the plan sent back.
            p.tasks = [t for t in p.tasks if t is not p.review]
            p.review = None
        elif p.written.plan.spec.path == "returned":
            # The first version, before the meeting asked for the household budget.
            items, programmes = items[:-1], ()
        at = self.within(started, until, 30 * MINUTE, days=7)
        start = self.period_start(steps, index, at)
        sheet = PlanSheet(
            code=self.code(),
            case=p.case,
            version=self.next_version(p, PlanSheet),
            recorded_at=at,
            recorded_by=p.worker,
            long_term_goal=fill(text.long_term_goal, p.values),
            short_term_goals=fill(text.short_term_goals, p.values),
            programmes=[str(x) for x in programmes] if p.officer else [],
            period_start=start,
            period_end=rules.latest_end(start, text.months),
            next_evaluation_on=rules.add_months(start, p.interval),
        )
        self.add_plan(p, sheet, self.plan_items(p, sheet, items))
        p.base = start

    def period_start(self, steps: Sequence["Step"], index: int, recorded: dt.datetime) -> dt.date:
        """The plan runs from the decision; before there is one, from when it is expected."""
        meeting: dt.date | None = None
        for later in steps[index + 1 :]:
            if later.to == S.PLAN_DRAFT:
                break
            if later.to == S.DECIDED:
                return local_day(later.at)
            if later.to == S.COORDINATION:
                meeting = local_day(later.at)
        if meeting is not None:
            return self.clock.next_workday(meeting + dt.timedelta(days=self.rng.randint(1, 5)))
        return self.clock.next_workday(local_day(recorded) + dt.timedelta(days=self.rng.randint(14, 28)))

    def plan_items(self, p: Progress, sheet: PlanSheet, rows: Sequence[ItemText]) -> list[PlanItem]:
        items = []
        for position, row in enumerate(rows):
            agency = self.agency(p.town, row.agency)
            items.append(
                PlanItem(
                    plan=sheet,
                    position=position,
                    issue=row.issue,
                    goal=fill(row.goal, p.values),
                    person_action=fill(row.person_action, p.values),
                    support=fill(row.support, p.values),
                    provider_agency=agency,
                    provider_worker=self.worker_name(p, row.worker, row.agency, agency),
                    period=f"{row.months}か月" if row.months else "プラン期間中",
                    frequency=row.frequency,
                )
            )
        return items

    def add_plan(self, p: Progress, sheet: PlanSheet, items: list[PlanItem]) -> None:
        previous = p.plans[-1] if p.plans else None
        self.plans.append(sheet)
        self.items.extend(items)
        p.plans.append(sheet)
        p.items[id(sheet)] = items
        self.log_version(p, sheet, previous)

    def agree(self, p: Progress, plan: PlanSheet, before: dt.datetime) -> None:
        """The person agrees to the plan before the 支援調整会議; the review is scheduled."""
        self.record_agreement(p, plan, self.within(plan.recorded_at, before, 15 * MINUTE))

    def record_agreement(self, p: Progress, plan: PlanSheet, at: dt.datetime) -> None:
        plan.agreed_on = local_day(at)
        plan.agreement_method = p.text.intake.consent_method
        changes = {"agreed_on": str(plan.agreed_on), "agreement_method": plan.agreement_method}
        self.audit(p, at, p.worker, Action.CHANGE, "sheets.plansheet", plan.code, changes)
        self.entry(p, at, p.worker, TimelineKind.SHEET, f"プラン第{plan.version}版に本人が同意", shared=False)
        title = REVIEW_TITLE.format(version=plan.version)
        if p.review is not None and p.review.done_at is None:
            p.review.title, p.review.due_on = title, plan.next_evaluation_on
            return
        p.review = Task(
            code=self.code(),
            case=p.case,
            title=title,
            kind=TaskKind.EVALUATION_DUE,
            due_on=plan.next_evaluation_on,
            assignee=p.worker,
            created_by=p.worker,
            created_at=at,
        )
        p.tasks.append(p.review)

    def decide(self, p: Progress, decided_at: dt.datetime, until: dt.datetime) -> None:
        """The officer's decisions for the programmes of the plan the meeting approved."""
        plan = p.agreed_plan()
        p.cycle_decisions = []
        if plan is None or p.officer is None:
            return
        day = local_day(decided_at)
        for programme in plan.programmes:
            if any(d.programme == programme and p.current_end(d) >= day for d in p.decisions):
                continue  # still running from the earlier plan
            rule = rules.rule_for(programme)
            ends = rules.latest_end(day, rule.months)
            if rule.months > 6:
                ends = max(day, min(ends, plan.period_end))
            if rules.decision_errors(programme, day, ends):
                raise ValueError(f"The demo would write an invalid decision: {programme} {day}–{ends}")
            at = self.within(decided_at, min(until, decided_at + 3 * HOUR), 5 * MINUTE)
            decision = SupportDecision(
                code=self.code(),
                case=p.case,
                programme=programme,
                decided_on=day,
                starts_on=day,
                ends_on=ends,
                note=DECISION_NOTES.get(programme, ""),
                decided_by=p.officer,
                recorded_at=at,
            )
            self.decisions.append(decision)
            p.decisions.append(decision)
            p.cycle_decisions.append(decision)
            changes = {"programme": programme, "starts_on": str(day), "ends_on": str(ends)}
            self.audit(p, at, p.officer, Action.CREATE, "sheets.supportdecision", decision.code, changes)
            self.entry(p, at, p.officer, TimelineKind.SHEET, f"支援決定: {decision}")

    def resume(self, p: Progress, resumed_at: dt.datetime, until: dt.datetime) -> None:
        """Back from a suspension: the assessment brought up to date and the plan
        confirmed again, with a new review date."""
        at = self.within(resumed_at, min(until, resumed_at + dt.timedelta(days=1)), 15 * MINUTE)
        if p.text.assessment.revision and p.assessment is not None:
            self.add_assessment(p, at, revised=True)
            at += 20 * MINUTE
        self.revise(p, local_day(at), at, resumed=True)

    def revise(self, p: Progress, day: dt.date, at: dt.datetime, *, resumed: bool = False) -> None:
        """A new version of the agreed plan at a review: same rows, the next review date."""
        previous = p.plans[-1]
        next_on = rules.add_months(day, p.interval)
        ends = max(previous.period_end, next_on)
        if resumed:
            ends = max(ends, rules.latest_end(day, 6))
        sheet = PlanSheet(
            code=self.code(),
            case=p.case,
            version=self.next_version(p, PlanSheet),
            recorded_at=at,
            recorded_by=p.worker,
            long_term_goal=previous.long_term_goal,
            short_term_goals=previous.short_term_goals,
            programmes=list(previous.programmes),
            period_start=previous.period_start,
            period_end=ends,
            next_evaluation_on=next_on,
        )
        items = [
            PlanItem(plan=sheet, **{name: getattr(item, name) for name in PlanItem.CONTENT_FIELDS})
            for item in p.items[id(previous)]
        ]
        self.add_plan(p, sheet, items)
        self.record_agreement(p, sheet, at + self.rng.randint(10, 40) * MINUTE)
        p.base = day

    def review_on(self, p: Progress, end: dt.datetime) -> None:
        """Reviews while support goes on: each passed review date left a new version with
        the next one. The spec's `review` puts the open review within the coming week
        ("W") or a little overdue ("O")."""
        plan, base = p.agreed_plan(), p.base
        if plan is None or base is None:
            return
        today, letter = self.clock.today, p.written.plan.spec.review
        due = plan.next_evaluation_on
        if letter == "W":
            offsets, settled = range(1, 6), today <= due <= today + dt.timedelta(days=6)
        elif letter == "O":
            offsets, settled = range(-18, -3), today - dt.timedelta(days=30) <= due < today
        else:
            offsets, settled = range(10, 71), due >= today
        # The last review falls on a working day after the plan began and before the case
        # went quiet, with its next review on a target day.
        earliest, quiet = base + dt.timedelta(days=21), local_day(end)
        candidates = sorted(
            {
                day
                for day in (rules.add_months(today + dt.timedelta(days=n), -p.interval) for n in offsets)
                if earliest < day < quiet
                and self.clock.workday(day) == day
                and (rules.add_months(day, p.interval) - today).days in offsets
            }
        )
        if settled or not candidates:
            return
        days = [self.rng.choice(candidates)]
        while (day := self.clock.workday(rules.add_months(days[0], -p.interval))) > earliest:
            days.insert(0, day)
        for day in days:
            self.revise(p, day, self.clock.at(day, self.rng))

    def extend(self, p: Progress, end: dt.datetime) -> None:
        """A 住居確保給付金 whose months ran out while support went on was extended once,
        asked for before the paid period ended."""
        if p.officer is None:
            return
        for decision in p.cycle_decisions:
            if decision.programme != Programme.HOUSING_BENEFIT or decision.ends_on >= self.clock.today:
                continue
            rule = rules.rule_for(decision.programme)
            requested = self.clock.workday(decision.ends_on - dt.timedelta(days=self.rng.randint(7, 14)))
            decided = min(
                self.clock.next_workday(requested + dt.timedelta(days=self.rng.randint(2, 5))), decision.ends_on
            )
            new_end = rules.latest_end(decision.ends_on + dt.timedelta(days=1), rule.extension_months)
            extensions = p.extensions[id(decision)]
            errors = rules.extension_errors(
                decision.programme, p.current_end(decision), len(extensions), requested, new_end
            )
            if errors or requested <= decision.decided_on or decided >= local_day(end):
                continue
            at = self.clock.at(decided, self.rng)
            extension = DecisionExtension(
                decision=decision,
                requested_on=requested,
                decided_on=decided,
                new_ends_on=new_end,
                decided_by=p.officer,
                recorded_at=at,
            )
            self.extensions.append(extension)
            extensions.append(extension)
            changes = {"extended_to": str(new_end)}
            self.audit(p, at, p.officer, Action.CHANGE, "sheets.supportdecision", decision.code, changes)
            detail = f"支援決定の延長: {decision.get_programme_display()} 〜{new_end}"
            self.entry(p, at, p.officer, TimelineKind.SHEET, detail)

    def evaluate(self, p: Progress, moved_at: dt.datetime, started: dt.datetime, following: "Step | None") -> None:
        """The evaluation of the agreed plan, saved just before the case moved to 評価."""
        plan = p.agreed_plan()
        if plan is None:
            raise ValueError(f"Case {p.case.code} reaches 評価 without an agreed plan.")
        replan = following is not None and following.to == S.PLAN_DRAFT
        text: EvaluationText | None = p.text.replan_evaluation if replan else p.text.closure
        if text is None:
            raise LookupError(f"No evaluation text for the story {p.written.plan.story.key!r}.")
        at = max(started + 2 * MINUTE, moved_at - self.rng.randint(5, 20) * MINUTE)
        scores = {
            f"{name}_{when}": pair[index]
            for (name, _label), pair in zip(CONDITIONS, text.scores, strict=True)
            for index, when in enumerate(("before", "after"))
        }
        sheet = EvaluationSheet(
            code=self.code(),
            case=p.case,
            version=self.next_version(p, EvaluationSheet),
            recorded_at=at,
            recorded_by=p.worker,
            plan=plan,
            evaluated_on=local_day(at),
            outcome=Outcome.REPLAN if replan else Outcome.CLOSURE,
            reason=fill(text.reason, p.values),
            **scores,
        )
        self.evaluations.append(sheet)
        for index, item in enumerate(p.items[id(plan)]):
            attainment, comment = text.attainments[index] if index < len(text.attainments) else (Attainment.PARTLY, "")
            self.attainments.append(
                GoalAttainment(evaluation=sheet, plan_item=item, attainment=attainment, comment=fill(comment, p.values))
            )
        self.log_version(p, sheet, p.evaluation)
        p.evaluation = sheet
        if p.review is not None:
            self.done(p, p.review, at + MINUTE, p.worker)
            p.review = None
        if replan or p.worker.is_chief:
            return
        # Only the chief closes a case: the evaluation asks for it (as the app does).
        chief = self.loader.chief_of(p.town)
        approval = Task(
            code=self.code(),
            case=p.case,
            title=APPROVAL_TITLE.format(version=sheet.version),
            kind=TaskKind.CLOSURE_APPROVAL,
            due_on=local_day(at) + dt.timedelta(days=7),
            assignee=chief,
            created_by=p.worker,
            created_at=at,
        )
        p.tasks.append(approval)
        if following is not None and following.to == S.CLOSED:
            self.done(p, approval, following.at + MINUTE, chief)

    # -- helpers -----------------------------------------------------------------------

    def done(self, p: Progress, task: Task, at: dt.datetime, by: Staff) -> None:
        task.done_at, task.done_by = at, by
        self.entry(p, at, by, TimelineKind.TASK_DONE, task.title, shared=False)
        self.audits.append((at, by, Action.CHANGE, task, {"changes": {"done": True}}))

    def log_version(self, p: Progress, sheet: SheetVersion, previous: SheetVersion | None) -> None:
        """The audit entry and the timeline line the app writes with every version."""
        model = type(sheet)
        changes = {
            name: [str(getattr(previous, name)) if previous else "", str(getattr(sheet, name))]
            for name in model.CONTENT_FIELDS
            if previous is None or getattr(previous, name) != getattr(sheet, name)
        }
        action = Action.CHANGE if previous else Action.CREATE
        self.audit(p, sheet.recorded_at, p.worker, action, model._meta.label_lower, sheet.code, changes)
        detail = f"{model._meta.verbose_name} 第{sheet.version}版"
        self.entry(p, sheet.recorded_at, p.worker, TimelineKind.SHEET, detail, shared=False)

    def audit(
        self,
        p: Progress,
        at: dt.datetime,
        actor: Staff,
        action: str,
        object_type: str,
        code: uuid.UUID,
        changes: dict[str, Any],
    ) -> None:
        details = {"object_type": object_type, "object_code": str(code), "changes": changes}
        self.audits.append((at, actor, action, p.case, details))

    def entry(self, p: Progress, at: dt.datetime, actor: Staff, kind: str, detail: str, *, shared: bool = True) -> None:
        self.entries.append(TimelineEntry(case=p.case, at=at, kind=kind, actor=actor, detail=detail, shared=shared))
        p.latest = max(p.latest or at, at)

    def next_version(self, p: Progress, model: type[models.Model]) -> int:
        p.versions[model] += 1
        return p.versions[model]

    def within(self, start: dt.datetime, end: dt.datetime, margin: dt.timedelta, days: int = 0) -> dt.datetime:
        """A moment in office hours strictly between two moments (within `days` of the
        first, if given), keeping `margin` from both ends, or a fifth of the time between
        them when they are close."""
        margin = min(margin, (end - start) / 5)
        latest = end - margin
        if days:
            latest = min(latest, start + dt.timedelta(days=days))
        return self.between(start + margin, latest)

    def between(self, start: dt.datetime, end: dt.datetime) -> dt.datetime:
        """A moment in office hours between two moments, never in the future."""
        latest = self.clock.now - 5 * MINUTE
        return min(self.loader.moment_between(start, min(end, latest)), latest)

    def code(self) -> uuid.UUID:
        return uuid.UUID(int=self.rng.getrandbits(128), version=4)

    @staticmethod
    def agency(town: "Town", key: str) -> Agency:
        """The agency of the town; in a town without it, one of the same kind, else its
        social welfare council, else its centre."""
        if key == "centre":
            return town.centre
        if key in town.agencies:
            return town.agencies[key]
        kind = AGENCY_KINDS.get(key)
        for wanted in (kind, AgencyKind.SOCIAL_WELFARE_COUNCIL):
            found = next((a for a in town.agencies.values() if a.kind == wanted), None)
            if found is not None:
                return found
        return town.centre

    @staticmethod
    def worker_name(p: Progress, who: str, key: str, agency: Agency) -> str:
        if who == "worker":
            return str(p.worker)
        if who in ("employment", "partner", "officer"):
            staff = p.town.staff.get(who)
            return str(staff) if staff is not None else (str(p.worker) if who == "employment" else "")
        # A contact's name belongs to the agency named in the text, not to a stand-in.
        return who if key in p.town.agencies else ""
