"""Verdicts: appended, never replaced; a verdict recorded meanwhile is not overwritten."""

import pytest

from workbench.desk import Desk
from workbench.errors import NotFoundError, VerdictConflictError, WorkbenchError
from workbench.models import VerdictLabel
from workbench.verdicts import claim_version, record_verdict, reviewers, verdict_history


@pytest.fixture
def claim(loaded_desk: Desk) -> str:
    return str(loaded_desk.claims().claim_id.iloc[0])


def test_verdicts_are_appended_not_replaced(loaded_desk: Desk, claim: str) -> None:
    ledger = loaded_desk.ledger
    record_verdict(ledger, claim, VerdictLabel.DISPUTED, "amal", "one source")
    record_verdict(ledger, claim, VerdictLabel.CORROBORATED, "ben", "two sources", [claim])
    history = verdict_history(ledger, claim)
    assert [(v.reviewer, v.label, v.evidence) for v in history] == [
        ("amal", VerdictLabel.DISPUTED, ()),
        ("ben", VerdictLabel.CORROBORATED, (claim,)),
    ]
    assert claim_version(ledger, claim) == 2 and reviewers(ledger) == ["amal", "ben"]


def test_a_verdict_recorded_since_the_reviewer_looked_is_not_overwritten(
    loaded_desk: Desk, claim: str
) -> None:
    ledger = loaded_desk.ledger
    seen = claim_version(ledger, claim)
    record_verdict(ledger, claim, VerdictLabel.DISPUTED, "amal", seen_version=seen)
    with pytest.raises(VerdictConflictError, match="amal recorded 'disputed'"):
        record_verdict(ledger, claim, VerdictLabel.CORROBORATED, "ben", seen_version=seen)
    assert [v.reviewer for v in verdict_history(ledger, claim)] == ["amal"]
    record_verdict(ledger, claim, VerdictLabel.CORROBORATED, "ben", seen_version=seen + 1)
    assert claim_version(ledger, claim) == 2


def test_a_verdict_needs_a_reviewer_and_a_known_claim(loaded_desk: Desk, claim: str) -> None:
    with pytest.raises(WorkbenchError, match="reviewer's name"):
        record_verdict(loaded_desk.ledger, claim, VerdictLabel.DISPUTED, "  ")
    with pytest.raises(NotFoundError, match="no-such-claim"):
        record_verdict(loaded_desk.ledger, "no-such-claim", VerdictLabel.DISPUTED, "amal")
    assert verdict_history(loaded_desk.ledger, claim) == []
