//! Two LinkWAN parties on one emulator, each signing with its own keys, and short forms of the
//! typed requests they send (`tests/workflow_linkwan.rs` and its modules).
#![allow(dead_code)]

use std::fmt::Debug;

use alibaba_openapi::aliyun::linkwan::{self, ErrorCode};
use alibaba_openapi::aliyun::{Client, RawRequest};
use alibaba_openapi::emulator::{accounts, Emulator};
use alibaba_openapi::Error;
use chrono::{DateTime, Utc};

use crate::common;

pub const OWNER: &str = accounts::OWNER.aliyun_id;
pub const RENTER: &str = accounts::RENTER.aliyun_id;
pub const OTHER: &str = accounts::OTHER.aliyun_id;

/// The owner of the seeded permissions 123, 124 and 125, the renter (`some_user`) and a third
/// account (owner of 900), each with a client signed with its own keys.
pub struct Parties {
    pub emulator: Emulator,
    pub owner: Client,
    pub renter: Client,
    pub other: Client,
}

pub async fn start() -> Parties {
    let emulator = Emulator::start().await.expect("the emulator starts");
    let owner = common::aliyun_client(&emulator, accounts::OWNER);
    let renter = common::aliyun_client(&emulator, accounts::RENTER);
    let other = common::aliyun_client(&emulator, accounts::OTHER);
    Parties {
        emulator,
        owner,
        renter,
        other,
    }
}

/// The code of a documented refusal (always HTTP 400 for LinkWAN), whatever the client's
/// error type.
pub fn refusal<T: Debug, C: alibaba_openapi::ErrorCode + Debug>(
    result: Result<T, Error<C>>,
) -> String {
    let err = result.expect_err("a refusal");
    let service = err.service_error().unwrap_or_else(|| panic!("{err:?}"));
    assert_eq!(service.status(), 400, "{err}");
    service.raw_code().to_owned()
}

/// A raw request with the parameters given, for what the typed builders refuse to send.
pub fn raw(action: &str, params: &[(&str, &str)]) -> RawRequest {
    params.iter().fold(
        RawRequest::new("linkwan", "2019-03-01", action),
        |r, (k, v)| r.param(*k, *v),
    )
}

/// A valid local permission named `name`: class A, band plan 101, the default JoinEUI.
pub fn create(name: &str) -> linkwan::CreateLocalJoinPermissionBuilder {
    linkwan::CreateLocalJoinPermission::builder()
        .join_permission_name(name)
        .class_mode("A")
        .freq_band_plan_group_id(101)
        .use_default_join_eui(true)
}

/// Creates a permission; its id.
pub async fn created(
    client: &Client,
    request: linkwan::CreateLocalJoinPermissionBuilder,
) -> String {
    let answer = client.send(&request.build().unwrap()).await.unwrap();
    answer.data.expect("the new permission's id")
}

pub fn update(id: &str) -> linkwan::UpdateOwnedLocalJoinPermissionBuilder {
    linkwan::UpdateOwnedLocalJoinPermission::builder().join_permission_id(id)
}

pub async fn set_enabled(client: &Client, id: &str, enabled: bool) -> Result<(), Error<ErrorCode>> {
    let request = linkwan::UpdateOwnedLocalJoinPermissionEnablingState::builder()
        .join_permission_id(id)
        .enabled(enabled)
        .build()
        .unwrap();
    client.send(&request).await.map(drop)
}

pub async fn delete(client: &Client, id: &str) -> Result<(), Error<ErrorCode>> {
    let request = linkwan::DeleteLocalJoinPermission::builder()
        .join_permission_id(id)
        .build()
        .unwrap();
    client.send(&request).await.map(drop)
}

pub async fn owned(
    client: &Client,
    id: &str,
) -> Result<linkwan::OwnedJoinPermission, Error<ErrorCode>> {
    let request = linkwan::GetOwnedJoinPermission::builder()
        .join_permission_id(id)
        .build()
        .unwrap();
    Ok(client.send(&request).await?.join_permission)
}

