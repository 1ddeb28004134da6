"""Reading a rendered page the way a person would: the messages next to each field."""

from __future__ import annotations

import html
import re


def field_errors(response, field_id: str) -> list[str]:
    """The error messages shown under the field `field_id` (see _macros/forms.html)."""
    pattern = re.compile(
        rf'<small id="{re.escape(field_id)}-error" class="field-error">(.*?)</small>', re.S
    )
    return [html.unescape(text).strip() for text in pattern.findall(response.get_data(True))]
