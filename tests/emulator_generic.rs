//! The emulator's generic layer: every modeled LinkWAN and Dysmsapi action is checked against
//! its model and answered with a body of the modeled shape, over real HTTP, through the typed
//! client and `aliyun::RawRequest`.

mod common;
mod generic_support;

use std::collections::BTreeSet;

use alibaba_openapi::aliyun::{self, linkwan, sms, Credentials, SignatureVersion};
use alibaba_openapi::emulator::{accounts, Emulator, Fault, Injection};
use alibaba_openapi::transport::{CallOptions, RetryPolicy};
use generic_support::{linkwan_raw, refused, sms_raw, without_request_id};
use serde_json::json;

const EUI: &str = "70B3D57ED0001A2B";

fn get_gateway(eui: &str) -> linkwan::GetGateway {
    linkwan::GetGateway::builder().gw_eui(eui).build().unwrap()
}

#[tokio::test]
async fn a_get_action_decodes_into_its_typed_answer_with_every_field() {
    let env = common::start().await;
    let answer = env.aliyun.send(&get_gateway(EUI)).await.unwrap();
    assert_eq!(answer.success, Some(true));
    assert!(!answer.request_id.is_empty());
    let data = answer.data.expect("Data");
    assert_eq!(data.gw_eui.as_deref(), Some(EUI), "the EUI asked for");
    assert_eq!(data.enabled, Some(true));
    let embedded = data.embedded_ns_id.expect("EmbeddedNsId");
    assert!(embedded.bytes().all(|b| b.is_ascii_digit()), "{embedded}");
    assert!(data.name.is_some() && data.city.is_some());
    assert!(data.longitude.is_some_and(|x| (120.0..121.0).contains(&x)));
    assert!(data.freq_band_plan_group_id.is_some_and(|n| n > 0));
    let changed = data.online_state_changed_at.expect("a time");
    let age = env.emulator.now() - changed;
    assert!(
        age >= chrono::Duration::zero() && age <= chrono::Duration::days(31),
        "{age}"
    );
}

