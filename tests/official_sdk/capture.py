#!/usr/bin/env python3
"""Capture what the OFFICIAL Alibaba Cloud Python SDKs put on the wire.

This script drives the official SDKs against a local capture server (127.0.0.1,
ephemeral port, plain HTTP) and writes one JSON fixture per (product, action,
signature) to ``tests/data/official_wire/``. The Rust tests compare our own
serialization of the same inputs with these fixtures value by value.

It is a development tool: neither CI nor ``cargo test`` runs it (the fixtures are
checked in). Nothing leaves the machine: every request goes to the loopback server.

Set-up (a virtualenv OUTSIDE the repository; these are the versions the checked-in
fixtures were made with)::

    python3 -m venv /work/venv-official
    /work/venv-official/bin/pip install \
        alibabacloud_dysmsapi20170525==4.6.0 \
        alibabacloud_tea_openapi==0.4.6 \
        darabonba-core==1.0.9 \
        alibabacloud-tea-util==0.3.15 \
        aliyun-python-sdk-core==2.16.1 \
        aliyun-python-sdk-linkwan==1.0.4

Regenerate the fixtures (from the repository root)::

    PYTHONDONTWRITEBYTECODE=1 /work/venv-official/bin/python tests/official_sdk/capture.py

Options:
    --out DIR       write the fixtures to DIR instead of tests/data/official_wire
    --real-clock    do not pin the timestamp and nonce (see below)
    --only NAME     only capture fixtures whose file name contains NAME (repeatable)
    --port N        listen on port N instead of an ephemeral port

Pinned clock: by default the SDKs' timestamp and nonce generators are replaced by
constants (``FIXED_TIMESTAMP``, ``FIXED_NONCE``) so that the signatures the fixtures
carry (the ``Signature`` query parameter for v1, the ``Authorization`` header for V3)
can be recomputed by a test from the recorded request and the test credentials
``testid`` / ``testsecret``; the script itself re-verifies every signature with an
independent implementation of the algorithms in shared/design/PROTOCOLS.md and stops
if one does not match. Nothing else in the SDKs is patched: parameter serialization
is theirs, untouched. Regenerating gives the same fixtures except for the port in the
``host`` header, the V3 ``Authorization`` signature (the host header is signed) and
the legacy SDK's User-Agent (it names the kernel release); pass ``--port N`` to pin
the port too.

How the SDKs are pointed at the capture server (see also README.md here):
  * Tea/Darabonba (``alibabacloud_dysmsapi20170525``)::

        Config(access_key_id='testid', access_key_secret='testsecret',
               endpoint='127.0.0.1:PORT', protocol='http')           # V3 (default)
        Config(..., signature_algorithm='v2')                          # RPC v1 HMAC-SHA1

  * legacy core (``aliyun-python-sdk-core`` + ``aliyun-python-sdk-linkwan``)::

        client = AcsClient('testid', 'testsecret', 'cn-shanghai')
        req.set_endpoint('127.0.0.1:PORT'); req.set_protocol_type('http')
"""

from __future__ import annotations

import argparse
import importlib
import importlib.metadata as md
import json
import os
import re
import sys
import threading
import urllib.parse
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

FIXED_TIMESTAMP = "2024-01-02T03:04:05Z"
FIXED_NONCE = "0123456789abcdef0123456789abcdef"
ACCESS_KEY_ID = "testid"
ACCESS_KEY_SECRET = "testsecret"
LEGACY_REGION = "cn-shanghai"

DEFAULT_OUT = Path(__file__).resolve().parent.parent / "data" / "official_wire"

# Parameters that are not the action's own: signing, protocol and envelope.
COMMON_PARAMS = [
    "Action", "Version", "Format", "AccessKeyId", "SignatureMethod", "SignatureVersion",
    "SignatureNonce", "SignatureType", "Timestamp", "Signature", "SecurityToken",
    "RegionId",  # dropped only when the SDK added it on its own (not in the inputs)
]

SUCCESS_BODIES = {
    "dysmsapi": {"RequestId": "CAPTURE", "Code": "OK", "Message": "OK"},
    "linkwan": {"RequestId": "CAPTURE", "Success": True},
}

# A string that pins down percent-encoding: space, + / = * ~ and non-ASCII.
TRICKY = "a b+c/d=e*f~g 中文"

