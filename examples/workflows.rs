//! Whole workflows against the bundled emulator, with no account: a LinkWAN join permission
//! granted by its owner and taken by a renter, each with its own keys; then an SMS signature
//! and template through their audit to a sent message, its flow control and its receipt.
//!
//! `cargo run --example workflows --features emulator`

use alibaba_openapi::aliyun::{self, linkwan, sms, Credentials};
use alibaba_openapi::emulator::{accounts, Emulator};

fn client(emulator: &Emulator, account: accounts::Account) -> aliyun::Client {
    aliyun::Client::builder()
        .region("cn-shanghai")
        .endpoint_url(emulator.url())
        .credentials(Credentials::new(
            account.access_key_id,
            account.access_key_secret,
        ))
        .build()
        .expect("a client for the emulator")
}

#[tokio::main]
async fn main() -> Result<(), Box<dyn std::error::Error>> {
    let emulator = Emulator::start().await?;
    println!("The bundled emulator at {}.\n", emulator.url());
    join_permission(&emulator).await?;
    sms_to_receipt(&emulator).await?;
    Ok(())
}

/// The owner creates a join permission and offers it; the renter accepts, uses and returns it.
async fn join_permission(emulator: &Emulator) -> Result<(), Box<dyn std::error::Error>> {
    let owner = client(emulator, accounts::OWNER);
    let renter = client(emulator, accounts::RENTER);
    println!(
        "LinkWAN: a join permission from {} to {}",
        accounts::OWNER.aliyun_id,
        accounts::RENTER.aliyun_id
    );

    let created = owner
        .send(
            &linkwan::CreateLocalJoinPermission::builder()
                .join_permission_name("园区网关_01")
                .class_mode(linkwan::ClassMode::A)
                .freq_band_plan_group_id(101)
                .use_default_join_eui(true)
                .build()?,
        )
        .await?;
    let id = created
        .data
        .ok_or("CreateLocalJoinPermission answered no id")?;
    println!("  1. the owner creates join permission {id}");

    let order = owner
        .send(
            &linkwan::SubmitJoinPermissionAuthOrder::builder()
                .join_permission_id(&id)
                .renter_aliyun_id(accounts::RENTER.aliyun_id)
                .build()?,
        )
        .await?
        .order_id;
    println!("  2. the owner offers it to the renter: order {order}, APPLYING");

    let notifications = renter
        .send(
            &linkwan::ListNotifications::builder()
                .offset(0)
                .limit(10)
                .build()?,
        )
        .await?;
    let waiting = notifications.data.and_then(|d| d.list).unwrap_or_default();
    println!(
        "  3. the renter finds it in its notifications ({} waiting)",
        waiting.len()
    );

    renter
        .send(
            &linkwan::AcceptJoinPermissionAuthOrder::builder()
                .order_id(order)
                .build()?,
        )
        .await?;
    let owned = owner
        .send(
            &linkwan::GetOwnedJoinPermission::builder()
                .join_permission_id(&id)
                .build()?,
        )
        .await?
        .join_permission;
    println!(
        "  4. the renter accepts: the owner sees {:?}, rented by {:?}",
        owned.auth_state, owned.renter_aliyun_id
    );

    // Accepting twice is a typed error: orders move only from APPLYING.
    let again = renter
        .send(
            &linkwan::AcceptJoinPermissionAuthOrder::builder()
                .order_id(order)
                .build()?,
        )
        .await
        .unwrap_err();
    println!(
        "  5. accepting again: {:?}",
        again.code().map(|c| c.as_str().to_owned())
    );

    let rented = renter
        .paginate(
            linkwan::ListRentedJoinPermissions::builder()
                .offset(0)
                .limit(10)
                .build()?,
        )
        .items()
        .try_collect()
        .await?;
    println!(
        "  6. the renter lists {} rented permission(s)",
        rented.len()
    );

    renter
        .send(
            &linkwan::ReturnJoinPermission::builder()
                .join_permission_id(&id)
                .join_permission_type("LOCAL")
                .build()?,
        )
        .await?;
    let owned = owner
        .send(
            &linkwan::GetOwnedJoinPermission::builder()
                .join_permission_id(&id)
                .build()?,
        )
        .await?
        .join_permission;
    println!(
        "  7. the renter returns it: {:?} again, ready for a new grant\n",
        owned.auth_state
    );
    Ok(())
}

