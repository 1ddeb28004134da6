"""The review state machine: no way to `published` but a moderator's approval of a
verified review."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

from directory.reviews.models import ReviewState
from directory.reviews.states import TRANSITIONS, IllegalTransition, can_move, move

PACKAGE = Path(__file__).resolve().parents[2] / "directory"
# The only module that may move a review into `published` (through publication.change_state).
PUBLISHERS = {"moderation/services.py"}
# Demo data writes a finished history in bulk, then computes the totals from it.
NOT_APPLICATION_PATHS = ("demo/",)


def reachable(start: ReviewState, *, without: ReviewState | None = None) -> set[ReviewState]:
    seen, frontier = {start}, [start]
    while frontier:
        for target in TRANSITIONS[frontier.pop()]:
            if target != without and target not in seen:
                seen.add(target)
                frontier.append(target)
    return seen


def test_every_state_has_its_transitions_listed():
    assert set(TRANSITIONS) == set(ReviewState)


def test_published_is_reached_from_awaiting_email_only_through_pending():
    assert ReviewState.PUBLISHED in reachable(ReviewState.AWAITING_EMAIL)
    assert ReviewState.PUBLISHED not in reachable(
        ReviewState.AWAITING_EMAIL, without=ReviewState.PENDING
    )


def test_only_pending_leads_directly_to_published():
    into_published = {
        state for state, targets in TRANSITIONS.items() if ReviewState.PUBLISHED in targets
    }
    assert into_published == {ReviewState.PENDING}


def test_pending_is_entered_from_awaiting_email_only_by_the_verification_step():
    # awaiting_email's only ways out are verification (-> pending) and withdrawal.
    assert TRANSITIONS[ReviewState.AWAITING_EMAIL] == {ReviewState.PENDING, ReviewState.WITHDRAWN}


@pytest.mark.parametrize("state", list(ReviewState))
def test_illegal_moves_raise_and_change_nothing(state):
    class Row:
        pass

    for target in ReviewState:
        row = Row()
        row.state = state
        if can_move(state, target):
            assert move(row, target) == state and row.state == target
        else:
            with pytest.raises(IllegalTransition):
                move(row, target)
            assert row.state == state


def _writes_of_published(tree: ast.AST) -> list[int]:
    """Line numbers where ReviewState.PUBLISHED is passed or assigned rather than compared."""
    parents = {child: node for node in ast.walk(tree) for child in ast.iter_child_nodes(node)}
    lines = []
    for node in ast.walk(tree):
        is_published = (
            isinstance(node, ast.Attribute)
            and node.attr == "PUBLISHED"
            and isinstance(node.value, ast.Name)
            and node.value.id == "ReviewState"
        )
        if not is_published:
            continue
        parent = parents[node]
        if isinstance(parent, ast.Compare | ast.Tuple | ast.Set | ast.List):
            continue  # a comparison or a membership test
        if isinstance(parent, ast.Dict) and node in parent.keys:
            continue  # the state machine's own table
        lines.append(node.lineno)
    return lines


def test_only_the_moderation_services_move_a_review_into_published():
    offenders = []
    for path in sorted(PACKAGE.rglob("*.py")):
        relative = path.relative_to(PACKAGE).as_posix()
        if relative in PUBLISHERS or relative.startswith(NOT_APPLICATION_PATHS):
            continue
        for line in _writes_of_published(ast.parse(path.read_text(), str(path))):
            offenders.append(f"{relative}:{line}")
    assert offenders == []
    publisher = (PACKAGE / "moderation/services.py").read_text()
    assert _writes_of_published(ast.parse(publisher))  # the check does find real writes
