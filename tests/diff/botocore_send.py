#!/usr/bin/env python3
"""Oracle for tests/js/serve-oracles.test.mjs: signs a SendChatIntegrationEvent request with botocore's
SigV4Auth (an independent signer) and sends it with urllib to the local endpoint.

Reads one JSON object on stdin:
  {"endpoint": "http://127.0.0.1:PORT", "region", "access_key", "secret", "token" (or null),
   "body": "<JSON text>", "tamper": bool (change one byte of the body after signing),
   "service": "connect" (optional), "path": "/chat-integration-event" (optional)}
Prints {"status", "headers" (lower-case), "body", "signed_headers", "authorization_has_user_agent"}.
"""
import json
import sys
import urllib.error
import urllib.request

from botocore.auth import SigV4Auth
from botocore.awsrequest import AWSRequest
from botocore.credentials import Credentials


def main():
    case = json.load(sys.stdin)
    url = case["endpoint"].rstrip("/") + case.get("path", "/chat-integration-event")
    body = case["body"].encode("utf-8")
    request = AWSRequest(
        method="POST",
        url=url,
        data=body,
        headers={"Content-Type": "application/json", "User-Agent": "botocore-oracle/1.0"},
    )
    credentials = Credentials(case["access_key"], case["secret"], case.get("token"))
    SigV4Auth(credentials, case.get("service", "connect"), case["region"]).add_auth(request)
    prepared = request.prepare()
    headers = dict(prepared.headers.items())
    authorization = headers["Authorization"]
    signed_headers = authorization.split("SignedHeaders=")[1].split(",")[0]

    if case.get("tamper"):
        # One byte changed after signing (same length, so Content-Length still matches).
        i = body.index(b"hello")
        body = body[:i] + b"j" + body[i + 1:]

    req = urllib.request.Request(url, data=body, method="POST")
    for name, value in headers.items():
        if name.lower() in ("content-length",):
            continue
        req.add_header(name, value)
    try:
        with urllib.request.urlopen(req, timeout=10) as res:
            status, res_headers, res_body = res.status, res.headers, res.read()
    except urllib.error.HTTPError as err:
        status, res_headers, res_body = err.code, err.headers, err.read()
    print(json.dumps({
        "status": status,
        "headers": {k.lower(): v for k, v in res_headers.items()},
        "body": res_body.decode("utf-8"),
        "signed_headers": signed_headers,
    }))


if __name__ == "__main__":
    main()
