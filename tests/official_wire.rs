//! Our wire form of a sample of every parameter style, value by value against what the
//! official SDKs send for the same inputs.
//!
//! The fixtures in `tests/data/official_wire/` were captured from the official Python SDKs
//! (`tests/official_sdk/`): the Tea SDK `alibabacloud_dysmsapi20170525` signing V3 and v1, and
//! the legacy `aliyun-python-sdk-linkwan` signing v1. Each holds the inputs by wire name and
//! the business parameters the SDK put in the query and in the form body. Here the same inputs
//! go through our typed builders and the real client to a capture server on loopback, and the
//! parameters that arrive are compared with the fixture's: the same names, in the same place,
//! with the same values. Two differences are not ours to copy: Python writes booleans as
//! `True`/`False` (compared without case), and JSON objects keep the caller's key order there
//! (JSON values are compared as JSON).

mod hostile_support;

use std::collections::BTreeMap;

use alibaba_openapi::aliyun::{self, linkwan, sms, Action, Credentials, SignatureVersion};
use hostile_support::{Captured, Reply, Server};
use percent_encoding::percent_decode_str;
use serde_json::Value;

/// The common parameters of signature v1, which the fixtures leave out.
const COMMON: &[&str] = &[
    "AccessKeyId",
    "Action",
    "Format",
    "Signature",
    "SignatureMethod",
    "SignatureNonce",
    "SignatureVersion",
    "SecurityToken",
    "Timestamp",
    "Version",
];

fn fixtures() -> Vec<(String, Value)> {
    let dir = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/data/official_wire");
    let mut all: Vec<(String, Value)> = std::fs::read_dir(dir)
        .unwrap()
        .map(|e| {
            let path = e.unwrap().path();
            let name = path.file_stem().unwrap().to_string_lossy().into_owned();
            let text = std::fs::read_to_string(&path).unwrap();
            (name, serde_json::from_str(&text).unwrap())
        })
        .collect();
    all.sort_by(|a, b| a.0.cmp(&b.0));
    all
}

fn text(inputs: &Value, name: &str) -> String {
    inputs[name]
        .as_str()
        .unwrap_or_else(|| panic!("{name}"))
        .to_owned()
}

fn int(inputs: &Value, name: &str) -> i64 {
    inputs[name].as_i64().unwrap_or_else(|| panic!("{name}"))
}

fn strings(inputs: &Value, name: &str) -> Vec<String> {
    inputs[name]
        .as_array()
        .unwrap()
        .iter()
        .map(|v| v.as_str().unwrap().to_owned())
        .collect()
}

fn ints(inputs: &Value, name: &str) -> Vec<i64> {
    inputs[name]
        .as_array()
        .unwrap()
        .iter()
        .map(|v| v.as_i64().unwrap())
        .collect()
}

/// JSON text given to a JSON-text parameter, as a value (our setters take values).
fn json_text(inputs: &Value, name: &str) -> Value {
    serde_json::from_str(&text(inputs, name)).unwrap()
}

