//! What happens after a send: `QuerySendDetails`, receipts, the outbox, and the review
//! control routes.

use alibaba_openapi::aliyun::sms::{self, ErrorCode};
use alibaba_openapi::emulator::{accounts, AuditError, AuditState, DeliveryStatus, Receipt};
use chrono::Duration;
use serde_json::json;

use crate::common;
use crate::sms_support::*;

#[tokio::test]
async fn send_details_take_a_send_date_within_the_last_30_days_and_page_newest_first() {
    let env = common::start().await;
    let client = &env.aliyun;
    let phone = "13900000007";
    let mut ids = Vec::new();
    for i in 0..5 {
        let sent = client
            .send(&send(
                phone,
                "sample",
                "sample",
                json!({"code": format!("N{i}")}),
            ))
            .await
            .unwrap();
        ids.push(sent.biz_id.unwrap());
    }
    for date in [
        "2017-01-01".to_owned(),
        day(&env.emulator, -30),
        day(&env.emulator, 1),
    ] {
        let query = raw("QuerySendDetails")
            .param("PhoneNumber", phone)
            .param("SendDate", &date)
            .param("PageSize", "10")
            .param("CurrentPage", "1");
        let (status, code, _, _) = refusal(client, &query).await;
        assert_eq!(
            (status, code),
            (200, ErrorCode::InvalidParameters),
            "{date}"
        );
    }
    let oversized = raw("QuerySendDetails")
        .param("PhoneNumber", phone)
        .param("SendDate", today(&env.emulator))
        .param("PageSize", "51")
        .param("CurrentPage", "1");
    assert_eq!(
        refusal(client, &oversized).await.1,
        ErrorCode::InvalidParameters
    );
    let old = details(phone, &day(&env.emulator, -29), 1, 10);
    assert_eq!(
        client.send(&old).await.unwrap().total_count,
        Some(0),
        "29 days back is fine"
    );

    let pages = client
        .paginate(details(phone, &today(&env.emulator), 1, 2))
        .try_collect()
        .await
        .unwrap();
    assert_eq!(pages.len(), 3);
    assert!(pages.iter().all(|p| p.total_count == Some(5)));
    let contents: Vec<String> = pages
        .into_iter()
        .flat_map(|p| p.sms_send_detail_dtos.unwrap())
        .map(|d| d.content.unwrap())
        .collect();
    assert_eq!(
        contents[0], "【sample】您的订单N4已发货，请注意查收。",
        "newest first"
    );
    assert_eq!(contents.len(), 5);
    let one = sms::QuerySendDetails::builder()
        .phone_number(phone)
        .send_date(today(&env.emulator))
        .page_size(10)
        .current_page(1)
        .biz_id(&ids[1])
        .build()
        .unwrap();
    let found = client.send(&one).await.unwrap();
    assert_eq!(found.total_count, Some(1));
    assert_eq!(
        found.sms_send_detail_dtos.unwrap()[0].content.as_deref(),
        Some("【sample】您的订单N1已发货，请注意查收。")
    );
}

#[tokio::test]
async fn chosen_receipts_arrive_after_the_delay_as_failures_or_never() {
    let env = common::start().await;
    let client = &env.aliyun;
    env.emulator
        .set_receipt("+8613900000008", Receipt::Failed("UNDELIV".into()));
    let (status, body) = control(
        &env.emulator,
        "POST",
        "receipts",
        Some(json!({"phone_number":"13900000009","receipt":"failed","err_code":"MBBLACK"})),
    )
    .await;
    assert_eq!((status, body["err_code"].as_str()), (200, Some("MBBLACK")));
    env.emulator.set_receipt("13900000010", Receipt::Never);
    for phone in ["13900000008", "13900000009", "13900000010", "13900000011"] {
        client
            .send(&send(phone, "sample", "sample", json!({"code":"R"})))
            .await
            .unwrap();
    }
    env.emulator.advance_time(Duration::seconds(4));
    assert!(env
        .emulator
        .sms_outbox()
        .iter()
        .all(|m| m.status == DeliveryStatus::Waiting));
    env.emulator.advance_time(Duration::seconds(1));
    let statuses: Vec<_> = env
        .emulator
        .sms_outbox()
        .into_iter()
        .map(|m| (m.status, m.received_at.is_some()))
        .collect();
    assert_eq!(
        statuses,
        [
            (DeliveryStatus::Failed("UNDELIV".into()), true),
            (DeliveryStatus::Failed("MBBLACK".into()), true),
            (DeliveryStatus::Waiting, false),
            (DeliveryStatus::Delivered, true),
        ]
    );
    let failed = client
        .send(&details("13900000008", &today(&env.emulator), 1, 10))
        .await
        .unwrap();
    let item = &failed.sms_send_detail_dtos.unwrap()[0];
    assert_eq!(
        (item.send_status.clone(), item.err_code.as_deref()),
        (Some(sms::SendStatus::Failed), Some("UNDELIV"))
    );
}

