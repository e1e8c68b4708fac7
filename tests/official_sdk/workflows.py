#!/usr/bin/env python3
"""Drive the emulator's two stateful workflows with the OFFICIAL Alibaba Cloud Python SDKs.

Point it at a running standalone emulator (``cargo run --example emulator --features
emulator``; ``run_workflows.sh`` next to this file builds, starts and stops one)::

    python tests/official_sdk/workflows.py --endpoint 127.0.0.1:8080

What it does, each step printed on one line (``ok`` / ``FAIL``), stopping at the first
mismatch with exit status 1:

* ``POST /_emulator/reset`` (plain urllib; the control routes need no signature).
* **LinkWAN 2019-03-01 with the legacy SDK** (``aliyun-python-sdk-linkwan`` request classes,
  ``aliyunsdkcore.client.AcsClient``, RPC signature v1): a join permission's whole life with
  two accounts, each signing with its own AccessKey pair. The owner creates, lists, counts,
  reads, updates, disables and enables it, then offers it to the renter's Aliyun ID; the
  renter reads its notification and the order, accepts it, rents the permission, and returns
  it; the owner deletes it. Refusals (accepting twice, deleting a rented permission, ...)
  must arrive as ``aliyunsdkcore`` ``ServerException`` with the documented code.
* **Dysmsapi 2017-05-25 with the Tea SDK** (``alibabacloud_dysmsapi20170525``), once with the
  default ACS3-HMAC-SHA256 (V3) signature and once with ``signature_algorithm='v2'`` (RPC
  v1): a verification-code signature and template through their review
  (``POST /_emulator/sms/audits``), a sent code, the flow control that refuses a second one
  within the minute (HTTP 200, ``Code`` ``isv.BUSINESS_LIMIT_CONTROL``), the receipt in
  QuerySendDetails once the services' clock has moved (``POST /_emulator/clock``), and a
  failed receipt chosen with ``POST /_emulator/sms/receipts``.

Every Tea answer is read through the SDK's own response models (``resp.body...``), and each
decoded model is then checked against the model's declared field types (the Tea models'
``from_map`` copies values without converting them, so a string where the SDK declares an
integer would otherwise pass unnoticed); fields the emulator answers that the model does not
know are listed as notes. The legacy SDK has no response models: its JSON is decoded and
checked field by field here.

A failure that looks like an emulator defect (an answer the SDK cannot decode, a signature the
emulator refuses, a field of the wrong type) is reported as ``EMULATOR DEFECT?`` with the
request, the raw answer and the SDK's complaint.

Options:
    --endpoint HOST:PORT    the emulator (``http://`` prefix accepted)
    --owner ID:KEY:SECRET   the owner account (Aliyun ID, AccessKeyId, AccessKeySecret);
    --renter ID:KEY:SECRET  the renter; both default to the emulator's seeded accounts, as its
                            start-up banner prints them
    --sts KEY:SECRET:TOKEN  STS credentials acting as the owner (default: the seeded ones)
    --sms-signatures LIST   comma-separated, of ``v3`` and ``v1`` (default ``v3,v1``)
    --only linkwan|sms      run one workflow only

The versions it was written against are those of ``capture.py``'s docstring.
"""

from __future__ import annotations

import argparse
import datetime
import json
import re
import sys
import traceback
import typing
import urllib.error
import urllib.request

# The emulator's seeded identities (src/emulator/accounts.rs), as its banner prints them.
DEFAULT_OWNER = ("emulator_owner", "LTAI5tEmulatorOwner00001", "EmulatorOwnerSecret00000000001")
DEFAULT_RENTER = ("some_user", "LTAI5tEmulatorRenter0001", "EmulatorRenterSecret0000000001")
DEFAULT_STS = (
    "STS.NUemulatorSts0001",
    "EmulatorStsSecret000000000001",
    "CAISemulator+Sts/Token0001GhUB==",
)
# The owner's approved qualification, which CreateSmsSign may cite at once.
SMS_QUALIFICATION_ID = 1
REGION = "cn-shanghai"
CHINA = datetime.timezone(datetime.timedelta(hours=8))


class Mismatch(Exception):
    """An answer that is not what the emulator's documentation promises."""


class Defect(Mismatch):
    """A mismatch that points at the emulator rather than at this script's expectations."""


# --------------------------------------------------------------------------------------------
# Reporting


class Run:
    def __init__(self) -> None:
        self.passed = 0
        self.notes: list[str] = []
        self.current: str | None = None
        # The last SDK exchange, for the failure report.
        self.last_request: str | None = None
        self.last_raw: object = None

    def note(self, text: str) -> None:
        if text not in self.notes:
            self.notes.append(text)


RUN = Run()


class Step:
    """``with Step("L1", "what it shows") as s: ... s.say("detail")`` prints one line."""

    def __init__(self, key: str, title: str) -> None:
        self.key = key
        self.title = title
        self.details: list[str] = []

    def say(self, text: str) -> None:
        self.details.append(text)

    def __enter__(self) -> "Step":
        RUN.current = f"{self.key} {self.title}"
        RUN.last_request = None
        RUN.last_raw = None
        return self

    def __exit__(self, kind, value, tb) -> bool:
        if kind is None:
            RUN.passed += 1
            detail = f" — {'; '.join(self.details)}" if self.details else ""
            print(f"  ok    {self.key:<6} {self.title}{detail}", flush=True)
        else:
            print(f"  FAIL  {self.key:<6} {self.title}", flush=True)
        return False


def expect(condition: bool, message: str) -> None:
    if not condition:
        raise Mismatch(message)


def eq(actual, expected, what: str) -> None:
    if actual != expected:
        raise Mismatch(f"{what}: expected {expected!r}, got {actual!r}")


# --------------------------------------------------------------------------------------------
# The emulator's control routes (plain HTTP, no signature, no proxy)

