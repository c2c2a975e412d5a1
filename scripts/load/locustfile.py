"""The load test's users (``scripts/load-test``): a weighted mix of the demo's people working.

Every page is loaded as a browser loads it: the page, then what its scripts fetch at once —
the counts beside the navigation's entries (``static/js/inbox-count.js``: the to-do list and
the unread notifications) and, on the home page, its fragments (``static/js/home-cards.js``).

- staff (weight 8): up to ``LOAD_SESSIONS`` (default 20) of the demo account managers
  ``k10001`` … (``LOAD_STAFF`` in all), signed in with the password form: home page, my KPI,
  the certification page, my eligibility in the open cycle, the to-do list and my training
  records through the API;
- committee member (weight 1): the ``committee`` login: the committee queue, a candidate's
  sheet page, and saving a scoring sheet through the API (with an API token);
- HR (weight 1): the ``hr`` login, signed in once with password and authenticator code (the
  demo's fixed TOTP key) and shared by every HR user: the cycle board, team KPI, search and the
  staff and applications API lists.

Everyone signs in before the timed run starts (:func:`sign_in_everyone`), so the figures are
those of the work, not of the password hash.

Every request goes to the loopback address the script started gunicorn on, as the
TLS-terminating proxy would forward it (``X-Forwarded-Proto: https``). The production profile's
cookies are ``Secure``, so the session cookie is sent by hand over plain HTTP. A request that
answers an error, or lands on the sign-in page, counts as a failure.
"""

import base64
import hashlib
import hmac
import html as markup
import os
import random
import re
import struct
import time
from email.utils import parsedate_to_datetime
from http.cookiejar import DefaultCookiePolicy

import cpu
import requests
from gevent.pool import Pool
from locust import FastHttpUser, between, events, task

PASSWORD = os.environ.get("LOAD_PASSWORD", "Demo@2026")
HR_TOTP_KEY = os.environ.get("LOAD_HR_TOTP_KEY", "JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP")
STAFF = int(os.environ.get("LOAD_STAFF", "300"))
CSRF = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')
# The home page's slots, each filled by its fragment (static/js/home-cards.js).
HOME_FRAGMENT = re.compile(r'data-home-fragment="([^"]+)"')
# The counts beside the navigation's entries, each read from its API (static/js/inbox-count.js).
NAV_COUNT = re.compile(r'data-inbox-count="([^"]+)"')
# How many fragments a browser fetches at once (its connections per host over HTTP/1.1).
BROWSER_CONNECTIONS = 6
PROXY = {"X-Forwarded-Proto": "https", "Accept-Language": "zh-hans"}
shared: dict[str, str] = {}
staff_sessions: list[str] = []


