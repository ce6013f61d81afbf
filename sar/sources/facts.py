"""What gathering tells intake about a case, for its derived status (sar.cases.facts): the search tasks sent,
still open, and returned without a search statement."""

from __future__ import annotations

from sqlalchemy import select

from sar.cases.facts import GatheringFacts
from sar.cases.models import Case
from sar.extensions import db
from sar.sources.models import SearchTask, TaskStatus

# A failed connector run still needs a search, so its task counts as open.
_OPEN = (TaskStatus.OPEN, TaskStatus.FAILED)


def gathering_facts(case: Case) -> GatheringFacts:
    tasks = db.session.scalars(
        select(SearchTask).where(SearchTask.case_id == case.id, SearchTask.status != TaskStatus.CANCELLED)
    ).all()
    open_tasks = [task for task in tasks if task.status in _OPEN]
    return GatheringFacts(
        tasks_total=len(tasks),
        tasks_open=len(open_tasks),
        returned_without_statement=sum(1 for t in tasks if t.status not in _OPEN and t.statement is None),
        teams_awaited=tuple(sorted({task.team.name for task in open_tasks})),
    )