_OPENER = urllib.request.build_opener(urllib.request.ProxyHandler({}))


def control(base: str, method: str, path: str, body: dict | None = None) -> dict:
    data = None if body is None else json.dumps(body).encode()
    request = urllib.request.Request(base + path, data=data, method=method)
    if data is not None:
        request.add_header("Content-Type", "application/json")
    try:
        with _OPENER.open(request, timeout=10) as response:
            return json.loads(response.read().decode())
    except urllib.error.HTTPError as e:
        raise Mismatch(f"{method} {path} {body or ''}: HTTP {e.code} {e.read().decode(errors='replace')}")


def send_day(base: str, phone: str, biz_id: str) -> str:
    """The China day (yyyyMMdd) a message was sent on, by the services' clock: what
    QuerySendDetails' SendDate must name. Read from the outbox (GET /_emulator/sms/messages),
    so that a send just before midnight in China is still found."""
    for message in control(base, "GET", f"/_emulator/sms/messages?phone_number={phone}")["messages"]:
        if message["biz_id"] == biz_id:
            # RFC 3339; drop the fraction (chrono may write nine digits, older Pythons read six).
            stamp = re.sub(r"\.\d+", "", message["sent_at"]).replace("Z", "+00:00")
            sent = datetime.datetime.fromisoformat(stamp)
            return sent.astimezone(CHINA).strftime("%Y%m%d")
    raise Mismatch(f"BizId {biz_id} is not in GET /_emulator/sms/messages?phone_number={phone}")


# --------------------------------------------------------------------------------------------
# LinkWAN with the legacy SDK (aliyunsdkcore + aliyunsdklinkwan)


class Legacy:
    """One account's AcsClient, with the request classes pointed at the emulator."""

    def __init__(self, endpoint: str, key_id: str, secret: str, *, credential=None) -> None:
        from aliyunsdkcore.client import AcsClient

        if credential is not None:
            self.client = AcsClient(region_id=REGION, credential=credential, auto_retry=False)
        else:
            self.client = AcsClient(key_id, secret, REGION, auto_retry=False)
        self.endpoint = endpoint

    def request(self, action: str, params: dict):
        import importlib

        module = importlib.import_module(f"aliyunsdklinkwan.request.v20190301.{action}Request")
        request = getattr(module, f"{action}Request")()
        request.set_endpoint(self.endpoint)  # host:port, no endpoint resolution
        request.set_protocol_type("http")  # the request classes default to https
        for name, value in params.items():
            # The request classes' setters are named by the wire name (repeatList ones add "s").
            getattr(request, f"set_{name}")(value)
        RUN.last_request = f"LinkWAN {action} {params}"
        return request

    def call(self, action: str, **params) -> dict:
        """The decoded answer of a call that must succeed (`Success: true`)."""
        from aliyunsdkcore.acs_exception.exceptions import ClientException, ServerException

        request = self.request(action, params)
        try:
            raw = self.client.do_action_with_exception(request)
        except ServerException as e:
            RUN.last_raw = f"HTTP {e.get_http_status()} {e.get_error_code()}: {e.get_error_msg()}"
            if e.get_error_code() in ("SignatureDoesNotMatch", "IncompleteSignature", "InvalidAccessKeySecret"):
                raise Defect(
                    f"{action}: the emulator refused the legacy SDK's RPC v1 signature: "
                    f"{e.get_error_code()} {e.get_error_msg()}"
                ) from e
            raise Mismatch(
                f"{action}: expected success, got ServerException "
                f"HTTP {e.get_http_status()} {e.get_error_code()}: {e.get_error_msg()}"
            ) from e
        except ClientException as e:
            raise Mismatch(f"{action}: the SDK failed on its side: {e.get_error_code()} {e.get_error_msg()}") from e
        RUN.last_raw = raw
        try:
            answer = json.loads(raw.decode("utf-8"))
        except (UnicodeDecodeError, ValueError) as e:
            raise Defect(f"{action}: the answer is not JSON ({e}): {raw[:300]!r}") from e
        expect(isinstance(answer, dict), f"{action}: the answer is not a JSON object")
        expect(isinstance(answer.get("RequestId"), str) and answer["RequestId"] != "",
               f"{action}: no RequestId in {answer}")
        eq(answer.get("Success"), True, f"{action} Success")
        return answer

    def refused(self, action: str, code: str, status: int = 400, **params):
        """A call that must be refused: a ServerException with `code` and HTTP `status`."""
        from aliyunsdkcore.acs_exception.exceptions import ClientException, ServerException

        request = self.request(action, params)
        try:
            raw = self.client.do_action_with_exception(request)
        except ServerException as e:
            RUN.last_raw = f"HTTP {e.get_http_status()} {e.get_error_code()}: {e.get_error_msg()}"
            eq(e.get_error_code(), code, f"{action} error code (message {e.get_error_msg()!r})")
            eq(e.get_http_status(), status, f"{action} HTTP status")
            expect(bool(e.get_request_id()), f"{action}: the ServerException carries no RequestId")
            return e
        except ClientException as e:
            raise Mismatch(f"{action}: expected ServerException {code}, the SDK raised "
                           f"ClientException {e.get_error_code()} {e.get_error_msg()}") from e
        RUN.last_raw = raw
        raise Mismatch(f"{action}: expected ServerException {code}, it succeeded: {raw[:300]!r}")


def owned_item(answer: dict, permission_id: str) -> dict | None:
    for item in answer["Data"]["List"]:
        if str(item.get("JoinPermissionId")) == permission_id:
            return item
    return None