# --------------------------------------------------------------------------------------
# Sample inputs, by WIRE name. Values are what a caller hands to the SDK: JSON-text
# parameters (TemplateParam, *Json) are strings; json-style parameters (SignList,
# Mobiles of QueryMobilesCardSupport, Template, ...) are lists/objects that the SDK
# itself serializes; flatList parameters are lists of objects.
# --------------------------------------------------------------------------------------
DYSMSAPI_CASES = {
    "SendSms": {
        "PhoneNumbers": "13800000000,13900000001",
        "SignName": "阿里云短信测试",
        "TemplateCode": "SMS_154950909",
        "TemplateParam": json.dumps({"code": "1234", "name": "张三 先生"}, ensure_ascii=False,
                                    separators=(",", ":")),
        "OutId": TRICKY,
        "SmsUpExtendCode": "90999",
    },
    "SendBatchSms": {
        "PhoneNumberJson": '["13800000000","13900000001"]',
        "SignNameJson": '["阿里云","阿里云 短信"]',
        "TemplateCode": "SMS_154950909",
        "TemplateParamJson": '[{"name":"张三","code":"1234"},{"name":"Li Si","code":"5+6/7=8"}]',
        "SmsUpExtendCodeJson": '["90997","90998"]',
        "OutId": "batch-0001",
    },
    "CreateSmsAuthorizationLetter": {
        "Authorization": "阿里云计算有限公司",
        "AuthorizationLetterExpDate": "2024-01-01~2099-12-31",
        "AuthorizationLetterName": "授权书 A+B",
        "AuthorizationLetterPic": "12345/auth letter/pic=1.png",
        "OrganizationCode": "91330106MA27XF6M8E",
        "ProxyAuthorization": "杭州某某科技有限公司",
        "SignList": ["菜鸟网络", "abc", "a b+c/d"],
    },
    "ListTagResources": {
        "ResourceId": ["SMS_1234", "SMS_5678"],
        "Tag": [{"Key": "env", "Value": "prod"}, {"Key": "team", "Value": "短信 组+1"}],
        "ResourceType": "TEMPLATE",
        "RegionId": "cn-hangzhou",
        "ProdCode": "dysms",
        "NextToken": "abc+def/ghi==",
        "PageSize": 20,
    },
    "TagResources": {
        "ResourceId": ["SMS_1234"],
        "Tag": [{"Key": "env", "Value": "prod"}, {"Key": "owner", "Value": "张三"}],
        "ResourceType": "TEMPLATE",
        "RegionId": "cn-hangzhou",
        "ProdCode": "dysms",
    },
    "UntagResources": {
        "ResourceId": ["SMS_1234", "SMS_5678"],
        "TagKey": ["env", "owner"],
        "All": False,
        "ResourceType": "TEMPLATE",
        "RegionId": "cn-hangzhou",
        "ProdCode": "dysms",
    },
    "QueryCardSmsTemplateReport": {
        "TemplateCodes": ["CARD_SMS_1", "CARD_SMS_2"],
        "StartDate": "2024-01-01 00:00:00",
        "EndDate": "2024-01-31 23:59:59",
    },
    "AddSmsSign": {
        "SignName": "阿里云",
        "SignSource": 1,
        "SignType": 0,
        "Remark": "用于 测试+签名",
        "SignFileList": [
            {"FileContents": "aGVsbG8+d29ybGQ/Lw==", "FileSuffix": "jpg"},
            {"FileContents": "R0lGODlh/w==", "FileSuffix": "png"},
        ],
    },
    "CheckMobilesCardSupport": {
        "TemplateCode": "CARD_SMS_1",
        "Mobiles": [{"mobile": "13800000000"}, {"mobile": "13900000001"}],
    },
    "QueryMobilesCardSupport": {
        "TemplateCode": "CARD_SMS_1",
        "Mobiles": [{"mobile": "13800000000"}, {"mobile": "13900000001", "备注": "张三 b"}],
        "EncryptType": "MD5",
    },
    "QuerySmsAppIcpRecord": {
        "AppIcpRecordIdList": [10001, 10002],
    },
    "SubmitSmsQualification": {
        "QualificationName": "阿里云 资质",
        "UseBySelf": True,
        "WhetherShare": False,
        "CompanyName": "阿里云计算有限公司",
        "CompanyType": "COMPANY",
        "OrganizationCode": "91330106MA27XF6M8E",
        "BussinessLicenseExpDate": "2020-01-01~2099-12-31",
        "LegalPersonName": "张三",
        "LegalPersonIDCardType": "identityCard",
        "LegalPersonIDCardNo": "110101199001011234",
        "LegalPersonIdCardEffTime": "2020-01-01~2040-01-01",
        "AdminName": "李四",
        "AdminIDCardType": "identityCard",
        "AdminIDCardNo": "110101199001015678",
        "AdminIDCardExpDate": "2020-01-01~2040-01-01",
        "AdminIDCardPic": "12345/admin/front.png",
        "AdminIDCardFrontFace": "12345/admin/back.png",
        "AdminPhoneNo": "13800000000",
        "CertifyCode": "123456",
        # keys deliberately NOT in alphabetical order, to see whether the SDK reorders them
        "BusinessLicensePics": [{"Type": "businessLicense", "LicensePic": "12345/营业执照 1.png"}],
        "OtherFiles": [{"LicensePic": "12345/其他/a+b.png"}, {"LicensePic": "12345/other2.png"}],
        "Remark": "",
    },
    "CreateCardSmsTemplate": {
        "TemplateName": "卡片 模板",
        "Memo": "memo+1",
        "Factorys": "HuaWei,XiaoMi",
        # keys deliberately NOT in alphabetical order; a quote, a slash and non-ASCII inside
        "Template": {
            "templateContent": {
                "pages": [{"tmpCards": [{"type": "TEXT", "content": "你好 \"world\" a/b"}]}],
            },
            "extendInfo": {"scene": "HMOVIE", "purpose": "2", "userExt": {"outId": "1"}},
        },
    },
    "QuerySendDetails": {
        "PhoneNumber": "13800000000",
        "SendDate": "20240105",
        "PageSize": 10,
        "CurrentPage": 1,
        "BizId": "134523^4351232",
    },
    "CreateSmsTemplate": {
        "TemplateName": "验证码 模板",
        "TemplateContent": "您的验证码为${code}，5分钟内有效。",
        "TemplateType": 0,
        "RelatedSignName": "阿里云",
        "ApplySceneContent": "https://example.com/login?a=1&b=2",
        "IntlType": 0,
        "MoreData": ["12345/附件 1.png", "12345/b.png"],
        # an empty optional value: does the SDK send it?
        "Remark": "",
    },
}

