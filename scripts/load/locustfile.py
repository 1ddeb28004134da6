"""The visitors of `make load`, for Locust (`locust -f scripts/load/locustfile.py`).

Each simulated visitor comes from a loopback address of its own, keeps its cookies for a
few pages, then leaves; the next one starts afresh from a new address.  What they do, by
share of actions: search 55%, a therapist's profile 30%, compare 5%, write a review 5%,
sign in to a clinic console 5%.  The plan (searches, profiles, accounts) comes from the
JSON file named by LOAD_PLAN; every review the site acknowledged is written, one email
address per line, to LOAD_SUBMITTED, for the lost-write check afterwards.

Any answer of 400 or more is a failure, and so is a page without what it must show.
"""

from __future__ import annotations

import itertools
import json
import os
import random
import re
from datetime import date
from ipaddress import IPv4Address
from pathlib import Path

import urllib3
from locust import HttpUser, between, task
from requests.adapters import HTTPAdapter

urllib3.disable_warnings(urllib3.exceptions.InsecureRequestWarning)  # our own certificate

PLAN = json.loads(Path(os.environ["LOAD_PLAN"]).read_text())
# Line-buffered and open for the whole run: each acknowledged review is on disk at once.
SUBMITTED = open(os.environ["LOAD_SUBMITTED"], "a", buffering=1)  # noqa: SIM115
TOKEN = re.compile(r'name="csrf_token"[^>]*?value="([^"]+)"')
CONSOLE = re.compile(r'href="(/manage/[^/"]+/)"')
# 127.1.0.1 and on: the front door's own checks use 127.0.0.x.
ADDRESSES = (str(IPv4Address("127.1.0.0") + n) for n in itertools.count(1))
REVIEW_NUMBERS = itertools.count(1)
PAGES_PER_VISIT = (3, 12)


class FromAddress(HTTPAdapter):
    """Connections that leave from one loopback address: the visitor's own."""

    def __init__(self, address: str):
        self.address = address
        super().__init__()

    def init_poolmanager(self, *args, **kwargs):
        kwargs["source_address"] = (self.address, 0)
        super().init_poolmanager(*args, **kwargs)


def last_month() -> date:
    today = date.today().replace(day=1)
    return date(today.year - 1, 12, 1) if today.month == 1 else today.replace(month=today.month - 1)


def came_from(page) -> dict[str, str]:
    """The Referer a browser sends with a form's post (checked on every HTTPS post)."""
    return {"Referer": page.url}


class Visitor(HttpUser):
    wait_time = between(0.5, 2.5)

    def on_start(self) -> None:
        self.client.verify = False
        self.arrive()

    def arrive(self) -> None:
        """A new visitor: a new address, no cookies, not signed in."""
        self.client.close()
        self.client.cookies.clear()
        self.address = next(ADDRESSES)
        self.client.mount("https://", FromAddress(self.address))
        self.pages_left = random.randint(*PAGES_PER_VISIT)
        self.console = None

    def page(self, path: str, name: str, must_show: str | None = None, **kwargs):
        """GET or POST (with `data`) a page, failing on any error or a missing text."""
        method = "POST" if "data" in kwargs else "GET"
        with self.client.request(method, path, name=name, catch_response=True, **kwargs) as answer:
            if answer.status_code >= 400:
                answer.failure(f"HTTP {answer.status_code}")
            elif must_show is not None and must_show not in answer.text:
                answer.failure(f"the page does not show {must_show!r}")
            else:
                answer.success()
            return answer

    def token(self, answer) -> str | None:
        found = TOKEN.search(answer.text or "")
        return found.group(1) if found else None

    def step(self) -> None:
        self.pages_left -= 1
        if self.pages_left <= 0:
            self.arrive()

    @task(55)
    def search(self) -> None:
        self.page(random.choice(PLAN["searches"]), "search")
        self.step()

    @task(30)
    def profile(self) -> None:
        self.page(f"/therapists/{random.choice(PLAN['profiles'])}", "profile")
        self.step()

    @task(5)
    def compare(self) -> None:
        for slug in random.sample(PLAN["profiles"], 2):
            shown = self.page(f"/therapists/{slug}", "compare: profile")
            token = self.token(shown)
            if token is None:
                return
            form = {"slug": slug, "csrf_token": token, "next": f"/therapists/{slug}"}
            self.page("/compare/add", "compare: add", data=form, headers=came_from(shown))
        self.page("/compare", "compare: page", must_show="Compare")
        self.step()

    @task(5)
    def review(self) -> None:
        if self.console is not None:
            self.arrive()  # reviews come from clients, not from a clinic's own staff
        slug = random.choice(PLAN["profiles"])
        form_page = self.page(f"/therapists/{slug}/reviews/new", "review: form")
        token = self.token(form_page)
        if token is None:
            return
        email = f"{PLAN['run']}-{next(REVIEW_NUMBERS)}@example.com"
        visit = last_month()
        form = {
            "csrf_token": token,
            "rating": str(random.randint(1, 5)),
            "title": "Helped my upper back",
            "body": "Firm pressure where it was needed, a clear plan, and I slept well after.",
            "visit_month-month": str(visit.month),
            "visit_month-year": str(visit.year),
            "reviewer_name": "Load Visitor",
            "email": email,
        }
        answer = self.page(
            f"/therapists/{slug}/reviews/new",
            "review: submit",
            data=form,
            headers=came_from(form_page),
            must_show=email,
        )
        if answer.ok and email in answer.text:
            SUBMITTED.write(email + "\n")
        self.step()

    @task(5)
    def console_pages(self) -> None:
        if self.console is None:
            account = random.choice(PLAN["accounts"])
            form_page = self.page("/sign-in", "sign-in: form")
            token = self.token(form_page)
            if token is None:
                return
            form = {"csrf_token": token, **account}
            signed_in = self.page(
                "/sign-in",
                "sign-in: submit",
                data=form,
                headers=came_from(form_page),
                must_show="/manage/",
            )
            found = CONSOLE.search(signed_in.text or "")
            if found is None:
                return
            self.console = found.group(1)
        self.page(self.console, "console: dashboard")
        self.page(f"{self.console}reviews", "console: reviews")
        self.step()