#[tokio::test]
async fn the_outbox_is_typed_served_over_http_and_cleared() {
    let env = common::start().await;
    for phone in ["13900000012", "13900000013"] {
        env.aliyun
            .send(&send(phone, "sample", "sample", json!({"code":"O"})))
            .await
            .unwrap();
    }
    let outbox = env.emulator.sms_outbox();
    assert_eq!(outbox[0].account, accounts::OWNER.aliyun_id);
    assert_eq!(
        (
            outbox[0].sign_name.as_str(),
            outbox[0].template_code.as_str()
        ),
        ("sample", "sample")
    );
    let (status, body) = control(
        &env.emulator,
        "GET",
        "messages?phone_number=%2B8613900000013",
        None,
    )
    .await;
    assert_eq!(status, 200);
    let messages = body["messages"].as_array().unwrap();
    assert_eq!(messages.len(), 1);
    assert_eq!(
        messages[0]["content"],
        "【sample】您的订单O已发货，请注意查收。"
    );
    assert_eq!(
        (
            messages[0]["send_status"].as_u64(),
            messages[0]["template_param"]["code"].as_str()
        ),
        (Some(1), Some("O"))
    );
    let (_, body) = control(&env.emulator, "DELETE", "messages", None).await;
    assert_eq!(body["cleared"], 2);
    assert!(env.emulator.sms_outbox().is_empty());
    let (_, body) = control(&env.emulator, "GET", "messages", None).await;
    assert_eq!(body["messages"], json!([]));
}

#[tokio::test]
async fn audits_are_listed_and_decided_over_http_with_their_errors() {
    let env = common::start().await;
    let client = &env.aliyun;
    let id: u64 = client
        .send(&qualification("控制资质"))
        .await
        .unwrap()
        .data
        .unwrap()
        .parse()
        .unwrap();
    let (_, body) = control(&env.emulator, "GET", "audits", None).await;
    assert_eq!(
        body["pending"],
        json!([{"kind":"qualification","account":"emulator_owner","id":id,"name":"控制资质"}])
    );
    let decide = |body| control(&env.emulator, "POST", "audits", Some(body));
    assert_eq!(
        decide(json!({"kind":"qualification","id":id,"decision":"approve"}))
            .await
            .0,
        200
    );
    assert_eq!(
        decide(json!({"kind":"qualification","id":id})).await.0,
        409,
        "not pending"
    );
    assert_eq!(
        decide(json!({"kind":"sign","name":"无此签名"})).await.0,
        404
    );
    assert_eq!(decide(json!({"kind":"teapot"})).await.0, 400);
    assert_eq!(decide(json!({"kind":"sign"})).await.0, 400, "no name");
    client
        .send(&sign("全部签名", id as i64, None))
        .await
        .unwrap();
    let code = client
        .send(&template("t", "您好${name}", 1, "sample"))
        .await
        .unwrap()
        .template_code
        .unwrap();
    let (status, body) = decide(json!({"kind":"all"})).await;
    assert_eq!(status, 200);
    assert_eq!(
        (
            body["approved"]["signs"].as_u64(),
            body["approved"]["templates"].as_u64()
        ),
        (Some(1), Some(1))
    );
    assert!(env.emulator.pending_audits().is_empty());
    assert_eq!(
        env.emulator.approve_template(&code),
        Err(AuditError::NotPending(AuditState::Approved))
    );
    let index = reqwest::get(format!("{}/_emulator/", env.emulator.url()))
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    for path in [
        "/_emulator/sms/audits",
        "/_emulator/sms/receipts",
        "/_emulator/sms/messages",
    ] {
        assert!(index.contains(path), "{path}");
    }
}
