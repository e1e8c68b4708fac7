//! Whole workflows against the bundled emulator, with no account: a LinkWAN join permission
//! granted by its owner and taken by a renter, each with its own keys; then an SMS signature
//! and template through their audit to a sent message, its flow control and its receipt.
//!
//! `cargo run --example workflows --features emulator`

use alibaba_openapi::aliyun::{self, linkwan, Credentials};
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
