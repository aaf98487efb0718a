"""A local stand-in for GOV.UK Notify's HTTP API, for the tests.

It checks each request as Notify's documented API would: a JWT bearer token (HS256, `iss` the
service id, `iat` within 30 seconds) signed with the key's secret, a JSON body with exactly the
documented fields for POST /v2/notifications/email and /v2/notifications/sms, and a known
template. It can be told to answer the next requests with an error or a rate limit.
"""

from __future__ import annotations

import json
import threading
import uuid
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import jwt

from react_toolkit.timeutil import now

SERVICE_ID = "26785a09-ab16-4eb0-8407-a37497a57506"
SECRET = "3d844edf-8d35-48ac-975b-e847b4f122b0"
API_KEY = f"react_tests-{SERVICE_ID}-{SECRET}"
EMAIL_TEMPLATE = "f33517ff-2a88-4f6e-b855-c550268ce08a"
SMS_TEMPLATE = "8c7e3f0a-43b6-4c5f-9d16-2d1b5bd0a6a4"

FIELDS = {
    "/v2/notifications/email": (
        {"email_address", "template_id"},
        {"personalisation", "reference", "email_reply_to_id", "one_click_unsubscribe_url"},
        EMAIL_TEMPLATE,
    ),
    "/v2/notifications/sms": (
        {"phone_number", "template_id"},
        {"personalisation", "reference", "sms_sender_id"},
        SMS_TEMPLATE,
    ),
}


def _error(status: int, error: str, message: str) -> dict:
    return {"status_code": status, "errors": [{"error": error, "message": message}]}


class FakeNotify:
    def __init__(self) -> None:
        self.accepted: list[dict] = []  # {"path": ..., "body": ...}
        self.refused: list[tuple[int, str]] = []
        self.next_answers: list[int] = []  # statuses to answer with before accepting again
        self.lock = threading.Lock()
        fake = self

        class Handler(BaseHTTPRequestHandler):
            def log_message(self, *args) -> None:  # quiet
                pass

            def do_POST(self) -> None:
                status, answer = fake.handle(
                    self.path, dict(self.headers), self.rfile.read(int(self.headers.get("Content-Length", 0)))
                )
                payload = json.dumps(answer).encode()
                self.send_response(status)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(payload)))
                self.end_headers()
                self.wfile.write(payload)

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}"
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)

    def __enter__(self) -> FakeNotify:
        self.thread.start()
        return self

    def __exit__(self, *exc) -> None:
        self.server.shutdown()
        self.server.server_close()

    def _refuse(self, status: int, error: str, message: str) -> tuple[int, dict]:
        self.refused.append((status, error))
        return status, _error(status, error, message)

    def handle(self, path: str, headers: dict, raw: bytes) -> tuple[int, dict]:
        with self.lock:
            headers = {k.lower(): v for k, v in headers.items()}
            auth = headers.get("authorization", "")
            if not auth.startswith("Bearer "):
                return self._refuse(401, "AuthError", "Unauthorized: authentication token must be provided")
            try:
                claims = jwt.decode(auth[7:], SECRET, algorithms=["HS256"], options={"verify_iat": False})
                header = jwt.get_unverified_header(auth[7:])
            except jwt.InvalidTokenError:
                return self._refuse(403, "AuthError", "Invalid token: signature, api token not found")
            if header.get("typ") != "JWT" or claims.get("iss") != SERVICE_ID:
                return self._refuse(403, "AuthError", "Invalid token: service not found")
            # Notify compares `iat` with its own clock; here that is the app's clock, which the
            # tests set (the client signs by it too: see the `notify` fixture).
            if abs(now().timestamp() - claims.get("iat", 0)) > 30:
                return self._refuse(
                    403, "AuthError", "Error: Your system clock must be accurate to within 30 seconds"
                )
            if headers.get("content-type") != "application/json":
                return self._refuse(400, "BadRequestError", "Content-Type must be application/json")
            if path not in FIELDS:
                return self._refuse(404, "NotFound", "Not Found")
            try:
                body = json.loads(raw)
            except ValueError:
                return self._refuse(400, "BadRequestError", "Invalid JSON supplied in POST data")
            required, optional, template = FIELDS[path]
            if not isinstance(body, dict) or not required <= set(body) or set(body) - required - optional:
                return self._refuse(400, "ValidationError", "fields do not match the schema")
            if body["template_id"] != template:
                return self._refuse(400, "BadRequestError", "Template not found")
            personalisation = body.get("personalisation", {})
            if not isinstance(personalisation, dict) or not all(
                isinstance(v, str) for v in personalisation.values()
            ):
                return self._refuse(400, "ValidationError", "personalisation must be an object of strings")
            needed = {"subject", "body"} if path.endswith("email") else {"body"}
            if set(personalisation) != needed:
                return self._refuse(
                    400, "BadRequestError", "Missing personalisation: " + ", ".join(sorted(needed))
                )
            if path.endswith("sms") and not body["phone_number"].lstrip("+").isdigit():
                return self._refuse(400, "ValidationError", "phone_number Not a UK mobile number")
            if self.next_answers:
                status = self.next_answers.pop(0)
                if status == 429:
                    return self._refuse(
                        429,
                        "RateLimitError",
                        "Exceeded rate limit for key type LIVE of 3000 requests per 60 seconds",
                    )
                return self._refuse(status, "Exception", "Internal server error")
            self.accepted.append({"path": path, "body": body})
            notice_id = str(uuid.uuid4())
            return 201, {
                "id": notice_id,
                "reference": body.get("reference"),
                "content": {"body": personalisation.get("body", "")},
                "uri": f"{self.url}/v2/notifications/{notice_id}",
                "template": {"id": template, "version": 1, "uri": f"{self.url}/v2/template/{template}"},
            }