/// Submits an order of `permission` to `renter`: its id, or the refusal.
pub async fn submit(
    client: &Client,
    permission: &str,
    renter: &str,
) -> Result<u64, Error<ErrorCode>> {
    let request = linkwan::SubmitJoinPermissionAuthOrder::builder()
        .join_permission_id(permission)
        .renter_aliyun_id(renter)
        .build()
        .unwrap();
    Ok(client.send(&request).await?.order_id)
}

pub async fn order(client: &Client, id: u64) -> linkwan::JoinPermissionAuthOrder {
    let request = linkwan::GetJoinPermissionAuthOrder::builder()
        .order_id(id)
        .build()
        .unwrap();
    client.send(&request).await.unwrap().order
}

/// What can be done to an order over HTTP.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Move {
    /// By the renter.
    Accept,
    /// By the renter.
    Reject,
    /// By the owner.
    Cancel,
}

pub async fn move_order(client: &Client, to: Move, id: &str) -> Result<(), Error<ErrorCode>> {
    match to {
        Move::Accept => {
            let request = linkwan::AcceptJoinPermissionAuthOrder::builder()
                .order_id(id)
                .build()
                .unwrap();
            client.send(&request).await.map(drop)
        }
        Move::Reject => {
            let request = linkwan::RejectJoinPermissionAuthOrder::builder()
                .order_id(id)
                .build()
                .unwrap();
            client.send(&request).await.map(drop)
        }
        Move::Cancel => {
            let request = linkwan::CancelJoinPermissionAuthOrder::builder()
                .order_id(id)
                .build()
                .unwrap();
            client.send(&request).await.map(drop)
        }
    }
}

pub async fn rented(
    client: &Client,
    id: &str,
) -> Result<linkwan::GetRentedJoinPermissionData, Error<ErrorCode>> {
    let request = linkwan::GetRentedJoinPermission::builder()
        .join_permission_id(id)
        .build()
        .unwrap();
    Ok(client.send(&request).await?.data.expect("Data"))
}

pub async fn give_back(client: &Client, id: &str, kind: &str) -> Result<(), Error<ErrorCode>> {
    let request = linkwan::ReturnJoinPermission::builder()
        .join_permission_id(id)
        .join_permission_type(kind)
        .build()
        .unwrap();
    client.send(&request).await.map(drop)
}

/// Every item of the owner's listing, walked page by page.
pub async fn owned_list(
    client: &Client,
    request: linkwan::ListOwnedJoinPermissionsBuilder,
) -> Vec<linkwan::ListOwnedJoinPermissionsDataList> {
    client
        .paginate(request.build().unwrap())
        .items()
        .try_collect()
        .await
        .unwrap()
}

pub fn list_owned(limit: i64) -> linkwan::ListOwnedJoinPermissionsBuilder {
    linkwan::ListOwnedJoinPermissions::builder()
        .offset(0)
        .limit(limit)
}

pub fn list_rented(limit: i64) -> linkwan::ListRentedJoinPermissionsBuilder {
    linkwan::ListRentedJoinPermissions::builder()
        .offset(0)
        .limit(limit)
}

pub async fn rented_list(
    client: &Client,
    request: linkwan::ListRentedJoinPermissionsBuilder,
) -> Vec<linkwan::ListRentedJoinPermissionsDataList> {
    client
        .paginate(request.build().unwrap())
        .items()
        .try_collect()
        .await
        .unwrap()
}

pub fn list_notifications(limit: i64) -> linkwan::ListNotificationsBuilder {
    linkwan::ListNotifications::builder().offset(0).limit(limit)
}

pub async fn notifications(
    client: &Client,
    request: linkwan::ListNotificationsBuilder,
) -> Vec<linkwan::ListNotificationsDataList> {
    client
        .paginate(request.build().unwrap())
        .items()
        .try_collect()
        .await
        .unwrap()
}

pub async fn count_notifications(
    client: &Client,
    request: linkwan::CountNotificationsBuilder,
) -> i64 {
    let answer = client.send(&request.build().unwrap()).await.unwrap();
    answer.data.expect("a count")
}

/// Whether `at` is the services' clock `expected`, within the few seconds a test takes.
pub fn near(at: Option<DateTime<Utc>>, expected: DateTime<Utc>) -> bool {
    at.is_some_and(|at| (at - expected).num_seconds().abs() <= 5)
}
