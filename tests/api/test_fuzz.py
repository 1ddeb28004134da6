"""Whatever anyone types into `q`, the API answers 200 or 400, never a server error."""

from __future__ import annotations

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tests.api.helpers import assert_matches

# What full-text query parsers treat as syntax, and what breaks naive quoting.
SYNTAX = ['"', "*", "NEAR(", ":", "&", "|", "!", "(", ")", "-", "'", "\\", "%", "_", "^", "\x00"]
WORDS = ["thai", "john", "wintertime", "upper", "back", "pain", "OR", "AND", "NOT", "NEAR"]

pieces = st.one_of(st.sampled_from(SYNTAX), st.sampled_from(WORDS), st.text(max_size=12))
queries = st.one_of(
    st.text(),
    st.lists(pieces, max_size=30).map(" ".join),
    st.lists(pieces, max_size=30).map("".join),
    # Long: hundreds of pieces, well over a thousand characters.
    st.lists(st.sampled_from(SYNTAX + WORDS), min_size=400, max_size=500).map("".join),
)


@settings(
    max_examples=60,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(q=queries, sort=st.sampled_from(["relevance", "rating"]))
def test_any_q_answers_200_or_400(api, directory, q, sort):
    response = api.get("/api/v1/therapists", query_string={"q": q, "sort": sort})
    assert response.status_code in (200, 400), (q, response.get_data(as_text=True)[:300])
    if response.status_code == 200:
        assert_matches(response.get_json(), "TherapistList")
    else:
        assert response.get_json()["error"]["parameter"] == "q"


def test_long_and_syntax_heavy_queries_answer(api, directory):
    for q in ['"' * 2000, "NEAR(" * 400, "*:&|!" * 400, 'thai "upper back', "john -"]:
        response = api.get("/api/v1/therapists", query_string={"q": q})
        assert response.status_code == 200, q[:40]
