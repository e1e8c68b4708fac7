//! The blocking clients: the same requests, responses and errors, no async runtime in sight.
//!
//! `cargo run --example blocking --features emulator,blocking`

use alibaba_openapi::aliyun::{self, linkwan, Credentials, SignatureVersion};
use alibaba_openapi::emulator::{accounts, Emulator};

fn main() -> Result<(), Box<dyn std::error::Error>> {
    // The emulator is async; it gets a runtime of its own. Your application would not.
    let runtime = tokio::runtime::Runtime::new()?;
    let emulator = runtime.block_on(Emulator::start())?;

    let client = aliyun::blocking::Client::builder()
        .region("cn-shanghai")
        .endpoint_url(emulator.url())
        .credentials(Credentials::new(
            accounts::OWNER.access_key_id,
            accounts::OWNER.access_key_secret,
        ))
        .signature_version(SignatureVersion::V3)
        .build_blocking()?;

    let request = linkwan::GetOwnedJoinPermission::builder()
        .join_permission_id(accounts::JOIN_PERMISSION_ID)
        .build()?;
    let permission = client.send(&request)?.join_permission;
    println!(
        "join permission {} (JoinEUI {}), signed with V3, no async in sight",
        permission.join_permission_id,
        permission.join_eui.unwrap_or_default()
    );

    let grant = linkwan::SubmitJoinPermissionAuthOrder::builder()
        .join_permission_id(accounts::JOIN_PERMISSION_ID)
        .renter_aliyun_id(accounts::RENTER.aliyun_id)
        .build()?;
    println!("order {}", client.send(&grant)?.order_id);
    if let Err(e) = client.send(&grant) {
        println!("again: {e}");
    }
    Ok(())
}
