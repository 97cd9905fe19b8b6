"""A local stand-in for GOV.UK Notify's HTTP API, for tests (nothing here can reach Notify).

It serves the three endpoints `notifications-python-client` posts to, on
127.0.0.1 at a free port, in a thread, and checks what a real Notify would
refuse: the JWT in the Authorization header (signed with the API key's secret,
issued for the key's service, at most 30 seconds old), the template ids and
their placeholders, email addresses, UK mobile numbers, and precompiled
letters (a base64 PDF of A4 pages, 1 to 10 of them, with the address inside
Notify's address block and nothing outside the printable area). It records
every accepted notification, and answers errors on demand (`fail_next`).
"""

import base64
import binascii
import io
import json
import re
import threading
import time
import uuid
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import jwt
from pypdf import PdfReader

MM = 72 / 25.4
A4_POINTS = (595, 842)
# Notify's letter specification, in mm from the page's top-left corner.
ADDRESS_BLOCK = {"left": 24.6, "right": 120.0, "top": 39.5, "bottom": 66.3}
PRINTABLE = {"left": 15.0, "right": 195.0, "top": 5.0, "bottom": 292.0}
MAX_LETTER_PAGES = 10
POSTAGES = {"first", "second", "economy", "europe", "rest-of-world"}
EMAIL_RE = re.compile(r"^[^\s@]+@[^\s@]+\.[^\s@]+$")
UK_MOBILE_RE = re.compile(r"^(?:\+44|0044|0)7\d{9}$")
POSTCODE_RE = re.compile(r"^[A-Z]{1,2}[0-9][A-Z0-9]? ?[0-9][A-Z]{2}$")
ERRORS = {
    400: ("BadRequestError", "Bad request"),
    403: ("AuthError", "Invalid token: API key not found"),
    429: (
        "RateLimitError",
        "Exceeded rate limit for key type LIVE of 3000 requests per 60 seconds",
    ),
    500: ("Exception", "Internal server error"),
}


class Refusal(Exception):
    def __init__(self, status, error, message):
        super().__init__(message)
        self.status, self.error, self.message = status, error, message


def _bad(message):
    return Refusal(400, "ValidationError", message)


def letter_text_positions(page):
    """[(text, x mm from left, y mm from top)] of a PDF page's text runs."""
    height = float(page.mediabox.height)
    runs = []

    def visit(text, cm, tm, font_dict, font_size):
        if text.strip():
            x = tm[4] * cm[0] + tm[5] * cm[2] + cm[4]
            y = tm[4] * cm[1] + tm[5] * cm[3] + cm[5]
            runs.append((text.strip(), x / MM, (height - y) / MM))

    page.extract_text(visitor_text=visit)
    return runs


def check_letter(pdf):
    """(pages, address lines) of a precompiled letter, or a Refusal as Notify would give."""
    if not pdf.startswith(b"%PDF"):
        raise _bad("Letter content is not a valid PDF")
    try:
        reader = PdfReader(io.BytesIO(pdf))
        pages = list(reader.pages)
    except Exception:  # noqa: BLE001 - any parse error is a refusal
        raise _bad("Letter content is not a valid PDF") from None
    if not 1 <= len(pages) <= MAX_LETTER_PAGES:
        raise _bad(f"Letter must be 1 to {MAX_LETTER_PAGES} pages, not {len(pages)}")
    for page in pages:
        size = (round(float(page.mediabox.width)), round(float(page.mediabox.height)))
        if size != A4_POINTS:
            raise _bad(f"Letter pages must be A4 portrait, not {size} points")
    runs = letter_text_positions(pages[0])
    outside = [
        text
        for text, x, y in runs
        if not (PRINTABLE["left"] <= x <= PRINTABLE["right"])
        or not (PRINTABLE["top"] <= y <= PRINTABLE["bottom"])
    ]
    if outside:
        raise _bad(f"Content is outside the printable area: {outside[0]!r}")
    address = [
        text
        for text, x, y in runs
        if ADDRESS_BLOCK["left"] <= x <= ADDRESS_BLOCK["right"]
        and ADDRESS_BLOCK["top"] <= y <= ADDRESS_BLOCK["bottom"]
    ]
    if not 3 <= len(address) <= 7:
        raise _bad(f"The address block must have 3 to 7 lines, not {len(address)}: {address}")
    if not POSTCODE_RE.match(address[-1].upper()):
        raise _bad(f"The last line of the address must be a UK postcode, not {address[-1]!r}")
    return len(pages), address


