"""Fields that answer people, not developers: WTForms' parse and choice messages never show."""

from __future__ import annotations

import importlib
import pkgutil

import pytest
from werkzeug.datastructures import MultiDict
from wtforms import Form
from wtforms.fields import (
    DateField,
    DateTimeField,
    DecimalField,
    FloatField,
    IntegerField,
    SelectChoice,
    SelectFieldBase,
    SelectMultipleField,
    TimeField,
)
from wtforms.fields import MonthField as LibraryMonthField
from wtforms.fields.core import UnboundField
from wtforms.validators import NumberRange, Optional

import directory
from directory.core.forms import (
    CHOOSE_LISTED,
    ChoiceField,
    DayField,
    HumanMessages,
    MultiCheckboxField,
    NumberField,
    PageForm,
    RadioChoiceField,
    WholeNumberField,
)

# What WTForms 3 says when it cannot read or match a value; none of it is for users.
LIBRARY_MESSAGES = [
    "Invalid Choice: could not coerce.",
    "Not a valid choice.",
    "Invalid choice(s): one or more data inputs could not be coerced.",
    "is not a valid choice for this field",
    "are not valid choices for this field",
    "Not a valid integer value.",
    "Not a valid float value.",
    "Not a valid decimal value.",
    "Not a valid date value.",
]
# WTForms' fields whose parse or choice errors carry one of those messages.
LIBRARY_FIELDS = (
    SelectFieldBase,
    IntegerField,
    FloatField,
    DecimalField,
    DateField,
    DateTimeField,
    TimeField,
    LibraryMonthField,
)
COLOURS = [SelectChoice("1", "Red"), SelectChoice("2", "Green")]


class SampleForm(Form):
    colour = ChoiceField(choices=COLOURS, coerce=int)
    size = ChoiceField(
        choices=[SelectChoice("s", "Small")], invalid_message="Choose one of the sizes."
    )
    shape = RadioChoiceField(choices=[SelectChoice("round", "Round")])
    toppings = MultiCheckboxField(choices=COLOURS, coerce=int)
    count = WholeNumberField(validators=[Optional(), NumberRange(0, 100)])
    latitude = NumberField(validators=[Optional()])
    day = DayField()


def as_list(value) -> list:
    return value if isinstance(value, list) else [value]


@pytest.mark.parametrize(
    ("field", "value", "message"),
    [
        ("colour", "abc", CHOOSE_LISTED),  # cannot be coerced to int
        ("colour", "3", CHOOSE_LISTED),  # coerced, but not among the choices
        ("size", "xl", "Choose one of the sizes."),  # the field's own wording
        ("shape", "square", CHOOSE_LISTED),
        ("toppings", ["1", "x"], "Choose only from the listed options."),
        ("toppings", ["1", "9"], "Choose only from the listed options."),
        ("count", "twelve", "Enter a whole number, like 45."),
        ("count", "1.5", "Enter a whole number, like 45."),  # alone: not also its range
        ("count", "101", "Number must be between 0 and 100."),  # readable: checked as usual
        ("latitude", "north", "Enter a number, like 43.65."),
        ("day", "31/02/2026", "Enter a date, like 2026-03-01."),
    ],
)
def test_a_value_the_field_cannot_use_gets_a_human_message(field, value, message):
    data = {"colour": "1", "size": "s", "shape": "round", field: value}
    form = SampleForm(MultiDict([(k, v) for k, vs in data.items() for v in as_list(vs)]))
    assert not form.validate()
    assert form.errors[field] == [message]
    assert not any(library in message for library in LIBRARY_MESSAGES)
    assert set(form.errors) == {field}


def test_good_values_pass_untouched():
    form = SampleForm(
        MultiDict(
            [
                ("colour", "2"),
                ("size", "s"),
                ("shape", "round"),
                ("toppings", "1"),
                ("toppings", "2"),
                ("count", "12"),
                ("latitude", "43.65"),
                ("day", "2026-03-01"),
            ]
        )
    )
    assert form.validate(), form.errors
    assert (form.colour.data, form.toppings.data, form.count.data) == (2, [1, 2], 12)


def test_a_blank_optional_number_is_no_value_not_an_error():
    """Browsers post empty inputs as "": Optional() decides, as with WTForms' own fields."""
    blanks = [("count", " "), ("latitude", ""), ("day", "2026-03-01")]
    form = SampleForm(MultiDict([("colour", "1"), ("size", "s"), ("shape", "round"), *blanks]))
    assert form.validate(), form.errors
    assert (form.count.data, form.latitude.data) == (None, None)


def every_form_class() -> list[type[Form]]:
    for module in pkgutil.walk_packages(directory.__path__, "directory."):
        importlib.import_module(module.name)
    found, pending = [], [Form]
    while pending:
        for subclass in pending.pop().__subclasses__():
            pending.append(subclass)
            if subclass.__module__.startswith("directory."):
                found.append(subclass)
    return found


def test_every_form_reads_only_the_posted_form_fields():
    """PageForm never hands a field an uploaded file or a JSON value (see the HTTP walk in
    test_no_server_errors)."""
    forms = every_form_class()
    assert len(forms) > 20
    assert [form for form in forms if not issubclass(form, PageForm)] == []


def test_every_form_uses_fields_with_human_messages():
    checked, offenders = 0, []
    for form_class in every_form_class():
        for name in dir(form_class):
            unbound = getattr(form_class, name)
            if not isinstance(unbound, UnboundField):
                continue
            if not issubclass(unbound.field_class, LIBRARY_FIELDS):
                continue
            checked += 1
            if not issubclass(unbound.field_class, HumanMessages):
                offenders.append(f"{form_class.__module__}.{form_class.__name__}.{name}")
    assert offenders == [], "use the fields of directory.core.forms instead"
    assert checked >= 20  # the walk found the project's choice, number and date fields


def test_the_walk_would_notice_a_library_field():
    class Careless(Form):
        pick = SelectMultipleField(choices=COLOURS)

    assert not issubclass(Careless.pick.field_class, HumanMessages)
    assert issubclass(Careless.pick.field_class, LIBRARY_FIELDS)