LINKWAN_CASES = {
    "ListNotifications": {
        "Offset": 0,
        "Limit": 10,
        "Ascending": False,
        "Category": ["JoinPermissionAuthOrderNotification", "GatewayOfflineNotification"],
        "HandleState": "Unhandled",
        "BeginMillis": 1704067200000,
        "EndMillis": 1706745599999,
        "SortingField": "GmtCreated",
    },
    "UpdateNotificationsHandleState": {
        "NotificationId": [1001, 1002],
        "TargetHandleState": "Handled",
    },
    "ListGatewaysPacketStat": {
        "GwEuiList": ["0000000000000001", "00000000000000ab"],
        "BeginMillis": 1704067200000,
        "EndMillis": 1706745599999,
        "IotInstanceId": "iot-cn-0pp1n8t4g01",
    },
    "ListOwnedJoinPermissions": {
        "Offset": 0,
        "Limit": 20,
        "Ascending": True,
        "Enabled": False,
        "FuzzyJoinPermissionName": "测试 权限+1/2=3*4~5",
        "SortingField": "GmtCreated",
        # an empty optional value: does the SDK send it?
        "FuzzyJoinEui": "",
    },
    "SubmitJoinPermissionAuthOrder": {
        "JoinPermissionId": "jp-123/abc=",
        "RenterAliyunId": "1234567890123456",
    },
    "CreateLocalJoinPermission": {
        "JoinPermissionName": "本地 入网凭证",
        "ClassMode": "A",
        "FreqBandPlanGroupId": 1,
        "UseDefaultJoinEui": True,
        "JoinEui": "d896e0ffff000000",
        "RxDelay": 1,
        "DataRate": 2,
        "IotInstanceId": "iot-cn-0pp1n8t4g01",
    },
}