/// A verification-code signature and template through their review to a sent message, the
/// flow control that stops a second code within the minute, and the carrier's receipt.
async fn sms_to_receipt(emulator: &Emulator) -> Result<(), Box<dyn std::error::Error>> {
    let client = client(emulator, accounts::OWNER);
    let phone = "13800000000";
    println!("SMS: from a new signature to a delivered message");

    let sign_name = client
        .send(
            &sms::CreateSmsSign::builder()
                .sign_name("云栖物联")
                .sign_source(0) // the applicant's own enterprise
                .sign_type(0) // verification codes
                .qualification_id(accounts::SMS_SAMPLE_QUALIFICATION_ID as i64)
                .remark("login codes for our app")
                .build()?,
        )
        .await?
        .sign_name
        .ok_or("CreateSmsSign answered no name")?;
    println!("  1. signature {sign_name} waits in review");
    // The reviewer's decision is the test's to make.
    emulator.approve_sign(&sign_name)?;
    let status = client
        .send(&sms::GetSmsSign::builder().sign_name(&sign_name).build()?)
        .await?
        .sign_status;
    println!("  2. the reviewer approves it: signature status {status:?}");

    let template_code = client
        .send(
            &sms::CreateSmsTemplate::builder()
                .template_name("登录验证码")
                .template_content("您的验证码为${code}，5分钟内有效。")
                .template_type(0)
                .related_sign_name(&sign_name)
                .remark("login codes for our app")
                .build()?,
        )
        .await?
        .template_code
        .ok_or("CreateSmsTemplate answered no code")?;
    println!("  3. template {template_code}, tied to it, waits in review");

    let code = serde_json::json!({ "code": "4821" });
    let send = sms::SendSms::builder()
        .phone_numbers(phone)
        .sign_name(&sign_name)
        .template_code(&template_code)
        .template_param(code)
        .build()?;
    let early = client.send(&send).await.unwrap_err();
    println!(
        "  4. sending before its approval: {:?}",
        early.code().map(|c| c.as_str().to_owned())
    );

    emulator.approve_template(&template_code)?;
    let biz_id = client.send(&send).await?.biz_id;
    println!("  5. approved, the code is sent: BizId {biz_id:?}");

    // A second verification code to the same number within a minute is refused.
    match client.send(&send).await {
        Err(error) if error.code() == Some(&sms::ErrorCode::BusinessLimitControl) => {
            let message = error.service_error().map(|e| e.message()).unwrap_or("");
            println!("  6. a second code at once: flow control, {message}");
        }
        other => return Err(format!("expected flow control, got {other:?}").into()),
    }

    let china = chrono::FixedOffset::east_opt(8 * 3600).ok_or("offset")?;
    let today = emulator
        .business_now()
        .with_timezone(&china)
        .format("%Y%m%d")
        .to_string();
    let details = sms::QuerySendDetails::builder()
        .phone_number(phone)
        .send_date(&today)
        .page_size(10)
        .current_page(1)
        .build()?;
    let status = |answer: sms::QuerySendDetailsResponse| {
        answer
            .sms_send_detail_dtos
            .unwrap_or_default()
            .into_iter()
            .next()
            .map(|message| (message.send_status, message.err_code))
    };
    println!(
        "  7. right after sending, the receipt: {:?}",
        status(client.send(&details).await?)
    );
    emulator.advance_time(chrono::Duration::minutes(1));
    println!(
        "  8. a minute later on the services' clock: {:?}",
        status(client.send(&details).await?)
    );
    let next = client.send(&send).await?.biz_id;
    println!("  9. and the next code goes through: BizId {next:?}");
    Ok(())
}