/// Sends the request of `action` built from the fixture's `inputs` through `client`.
async fn send(client: &aliyun::Client, action: &str, i: &Value) {
    async fn go<A: Action>(client: &aliyun::Client, request: A) {
        // The capture server's answer decodes or not; what was sent is what counts.
        let _ = client.send(&request).await;
    }
    match action {
        "AddSmsSign" => {
            let files = i["SignFileList"].as_array().unwrap().iter().map(|f| {
                sms::AddSmsSignSignFileList::builder()
                    .file_contents(f["FileContents"].as_str().unwrap())
                    .file_suffix(f["FileSuffix"].as_str().unwrap())
                    .build()
                    .unwrap()
            });
            let request = sms::AddSmsSign::builder()
                .sign_name(text(i, "SignName"))
                .sign_source(int(i, "SignSource"))
                .sign_type(int(i, "SignType"))
                .remark(text(i, "Remark"))
                .sign_file_list(files.collect::<Vec<_>>());
            go(client, request.build().unwrap()).await
        }
        "CheckMobilesCardSupport" => {
            let mobiles = i["Mobiles"].as_array().unwrap().iter().map(|m| {
                m.as_object()
                    .unwrap()
                    .iter()
                    .map(|(k, v)| (k.clone(), v.as_str().unwrap().to_owned()))
                    .collect::<Vec<_>>()
            });
            let request = sms::CheckMobilesCardSupport::builder()
                .template_code(text(i, "TemplateCode"))
                .mobiles(mobiles.collect::<Vec<_>>());
            go(client, request.build().unwrap()).await
        }
        "CreateCardSmsTemplate" => {
            let request = sms::CreateCardSmsTemplate::builder()
                .template_name(text(i, "TemplateName"))
                .memo(text(i, "Memo"))
                .factorys(text(i, "Factorys"))
                .template(&i["Template"]);
            go(client, request.build().unwrap()).await
        }
        "CreateSmsAuthorizationLetter" => {
            let request = sms::CreateSmsAuthorizationLetter::builder()
                .authorization(text(i, "Authorization"))
                .authorization_letter_exp_date(text(i, "AuthorizationLetterExpDate"))
                .authorization_letter_name(text(i, "AuthorizationLetterName"))
                .authorization_letter_pic(text(i, "AuthorizationLetterPic"))
                .organization_code(text(i, "OrganizationCode"))
                .proxy_authorization(text(i, "ProxyAuthorization"))
                .sign_list(strings(i, "SignList"));
            go(client, request.build().unwrap()).await
        }
        "CreateSmsTemplate" => {
            let request = sms::CreateSmsTemplate::builder()
                .template_name(text(i, "TemplateName"))
                .template_content(text(i, "TemplateContent"))
                .template_type(int(i, "TemplateType"))
                .related_sign_name(text(i, "RelatedSignName"))
                .apply_scene_content(text(i, "ApplySceneContent"))
                .intl_type(int(i, "IntlType"))
                .more_data(strings(i, "MoreData"))
                .remark(text(i, "Remark"));
            go(client, request.build().unwrap()).await
        }
        "ListTagResources" => {
            let request = sms::ListTagResources::builder()
                .resource_id(strings(i, "ResourceId"))
                .tag(tags::<sms::ListTagResourcesTag>(i, |k, v| {
                    sms::ListTagResourcesTag::builder()
                        .key(k)
                        .value(v)
                        .build()
                        .unwrap()
                }))
                .resource_type(text(i, "ResourceType"))
                .region_id(text(i, "RegionId"))
                .prod_code(text(i, "ProdCode"))
                .next_token(text(i, "NextToken"))
                .page_size(int(i, "PageSize"));
            go(client, request.build().unwrap()).await
        }
        "TagResources" => {
            let request = sms::TagResources::builder()
                .resource_id(strings(i, "ResourceId"))
                .tag(tags::<sms::TagResourcesTag>(i, |k, v| {
                    sms::TagResourcesTag::builder()
                        .key(k)
                        .value(v)
                        .build()
                        .unwrap()
                }))
                .resource_type(text(i, "ResourceType"))
                .region_id(text(i, "RegionId"))
                .prod_code(text(i, "ProdCode"));
            go(client, request.build().unwrap()).await
        }
        "UntagResources" => {
            let request = sms::UntagResources::builder()
                .resource_id(strings(i, "ResourceId"))
                .tag_key(strings(i, "TagKey"))
                .all(i["All"].as_bool().unwrap())
                .resource_type(text(i, "ResourceType"))
                .region_id(text(i, "RegionId"))
                .prod_code(text(i, "ProdCode"));
            go(client, request.build().unwrap()).await
        }
        "QueryCardSmsTemplateReport" => {
            let request = sms::QueryCardSmsTemplateReport::builder()
                .template_codes(strings(i, "TemplateCodes"))
                .start_date(text(i, "StartDate"))
                .end_date(text(i, "EndDate"));
            go(client, request.build().unwrap()).await
        }
        "QueryMobilesCardSupport" => {
            let request = sms::QueryMobilesCardSupport::builder()
                .template_code(text(i, "TemplateCode"))
                .mobiles(&i["Mobiles"])
                .encrypt_type(text(i, "EncryptType"));
            go(client, request.build().unwrap()).await
        }
        "QuerySendDetails" => {
            let request = sms::QuerySendDetails::builder()
                .phone_number(text(i, "PhoneNumber"))
                .send_date(text(i, "SendDate"))
                .page_size(int(i, "PageSize"))
                .current_page(int(i, "CurrentPage"))
                .biz_id(text(i, "BizId"));
            go(client, request.build().unwrap()).await
        }
        "QuerySmsAppIcpRecord" => {
            let request = sms::QuerySmsAppIcpRecord::builder()
                .app_icp_record_id_list(ints(i, "AppIcpRecordIdList"));
            go(client, request.build().unwrap()).await
        }
        "SendBatchSms" => {
            let request = sms::SendBatchSms::builder()
                .phone_number_json(json_text(i, "PhoneNumberJson"))
                .sign_name_json(json_text(i, "SignNameJson"))
                .template_code(text(i, "TemplateCode"))
                .template_param_json(json_text(i, "TemplateParamJson"))
                .sms_up_extend_code_json(json_text(i, "SmsUpExtendCodeJson"))
                .out_id(text(i, "OutId"));
            go(client, request.build().unwrap()).await
        }
        "SendSms" => {
            let request = sms::SendSms::builder()
                .phone_numbers(text(i, "PhoneNumbers"))
                .sign_name(text(i, "SignName"))
                .template_code(text(i, "TemplateCode"))
                .template_param(json_text(i, "TemplateParam"))
                .out_id(text(i, "OutId"))
                .sms_up_extend_code(text(i, "SmsUpExtendCode"));
            go(client, request.build().unwrap()).await
        }
        "SubmitSmsQualification" => {
            let pics: Vec<_> = i["BusinessLicensePics"]
                .as_array()
                .unwrap()
                .iter()
                .map(|p| {
                    sms::SubmitSmsQualificationBusinessLicensePics::builder()
                        .r#type(p["Type"].as_str().unwrap())
                        .license_pic(p["LicensePic"].as_str().unwrap())
                        .build()
                        .unwrap()
                })
                .collect();
            let others: Vec<_> = i["OtherFiles"]
                .as_array()
                .unwrap()
                .iter()
                .map(|p| {
                    sms::SubmitSmsQualificationOtherFiles::builder()
                        .license_pic(p["LicensePic"].as_str().unwrap())
                        .build()
                        .unwrap()
                })
                .collect();
            let s = |name| text(i, name);
            let request = sms::SubmitSmsQualification::builder()
                .qualification_name(s("QualificationName"))
                .use_by_self(i["UseBySelf"].as_bool().unwrap())
                .whether_share(i["WhetherShare"].as_bool().unwrap())
                .company_name(s("CompanyName"))
                .company_type(s("CompanyType"))
                .organization_code(s("OrganizationCode"))
                .bussiness_license_exp_date(s("BussinessLicenseExpDate"))
                .legal_person_name(s("LegalPersonName"))
                .legal_person_id_card_type(s("LegalPersonIDCardType"))
                .legal_person_id_card_no(s("LegalPersonIDCardNo"))
                .legal_person_id_card_eff_time(s("LegalPersonIdCardEffTime"))
                .admin_name(s("AdminName"))
                .admin_id_card_type(s("AdminIDCardType"))
                .admin_id_card_no(s("AdminIDCardNo"))
                .admin_id_card_exp_date(s("AdminIDCardExpDate"))
                .admin_id_card_pic(s("AdminIDCardPic"))
                .admin_id_card_front_face(s("AdminIDCardFrontFace"))
                .admin_phone_no(s("AdminPhoneNo"))
                .certify_code(s("CertifyCode"))
                .business_license_pics(pics)
                .other_files(others)
                .remark(s("Remark"));
            go(client, request.build().unwrap()).await
        }
        "CreateLocalJoinPermission" => {
            let request = linkwan::CreateLocalJoinPermission::builder()
                .join_permission_name(text(i, "JoinPermissionName"))
                .class_mode(text(i, "ClassMode"))
                .freq_band_plan_group_id(int(i, "FreqBandPlanGroupId"))
                .use_default_join_eui(i["UseDefaultJoinEui"].as_bool().unwrap())
                .join_eui(text(i, "JoinEui"))
                .rx_delay(int(i, "RxDelay"))
                .data_rate(int(i, "DataRate"))
                .iot_instance_id(text(i, "IotInstanceId"));
            go(client, request.build().unwrap()).await
        }
        "ListGatewaysPacketStat" => {
            let request = linkwan::ListGatewaysPacketStat::builder()
                .gw_eui_list(strings(i, "GwEuiList"))
                .begin_millis(int(i, "BeginMillis"))
                .end_millis(int(i, "EndMillis"))
                .iot_instance_id(text(i, "IotInstanceId"));
            go(client, request.build().unwrap()).await
        }
        "ListNotifications" => {
            let request = linkwan::ListNotifications::builder()
                .offset(int(i, "Offset"))
                .limit(int(i, "Limit"))
                .ascending(i["Ascending"].as_bool().unwrap())
                .category(strings(i, "Category"))
                .handle_state(text(i, "HandleState"))
                .begin_millis(int(i, "BeginMillis"))
                .end_millis(int(i, "EndMillis"))
                .sorting_field(text(i, "SortingField"));
            go(client, request.build().unwrap()).await
        }
        "ListOwnedJoinPermissions" => {
            let request = linkwan::ListOwnedJoinPermissions::builder()
                .offset(int(i, "Offset"))
                .limit(int(i, "Limit"))
                .ascending(i["Ascending"].as_bool().unwrap())
                .enabled(i["Enabled"].as_bool().unwrap())
                .fuzzy_join_permission_name(text(i, "FuzzyJoinPermissionName"))
                .sorting_field(text(i, "SortingField"))
                .fuzzy_join_eui(text(i, "FuzzyJoinEui"));
            go(client, request.build().unwrap()).await
        }
        "SubmitJoinPermissionAuthOrder" => {
            let request = linkwan::SubmitJoinPermissionAuthOrder::builder()
                .join_permission_id(text(i, "JoinPermissionId"))
                .renter_aliyun_id(text(i, "RenterAliyunId"));
            go(client, request.build().unwrap()).await
        }
        "UpdateNotificationsHandleState" => {
            let request = linkwan::UpdateNotificationsHandleState::builder()
                .notification_id(ints(i, "NotificationId"))
                .target_handle_state(text(i, "TargetHandleState"));
            go(client, request.build().unwrap()).await
        }
        other => panic!("no builder for the fixture of {other}: add one here"),
    }
}

