"""Names are found by how they look, the same way on both backends."""

from __future__ import annotations

import pytest

from directory.extensions import db
from directory.search.trigrams import NAME_MATCH, similarity
from directory.therapists import services as therapists
from tests.factories import create_clinic
from tests.search.conftest import run


def listed(name: str) -> None:
    therapist = therapists.create_therapist(create_clinic(), therapists.TherapistProfile(name=name))
    therapists.publish(therapist)
    db.session.commit()


@pytest.mark.parametrize(
    ("name", "typed"),
    [
        ("Sarah Lindqvist", "sara lindqvist"),
        ("John Ng", "jon ng"),
        ("Bo Li", "bo lee"),
        ("Al Smith", "al smyth"),
    ],
)
def test_a_misspelt_name_is_found(app, name, typed):
    assert similarity(name, typed) >= NAME_MATCH
    listed(name)
    listed("Someone Else")
    results = run(q=typed)
    assert [hit.name for hit in results.hits] == [name]
    assert results.hits[0].name_matched