def linkwan_workflow(endpoint: str, base: str, owner_acct, renter_acct, sts) -> None:
    owner_id, _, _ = owner_acct
    renter_id, _, _ = renter_acct
    owner = Legacy(endpoint, owner_acct[1], owner_acct[2])
    renter = Legacy(endpoint, renter_acct[1], renter_acct[2])
    name = "官方SDK_园区01"
    print(f"LinkWAN 2019-03-01, legacy SDK (aliyunsdkcore AcsClient, RPC v1): {owner_id} grants to {renter_id}")

    with Step("L0", "gateway checks the legacy SDK's signature (wrong secret)") as s:
        wrong = Legacy(endpoint, renter_acct[1], renter_acct[2] + "x")
        # The SDK compares its own string to sign with the one the server's message names and,
        # when they agree, says the secret is wrong: so this code also proves that the
        # emulator's SignatureDoesNotMatch message carries the same string to sign.
        e = wrong.refused("CountRentedJoinPermissions", "InvalidAccessKeySecret")
        s.say(f"ServerException {e.get_error_code()} (the SDK matched the emulator's string to sign)")

    with Step("L1", "owner CreateLocalJoinPermission") as s:
        a = owner.call("CreateLocalJoinPermission", JoinPermissionName=name, ClassMode="A",
                       FreqBandPlanGroupId=101, UseDefaultJoinEui=True)
        pid = a.get("Data")
        expect(isinstance(pid, str) and pid.isdigit(), f"Data should be the new id as a numeric string, got {pid!r}")
        s.say(f"JoinPermissionId {pid}")

    with Step("L2", "owner ListOwnedJoinPermissions (all, and by fuzzy name)") as s:
        a = owner.call("ListOwnedJoinPermissions", Offset=0, Limit=10)
        total = a["Data"]["TotalCount"]
        expect(isinstance(total, int) and total >= 1, f"TotalCount {total!r}")
        expect(owned_item(a, pid) is not None, f"{pid} not in the owner's list")
        a = owner.call("ListOwnedJoinPermissions", Offset=0, Limit=10, FuzzyJoinPermissionName="sdk_园区")
        eq(a["Data"]["TotalCount"], 1, "TotalCount filtered by name (ASCII case-insensitive)")
        item = owned_item(a, pid)
        expect(item is not None, "the new permission is not in the filtered list")
        eq(item["JoinPermissionName"], name, "JoinPermissionName")
        eq(item["AuthState"], "NEW", "AuthState")
        eq(item["Enabled"], True, "Enabled")
        eq(item["ClassMode"], "A", "ClassMode")
        eq(item["FreqBandPlanGroupId"], 101, "FreqBandPlanGroupId")
        eq(item["JoinEui"], "0000000000000000", "JoinEui (UseDefaultJoinEui)")
        eq(item["RxDelay"], 1, "RxDelay default")
        eq(item["DataRate"], 0, "DataRate default")
        expect("RenterAliyunId" not in item, "RenterAliyunId before any order")
        s.say(f"{total} owned, the new one NEW, enabled, JoinEui 0000000000000000")

    with Step("L3", "owner CountOwnedJoinPermissions") as s:
        eq(owner.call("CountOwnedJoinPermissions")["Data"], total, "Data (all)")
        eq(owner.call("CountOwnedJoinPermissions", FuzzyJoinPermissionName=name)["Data"], 1, "Data (by name)")
        s.say(f"Data {total}, 1 by name")

    with Step("L4", "owner GetOwnedJoinPermission") as s:
        d = owner.call("GetOwnedJoinPermission", JoinPermissionId=pid)["Data"]
        # The documented example's quirk: numbers when all digits.
        eq(str(d["JoinPermissionId"]), pid, "JoinPermissionId")
        eq(d["JoinEui"], 0, "JoinEui (the documented example's 0 for 0000000000000000)")
        eq(d["JoinPermissionName"], name, "JoinPermissionName")
        eq(d["AuthState"], "NEW", "AuthState")
        eq(d["ClassMode"], "A", "ClassMode")
        eq(d["FreqBandPlanGroupId"], 101, "FreqBandPlanGroupId")
        expect(isinstance(d.get("CreateMillis"), int), f"CreateMillis {d.get('CreateMillis')!r}")
        expect("RenterAliyunId" not in d, "RenterAliyunId before any order")
        s.say("AuthState NEW, no renter")

    with Step("L5", "owner UpdateOwnedLocalJoinPermission") as s:
        owner.call("UpdateOwnedLocalJoinPermission", JoinPermissionId=pid, ClassMode="C",
                   FreqBandPlanGroupId=102, RxDelay=3, DataRate=2)
        d = owner.call("GetOwnedJoinPermission", JoinPermissionId=pid)["Data"]
        eq((d["ClassMode"], d["FreqBandPlanGroupId"], d["RxDelay"], d["DataRate"]), ("C", 102, 3, 2),
           "(ClassMode, FreqBandPlanGroupId, RxDelay, DataRate) after the update")
        eq(d["JoinPermissionName"], name, "JoinPermissionName (not sent, unchanged)")
        owner.refused("UpdateOwnedLocalJoinPermission", "InvalidFreqBandPlan", JoinPermissionId=pid,
                      FreqBandPlanGroupId=999)
        s.say("class C, plan 102, RxDelay 3, DataRate 2; an unknown plan → InvalidFreqBandPlan")

    with Step("L6", "owner disables, then enables it (Enabled=False/True)") as s:
        owner.call("UpdateOwnedLocalJoinPermissionEnablingState", JoinPermissionId=pid, Enabled=False)
        eq(owner.call("GetOwnedJoinPermission", JoinPermissionId=pid)["Data"]["Enabled"], False, "Enabled")
        disabled = owner.call("ListOwnedJoinPermissions", Offset=0, Limit=10, Enabled=False)
        expect(owned_item(disabled, pid) is not None, "not listed with Enabled=False")
        owner.call("UpdateOwnedLocalJoinPermissionEnablingState", JoinPermissionId=pid, Enabled=True)
        eq(owner.call("GetOwnedJoinPermission", JoinPermissionId=pid)["Data"]["Enabled"], True, "Enabled")
        s.say("false, listed as disabled, true again")

    with Step("L7", "owner SubmitJoinPermissionAuthOrder to the renter") as s:
        owner.refused("SubmitJoinPermissionAuthOrder", "RenterDoesNotExist", JoinPermissionId=pid,
                      RenterAliyunId="nobody_here")
        a = owner.call("SubmitJoinPermissionAuthOrder", JoinPermissionId=pid, RenterAliyunId=renter_id)
        order = a.get("Data")
        expect(isinstance(order, str) and order.isdigit(), f"Data should be the order id as a numeric string, got {order!r}")
        d = owner.call("GetOwnedJoinPermission", JoinPermissionId=pid)["Data"]
        eq(d["AuthState"], "APPLYING", "AuthState")
        eq(d.get("RenterAliyunId"), renter_id, "RenterAliyunId")
        listed = owner.call("ListOwnedJoinPermissions", Offset=0, Limit=10, FuzzyRenterAliyunId=renter_id)
        expect(owned_item(listed, pid) is not None, "not listed by FuzzyRenterAliyunId")
        s.say(f"order {order}; the permission APPLYING to {renter_id}; an unknown renter → RenterDoesNotExist")

    with Step("L8", "owner refusals while the order waits") as s:
        owner.refused("SubmitJoinPermissionAuthOrder", "JoinPermissionAlreadyAuthorized",
                      JoinPermissionId=pid, RenterAliyunId=renter_id)
        owner.refused("UpdateOwnedLocalJoinPermission", "JoinPermissionAlreadyAuthorized",
                      JoinPermissionId=pid, RxDelay=4)
        s.say("a second order and an update → JoinPermissionAlreadyAuthorized")

    with Step("L9", "renter ListNotifications finds the offer") as s:
        a = renter.call("ListNotifications", Offset=0, Limit=10, Categorys=["JOIN_PERMISSION_AUTH_APPLYING"],
                        HandleState="UNHANDLED")
        mine = [n for n in a["Data"]["List"] if str(n["JoinPermissionAuthInfo"].get("OrderId")) == order]
        eq(len(mine), 1, "notifications of the order")
        n = mine[0]
        eq(n["Category"], "JOIN_PERMISSION_AUTH_APPLYING", "Category")
        info = n["JoinPermissionAuthInfo"]
        eq(str(info["JoinPermissionId"]), pid, "JoinPermissionAuthInfo.JoinPermissionId")
        eq(info["OwnerAliyunId"], owner_id, "JoinPermissionAuthInfo.OwnerAliyunId")
        eq(info["JoinPermissionName"], name, "JoinPermissionAuthInfo.JoinPermissionName")
        s.say(f"notification {n['NotificationId']}, {n['Category']}, {n['HandleState']}")

    with Step("L10", "renter GetJoinPermissionAuthOrder") as s:
        d = renter.call("GetJoinPermissionAuthOrder", OrderId=order)["Data"]
        eq(d["OrderId"], order, "OrderId (a string)")
        eq(d["JoinPermissionId"], pid, "JoinPermissionId (a string)")
        eq(d["OrderState"], "APPLYING", "OrderState")
        eq((d["OwnerAliyunId"], d["RenterAliyunId"]), (owner_id, renter_id), "(OwnerAliyunId, RenterAliyunId)")
        expect(isinstance(d.get("ApplyingMillis"), int), f"ApplyingMillis {d.get('ApplyingMillis')!r}")
        expect("AcceptedMillis" not in d, "AcceptedMillis before acceptance")
        renter.refused("GetRentedJoinPermission", "NotResourceOwner", JoinPermissionId=pid)
        s.say("APPLYING; not rented yet (GetRentedJoinPermission → NotResourceOwner)")

    with Step("L11", "renter AcceptJoinPermissionAuthOrder") as s:
        renter.call("AcceptJoinPermissionAuthOrder", OrderId=order)
        d = renter.call("GetJoinPermissionAuthOrder", OrderId=order)["Data"]
        eq(d["OrderState"], "ACCEPTED", "OrderState")
        expect(isinstance(d.get("AcceptedMillis"), int), f"AcceptedMillis {d.get('AcceptedMillis')!r}")
        d = owner.call("GetOwnedJoinPermission", JoinPermissionId=pid)["Data"]
        eq(d["AuthState"], "ACCEPTED", "the owner's AuthState")
        eq(d.get("RenterAliyunId"), renter_id, "RenterAliyunId")
        s.say("order ACCEPTED, the owner sees AuthState ACCEPTED")

    with Step("L12", "refused transitions (ServerException codes)") as s:
        e = renter.refused("AcceptJoinPermissionAuthOrder", "IllegalOrderStateTransition", OrderId=order)
        owner.refused("CancelJoinPermissionAuthOrder", "IllegalOrderStateTransition", OrderId=order)
        owner.refused("AcceptJoinPermissionAuthOrder", "NotResourceOwner", OrderId=order)
        owner.refused("DeleteLocalJoinPermission", "JoinPermissionAlreadyAuthorized", JoinPermissionId=pid)
        s.say(f"accept again → {e.get_error_code()} (HTTP {e.get_http_status()}); cancel → same; "
              "the owner accepting → NotResourceOwner; delete while rented → JoinPermissionAlreadyAuthorized")

    with Step("L13", "owner ListNotifications hears of the acceptance") as s:
        a = owner.call("ListNotifications", Offset=0, Limit=10, Categorys=["JOIN_PERMISSION_AUTH_ACCEPTED"])
        mine = [n for n in a["Data"]["List"] if str(n["JoinPermissionAuthInfo"].get("OrderId")) == order]
        eq(len(mine), 1, "ACCEPTED notifications of the order")
        eq(mine[0]["JoinPermissionAuthInfo"]["OrderState"], "ACCEPTED", "JoinPermissionAuthInfo.OrderState")
        s.say(f"notification {mine[0]['NotificationId']}, JOIN_PERMISSION_AUTH_ACCEPTED")

    with Step("L14", "renter ListRentedJoinPermissions / CountRentedJoinPermissions / GetRentedJoinPermission") as s:
        a = renter.call("ListRentedJoinPermissions", Offset=0, Limit=10)
        items = [i for i in a["Data"]["List"] if str(i["JoinPermissionId"]) == pid]
        eq(len(items), 1, "rented items with the id")
        i = items[0]
        eq(i["OwnerAliyunId"], owner_id, "OwnerAliyunId")
        eq(i["Type"], "LOCAL", "Type")
        eq(i["JoinPermissionName"], name, "JoinPermissionName")
        eq(i["ClassMode"], "C", "ClassMode")
        eq(i["Enabled"], True, "Enabled")
        eq(renter.call("CountRentedJoinPermissions")["Data"], a["Data"]["TotalCount"], "CountRented Data")
        d = renter.call("GetRentedJoinPermission", JoinPermissionId=pid)["Data"]
        eq(str(d["JoinPermissionId"]), pid, "JoinPermissionId")
        eq(d["Type"], "LOCAL", "Type")
        eq((d["ClassMode"], d["RxDelay"], d["DataRate"]), ("C", 3, 2), "(ClassMode, RxDelay, DataRate)")
        s.say(f"{a['Data']['TotalCount']} rented, {pid} LOCAL from {owner_id}")

    with Step("L15", "renter ReturnJoinPermission") as s:
        renter.refused("ReturnJoinPermission", "InvalidParameter", JoinPermissionId=pid, JoinPermissionType="OTHER")
        renter.call("ReturnJoinPermission", JoinPermissionId=pid, JoinPermissionType="LOCAL")
        renter.refused("GetRentedJoinPermission", "NotResourceOwner", JoinPermissionId=pid)
        d = owner.call("GetOwnedJoinPermission", JoinPermissionId=pid)["Data"]
        eq(d["AuthState"], "NEW", "the owner's AuthState after the return")
        expect("RenterAliyunId" not in d, "RenterAliyunId after the return")
        s.say("returned: the renter no longer rents it, the owner sees NEW without renter")

    with Step("L16", "owner with STS credentials (SecurityToken with + / =)") as s:
        from aliyunsdkcore.auth.credentials import StsTokenCredential

        temp = Legacy(endpoint, "", "", credential=StsTokenCredential(*sts))
        eq(temp.call("CountOwnedJoinPermissions")["Data"], total, "CountOwnedJoinPermissions Data")
        s.say("the temporary key acts as the owner")

    with Step("L17", "owner DeleteLocalJoinPermission") as s:
        owner.call("DeleteLocalJoinPermission", JoinPermissionId=pid)
        owner.refused("GetOwnedJoinPermission", "NonExistent", JoinPermissionId=pid)
        eq(owner.call("CountOwnedJoinPermissions")["Data"], total - 1, "CountOwnedJoinPermissions Data")
        d = renter.call("GetJoinPermissionAuthOrder", OrderId=order)["Data"]
        eq(d["OrderState"], "ACCEPTED", "the order stays readable")
        s.say(f"gone (NonExistent), {total - 1} owned, order {order} still readable")