# --------------------------------------------------------------------------------------
# Capture server
# --------------------------------------------------------------------------------------
class CaptureServer:
    """A threaded loopback HTTP server that records every request and answers 200 JSON."""

    def __init__(self, port=0):
        self.records = []
        self.response_body = b"{}"
        self.lock = threading.Lock()
        outer = self

        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"

            def log_message(self, fmt, *args):  # keep stdout clean
                pass

            def _handle(self):
                length = int(self.headers.get("Content-Length") or 0)
                raw_body = self.rfile.read(length) if length else b""
                path, _, raw_query = self.path.partition("?")
                rec = {
                    "method": self.command,
                    "path": path,
                    "raw_query": raw_query,
                    "query": urllib.parse.parse_qsl(raw_query, keep_blank_values=True,
                                                    encoding="utf-8", errors="strict"),
                    "headers": [[k, v] for k, v in self.headers.items()],
                    "raw_body": raw_body.decode("utf-8"),
                    "content_type": self.headers.get("Content-Type"),
                }
                ctype = (rec["content_type"] or "").lower()
                if raw_body and ("x-www-form-urlencoded" in ctype or not ctype):
                    rec["body"] = urllib.parse.parse_qsl(rec["raw_body"], keep_blank_values=True,
                                                         encoding="utf-8", errors="strict")
                else:
                    rec["body"] = []
                with outer.lock:
                    outer.records.append(rec)
                    body = outer.response_body
                self.send_response(200)
                self.send_header("Content-Type", "application/json;charset=utf-8")
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                self.wfile.write(body)

            do_POST = _handle
            do_GET = _handle
            do_PUT = _handle
            do_DELETE = _handle

        self.httpd = ThreadingHTTPServer(("127.0.0.1", port), Handler)
        self.httpd.daemon_threads = True
        self.port = self.httpd.server_address[1]
        self.thread = threading.Thread(target=self.httpd.serve_forever, daemon=True)

    def start(self):
        self.thread.start()

    def stop(self):
        self.httpd.shutdown()
        self.httpd.server_close()

    def expect_one(self, product, fn):
        """Run fn() (one SDK call) and return the single request it sent."""
        with self.lock:
            self.records.clear()
            self.response_body = json.dumps(SUCCESS_BODIES[product]).encode()
        fn()
        with self.lock:
            recs = list(self.records)
        if len(recs) != 1:
            raise RuntimeError(f"expected exactly one request, got {len(recs)}")
        return recs[0]


# --------------------------------------------------------------------------------------
# SDK drivers
# --------------------------------------------------------------------------------------
def pin_clock():
    from alibabacloud_tea_openapi.utils import Utils as TeaUtils
    from aliyunsdkcore.utils import parameter_helper

    TeaUtils.get_timestamp = staticmethod(lambda: FIXED_TIMESTAMP)
    TeaUtils.get_nonce = staticmethod(lambda: FIXED_NONCE)
    parameter_helper.get_iso_8061_date = lambda: FIXED_TIMESTAMP
    parameter_helper.get_uuid = lambda: FIXED_NONCE


def snake(name):
    return re.sub(r"(?<=[a-z0-9])(?=[A-Z])", "_", name).lower()


def tea_sdk_label():
    return (f"alibabacloud_dysmsapi20170525 {md.version('alibabacloud_dysmsapi20170525')} "
            f"(alibabacloud_tea_openapi {md.version('alibabacloud_tea_openapi')}, "
            f"darabonba-core {md.version('darabonba-core')})")


def legacy_sdk_label():
    return (f"aliyun-python-sdk-linkwan {md.version('aliyun-python-sdk-linkwan')} "
            f"(aliyun-python-sdk-core {md.version('aliyun-python-sdk-core')})")


def tea_call(port, signature, action, inputs):
    from alibabacloud_dysmsapi20170525 import models
    from alibabacloud_dysmsapi20170525.client import Client
    from alibabacloud_tea_openapi import utils_models
    from darabonba.runtime import RuntimeOptions

    kwargs = dict(access_key_id=ACCESS_KEY_ID, access_key_secret=ACCESS_KEY_SECRET,
                  endpoint=f"127.0.0.1:{port}", protocol="http",
                  read_timeout=5000, connect_timeout=5000)
    if signature == "v1":
        kwargs["signature_algorithm"] = "v2"  # the Tea name for RPC HMAC-SHA1 ("v1") signing
    client = Client(utils_models.Config(**kwargs))
    request = getattr(models, f"{action}Request")().from_map(json.loads(json.dumps(inputs)))
    method = getattr(client, f"{snake(action)}_with_options")
    return lambda: method(request, RuntimeOptions())