class FakeNotify:
    """Start with `start()`; `url` and `api_key` go into the settings; `sent` lists what came."""

    EMAIL_TEMPLATE = "f33517ff-2a88-4f6e-b855-c550268ce08a"
    SMS_TEMPLATE = "289ee8a5-6b0b-4f1a-a4c8-1b7c0e0d3a11"
    TEMPLATES = {EMAIL_TEMPLATE: ("email", {"subject", "body"}), SMS_TEMPLATE: ("sms", {"body"})}

    def __init__(self):
        self.service_id = str(uuid.uuid4())
        self.secret = str(uuid.uuid4())
        self.api_key = f"coproduce_test-{self.service_id}-{self.secret}"
        self.sent = []
        self.requests = 0
        self._failures = []
        self._lock = threading.Lock()
        self._server = None

    # Control from tests

    def start(self):
        self._server = ThreadingHTTPServer(("127.0.0.1", 0), self._handler())
        self._server.daemon_threads = True
        threading.Thread(target=self._server.serve_forever, daemon=True).start()
        return self

    def stop(self):
        self._server.shutdown()
        self._server.server_close()

    @property
    def url(self):
        return f"http://127.0.0.1:{self._server.server_address[1]}"

    def fail_next(self, status, times=1):
        """Answer the next `times` requests with `status` (400, 403, 429 or 500)."""
        with self._lock:
            self._failures.extend([status] * times)

    def of_type(self, kind):
        return [n for n in self.sent if n["type"] == kind]

    # Serving

    def _handler(self):
        fake = self

        class Handler(BaseHTTPRequestHandler):
            def log_message(self, *args):
                pass

            def do_POST(self):  # noqa: N802 - http.server's name
                length = int(self.headers.get("Content-Length") or 0)
                raw = self.rfile.read(length)
                status, body = fake.answer(self.path, self.headers, raw)
                data = json.dumps(body).encode()
                self.send_response(status)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(data)))
                self.end_headers()
                self.wfile.write(data)

        return Handler

    def answer(self, path, headers, raw):
        with self._lock:
            self.requests += 1
            injected = self._failures.pop(0) if self._failures else None
        try:
            self._check_token(headers.get("Authorization", ""))
            if injected:
                raise Refusal(injected, *ERRORS[injected])
            kind = {
                "/v2/notifications/email": "email",
                "/v2/notifications/sms": "sms",
                "/v2/notifications/letter": "letter",
            }.get(path)
            if kind is None:
                raise Refusal(404, "NotFound", f"No such endpoint: {path}")
            try:
                payload = json.loads(raw)
            except ValueError:
                raise _bad("The request body is not JSON") from None
            record = getattr(self, f"_{kind}")(payload)
        except Refusal as refusal:
            body = {
                "status_code": refusal.status,
                "errors": [{"error": refusal.error, "message": refusal.message}],
            }
            return refusal.status, body
        record.update(type=kind, id=str(uuid.uuid4()), reference=payload.get("reference"))
        with self._lock:
            self.sent.append(record)
        return 201, {"id": record["id"], "reference": record["reference"]}

    def _check_token(self, header):
        if not header.startswith("Bearer "):
            raise Refusal(401, "AuthError", "Unauthorized: authentication token must be provided")
        token = header[len("Bearer ") :]
        try:
            if jwt.get_unverified_header(token).get("typ") != "JWT":
                raise Refusal(403, "AuthError", "Invalid token: type is not JWT")
            claims = jwt.decode(token, key=self.secret, algorithms=["HS256"])
        except jwt.InvalidTokenError:
            raise Refusal(
                403, "AuthError", "Invalid token: signature, api token not found"
            ) from None
        if claims.get("iss") != self.service_id:
            raise Refusal(403, "AuthError", "Invalid token: service not found")
        if abs(time.time() - int(claims.get("iat", 0))) > 30:
            raise Refusal(
                403, "AuthError", "Error: Your system clock must be accurate to within 30 seconds"
            )

    def _template(self, payload, kind):
        template = self.TEMPLATES.get(payload.get("template_id"))
        if template is None or template[0] != kind:
            raise _bad("Template not found")
        personalisation = payload.get("personalisation") or {}
        missing = sorted(template[1] - set(personalisation))
        if missing:
            raise _bad(f"Missing personalisation: {', '.join(missing)}")
        return personalisation

    def _email(self, payload):
        personalisation = self._template(payload, "email")
        address = payload.get("email_address") or ""
        if not EMAIL_RE.match(address):
            raise _bad("email_address Not a valid email address")
        return {"to": address, "personalisation": personalisation}

    def _sms(self, payload):
        personalisation = self._template(payload, "sms")
        number = re.sub(r"[\s()\-]", "", payload.get("phone_number") or "")
        if not UK_MOBILE_RE.match(number):
            raise _bad("phone_number Not a UK mobile number")
        return {"to": payload["phone_number"], "personalisation": personalisation}

    def _letter(self, payload):
        if not payload.get("reference"):
            raise _bad("reference is a required property")
        postage = payload.get("postage", "second")
        if postage not in POSTAGES:
            raise _bad(f"postage invalid. It must be one of {sorted(POSTAGES)}")
        try:
            pdf = base64.b64decode(payload.get("content") or "", validate=True)
        except binascii.Error:
            raise _bad("Letter content is not a valid base64 string") from None
        pages, address = check_letter(pdf)
        return {"pdf": pdf, "pages": pages, "address": address, "postage": postage}


def main():
    """Serve the fake for a development server: `python -m tests.notify_fake [port]`."""
    import sys

    fake = FakeNotify()
    port = int(sys.argv[1]) if len(sys.argv) > 1 else 0
    fake._server = ThreadingHTTPServer(("127.0.0.1", port), fake._handler())
    print(f"export NOTIFY_BASE_URL={fake.url}")
    print(f"export NOTIFY_API_KEY={fake.api_key}")
    print(f"export NOTIFY_EMAIL_TEMPLATE_ID={FakeNotify.EMAIL_TEMPLATE}")
    print(f"export NOTIFY_SMS_TEMPLATE_ID={FakeNotify.SMS_TEMPLATE}", flush=True)
    fake._server.serve_forever()


if __name__ == "__main__":
    main()