# --------------------------------------------------------------------------------------------
# Dysmsapi with the Tea SDK


def tea_config_class():
    try:  # alibabacloud_tea_openapi 0.4.x
        from alibabacloud_tea_openapi.utils_models import Config
    except ImportError:  # older releases
        from alibabacloud_tea_openapi.models import Config
    return Config


def recording_client_class():
    from alibabacloud_dysmsapi20170525.client import Client

    class RecordingClient(Client):
        """The SDK's client, unchanged, except that it keeps the last raw answer it decoded."""

        signing_path: str | None = None

        def call_api(self, params, request, runtime):
            RUN.last_raw = None
            self.signing_path = None
            raw = super().call_api(params, request, runtime)
            RUN.last_raw = raw.get("body") if isinstance(raw, dict) else raw
            return raw

        # Which of the SDK's request paths call_api chose: V3 or RPC v1.
        def do_request(self, *args, **kwargs):
            self.signing_path = "v3"
            return super().do_request(*args, **kwargs)

        def do_rpcrequest(self, *args, **kwargs):
            self.signing_path = "v1"
            return super().do_rpcrequest(*args, **kwargs)

    return RecordingClient


def type_problems(value, hint, path: str) -> list[str]:
    """Where `value` is not of the type the Tea model declares (`hint`)."""
    from darabonba.model import DaraModel

    if hint is typing.Any or value is None:
        return []
    origin = typing.get_origin(hint)
    if origin is typing.Union:
        args = [a for a in typing.get_args(hint) if a is not type(None)]
        if any(not type_problems(value, a, path) for a in args):
            return []
        return [f"{path}: {type(value).__name__} {value!r} is none of {args}"]
    if origin in (list, typing.List):
        if not isinstance(value, list):
            return [f"{path}: declared a list, got {type(value).__name__} {value!r}"]
        (item,) = typing.get_args(hint) or (typing.Any,)
        out: list[str] = []
        for n, element in enumerate(value):
            out += type_problems(element, item, f"{path}[{n}]")
        return out
    if origin in (dict, typing.Dict):
        return [] if isinstance(value, dict) else [f"{path}: declared a map, got {type(value).__name__} {value!r}"]
    if isinstance(hint, type) and issubclass(hint, DaraModel):
        if not isinstance(value, hint):
            return [f"{path}: declared {hint.__name__}, got {type(value).__name__}"]
        return model_type_problems(value, path)
    if hint is bool:
        ok = isinstance(value, bool)
    elif hint is int:
        ok = isinstance(value, int) and not isinstance(value, bool)
    elif hint is float:
        ok = isinstance(value, (int, float)) and not isinstance(value, bool)
    elif hint is str:
        ok = isinstance(value, str)
    else:
        return []  # streams and the like: not in these answers
    return [] if ok else [f"{path}: declared {hint.__name__}, got {type(value).__name__} {value!r}"]