def legacy_call(port, action, inputs):
    from aliyunsdkcore.client import AcsClient

    module = importlib.import_module(f"aliyunsdklinkwan.request.v20190301.{action}Request")
    request = getattr(module, f"{action}Request")()
    unexpressible = {}
    for name, value in inputs.items():
        setter = f"set_{name}s" if isinstance(value, list) else f"set_{name}"
        if not hasattr(request, setter):
            unexpressible[name] = f"request class has no {setter}()"
            continue
        getattr(request, setter)(value)
    request.set_endpoint(f"127.0.0.1:{port}")
    request.set_protocol_type("http")
    client = AcsClient(ACCESS_KEY_ID, ACCESS_KEY_SECRET, LEGACY_REGION, auto_retry=False,
                       timeout=5, connect_timeout=5)
    api_version = request.get_version()
    return (lambda: client.do_action_with_exception(request)), unexpressible, api_version


# --------------------------------------------------------------------------------------
# Fixture assembly
# --------------------------------------------------------------------------------------
def split_common(pairs, inputs):
    """Split [name, value] pairs into (business, dropped common names)."""
    business, dropped = [], []
    for name, value in pairs:
        is_common = name in COMMON_PARAMS and not (name == "RegionId" and "RegionId" in inputs)
        if is_common:
            dropped.append(name)
        else:
            business.append([name, value])
    return business, dropped


def make_fixture(sdk, signature, product, version, action, inputs, rec, unexpressible, notes):
    query, dropped_q = split_common(rec["query"], inputs)
    body, dropped_b = split_common(rec["body"], inputs)
    sent_roots = {name.split(".")[0] for name, _ in query + body}
    not_sent = [k for k in inputs if k not in sent_roots and k not in unexpressible]
    fixture = {
        "sdk": sdk,
        "signature": signature,
        "product": product,
        "version": version,
        "action": action,
        "inputs": inputs,
        "query": query,
        "body": body,
        "raw_query": rec["raw_query"],
        "raw_body": rec["raw_body"],
        "content_type": rec["content_type"],
        "http_method": rec["method"],
        "path": rec["path"],
        "dropped_common": dropped_q + dropped_b,
        "not_sent": not_sent,
        "unexpressible": unexpressible,
        "headers": rec["headers"],
        "credentials": {"access_key_id": ACCESS_KEY_ID, "access_key_secret": ACCESS_KEY_SECRET},
        "fixed_clock": ({"timestamp": FIXED_TIMESTAMP, "nonce": FIXED_NONCE}
                        if PINNED else None),
    }
    ok, sts = (check_v3 if signature == "v3" else check_v1)(rec, ACCESS_KEY_SECRET)
    if not ok:
        raise RuntimeError(f"{product} {action} {signature}: signature does not verify")
    fixture["signature_verified"] = True
    if signature == "v1":
        fixture["string_to_sign"] = sts
    notes = list(notes or [])
    bools = booleans_in(inputs)
    if bools:
        notes.append("Python SDK artefact: the boolean(s) " + ", ".join(bools) + " went on the "
                     "wire as Python's str(bool), 'True'/'False' (capitalised). Compare booleans "
                     "case-insensitively; Alibaba's documentation examples write 'true'/'false'.")
    if notes:
        fixture["notes"] = notes
    return fixture


PINNED = True


# --------------------------------------------------------------------------------------
# Independent signature check (the algorithms of shared/design/PROTOCOLS.md, written
# here from the description, not taken from the SDKs): proves that each fixture is
# self-consistent, i.e. that a test can recompute the signature from what is recorded.
# --------------------------------------------------------------------------------------
def rfc3986(s):
    return urllib.parse.quote(s, safe="-_.~", encoding="utf-8")


def check_v1(rec, secret):
    import base64
    import hashlib
    import hmac

    params = [(k, v) for k, v in rec["query"] + rec["body"] if k != "Signature"]
    sent = dict(rec["query"])["Signature"]
    canon = "&".join(f"{rfc3986(k)}={rfc3986(v)}"
                     for k, v in sorted(params, key=lambda kv: kv[0].encode()))
    sts = f"{rec['method']}&%2F&{rfc3986(canon)}"
    sig = base64.b64encode(hmac.new((secret + "&").encode(), sts.encode(),
                                    hashlib.sha1).digest()).decode()
    return sig == sent, sts


