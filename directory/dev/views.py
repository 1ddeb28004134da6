"""The development mailbox: what the local default "sent", with clickable links."""

from __future__ import annotations

from flask import Blueprint, abort, render_template

from directory.core.mail import mail_folder
from directory.core.pagination import Page, page_number
from directory.dev.mailbox import list_messages, read_message

bp = Blueprint("dev", __name__, url_prefix="/dev")

PER_PAGE = 20


@bp.get("/mailbox")
def mailbox():
    folder = mail_folder()
    number = page_number()
    messages, total = (
        list_messages(folder, offset=(number - 1) * PER_PAGE, limit=PER_PAGE) if folder else ([], 0)
    )
    return render_template(
        "dev/mailbox.html",
        folder=folder,
        page=Page(items=messages, number=number, per_page=PER_PAGE, total=total),
    )


@bp.get("/mailbox/<name>")
def message(name: str):
    folder = mail_folder()
    found = read_message(folder, name) if folder else None
    if found is None:
        abort(404)
    return render_template("dev/message.html", message=found)