def model_type_problems(model, path: str) -> list[str]:
    cls = type(model)
    hints = typing.get_type_hints(cls.__init__, globalns=vars(sys.modules[cls.__module__]))
    out: list[str] = []
    for name, hint in hints.items():
        if name == "return":
            continue
        out += type_problems(getattr(model, name, None), hint, f"{path}.{name}")
    return out


def unmodeled(raw, mapped, path: str) -> list[str]:
    """Wire fields present in the raw answer that the model dropped (its to_map lacks them)."""
    out: list[str] = []
    if isinstance(raw, dict) and isinstance(mapped, dict):
        for key, value in raw.items():
            if key not in mapped:
                out.append(f"{path}.{key}")
            else:
                out += unmodeled(value, mapped[key], f"{path}.{key}")
    elif isinstance(raw, list) and isinstance(mapped, list):
        for n, (r, m) in enumerate(zip(raw, mapped)):
            out += unmodeled(r, m, f"{path}[{n}]")
    return out


class Tea:
    def __init__(self, endpoint: str, key_id: str, secret: str, signature: str, token: str | None = None) -> None:
        from darabonba.runtime import RuntimeOptions

        Config = tea_config_class()
        kwargs = dict(access_key_id=key_id, access_key_secret=secret, endpoint=endpoint, protocol="http")
        if token:
            kwargs["security_token"] = token
        if signature == "v1":
            kwargs["signature_algorithm"] = "v2"  # the Tea name of RPC HMAC-SHA1 signature v1
        self.client = recording_client_class()(Config(**kwargs))
        self.runtime = RuntimeOptions
        self.signature = signature

    def _invoke(self, action: str, params: dict):
        from alibabacloud_dysmsapi20170525 import models

        snake = re.sub(r"(?<!^)(?=[A-Z])", "_", action).lower()
        request = getattr(models, f"{action}Request")().from_map(params)
        RUN.last_request = f"Dysmsapi {action} ({self.signature}) {params}"
        return getattr(self.client, f"{snake}_with_options")(request, self.runtime())

    def call(self, action: str, params: dict, code: str = "OK"):
        """The typed response body of a call answered HTTP 200 with `Code` == `code`."""
        from alibabacloud_tea_openapi import exceptions
        from darabonba.exceptions import UnretryableException

        try:
            response = self._invoke(action, params)
        except exceptions.ClientException as e:
            if e.code in ("SignatureDoesNotMatch", "IncompleteSignature"):
                raise Defect(f"{action}: the emulator refused the Tea SDK's {self.signature} signature: "
                             f"{e.code} {e.message}") from e
            raise Mismatch(f"{action}: expected HTTP 200 Code {code}, got ClientException "
                           f"HTTP {e.status_code} {e.code}: {e.message}") from e
        except UnretryableException as e:
            # Transport failures and answers that are not JSON end here (retries are off).
            raise Defect(f"{action}: the Tea SDK could not read the answer: {e}") from e
        except (AttributeError, TypeError, KeyError, ValueError) as e:
            raise Defect(f"{action}: the Tea SDK could not decode the answer into its model "
                         f"({type(e).__name__}: {e})") from e
        eq(response.status_code, 200, f"{action} HTTP status")
        eq(self.client.signing_path, self.signature, f"{action}: the SDK's signing path")
        body = response.body
        problems = model_type_problems(body, f"{action}ResponseBody")
        if problems:
            raise Defect(f"{action}: the answer decodes into the SDK's model, but with values of another "
                         f"type than the model declares: {'; '.join(problems)}")
        if isinstance(RUN.last_raw, dict):
            for extra in unmodeled(RUN.last_raw, body.to_map(), action):
                RUN.note(f"{extra}: answered by the emulator, not in the Tea SDK's model (ignored by it)")
        expect(isinstance(body.request_id, str) and body.request_id != "", f"{action}: no RequestId")
        eq(body.code, code, f"{action} Code (Message {body.message!r})")
        return body

    def refused(self, action: str, params: dict, code: str, status: int):
        """A call refused with HTTP `status` >= 400: the Tea SDK raises ClientException."""
        from alibabacloud_tea_openapi import exceptions

        try:
            response = self._invoke(action, params)
        except exceptions.ClientException as e:
            eq(e.code, code, f"{action} error code (message {e.message!r})")
            eq(e.status_code, status, f"{action} HTTP status")
            return e
        raise Mismatch(f"{action}: expected ClientException {code}, got HTTP {response.status_code} "
                       f"Code {response.body.code}")