def check_v3(rec, secret):
    import hashlib
    import hmac

    headers = {}
    for k, v in rec["headers"]:
        headers.setdefault(k.lower(), []).append(v.strip())
    auth = headers["authorization"][0]
    m = re.match(r"ACS3-HMAC-SHA256 Credential=([^,]+),SignedHeaders=([^,]+),Signature=([0-9a-f]+)$",
                 auth)
    signed = m.group(2).split(";")
    canon_query = "&".join(f"{rfc3986(k)}={rfc3986(v)}"
                           for k, v in sorted(rec["query"], key=lambda kv: kv[0].encode()))
    canon_headers = "".join(f"{h}:{','.join(headers[h])}\n" for h in signed)
    payload = hashlib.sha256(rec["raw_body"].encode("utf-8")).hexdigest()
    creq = "\n".join([rec["method"], rec["path"] or "/", canon_query, canon_headers,
                      ";".join(signed), payload])
    sts = "ACS3-HMAC-SHA256\n" + hashlib.sha256(creq.encode()).hexdigest()
    sig = hmac.new(secret.encode(), sts.encode(), hashlib.sha256).hexdigest()
    return sig == m.group(3) and headers["x-acs-content-sha256"][0] == payload, sts


def booleans_in(inputs):
    return [k for k, v in inputs.items() if isinstance(v, bool)]


def dump_fixture(fixture):
    """Pretty JSON, but each [name, value] pair of query/body/headers on one line."""
    lines = ["{"]
    items = list(fixture.items())
    for i, (key, value) in enumerate(items):
        comma = "," if i < len(items) - 1 else ""
        if key in ("query", "body", "headers") and value:
            lines.append(f"  {json.dumps(key)}: [")
            for j, pair in enumerate(value):
                c = "," if j < len(value) - 1 else ""
                lines.append(f"    {json.dumps(pair, ensure_ascii=False)}{c}")
            lines.append(f"  ]{comma}")
        else:
            text = json.dumps(value, ensure_ascii=False, indent=2).replace("\n", "\n  ")
            lines.append(f"  {json.dumps(key)}: {text}{comma}")
    lines.append("}")
    return "\n".join(lines) + "\n"


def main(argv=None):
    global PINNED
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--out", type=Path, default=DEFAULT_OUT)
    ap.add_argument("--real-clock", action="store_true")
    ap.add_argument("--only", action="append", default=[])
    ap.add_argument("--port", type=int, default=0,
                    help="listen on this port (default: an ephemeral one)")
    args = ap.parse_args(argv)

    for var in ("HTTP_PROXY", "HTTPS_PROXY", "http_proxy", "https_proxy", "ALL_PROXY", "all_proxy"):
        os.environ.pop(var, None)
    os.environ["NO_PROXY"] = os.environ["no_proxy"] = "127.0.0.1,localhost"
    # keep credential discovery from reading anything of the user's
    for var in list(os.environ):
        if var.startswith("ALIBABA_CLOUD_"):
            os.environ.pop(var)

    PINNED = not args.real_clock
    if PINNED:
        pin_clock()

    args.out.mkdir(parents=True, exist_ok=True)
    server = CaptureServer(args.port)
    server.start()
    written = []

    def wanted(fname):
        return not args.only or any(o in fname for o in args.only)

    def write(fname, fixture):
        path = args.out / fname
        path.write_text(dump_fixture(fixture), encoding="utf-8")
        assert json.loads(path.read_text(encoding="utf-8")) == fixture
        written.append(path)

    try:
        sdk = tea_sdk_label()
        for action, inputs in DYSMSAPI_CASES.items():
            for signature in ("v3", "v1"):
                fname = f"dysmsapi-{action}-{signature}.json"
                if not wanted(fname):
                    continue
                rec = server.expect_one("dysmsapi", tea_call(server.port, signature, action, inputs))
                write(fname, make_fixture(sdk, signature, "dysmsapi", "2017-05-25", action,
                                          inputs, rec, {}, None))

        sdk = legacy_sdk_label()
        for action, inputs in LINKWAN_CASES.items():
            fname = f"linkwan-{action}-v1.json"
            if not wanted(fname):
                continue
            call, unexpressible, api_version = legacy_call(server.port, action, inputs)
            if api_version != "2019-03-01":
                raise RuntimeError(f"{action}: legacy request class targets {api_version}")
            rec = server.expect_one("linkwan", call)
            write(fname, make_fixture(sdk, "v1", "linkwan", api_version, action, inputs, rec,
                                      unexpressible, None))
    finally:
        server.stop()

    for p in written:
        print(p)
    print(f"{len(written)} fixtures written", file=sys.stderr)


if __name__ == "__main__":
    main()