fn tags<T>(inputs: &Value, make: impl Fn(&str, &str) -> T) -> Vec<T> {
    inputs["Tag"]
        .as_array()
        .unwrap()
        .iter()
        .map(|t| make(t["Key"].as_str().unwrap(), t["Value"].as_str().unwrap()))
        .collect()
}

/// `name=value&...` decoded (`+` and `%20` both a space, as a gateway reads them).
fn decode_pairs(text: &str) -> Vec<(String, String)> {
    text.split('&')
        .filter(|p| !p.is_empty())
        .map(|pair| {
            let (k, v) = pair.split_once('=').unwrap_or((pair, ""));
            let d = |s: &str| {
                percent_decode_str(&s.replace('+', " "))
                    .decode_utf8()
                    .unwrap()
                    .into_owned()
            };
            (d(k), d(v))
        })
        .collect()
}

fn pairs_of(fixture: &Value, key: &str) -> BTreeMap<String, String> {
    fixture[key]
        .as_array()
        .unwrap()
        .iter()
        .map(|p| {
            (
                p[0].as_str().unwrap().to_owned(),
                p[1].as_str().unwrap().to_owned(),
            )
        })
        .collect()
}

fn same_value(ours: &str, theirs: &str) -> bool {
    if ours == theirs {
        return true;
    }
    if theirs == "True" || theirs == "False" {
        return ours.eq_ignore_ascii_case(theirs);
    }
    // JSON: the same value, and the same bytes in another order (the keys of an object the
    // caller gave as a map): compact, raw UTF-8, escaped alike.
    let mut our_bytes = ours.as_bytes().to_vec();
    let mut their_bytes = theirs.as_bytes().to_vec();
    our_bytes.sort_unstable();
    their_bytes.sort_unstable();
    match (
        serde_json::from_str::<Value>(ours),
        serde_json::from_str::<Value>(theirs),
    ) {
        (Ok(a), Ok(b)) if a.is_object() || a.is_array() => a == b && our_bytes == their_bytes,
        _ => false,
    }
}