def sms_workflow(endpoint: str, base: str, owner_acct, sts, signature: str) -> None:
    label = "V3 ACS3-HMAC-SHA256 (default)" if signature == "v3" else "RPC v1 HMAC-SHA1 (signature_algorithm='v2')"
    print(f"Dysmsapi 2017-05-25, Tea SDK, {label}: as {owner_acct[0]}")
    sms = Tea(endpoint, owner_acct[1], owner_acct[2], signature)
    k = f"S{signature[-1]}."  # S3.n for V3, S1.n for v1
    sign_name = "云栖物联"
    phone = "13800000000"
    failing_phone = "13900000009"

    with Step(k + "0", "reset the emulator (POST /_emulator/reset)") as s:
        eq(control(base, "POST", "/_emulator/reset").get("reset"), True, "reset")

    with Step(k + "1", "gateway checks the Tea SDK's signature (wrong secret)") as s:
        wrong = Tea(endpoint, owner_acct[1], owner_acct[2] + "x", signature)
        e = wrong.refused("QuerySmsSignList", {"PageIndex": 1, "PageSize": 10}, "SignatureDoesNotMatch", 400)
        s.say(f"ClientException {e.code}")

    with Step(k + "2", "CreateSmsSign (verification codes, the owner's qualification)") as s:
        b = sms.call("CreateSmsSign", {"SignName": sign_name, "SignSource": 0, "SignType": 0,
                                       "QualificationId": SMS_QUALIFICATION_ID,
                                       "Remark": "login codes for our app"})
        eq(b.sign_name, sign_name, "SignName")
        expect(bool(b.order_id), "no OrderId")
        s.say(f"{b.sign_name}, OrderId {b.order_id}")
        sms.refused("CreateSmsSign", {"SignName": sign_name, "SignSource": 0, "SignType": 0,
                                      "QualificationId": SMS_QUALIFICATION_ID, "Remark": "again"},
                    "SignName.Exists", 400)

    with Step(k + "3", "GetSmsSign: pending") as s:
        b = sms.call("GetSmsSign", {"SignName": sign_name})
        eq(b.sign_status, 0, "SignStatus")
        eq(b.sign_name, sign_name, "SignName")
        eq(str(b.qualification_id), str(SMS_QUALIFICATION_ID), "QualificationId")
        pending = control(base, "GET", "/_emulator/sms/audits")["pending"]
        expect(any(p["kind"] == "sign" and p["name"] == sign_name for p in pending),
               f"the signature is not in GET /_emulator/sms/audits: {pending}")
        s.say("SignStatus 0; listed by GET /_emulator/sms/audits")

    with Step(k + "4", "the reviewer approves it (POST /_emulator/sms/audits)") as s:
        r = control(base, "POST", "/_emulator/sms/audits", {"kind": "sign", "name": sign_name, "decision": "approve"})
        eq(r, {"kind": "sign", "decided": True}, "the control answer")
        b = sms.call("GetSmsSign", {"SignName": sign_name})
        eq(b.sign_status, 1, "SignStatus")
        expect(b.audit_info is not None and bool(b.audit_info.audit_date), "AuditInfo.AuditDate once decided")
        s.say(f"SignStatus 1, AuditDate {b.audit_info.audit_date}")

    with Step(k + "5", "CreateSmsTemplate tied to it") as s:
        b = sms.call("CreateSmsTemplate", {"TemplateName": "登录验证码",
                                           "TemplateContent": "您的验证码为${code}，5分钟内有效。",
                                           "TemplateType": 0, "RelatedSignName": sign_name,
                                           "Remark": "login codes for our app"})
        template = b.template_code
        expect(bool(template) and template.startswith("SMS_"), f"TemplateCode {template!r}")
        eq(b.template_name, "登录验证码", "TemplateName")
        t = sms.call("GetSmsTemplate", {"TemplateCode": template})
        eq(t.template_status, "0", "GetSmsTemplate TemplateStatus")
        eq(t.related_sign_name, sign_name, "RelatedSignName")
        s.say(f"{template}, TemplateStatus '0'")

    send = {"PhoneNumbers": phone, "SignName": sign_name, "TemplateParam": json.dumps({"code": "4821"})}

    with Step(k + "6", "SendSms before the template's approval") as s:
        b = sms.call("SendSms", dict(send, TemplateCode=template), code="isv.SMS_TEMPLATE_ILLEGAL")
        s.say(f"HTTP 200, Code {b.code}: {b.message}")

    with Step(k + "7", "the reviewer approves the template") as s:
        r = control(base, "POST", "/_emulator/sms/audits", {"kind": "template", "code": template})
        eq(r, {"kind": "template", "decided": True}, "the control answer")
        eq(sms.call("GetSmsTemplate", {"TemplateCode": template}).template_status, "1", "TemplateStatus")
        s.say("TemplateStatus '1'")

    send["TemplateCode"] = template
    with Step(k + "8", "SendSms with TemplateParam") as s:
        b = sms.call("SendSms", send)
        biz_id = b.biz_id
        expect(bool(re.fullmatch(r"\d{18}\^0", biz_id or "")), f"BizId {biz_id!r} is not <18 digits>^0")
        today = send_day(base, phone, biz_id)
        s.say(f"BizId {biz_id}, in the outbox (GET /_emulator/sms/messages)")

    with Step(k + "9", "a second code to the number within the minute") as s:
        b = sms.call("SendSms", send, code="isv.BUSINESS_LIMIT_CONTROL")
        s.say(f"HTTP 200, Code {b.code}: {b.message}")

    query = {"PhoneNumber": phone, "SendDate": today, "PageSize": 10, "CurrentPage": 1}
    content = f"【{sign_name}】您的验证码为4821，5分钟内有效。"

    with Step(k + "10", "QuerySendDetails at once: waiting for the receipt") as s:
        b = sms.call("QuerySendDetails", query)
        eq(b.total_count, "1", "TotalCount (a numeric string)")
        dtos = b.sms_send_detail_dtos.sms_send_detail_dto
        eq(len(dtos), 1, "SmsSendDetailDTO items")
        m = dtos[0]
        eq(m.send_status, 1, "SendStatus")
        eq(m.phone_num, phone, "PhoneNum")
        eq(m.template_code, template, "TemplateCode")
        eq(m.content, content, "Content")
        expect(not m.receive_date, f"ReceiveDate before the receipt: {m.receive_date!r}")
        s.say(f"SendDate={today} (the send's day in China, services' clock): SendStatus 1, {m.content}")

    with Step(k + "11", "POST /_emulator/clock {advance_seconds: 60}, QuerySendDetails: delivered") as s:
        before = control(base, "GET", "/_emulator/clock")["offset_seconds"]
        clock = control(base, "POST", "/_emulator/clock", {"advance_seconds": 60})
        eq(clock["offset_seconds"] - before, 60, "the services' clock offset moved by")
        b = sms.call("QuerySendDetails", query)
        m = b.sms_send_detail_dtos.sms_send_detail_dto[0]
        eq((m.send_status, m.err_code), (3, "DELIVERED"), "(SendStatus, ErrCode)")
        expect(bool(m.receive_date) and bool(m.send_date), f"ReceiveDate {m.receive_date!r}, SendDate {m.send_date!r}")
        expect(m.send_date.replace("-", "").startswith(today), f"SendDate {m.send_date!r} is not on {today}")
        s.say(f"SendStatus 3 DELIVERED, SendDate {m.send_date}, ReceiveDate {m.receive_date}")

    with Step(k + "12", "a minute later the next code goes through") as s:
        b = sms.call("SendSms", dict(send, TemplateParam=json.dumps({"code": "5937"})))
        s.say(f"BizId {b.biz_id}")

    with Step(k + "13", "a failed receipt (POST /_emulator/sms/receipts) → SendStatus 2") as s:
        control(base, "POST", "/_emulator/sms/receipts",
                {"phone_number": failing_phone, "receipt": "failed", "err_code": "MK:0012"})
        sent = sms.call("SendSms", dict(send, PhoneNumbers=failing_phone))
        day = send_day(base, failing_phone, sent.biz_id)
        control(base, "POST", "/_emulator/clock", {"advance_seconds": 5})
        b = sms.call("QuerySendDetails", {"PhoneNumber": failing_phone, "SendDate": day, "PageSize": 10,
                                          "CurrentPage": 1, "BizId": sent.biz_id})
        m = b.sms_send_detail_dtos.sms_send_detail_dto[0]
        eq((m.send_status, m.err_code), (2, "MK:0012"), "(SendStatus, ErrCode)")
        s.say(f"{failing_phone}: SendStatus 2, ErrCode {m.err_code}")

    if signature == "v3":
        with Step(k + "14", "the owner with STS credentials (x-acs-security-token)") as s:
            temp = Tea(endpoint, sts[0], sts[1], signature, token=sts[2])
            eq(temp.call("GetSmsSign", {"SignName": sign_name}).sign_status, 1, "SignStatus")
            s.say("GetSmsSign as the owner")


