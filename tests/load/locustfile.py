"""50 simulated users on the demo: advisers (their caseload, search, cases, notes), participants (My path, their
loan) and managers (the outcomes dashboard, the portfolio, the programme's case list).

Run by tests/load/run_load.py (locust in its own venv: requirements-load.txt). Any 5xx is a failure named "5xx".
"""

from __future__ import annotations

import random
import re

from locust import HttpUser, between, task

PASSWORD = "neem-demo-2026"  # noqa: S105 - the published demo password
CASE_LINK = re.compile(r'href="/cases/(\d+)/"')
LOAN_LINK = re.compile(r'href="/my/loans/(\d+)/"')
TOKEN = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')


class NeemUser(HttpUser):
    abstract = True
    wait_time = between(0.5, 2)
    emails: list[str] = []

    def on_start(self):
        page = self.client.get("/accounts/login/", name="/accounts/login/")
        token = TOKEN.search(page.text).group(1)
        email = random.choice(self.emails)  # noqa: S311
        with self.client.post(
            "/accounts/login/",
            data={"login": email, "password": PASSWORD, "csrfmiddlewaretoken": token},
            allow_redirects=False,
            catch_response=True,
            name="login",
        ) as response:
            if response.status_code != 302:
                response.failure(f"login of {email}: {response.status_code}")

    def page(self, url: str, name: str | None = None):
        with self.client.get(url, name=name or url, catch_response=True) as response:
            if response.status_code >= 500:
                response.failure("5xx")
            elif response.status_code != 200:
                response.failure(f"{response.status_code}")
            return response


class Adviser(NeemUser):
    weight = 3
    emails = [
        "adviser.stockholm@example.com",
        "adviser2.stockholm@example.com",
        "adviser.vasteras@example.com",
        "adviser.orebro@example.com",
    ]
    cases: list[str] = []

    @task(4)
    def caseload(self):
        response = self.page("/cases/")
        self.cases = CASE_LINK.findall(response.text) or self.cases

    @task(2)
    def search(self):
        self.page(f"/cases/?q={random.choice('aeiou')}", name="/cases/?q=")  # noqa: S311

    @task(4)
    def case(self):
        if self.cases:
            self.page(f"/cases/{random.choice(self.cases)}/", name="/cases/[id]/")  # noqa: S311

    @task(1)
    def today(self):
        self.page("/today/")

    @task(1)
    def note(self):
        if not self.cases:
            return
        pk = random.choice(self.cases)  # noqa: S311
        page = self.page(f"/cases/{pk}/", name="/cases/[id]/")
        token = TOKEN.search(page.text)
        if not token:
            return
        with self.client.post(
            f"/cases/{pk}/notes/",
            data={"text": "Load test: called her about the budget.", "csrfmiddlewaretoken": token.group(1)},
            allow_redirects=False,
            catch_response=True,
            name="/cases/[id]/notes/",
        ) as response:
            if response.status_code >= 500:
                response.failure("5xx")
            elif response.status_code not in (302, 403):  # a colleague's case: read-only (403) is right
                response.failure(f"{response.status_code}")
            else:
                response.success()


class Participant(NeemUser):
    weight = 2
    emails = ["participant@example.com", "borrower@example.com"]

    @task(3)
    def my_path(self):
        response = self.page("/my/")
        loans = LOAN_LINK.findall(response.text)
        if loans:
            self.page(f"/my/loans/{loans[0]}/", name="/my/loans/[id]/")

    @task(1)
    def credit_history(self):
        with self.client.get("/my/credit-history/", catch_response=True) as response:
            if response.status_code >= 500:
                response.failure("5xx")
            else:  # 404 for her without a loan
                response.success()


class Manager(NeemUser):
    weight = 1
    emails = ["manager@example.com", "lead.stockholm@example.com"]

    @task(2)
    def dashboard(self):
        with self.client.get("/outcomes/", catch_response=True) as response:
            if response.status_code >= 500:
                response.failure("5xx")
            elif response.status_code not in (200, 403):  # a region lead may not read outcomes
                response.failure(f"{response.status_code}")
            else:
                response.success()

    @task(2)
    def portfolio(self):
        self.page("/portfolio/")

    @task(2)
    def cases(self):
        self.page("/cases/?all=1&page=2", name="/cases/?page=")
