#!/usr/bin/env python3
"""Times the official Python SDK (aliyun-python-sdk-core) on the request benches/signing.rs signs.

Not part of CI. Run it in the same session as the Rust benchmark and compare:

    python3 -m venv /tmp/pysdk && /tmp/pysdk/bin/pip install aliyun-python-sdk-core
    /tmp/pysdk/bin/python benches/python/sign_v1.py
    cargo bench --bench signing

Prints microseconds per operation (best of several repeats, as `timeit` recommends):
- v1_signature: string to sign (sort + two encodings) and HMAC-SHA1, what `signature()` does;
- signed_url: `get_signed_url`, the SDK's whole URL signing (common parameters, nonce,
  timestamp, string to sign, signature, URL).
"""

import json
import sys
import timeit

from aliyunsdkcore.auth.composer import rpc_signature_composer as rpc

compose = getattr(rpc, "__compose_string_to_sign")
get_signature = getattr(rpc, "__get_signature")

SECRET = "testsecret"
# The parameter set of benches/signing.rs: SubmitJoinPermissionAuthOrder with every common parameter.
PARAMS = {
    "AccessKeyId": "testid",
    "Action": "SubmitJoinPermissionAuthOrder",
    "Format": "JSON",
    "JoinPermissionId": "123",
    "RenterAliyunId": "some_user",
    "SignatureMethod": "HMAC-SHA1",
    "SignatureNonce": "3ee8c1b8-83d3-44af-a94f-4e0ad82fd6cf",
    "SignatureVersion": "1.0",
    "Timestamp": "2016-02-23T12:46:24Z",
    "Version": "2019-03-01",
}


def v1_signature():
    return get_signature(compose("POST", PARAMS), SECRET)


def signed_url():
    params = {
        "Action": "SubmitJoinPermissionAuthOrder",
        "Version": "2019-03-01",
        "JoinPermissionId": "123",
        "RenterAliyunId": "some_user",
    }
    return rpc.get_signed_url(params, "testid", SECRET, "JSON", "POST", {})


def per_call_us(fn, number=20000, repeat=7):
    return min(timeit.repeat(fn, number=number, repeat=repeat)) / number * 1e6


if __name__ == "__main__":
    results = {
        "v1_signature_us": per_call_us(v1_signature),
        "signed_url_us": per_call_us(signed_url),
        "python": sys.version.split()[0],
    }
    print(json.dumps(results))
