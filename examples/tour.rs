//! A tour of the crate, with no account: typed LinkWAN, SMS and TOP calls, typed errors,
//! builder checks and paginators. The bundled emulator answers unless
//! `ALIBABA_CLOUD_ACCESS_KEY_ID` is set.
//!
//! `cargo run --example tour --features emulator`

#[path = "common/mod.rs"]
mod common;

use alibaba_openapi::aliyun::{linkwan, sms};
use alibaba_openapi::top;
use common::step;

#[tokio::main]
async fn main() -> Result<(), Box<dyn std::error::Error>> {
    let t = common::target().await?;

    step(1, "LinkWAN GetOwnedJoinPermission reads a join permission.");
    let owned = t
        .aliyun
        .send(
            &linkwan::GetOwnedJoinPermission::builder()
                .join_permission_id(&t.join_permission_id)
                .build()?,
        )
        .await?
        .join_permission;
    println!(
        "   {} {:?}: JoinEUI {} (the service sent it as a number; kept as 16 hex digits)\n",
        owned.join_permission_id,
        owned.join_permission_name.as_deref().unwrap_or_default(),
        owned.join_eui.as_deref().unwrap_or_default()
    );

    step(2, "SubmitJoinPermissionAuthOrder grants it to a renter.");
    let grant = linkwan::SubmitJoinPermissionAuthOrder::builder()
        .join_permission_id(&t.join_permission_id)
        .renter_aliyun_id(&t.renter_aliyun_id)
        .build()?;
    let submitted = t.aliyun.send(&grant).await?;
    println!(
        "   order {} (\"Data\" arrived as a string; typed as u64)\n",
        submitted.order_id
    );

    step(3, "GetJoinPermissionAuthOrder reads the order back.");
    let order = t
        .aliyun
        .send(
            &linkwan::GetJoinPermissionAuthOrder::builder()
                .order_id(submitted.order_id)
                .build()?,
        )
        .await?
        .order;
    println!(
        "   {} → {}, state {}, applied {}\n",
        order.owner_aliyun_id.as_deref().unwrap_or_default(),
        order.renter_aliyun_id.as_deref().unwrap_or_default(),
        order.order_state,
        order
            .applying_at
            .map(|at| at.to_rfc3339())
            .unwrap_or_default()
    );

    step(4, "A second grant is a typed error you can match on.");
    match t.aliyun.send(&grant).await {
        Err(e) if e.code() == Some(&linkwan::ErrorCode::JoinPermissionAlreadyAuthorized) => {
            println!("   linkwan::ErrorCode::JoinPermissionAlreadyAuthorized — {e}\n")
        }
        other => println!("   unexpected: {other:?}\n"),
    }

    step(
        5,
        "Dysmsapi CreateSmsAuthorizationLetter; then the same name again.",
    );
    let letter = common::letter().build()?;
    let created = t.aliyun.send(&letter).await?;
    println!(
        "   letter {} (request id trimmed of its newline: {:?})",
        created.authorization_letter_id, created.request_id
    );
    match t.aliyun.send(&letter).await {
        Err(e) if e.code() == Some(&sms::ErrorCode::AuthorizationLetterNameRepeat) => {
            println!("   sms::ErrorCode::AuthorizationLetterNameRepeat — {e}\n")
        }
        other => println!("   unexpected: {other:?}\n"),
    }

    step(6, "Bad input never leaves the machine.");
    let refused = common::letter()
        .authorization_letter_exp_date("2023-01-01")
        .build()
        .unwrap_err();
    println!("   {refused}");
    let refused = common::letter()
        .sign_list((1..=101).map(|i| format!("签名{i}")))
        .build()
        .unwrap_err();
    println!("   {refused}\n");

    step(
        7,
        "SendSms sends a message; QuerySendDetails reads what was sent, a page at a time.",
    );
    let sent = t
        .aliyun
        .send(
            &sms::SendSms::builder()
                .phone_numbers("13800000000")
                .sign_name("阿里云短信测试")
                .template_code("SMS_154950909")
                .template_param(serde_json::json!({ "code": "1234" }))
                .build()?,
        )
        .await?;
    println!("   sent: receipt id {:?}", sent.biz_id.unwrap_or_default());
    // Messages are filed by the day they were sent in China (UTC+8).
    let china = chrono::FixedOffset::east_opt(8 * 3600).ok_or("a valid offset")?;
    let today = chrono::Utc::now()
        .with_timezone(&china)
        .format("%Y%m%d")
        .to_string();
    let query = sms::QuerySendDetails::builder()
        .phone_number("13800000000")
        .send_date(today)
        .page_size(2)
        .current_page(1)
        .build()?;
    let details = t.aliyun.paginate(query).items().try_collect().await?;
    println!("   {} message(s) on record for the number\n", details.len());

    step(
        8,
        "ListOwnedJoinPermissions, every page walked by a paginator.",
    );
    let listing = linkwan::ListOwnedJoinPermissions::builder()
        .offset(0)
        .limit(2)
        .build()?;
    let mut pages = t.aliyun.paginate(listing);
    let mut count = 0;
    while let Some(page) = pages.next().await {
        let page = page?;
        count += page.data.and_then(|d| d.list).map_or(0, |list| list.len());
    }
    println!("   {count} join permission(s), two per request\n");

    step(
        9,
        "TOP alibaba.databank.open.auth.apply applies for data authorization.",
    );
    let apply = common::auth_apply(&t)?;
    let answer = t.top.send(&apply).await?;
    println!(
        "   business result: success={}, errcode {:?}, status {:?}\n",
        answer.result.is_success(),
        answer.result.errcode,
        answer.result.data.as_ref().and_then(|d| d.auth_status)
    );

    step(10, "A TOP request signed with the wrong secret.");
    let gateway = t
        .emulator
        .as_ref()
        .map(|e| e.top_gateway_url())
        .unwrap_or_else(|| top::DEFAULT_GATEWAY_URL.to_owned());
    let wrong = top::Client::builder()
        .app_key(alibaba_openapi::emulator::accounts::TOP_APP_KEY)
        .app_secret("not-the-secret")
        .gateway_url(gateway)
        .build()?;
    match wrong.send(&apply).await {
        Err(e) if e.code() == Some(&top::ErrorCode::InvalidSignature) => {
            println!("   top::ErrorCode::InvalidSignature — {e}")
        }
        other => println!("   unexpected: {other:?}"),
    }

    println!("\nWhole workflows, played against the emulator: `cargo run --example workflows --features emulator`");
    println!(
        "   LinkWAN: an owner grants a join permission, a renter accepts, uses and returns it."
    );
    println!(
        "   SMS: a signature and template through review, a code sent, flow control, the receipt."
    );
    Ok(())
}
