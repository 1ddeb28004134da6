"""Reviews on a clinic's own website: pages for an iframe, an SVG badge, and the console
page that gives the snippets (core.embedding says what makes an embed page different)."""