# --------------------------------------------------------------------------------------------


def triple(text: str) -> tuple[str, str, str]:
    parts = text.split(":", 2)
    if len(parts) != 3 or not all(parts):
        raise argparse.ArgumentTypeError("expected three values separated by ':'")
    return tuple(parts)  # type: ignore[return-value]


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--endpoint", required=True, help="the emulator, HOST:PORT")
    parser.add_argument("--owner", type=triple, default=DEFAULT_OWNER, metavar="ALIYUNID:KEY:SECRET")
    parser.add_argument("--renter", type=triple, default=DEFAULT_RENTER, metavar="ALIYUNID:KEY:SECRET")
    parser.add_argument("--sts", type=triple, default=DEFAULT_STS, metavar="KEY:SECRET:TOKEN")
    parser.add_argument("--sms-signatures", default="v3,v1")
    parser.add_argument("--only", choices=["linkwan", "sms"])
    args = parser.parse_args()

    endpoint = re.sub(r"^https?://", "", args.endpoint).rstrip("/")
    base = f"http://{endpoint}"
    signatures = [s.strip() for s in args.sms_signatures.split(",") if s.strip()]
    if any(s not in ("v3", "v1") for s in signatures):
        parser.error("--sms-signatures takes v3 and/or v1")

    try:
        import aliyunsdkcore
        import alibabacloud_dysmsapi20170525  # noqa: F401
    except ImportError as e:
        print(f"the official SDKs are not installed in this Python ({sys.executable}): {e}", file=sys.stderr)
        return 2

    print(f"Official Python SDKs against the emulator at {base}")
    try:
        with Step("R", "POST /_emulator/reset") as s:
            r = control(base, "POST", "/_emulator/reset")
            eq(r.get("reset"), True, "reset")
            s.say(f"services' clock {r['clock'].get('services_time')}")
        if args.only in (None, "linkwan"):
            linkwan_workflow(endpoint, base, args.owner, args.renter, args.sts)
        if args.only in (None, "sms"):
            for signature in signatures:
                sms_workflow(endpoint, base, args.owner, args.sts, signature)
    except Exception as e:  # noqa: BLE001 - every failure ends the run with its report
        defect = isinstance(e, Defect)
        print()
        print(f"{'EMULATOR DEFECT?' if defect else 'MISMATCH'} at {RUN.current}:", file=sys.stderr)
        print(f"  {type(e).__name__}: {e}", file=sys.stderr)
        if RUN.last_request:
            print(f"  request: {RUN.last_request}", file=sys.stderr)
        if RUN.last_raw is not None:
            raw = RUN.last_raw
            if isinstance(raw, bytes):
                raw = raw.decode("utf-8", errors="replace")
            if not isinstance(raw, str):
                raw = json.dumps(raw, ensure_ascii=False)
            print(f"  answer:  {raw[:2000]}", file=sys.stderr)
        if not isinstance(e, Mismatch) or e.__cause__ is not None:
            print("  traceback:", file=sys.stderr)
            traceback.print_exception(e, file=sys.stderr)
        print(f"FAILED after {RUN.passed} step(s) passed.", file=sys.stderr)
        return 1

    for text in RUN.notes:
        print(f"  note: {text}")
    ran = {None: "both workflows", "linkwan": "the LinkWAN workflow", "sms": "the SMS workflow"}[args.only]
    print(f"ALL {RUN.passed} STEPS PASSED: the official SDKs drove {ran}; every answer decoded.")
    return 0


if __name__ == "__main__":
    sys.exit(main())