#[tokio::test]
async fn an_sms_send_answers_in_the_dysmsapi_envelope() {
    let env = common::start().await;
    let send = sms::SendSms::builder()
        .phone_numbers("13800000000,13900000000")
        .sign_name("阿里云短信测试")
        .template_code("SMS_154950909")
        .template_param(json!({"code": "1234"}))
        .build()
        .unwrap();
    let answer = env.aliyun.send(&send).await.unwrap();
    assert_eq!(answer.code.as_deref(), Some("OK"));
    assert_eq!(answer.message.as_deref(), Some("OK"));
    let biz_id = answer.biz_id.expect("BizId");
    assert!(biz_id.ends_with("^0") && biz_id.len() > 10, "{biz_id}");

    // Sends keep state (see tests/workflow_sms.rs); the seeded test signature and template
    // send at once, to a number not just sent a verification code.
    let raw = sms_raw("SendSms")
        .param("PhoneNumbers", "13700000000")
        .param("SignName", "阿里云短信测试")
        .param("TemplateCode", "SMS_154950909")
        .param("TemplateParam", r#"{"code":"1234"}"#);
    let body = env.aliyun.call(&raw).await.unwrap();
    assert!(
        body["RequestId"].as_str().unwrap().ends_with('\n'),
        "{body}"
    );
    assert_eq!(
        (body["Code"].as_str(), body["Message"].as_str()),
        (Some("OK"), Some("OK"))
    );
}

#[tokio::test]
async fn nested_objects_lists_and_enums_decode_into_typed_answers() {
    let env = common::start().await;
    // A Dysmsapi answer with an object holding a list of objects with an enum.
    let details = sms::GetCardSmsDetails::builder()
        .phone_number("13800000000")
        .send_date("20240101")
        .current_page(1)
        .page_size(10)
        .build()
        .unwrap();
    let answer = env.aliyun.send(&details).await.unwrap();
    let dto = answer.card_send_detail_dto.expect("CardSendDetailDTO");
    assert_eq!(dto.total_count, Some(7));
    let records = dto.records.expect("a list of objects");
    assert_eq!(records.len(), 7);
    for record in &records {
        assert_eq!(
            record.phone_number.as_deref(),
            Some("13800000000"),
            "the number asked for"
        );
        assert!(!matches!(
            record.send_status,
            Some(sms::SendStatus::Unknown(_)) | None
        ));
        assert!(record.send_date.as_deref().is_some_and(|d| d.len() == 19));
    }

    // A listing's items: enums, a nested object, a list of objects.
    let groups = linkwan::ListNodeGroups::builder()
        .offset(0)
        .limit(10)
        .build()
        .unwrap();
    let data = env.aliyun.send(&groups).await.unwrap().data.unwrap();
    let list = data.list.unwrap();
    assert_eq!((list.len(), data.total_count), (7, Some(7)));
    for item in &list {
        assert!(!matches!(
            item.class_mode,
            Some(linkwan::ClassMode::Unknown(_)) | None
        ));
        assert!(!matches!(
            item.join_permission_type,
            Some(linkwan::JoinPermissionType::Unknown(_)) | None
        ));
        let config = item.data_dispatch_config.as_ref().unwrap();
        assert!(config.iot_product.as_ref().unwrap().product_key.is_some());
        let locks = item.locks.as_ref().unwrap();
        assert!(!locks.is_empty() && locks.iter().all(|l| l.create_at.is_some()));
    }
    let ids: BTreeSet<_> = list.iter().map(|i| i.node_group_id.clone()).collect();
    assert_eq!(ids.len(), 7);
}

#[tokio::test]
async fn the_same_request_gets_the_same_answer_and_another_request_another() {
    let env = common::start().await;
    let ask = |eui: &str| linkwan_raw("GetGateway").param("GwEui", eui);
    let first = without_request_id(env.aliyun.call(&ask(EUI)).await.unwrap());
    let again = without_request_id(env.aliyun.call(&ask(EUI)).await.unwrap());
    assert_eq!(first, again);
    let other = without_request_id(env.aliyun.call(&ask("0000000000000001")).await.unwrap());
    assert_ne!(first["Data"]["EmbeddedNsId"], other["Data"]["EmbeddedNsId"]);
    assert_ne!(first["Data"]["Name"], other["Data"]["Name"]);

    // Parameter order does not matter: the answer is seeded by the sorted parameters.
    let shorten = |a: (&str, &str), b: (&str, &str)| {
        sms_raw("AddShortUrl")
            .param("EffectiveDays", "7")
            .param(a.0, a.1)
            .param(b.0, b.1)
    };
    let name = ("ShortUrlName", "promo");
    let source = ("SourceUrl", "https://example.com/promo");
    let one = env.aliyun.call(&shorten(name, source)).await.unwrap();
    let two = env.aliyun.call(&shorten(source, name)).await.unwrap();
    assert_eq!(one["Data"], two["Data"]);
}

#[tokio::test]
async fn missing_required_parameters_are_named_in_each_style() {
    let env = common::start().await;
    let client = &env.aliyun;

    // Dysmsapi, a scalar: the current gateway's `Missing<Name>`.
    let no_sign = sms_raw("SendSms")
        .param("PhoneNumbers", "13800000000")
        .param("TemplateCode", "SMS_1");
    assert_eq!(
        refused(client, no_sign).await,
        (
            400,
            "MissingSignName".into(),
            "SignName is mandatory for this action.".into()
        )
    );
    // A repeatList (`TemplateCodes.1`, ...).
    let (status, code, _) = refused(client, sms_raw("QueryCardSmsTemplateReport")).await;
    assert_eq!((status, code.as_str()), (400, "MissingTemplateCodes"));
    // A flatList (`Tag.1.Key`, ...).
    let no_tag = sms_raw("TagResources")
        .param("RegionId", "cn-hangzhou")
        .param("ResourceType", "TEMPLATE");
    let (status, code, _) = refused(client, no_tag).await;
    assert_eq!((status, code.as_str()), (400, "MissingTag"));
    // A json-style list.
    let (status, code, message) = refused(client, sms_raw("QuerySmsAppIcpRecord")).await;
    assert_eq!((status, code.as_str()), (400, "MissingAppIcpRecordIdList"));
    assert_eq!(message, "AppIcpRecordIdList is mandatory for this action.");

    // LinkWAN answers `MissingParameter`, as its seeded actions do.
    let no_ids =
        linkwan_raw("UpdateNotificationsHandleState").param("TargetHandleState", "HANDLED");
    let (status, code, message) = refused(client, no_ids).await;
    assert_eq!((status, code.as_str()), (400, "MissingParameter"));
    assert!(message.contains("\"NotificationId\""), "{message}");
}

#[tokio::test]
async fn mistyped_values_are_invalid_parameter() {
    let env = common::start().await;
    let client = &env.aliyun;
    let listing = |offset: &str, limit: &str| {
        linkwan_raw("ListOwnedJoinPermissions")
            .param("Offset", offset)
            .param("Limit", limit)
    };
    let (status, code, message) = refused(client, listing("0", "ten")).await;
    assert_eq!((status, code.as_str()), (400, "InvalidParameter"));
    assert!(
        message.contains("\"Limit\"") && message.contains("integer"),
        "{message}"
    );

    let (_, code, message) = refused(client, listing("0", "2").param("Enabled", "yes")).await;
    assert_eq!(code, "InvalidParameter");
    assert!(message.contains("\"Enabled\""), "{message}");
    // Booleans in any case.
    client
        .call(&listing("0", "2").param("Enabled", "TRUE"))
        .await
        .unwrap();

    let batch = sms_raw("SendBatchSms")
        .param("PhoneNumberJson", "[\"13800000000\"")
        .param("SignNameJson", "[\"阿里云\"]")
        .param("TemplateCode", "SMS_1");
    let (_, code, message) = refused(client, batch).await;
    assert_eq!(code, "InvalidParameter");
    assert!(message.contains("\"PhoneNumberJson\""), "{message}");

    let object_for_list = sms_raw("QuerySmsAppIcpRecord").param("AppIcpRecordIdList", "{\"a\":1}");
    let (_, code, message) = refused(client, object_for_list).await;
    assert_eq!(code, "InvalidParameter");
    assert!(message.contains("list"), "{message}");
    let words_for_ids = sms_raw("QuerySmsAppIcpRecord").param("AppIcpRecordIdList", "[\"x\"]");
    assert_eq!(refused(client, words_for_ids).await.1, "InvalidParameter");
    let ids = sms_raw("QuerySmsAppIcpRecord").param("AppIcpRecordIdList", "[1,2]");
    client.call(&ids).await.unwrap();

    let gap = linkwan_raw("UpdateNotificationsHandleState")
        .param("TargetHandleState", "HANDLED")
        .param("NotificationId.1", "1")
        .param("NotificationId.3", "3");
    let (_, code, message) = refused(client, gap).await;
    assert_eq!(code, "InvalidParameter");
    assert!(message.contains("without gaps"), "{message}");
}

#[tokio::test]
async fn overlay_limits_are_enforced_for_clients_that_do_not_check_them() {
    let env = common::start().await;
    let client = &env.aliyun;
    let listing = linkwan_raw("ListOwnedJoinPermissions")
        .param("Offset", "0")
        .param("Limit", "201");
    let (status, code, message) = refused(client, listing).await;
    assert_eq!((status, code.as_str()), (400, "InvalidParameter"));
    assert!(
        message.contains("\"Limit\"") && message.contains("200"),
        "{message}"
    );

    // 4 to 30 characters, a Chinese character counting as two (a roaming permission: a local
    // one has state, and answers `InvalidName`).
    let create = |name: &str| {
        linkwan_raw("ApplyRoamingJoinPermission")
            .param("ClassMode", "A")
            .param("FreqBandPlanGroupId", "101")
            .param("JoinPermissionName", name)
    };
    let (_, code, message) = refused(client, create("abc")).await;
    assert_eq!(code, "InvalidParameter");
    assert!(message.contains("\"JoinPermissionName\""), "{message}");
    client.call(&create("凭证")).await.unwrap();

    // At most 20 resources. (`SendSms` answers more than 1,000 numbers with the service's
    // own `isv.MOBILE_COUNT_OVER_LIMIT`: see tests/workflow_sms.rs.)
    let many = (1..=21).fold(
        sms_raw("TagResources")
            .param("RegionId", "cn-hangzhou")
            .param("ResourceType", "TEMPLATE")
            .param("Tag.1.Key", "k")
            .param("Tag.1.Value", "v"),
        |request, i| request.param(format!("ResourceId.{i}"), format!("SMS_{i}")),
    );
    let (_, code, message) = refused(client, many).await;
    assert_eq!(code, "InvalidParameter");
    assert!(
        message.contains("\"ResourceId\"") && message.contains("20"),
        "{message}"
    );
}

#[tokio::test]
async fn a_generic_listing_pages_with_offset_and_limit_to_the_total() {
    let env = common::start().await;
    let request = linkwan::ListGateways::builder()
        .offset(0)
        .limit(2)
        .build()
        .unwrap();
    let pages = env.aliyun.paginate(request).try_collect().await.unwrap();
    let sizes: Vec<usize> = pages
        .iter()
        .map(|p| p.data.as_ref().unwrap().list.as_ref().map_or(0, Vec::len))
        .collect();
    assert_eq!(sizes, [2, 2, 2, 1]);
    assert!(pages
        .iter()
        .all(|p| p.data.as_ref().unwrap().total_count == Some(7)));
    let items: Vec<_> = pages
        .into_iter()
        .flat_map(|p| p.data.unwrap().list.unwrap())
        .collect();
    let euis: BTreeSet<_> = items.iter().map(|i| i.gw_eui.clone().unwrap()).collect();
    assert_eq!(euis.len(), 7, "distinct gateways: {euis:?}");
    for eui in &euis {
        assert!(eui.len() == 16 && eui.bytes().all(|b| b.is_ascii_hexdigit()));
    }

    // The same walk again finds the same collection; another filter another one.
    let again: Vec<_> = env
        .aliyun
        .paginate(
            linkwan::ListGateways::builder()
                .offset(0)
                .limit(3)
                .build()
                .unwrap(),
        )
        .items()
        .try_collect()
        .await
        .unwrap();
    assert_eq!(again, items, "the page size does not change the collection");
    let filtered: Vec<_> = env
        .aliyun
        .paginate(
            linkwan::ListGateways::builder()
                .offset(0)
                .limit(7)
                .fuzzy_name("x")
                .freq_band_plan_group_id(201)
                .build()
                .unwrap(),
        )
        .items()
        .try_collect()
        .await
        .unwrap();
    assert_eq!(filtered.len(), 7);
    assert!(
        filtered
            .iter()
            .all(|i| i.freq_band_plan_group_id == Some(201)),
        "the filter"
    );
    assert_ne!(filtered[0].gw_eui, items[0].gw_eui);
}

#[tokio::test]
async fn dysmsapi_page_numbers_walk_to_the_end() {
    let env = common::start().await;
    let details = sms::GetCardSmsDetails::builder()
        .phone_number("13800000000")
        .send_date("20240101")
        .current_page(1)
        .page_size(3)
        .build()
        .unwrap();
    let pages = env.aliyun.paginate(details).try_collect().await.unwrap();
    assert_eq!(pages.len(), 3);
    let items: Vec<_> = pages
        .into_iter()
        .flat_map(|p| p.card_send_detail_dto.unwrap().records.unwrap())
        .collect();
    assert_eq!(items.len(), 7);

    let raw = sms_raw("GetSmsTemplateList")
        .param("PageIndex", "3")
        .param("PageSize", "3");
    let last = env.aliyun.call(&raw).await.unwrap();
    assert_eq!(last["Data"]["List"].as_array().unwrap().len(), 1, "{last}");
    assert_eq!(last["Data"]["Total"], 7);
    let templates = sms::GetSmsTemplateList::builder()
        .page_size(2)
        .build()
        .unwrap();
    let all = env
        .aliyun
        .paginate(templates)
        .items()
        .try_collect()
        .await
        .unwrap();
    assert_eq!(all.len(), 7);
}

#[tokio::test]
async fn list_tag_resources_pages_with_next_token_to_the_end() {
    let env = common::start().await;
    let request = sms::ListTagResources::builder()
        .region_id("cn-hangzhou")
        .resource_type("TEMPLATE")
        .page_size(3)
        .build()
        .unwrap();
    let pages = env.aliyun.paginate(request).try_collect().await.unwrap();
    let sizes: Vec<usize> = pages
        .iter()
        .map(|p| p.tag_resources.as_ref().map_or(0, Vec::len))
        .collect();
    assert_eq!(sizes, [3, 3, 1]);
    assert!(pages[..2]
        .iter()
        .all(|p| p.next_token.as_deref().is_some_and(|t| !t.is_empty())));
    // The last page's `NextToken` is `""` on the wire: an empty string decodes as absent.
    assert_eq!(pages[2].next_token, None);
    let resources: BTreeSet<_> = pages
        .iter()
        .flat_map(|p| p.tag_resources.clone().unwrap())
        .map(|r| {
            assert_eq!(
                r.resource_type.as_deref(),
                Some("TEMPLATE"),
                "the filter echoed"
            );
            r.resource_id.unwrap()
        })
        .collect();
    assert_eq!(resources.len(), 7);

    let forged = sms_raw("ListTagResources")
        .param("RegionId", "cn-hangzhou")
        .param("ResourceType", "TEMPLATE")
        .param("NextToken", "not-a-token");
    assert_eq!(refused(&env.aliyun, forged).await.1, "InvalidParameter");
}

#[tokio::test]
async fn faults_and_clock_skew_apply_to_generic_actions_too() {
    let env = common::start().await;
    env.emulator
        .inject(Injection::new(Fault::throttling(None)).for_action("GetGateway"));
    env.aliyun.send(&get_gateway(EUI)).await.unwrap();
    let sent: Vec<_> = env
        .emulator
        .requests()
        .into_iter()
        .filter(|r| r.action == "GetGateway")
        .collect();
    assert_eq!(sent.len(), 2, "throttled, then retried");
    assert_eq!(sent[0].code.as_deref(), Some("Throttling.User"));
    assert!(sent[0].injected && sent[1].code.is_none());

    env.emulator
        .inject(Injection::new(Fault::ServiceUnavailable).for_action("SendSms"));
    let once = CallOptions::new().retry_policy(RetryPolicy::disabled());
    let send = sms::SendSms::builder()
        .phone_numbers("13800000000")
        .sign_name("阿里云")
        .template_code("SMS_1")
        .build()
        .unwrap();
    let err = env.aliyun.send_with(&send, &once).await.unwrap_err();
    assert_eq!(
        err.service_error().unwrap().raw_code(),
        "ServiceUnavailable"
    );

    let skewed = Emulator::builder()
        .clock_skew(chrono::Duration::minutes(20))
        .start()
        .await
        .unwrap();
    let client = common::aliyun_client(&skewed, accounts::OWNER);
    let answer = client.send(&get_gateway(EUI)).await.unwrap();
    let codes: Vec<_> = skewed.requests().into_iter().map(|r| r.code).collect();
    assert_eq!(codes, [Some("InvalidTimeStamp.Expired".to_owned()), None]);
    let changed = answer.data.unwrap().online_state_changed_at.unwrap();
    assert!(changed <= skewed.now() && skewed.now() - changed <= chrono::Duration::days(31));
}

#[tokio::test]
async fn recorded_body_params_show_send_batch_sms_json_in_the_form_body() {
    let env = common::start().await;
    let batch = sms::SendBatchSms::builder()
        .phone_number_json(["13800000000", "13900000000"])
        .sign_name_json(["sample", "sample"])
        .template_code("sample")
        .template_param_json([json!({"code": "1"}), json!({"code": "2"})])
        .build()
        .unwrap();
    let answer = env.aliyun.send(&batch).await.unwrap();
    assert!(answer.biz_id.is_some());
    let sent = env.emulator.requests().pop().unwrap();
    assert_eq!(sent.action, "SendBatchSms");
    for name in ["PhoneNumberJson", "SignNameJson", "TemplateParamJson"] {
        assert!(
            sent.body_params.contains_key(name),
            "{name}: {:?}",
            sent.body_params
        );
        assert_eq!(sent.params.get(name), sent.body_params.get(name));
    }
    assert_eq!(
        sent.body_params["PhoneNumberJson"],
        r#"["13800000000","13900000000"]"#
    );
    assert!(
        !sent.body_params.contains_key("TemplateCode"),
        "in the query"
    );
    assert!(sent.params.contains_key("TemplateCode"));

    // A query-only call records no body parameters; a refused one none at all.
    env.aliyun.send(&get_gateway(EUI)).await.unwrap();
    assert!(env
        .emulator
        .requests()
        .pop()
        .unwrap()
        .body_params
        .is_empty());
}

#[tokio::test]
async fn v3_signed_requests_are_checked_and_answered_alike() {
    let env = common::start().await;
    let v3 = aliyun::Client::builder()
        .credentials(Credentials::new(
            accounts::OWNER.access_key_id,
            accounts::OWNER.access_key_secret,
        ))
        .endpoint_url(env.emulator.url())
        .signature_version(SignatureVersion::V3)
        .build()
        .unwrap();
    let batch = sms::SendBatchSms::builder()
        .phone_number_json(["13800000000"])
        .sign_name_json(["sample"])
        .template_code("sample")
        .template_param_json([json!({"code": "1"})])
        .build()
        .unwrap();
    assert!(v3.send(&batch).await.unwrap().biz_id.is_some());
    let sent = env.emulator.requests().pop().unwrap();
    assert!(sent.body_params.contains_key("PhoneNumberJson"));
    assert!(sent.headers.contains_key("x-acs-action"));

    let no_sign = sms_raw("SendSms")
        .param("PhoneNumbers", "13800000000")
        .param("TemplateCode", "SMS_1");
    assert_eq!(refused(&v3, no_sign).await.1, "MissingSignName");
}

#[tokio::test]
async fn linkwan_refusals_of_the_caller_apply_to_generic_actions() {
    let env = common::start().await;
    let ram = common::aliyun_client(&env.emulator, accounts::RAM_USER_WITHOUT_LINKWAN);
    let err = ram.send(&get_gateway(EUI)).await.unwrap_err();
    assert_eq!(err.service_error().unwrap().raw_code(), "ForbiddenByRam");
}
