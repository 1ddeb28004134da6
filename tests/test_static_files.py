"""Our own static files are whole: a stylesheet with an unclosed block silently drops
every rule after it (a merge once lost three closing braces and the search page's desktop
layout with them)."""

from __future__ import annotations

from pathlib import Path

import pytest

STATIC = Path(__file__).resolve().parents[1] / "static"
OWN_STYLESHEETS = sorted((STATIC / "css").glob("*.css"))


@pytest.mark.parametrize("path", OWN_STYLESHEETS, ids=lambda path: path.name)
def test_every_block_of_our_stylesheets_is_closed(path):
    depth = 0
    for number, line in enumerate(path.read_text().splitlines(), 1):
        assert not line.startswith(("<<<<<<<", "=======", ">>>>>>>")), f"line {number}"
        depth += line.count("{") - line.count("}")
        assert depth >= 0, f"{path.name}:{number} closes a block that is not open"
        if line and not line[0].isspace() and depth == 1 and line.startswith("/*"):
            pytest.fail(f"{path.name}:{number}: a section starts inside an open block")
    assert depth == 0, f"{path.name} leaves {depth} block(s) open"