fn compare(
    name: &str,
    place: &str,
    ours: &BTreeMap<String, String>,
    theirs: &BTreeMap<String, String>,
) {
    let our_keys: Vec<&String> = ours.keys().collect();
    let their_keys: Vec<&String> = theirs.keys().collect();
    assert_eq!(
        our_keys, their_keys,
        "{name}: the {place} parameters differ"
    );
    for (key, value) in theirs {
        assert!(
            same_value(&ours[key], value),
            "{name}: {place} `{key}`: ours {:?}, official {value:?}",
            ours[key]
        );
    }
}

fn answer(request: &Captured) -> Reply {
    let linkwan = request.line.contains("linkwan") || request.whole().contains("2019-03-01");
    if linkwan {
        Reply::json(200, r#"{"RequestId":"CAPTURE","Success":true}"#)
    } else {
        Reply::json(200, r#"{"RequestId":"CAPTURE","Code":"OK","Message":"OK"}"#)
    }
}

#[tokio::test]
async fn every_style_is_sent_as_the_official_sdks_send_it() {
    let server = Server::start(answer).await;
    let fixtures = fixtures();
    assert!(fixtures.len() >= 30, "{} fixtures", fixtures.len());
    let mut styles = std::collections::BTreeSet::new();
    for (name, fixture) in &fixtures {
        let version = match fixture["signature"].as_str().unwrap() {
            "v1" => SignatureVersion::V1,
            _ => SignatureVersion::V3,
        };
        let client = aliyun::Client::builder()
            .region("cn-shanghai")
            .endpoint_url(&server.url)
            .credentials(Credentials::new("testid", "testsecret"))
            .signature_version(version)
            .build()
            .unwrap();
        let before = server.requests().len();
        let action = fixture["action"].as_str().unwrap();
        send(&client, action, &fixture["inputs"]).await;
        let sent = server.requests();
        assert_eq!(sent.len(), before + 1, "{name}: one request");
        let sent = &sent[before];

        let query: BTreeMap<String, String> = decode_pairs(sent.query())
            .into_iter()
            .filter(|(k, _)| !COMMON.contains(&k.as_str()))
            .collect();
        let body: BTreeMap<String, String> = decode_pairs(&sent.body).into_iter().collect();
        compare(name, "query", &query, &pairs_of(fixture, "query"));
        compare(name, "body", &body, &pairs_of(fixture, "body"));
        for key in query.keys().chain(body.keys()) {
            styles.insert(match key.matches('.').count() {
                0 if query
                    .get(key)
                    .or(body.get(key))
                    .is_some_and(|v| v.starts_with(['[', '{'])) =>
                {
                    "json"
                }
                0 => "scalar",
                1 => "repeatList",
                _ => "flatList",
            });
        }
        if !body.is_empty() {
            styles.insert("body");
        }
    }
    assert_eq!(
        styles.into_iter().collect::<Vec<_>>(),
        ["body", "flatList", "json", "repeatList", "scalar"],
        "every style and placement is covered"
    );
}
