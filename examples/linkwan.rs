//! LinkWAN: read a join permission, grant it, read the order back, and see the typed error of
//! a second grant.
//!
//! `cargo run --example linkwan --features emulator` (the emulator unless
//! `ALIBABA_CLOUD_ACCESS_KEY_ID` is set).

#[path = "common/mod.rs"]
mod common;

use alibaba_openapi::aliyun::linkwan::{self, ErrorCode};

#[tokio::main]
async fn main() -> Result<(), Box<dyn std::error::Error>> {
    let t = common::target().await?;

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
        "join permission {} {:?}: JoinEUI {}, class {}, auth state {}",
        owned.join_permission_id,
        owned.join_permission_name.unwrap_or_default(),
        owned.join_eui.unwrap_or_default(),
        owned.class_mode.map(|c| c.to_string()).unwrap_or_default(),
        owned.auth_state.map(|s| s.to_string()).unwrap_or_default(),
    );

    let grant = linkwan::SubmitJoinPermissionAuthOrder::builder()
        .join_permission_id(&t.join_permission_id)
        .renter_aliyun_id(&t.renter_aliyun_id)
        .build()?;
    let order_id = t.aliyun.send(&grant).await?.order_id;
    let order = t
        .aliyun
        .send(
            &linkwan::GetJoinPermissionAuthOrder::builder()
                .order_id(order_id)
                .build()?,
        )
        .await?
        .order;
    println!(
        "order {} for {}: {} since {}",
        order.order_id,
        order.renter_aliyun_id.unwrap_or_default(),
        order.order_state,
        order
            .applying_at
            .map(|t| t.to_rfc3339())
            .unwrap_or_default()
    );

    match t.aliyun.send(&grant).await {
        Err(e) if e.code() == Some(&ErrorCode::JoinPermissionAlreadyAuthorized) => {
            println!("a second grant: {e}")
        }
        other => println!("a second grant unexpectedly gave {other:?}"),
    }
    Ok(())
}