def totp(key: str, at: float) -> str:
    """The authenticator code (RFC 6238) at the instant ``at``."""
    digest = hmac.new(base64.b32decode(key), struct.pack(">Q", int(at) // 30), hashlib.sha1)
    raw = digest.digest()
    offset = raw[-1] & 0x0F
    return f"{(struct.unpack('>I', raw[offset : offset + 4])[0] & 0x7FFFFFFF) % 10**6:06d}"


def sign_in(session, host: str, username: str, *, totp_key: str = "") -> str:
    """Sign in through the forms (and the second factor); the ``Cookie`` header to send."""
    jar: dict[str, str] = {}

    def post(path: str, data: dict, page: str) -> requests.Response:
        token = CSRF.search(page).group(1)
        headers = {**PROXY, "Referer": f"https://{host.split('//', 1)[1]}{path}"}
        headers["Cookie"] = "; ".join(f"{k}={v}" for k, v in jar.items())
        response = session.post(
            host + path,
            data={**data, "csrfmiddlewaretoken": token},
            headers=headers,
            allow_redirects=False,
        )
        jar.update(response.cookies.get_dict())
        return response

    def get(path: str) -> requests.Response:
        cookie = "; ".join(f"{k}={v}" for k, v in jar.items())
        response = session.get(
            host + path,
            headers={**PROXY, "Cookie": cookie},
            allow_redirects=False,
        )
        jar.update(response.cookies.get_dict())
        return response

    login = get("/accounts/login/")
    answer = post("/accounts/login/", {"username": username, "password": PASSWORD}, login.text)
    if answer.status_code != 302 or "sessionid" not in jar:
        raise RuntimeError(f"{username} could not sign in ({answer.status_code})")
    if totp_key:
        verify = get("/accounts/two-factor/verify/")
        at = parsedate_to_datetime(verify.headers["Date"]).timestamp()
        answer = post(
            "/accounts/two-factor/verify/", {"otp_token": totp(totp_key, at)}, verify.text
        )
        if answer.status_code != 302:
            raise RuntimeError(f"{username}: the authenticator code was refused")
    return "; ".join(f"{k}={v}" for k, v in jar.items())


@events.test_start.add_listener
def cpu_before(environment, **kwargs):
    """The machine's CPU counters as the timed run starts (``cpu.py``), after signing in."""
    if os.environ.get("LOAD_CPU_DIR"):
        cpu.snapshot(os.path.join(os.environ["LOAD_CPU_DIR"], "cpu-before.json"))


@events.test_stop.add_listener
def cpu_after(environment, **kwargs):
    """The same counters as the run stops, while every process of the run is still alive."""
    if os.environ.get("LOAD_CPU_DIR"):
        cpu.snapshot(os.path.join(os.environ["LOAD_CPU_DIR"], "cpu-after.json"))


@events.init.add_listener
def sign_in_everyone(environment, **kwargs):
    """Sign the people in before the timed run starts (locust's ``init``): up to
    ``LOAD_SESSIONS`` staff members (no more than the users; each user takes one session), the
    committee member (and an API token) and HR (password and a TOTP code — a code is accepted
    once, so HR signs in once for every HR user). Signing in costs a deliberately slow password
    hash; it is timed apart, not in the endpoints' table."""
    options = environment.parsed_options
    host = environment.host or options.host
    started = time.monotonic()
    users = min(int(os.environ.get("LOAD_SESSIONS", "20")), options.num_users or 1)
    # Twice as many as needed are tried: the demo company has people who left (their
    # accounts are closed) and people with a password to change; the first who sign in are kept.
    staff = random.sample(range(1, STAFF + 1), min(2 * users, STAFF))

    def staff_session(n: int) -> str | None:
        with requests.Session() as session:
            try:
                return sign_in(session, host, f"k{10000 + n}")
            except RuntimeError:
                return None

    with requests.Session() as session:
        shared["hr"] = sign_in(session, host, "hr", totp_key=HR_TOTP_KEY)
    with requests.Session() as session:
        shared["committee"] = sign_in(session, host, "committee")
        token = session.post(
            host + "/api/v1/auth/token/",
            json={"username": "committee", "password": PASSWORD},
            headers=PROXY,
        )
        token.raise_for_status()
        shared["committee_token"] = token.json()["token"]
    signed_in = [cookie for cookie in Pool(5).map(staff_session, staff) if cookie]
    if not signed_in:
        raise RuntimeError("no demo account manager could sign in")
    staff_sessions.extend(signed_in[:users])
    seconds = time.monotonic() - started
    print(f"signed in {len(staff_sessions) + 2} people in {seconds:.1f} s before the run")


class Person(FastHttpUser):
    """A signed-in person. Locust's ``FastHttpUser`` (geventhttpclient) rather than
    ``HttpUser`` (python-requests): the load generator runs on the machine it measures, and
    the lighter client leaves more of the CPU to the server. Redirects are not followed (an
    answer other than 200 — a redirect to the sign-in page among them — is a failure), and
    the session cookie is sent by hand, so the client's own cookie jar is kept empty."""

    abstract = True
    wait_time = between(0.5, 2)
    concurrency = BROWSER_CONNECTIONS
    cookie = ""

    def __init__(self, environment):
        super().__init__(environment)
        self.client.cookiejar.set_policy(DefaultCookiePolicy(allowed_domains=[]))

    def headers(self, **more) -> dict:
        return {**PROXY, "Cookie": self.cookie, **more}

    def page(self, path: str, name: str | None = None) -> str:
        """A page as a browser loads it: the page, then the navigation's counts and (on the
        home page) its fragments, several at once, as its scripts ask for them."""
        with self.client.get(
            path,
            headers=self.headers(),
            name=name or path,
            catch_response=True,
            allow_redirects=False,
        ) as response:
            if response.status_code != 200:
                response.failure(f"{response.status_code}")
            text = response.text or ""
        then = [(self.nav_count, markup.unescape(url)) for url in NAV_COUNT.findall(text)]
        then += [(self.fragment, url) for url in HOME_FRAGMENT.findall(text)]
        Pool(BROWSER_CONNECTIONS).map(lambda call: call[0](call[1]), then)
        return text

    def home(self) -> None:
        """The home page: the frame, then its fragments (the to-do summary, each app's
        cards) and the navigation's counts."""
        self.page("/", name="home /")

    def fragment(self, path: str) -> None:
        with self.client.get(
            path,
            headers=self.headers(**{"X-Fragment": "1"}),
            name=path,
            catch_response=True,
            allow_redirects=False,
        ) as response:
            if response.status_code != 200:
                response.failure(f"{response.status_code}")

    def nav_count(self, url: str) -> None:
        """A count beside a navigation entry, read from its API as the page's script does."""
        self.api(url, name="nav count " + url.split("?", 1)[0], Accept="application/json")

    def api(self, path: str, name: str | None = None, expected=(200,), **headers) -> dict:
        with self.client.get(
            path,
            headers=self.headers(**headers),
            name=name or path,
            catch_response=True,
            allow_redirects=False,
        ) as response:
            if response.status_code in expected and response.status_code != 200:
                response.success()
                return {}
            if response.status_code != 200:
                response.failure(f"{response.status_code}")
                return {}
            return response.json()


class Staff(Person):
    weight = 8

    def on_start(self):
        self.cookie = random.choice(staff_sessions)  # noqa: S311 - not security
        cycles = self.api(
            "/api/v1/certification/cycles/?status=open", name="/api/v1/certification/cycles/"
        )
        self.cycle = cycles["results"][0]["id"] if cycles.get("results") else None

    @task(5)
    def home_page(self):
        self.home()

    @task(3)
    def my_kpi(self):
        self.page("/kpi/")

    @task(2)
    def certification(self):
        self.page("/certification/")

    @task(2)
    def my_eligibility(self):
        if self.cycle:
            # 404 is the answer for someone already at the top of the ladder (no level above)
            self.api(
                f"/api/v1/certification/cycles/{self.cycle}/my-eligibility/",
                name="/api/v1/certification/cycles/[id]/my-eligibility/",
                expected=(200, 404),
            )

    @task(2)
    def inbox(self):
        self.api("/api/v1/inbox/")

    @task(1)
    def my_training_records(self):
        self.api("/api/v1/training/records/")


class Committee(Person):
    weight = 1
    token = ""

    def on_start(self):
        self.cookie = shared["committee"]
        self.token = shared["committee_token"]
        queue = self.page("/certification/committee/")
        self.candidates = sorted(set(re.findall(r"/certification/committee/(\d+)/", queue)))
        submitted = self.api(
            "/api/v1/certification/sheets/?status=submitted&page_size=100",
            name="/api/v1/certification/sheets/",
            Authorization=f"Token {self.token}",
        )
        mine = [s for s in submitted.get("results", []) if s["member_name"] == "committee"]
        done = {s["application"] for s in mine}
        # The candidates whose sheet is still open to the member: saving creates the draft the
        # first time and changes it afterwards (the API's create is "create or change").
        self.open = [int(c) for c in self.candidates if int(c) not in done]

    @task(3)
    def queue(self):
        self.page("/certification/committee/")

    @task(3)
    def sheet_page(self):
        if self.candidates:
            self.page(
                f"/certification/committee/{random.choice(self.candidates)}/",  # noqa: S311
                name="/certification/committee/[application]/",
            )

    @task(2)
    def sheet_save(self):
        if not self.open:
            return
        with self.client.post(
            "/api/v1/certification/sheets/",
            json={
                "application": random.choice(self.open),  # noqa: S311
                "scores": {"defence": str(random.randint(60, 95))},  # noqa: S311
            },
            headers={**PROXY, "Authorization": f"Token {self.token}"},
            name="/api/v1/certification/sheets/ POST",
            catch_response=True,
        ) as response:
            if response.status_code != 201:
                response.failure(f"{response.status_code}: {response.text[:200]}")


class HR(Person):
    weight = 1

    def on_start(self):
        self.cookie = shared["hr"]
        cycles = self.api("/api/v1/certification/cycles/", name="/api/v1/certification/cycles/")
        self.cycles = [c["id"] for c in cycles.get("results", [])]

    @task(3)
    def cycle_board(self):
        if self.cycles:
            self.page(
                f"/certification/cycles/{random.choice(self.cycles)}/",  # noqa: S311
                name="/certification/cycles/[id]/",
            )

    @task(2)
    def team_kpi(self):
        self.page("/kpi/team/")

    @task(2)
    def search(self):
        self.page(f"/search/?q={random.choice(['王', '李', '张', 'K100'])}", name="/search/?q=")  # noqa: S311

    @task(2)
    def staff_list(self):
        self.api("/api/v1/org/staff/?page_size=50", name="/api/v1/org/staff/")

    @task(1)
    def applications(self):
        self.api("/api/v1/certification/applications/", name="/api/v1/certification/applications/")
