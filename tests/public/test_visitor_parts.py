"""The visitor's own parts of a shared page: cut out when it is stored, put back for each
visitor, and nothing of the visitor who happened to render it left anywhere else."""

from __future__ import annotations

import re

from flask import flash, get_template_attribute, render_template_string, session
from flask_login import login_user

from directory.extensions import db
from directory.public import visitor_parts
from tests.factories import create_clinic, create_therapist, create_user
from tests.public.builders import give_terms, index, publish

SEARCH = "/therapists?specialty=thai"


def test_a_shared_render_sees_the_default_visitor_outside_the_parts(app):
    user = create_user(display_name="Sam Signedin")
    db.session.commit()
    template = (
        "{{ current_user.is_authenticated }}|{{ get_flashed_messages() }}|"
        "{{ visitor_part('account') }}"
    )
    with app.test_request_context("/"):
        login_user(user)
        flash("Saved.", "success")
        shared = visitor_parts.render_shared(lambda: render_template_string(template))
        assert shared is not None
        assert shared.page.startswith("False|[]|")  # the template forgot no one: signed out
        [(kind, args, start, end)] = shared.holes
        assert (kind, args, end) == ("account", [], len(shared.page))
        default = shared.page[start:end]
        assert "Sign in" in default and "Sam Signedin" not in default
        assert session["_flashes"]  # still waiting for this visitor

        own = shared.for_visitor()
        assert own.startswith("False|[]|") and "Sam Signedin" in own


def test_a_page_holding_a_nul_is_not_shared(app):
    with app.test_request_context("/"):
        assert visitor_parts.render_shared(lambda: "text \x00 with a NUL") is None
        assert visitor_parts.render_shared(lambda: "\x000\x00 a marker no part made") is None
        in_a_part = "{{ visitor_part('compare_toggle', 'slug', 'A \\x00 name', '/') }}"
        assert visitor_parts.render_shared(lambda: render_template_string(in_a_part)) is None


def test_a_stored_page_reads_back_as_it_was_stored(app):
    with app.test_request_context("/"):
        shared = visitor_parts.render_shared(
            lambda: render_template_string("<p>{{ visitor_part('messages') }}</p>")
        )
        again = visitor_parts.SharedPage.loads(shared.dumps())
        assert again == shared
        assert again.for_visitor() == "<p></p>"


def test_on_a_shared_search_page_only_the_visitors_therapists_show_as_chosen(redis_app):
    clinic = create_clinic("Bang Rak Thai Massage", city_slug="toronto")
    for name, slug in (("John Wintertime", "john-wintertime"), ("Ann Other", "ann-other")):
        therapist = create_therapist(clinic, name, slug=slug)
        give_terms(therapist, ("thai",))
        publish(therapist, 5, 4)
        index(therapist)
    db.session.commit()
    redis_app.test_client().get(SEARCH)  # rendered and stored

    visitor = redis_app.test_client()
    visitor.post("/compare/add", data={"slug": "ann-other"})
    page = visitor.get(SEARCH).get_data(as_text=True)
    cards = dict(re.findall(r'name="slug" value="([a-z-]+)">.*?(Add|Remove)', page, re.S))
    assert cards == {"john-wintertime": "Add", "ann-other": "Remove"}
    assert 'class="compare-count">1<' in page


def test_a_compare_form_is_the_macros_own_for_any_name(app):
    macro = get_template_attribute(visitor_parts.COMPARE_MACROS, "compare_toggle_form")
    with app.test_request_context("/therapists?q=Compare-Slug-Mark"):
        controls = visitor_parts.compare_controls("/therapists?q=compare-slug")
        for chosen in (False, True):
            for slug, name in [("ann-o-neil", "Ann <b>O'Neil</b> & co"), ("bo", "compare-name")]:
                made = controls.form(slug, name, chosen)
                assert made == str(macro(slug, name, chosen, controls))
                assert "\x00" not in made
