"""The HTTP half of ``scripts/smoke-production``: checks a running production server.

Plain standard library (``http.client``), no redirects followed, every request sent as the
TLS-terminating proxy would forward it (``X-Forwarded-Proto: https``). Exits non-zero with the
first failed check.
"""

import base64
import hashlib
import hmac
import html
import http.client
import json
import os
import re
import struct
import sys
import urllib.parse
from email.utils import parsedate_to_datetime

PORT = int(os.environ["SMOKE_PORT"])
HOST = f"127.0.0.1:{PORT}"
USERNAME, PASSWORD = "smoke", os.environ["SMOKE_PASSWORD"]
TOTP_KEY = base64.b32decode(os.environ["SMOKE_TOTP_KEY"])
RECOVERY = os.environ["SMOKE_RECOVERY"]
cookies: dict[str, str] = {}


def totp(key: bytes, at: float, step: int = 30, digits: int = 6) -> str:
    """The authenticator code (RFC 6238) at the instant ``at``, as an app computes it."""
    digest = hmac.new(key, struct.pack(">Q", int(at) // step), hashlib.sha1).digest()
    offset = digest[-1] & 0x0F
    value = struct.unpack(">I", digest[offset : offset + 4])[0] & 0x7FFFFFFF
    return f"{value % 10**digits:0{digits}d}"


def request(method, path, body=None, headers=None):
    conn = http.client.HTTPConnection("127.0.0.1", PORT, timeout=30)
    sent = {"Host": HOST, "X-Forwarded-Proto": "https", **(headers or {})}
    if cookies:
        sent["Cookie"] = "; ".join(f"{k}={v}" for k, v in cookies.items())
    conn.request(method, path, body=body, headers=sent)
    response = conn.getresponse()
    text = response.read().decode("utf-8", "replace")
    for header in response.headers.get_all("Set-Cookie") or []:
        name, value = header.split(";", 1)[0].split("=", 1)
        cookies[name.strip()] = value.strip()
    conn.close()
    return response, text


def check(condition, what):
    if not condition:
        print(f"FAIL: {what}")
        sys.exit(1)
    print(f"ok: {what}")


# 1. The login page: 200, a Content-Security-Policy without inline script, never cached.
r, page = request("GET", "/accounts/login/")
check(r.status == 200, f"login page answers 200 (got {r.status})")
csp = r.headers.get("Content-Security-Policy", "")
script_src = csp.split("script-src", 1)[-1].split(";")[0]
check(
    "script-src 'self'" in csp and "unsafe-inline" not in script_src,
    f"login page has a strict Content-Security-Policy ({csp[:60]}…)",
)
check("no-store" in r.headers.get("Cache-Control", ""), "login page is Cache-Control: no-store")
check(r.headers.get("Strict-Transport-Security", "").startswith("max-age="), "HSTS is sent")

# 2. A static file under its hashed name, served by WhiteNoise with long caching.
css = re.search(r'href="(/static/css/app\.[0-9a-f]{12}\.css)"', page)
check(css is not None, "the page links the hashed app.css (collectstatic ran, manifest used)")
r, _ = request("GET", css.group(1))
check(r.status == 200 and "text/css" in r.headers.get("Content-Type", ""), "hashed CSS is served")
check("max-age=" in r.headers.get("Cache-Control", ""), "static files are cacheable")

# 3. Sign in through the form (CSRF token, secure cookies, Referer as a browser sends it).
token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page).group(1)
form = urllib.parse.urlencode(
    {"username": USERNAME, "password": PASSWORD, "csrfmiddlewaretoken": token}
)
r, _ = request(
    "POST",
    "/accounts/login/",
    form,
    {
        "Content-Type": "application/x-www-form-urlencoded",
        "Referer": f"https://{HOST}/accounts/login/",
    },
)
check(
    r.status == 302 and "sessionid" in cookies, f"login redirects with a session (got {r.status})"
)
# The administrator's second factor: the home page sends to the verification step first.
r, _ = request("GET", "/")
check(
    r.status == 302 and "/accounts/two-factor/verify/" in r.headers.get("Location", ""),
    f"an administrator is asked for the second factor (got {r.status})",
)
r, verify = request("GET", "/accounts/two-factor/verify/")
server_time = parsedate_to_datetime(r.headers["Date"]).timestamp()
token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', verify).group(1)
r, _ = request(
    "POST",
    "/accounts/two-factor/verify/",
    urllib.parse.urlencode(
        # the server's clock, from its Date header: the code it expects
        {"otp_token": totp(TOTP_KEY, server_time), "csrfmiddlewaretoken": token}
    ),
    {
        "Content-Type": "application/x-www-form-urlencoded",
        "Referer": f"https://{HOST}/accounts/two-factor/verify/",
    },
)
check(r.status == 302, f"the authenticator code is accepted (got {r.status})")
r, home = request("GET", "/")
check(r.status == 200, f"home page answers 200 when signed in (got {r.status})")
check("no-store" in r.headers.get("Cache-Control", ""), "signed-in pages are no-store")
check('data-testid="whoami"' in home, "home page shows who is signed in")
r, docs = request("GET", "/api/v1/docs/")
check(r.status == 200, f"Swagger UI answers 200 when signed in (got {r.status})")
check("<script>" not in docs, "Swagger UI has no inline script (the CSP would block it)")
scripts = [html.unescape(src) for src in re.findall(r'<script src="([^"]+)"', docs)]
check(len(scripts) == 3 and "/api/v1/docs/?script=" in scripts, "Swagger UI's scripts are files")
for src in scripts:
    r, _ = request("GET", src)
    check(r.status == 200 and "javascript" in r.headers.get("Content-Type", ""), f"{src} served")

# 4. The API with a token.
cookies.clear()
r, body = request(
    "POST",
    "/api/v1/auth/token/",
    json.dumps({"username": USERNAME, "password": PASSWORD, "otp_token": RECOVERY}),
    {"Content-Type": "application/json"},
)
check(r.status == 200 and "token" in json.loads(body), f"token issued (got {r.status})")
check("expiry" in json.loads(body), "the token has an expiry")
auth = {"Authorization": f"Token {json.loads(body)['token']}", "Accept": "application/json"}
r, body = request("GET", "/api/v1/org/units/", headers=auth)
check(r.status == 200 and "results" in json.loads(body), f"API list with a token (got {r.status})")
check("no-store" in r.headers.get("Cache-Control", ""), "API answers are no-store")

# 5. Anonymous: no schema, the project's own 404, DEBUG off.
r, _ = request("GET", "/api/v1/schema/")
check(r.status in (401, 403), f"the API schema is not public (got {r.status})")
r, body = request("GET", "/no-such-page/")
check(r.status == 404, f"unknown page answers 404 (got {r.status})")
check('data-testid="error-page"' in body, "the 404 is the project's own page")
check("URLconf" not in body and "Traceback" not in body, "DEBUG is off (no technical page)")
