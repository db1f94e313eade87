#!/usr/bin/env python3
"""Differential oracle for tests/botocore_sigv4.rs: signs requests with botocore's SigV4Auth.

Reads a JSON list of cases on stdin, each:
  {"method", "url", "headers": [[name, value], ...], "body_b64", "region", "service",
   "time" (unix seconds), "access_key", "secret", "token" (or null), "apply_checksum"}
and prints a JSON list of {"canonical_request", "string_to_sign", "signature",
"authorization"} (or {"error": "..."}) in the same order.

Time is frozen by patching botocore.auth.get_current_datetime, which SigV4Auth.add_auth
reads to stamp X-Amz-Date (this is how botocore's own unit tests freeze it, via mock).
"""
import base64
import datetime
import hashlib
import json
import sys
from unittest import mock

import botocore.auth
from botocore.auth import SigV4Auth
from botocore.awsrequest import AWSRequest
from botocore.credentials import Credentials


class CapturingSigV4Auth(SigV4Auth):
    """SigV4Auth that remembers the canonical request and string to sign it computed."""

    def canonical_request(self, request):
        self.captured_cr = super().canonical_request(request)
        return self.captured_cr

    def string_to_sign(self, request, canonical_request):
        self.captured_sts = super().string_to_sign(request, canonical_request)
        return self.captured_sts


def sign_case(case):
    body = base64.b64decode(case["body_b64"])
    # AWSRequest headers hold one value per (case-insensitive) name. For a repeated name we
    # pass what botocore's canonical_headers() would build from several values
    # (','.join of each value trimmed and space-folded), so repeated headers can be compared.
    grouped = {}
    order = []
    for name, value in case["headers"]:
        key = name.lower()
        if key not in grouped:
            grouped[key] = (name, [])
            order.append(key)
        grouped[key][1].append(value)
    headers = {}
    for key in order:
        name, values = grouped[key]
        headers[name] = values[0] if len(values) == 1 else ",".join(" ".join(v.split()) for v in values)
    if case["apply_checksum"] and not any(k == "x-amz-content-sha256" for k in grouped):
        # What the JS SDK / our signer add; SigV4Auth uses a given X-Amz-Content-SHA256 value
        # as the payload hash, exactly like S3SigV4Auth does.
        headers["X-Amz-Content-SHA256"] = hashlib.sha256(body).hexdigest()
    request = AWSRequest(method=case["method"], url=case["url"], headers=headers, data=body)
    creds = Credentials(case["access_key"], case["secret"], case.get("token"))
    auth = CapturingSigV4Auth(creds, case["service"], case["region"])
    frozen = datetime.datetime.fromtimestamp(case["time"], tz=datetime.timezone.utc).replace(tzinfo=None)
    with mock.patch.object(botocore.auth, "get_current_datetime", return_value=frozen):
        auth.add_auth(request)
    authorization = request.headers["Authorization"]
    return {
        "canonical_request": auth.captured_cr,
        "string_to_sign": auth.captured_sts,
        "signature": authorization.rsplit("Signature=", 1)[1],
        "authorization": authorization,
    }


def main():
    cases = json.load(sys.stdin)
    out = []
    for case in cases:
        try:
            out.append(sign_case(case))
        except Exception as e:  # report per case; the Rust test shows it with the case
            out.append({"error": f"{type(e).__name__}: {e}"})
    json.dump(out, sys.stdout)


if __name__ == "__main__":
    main()
