//! Every action through the blocking clients against the emulator, from plain threads with no
//! async runtime of their own.

mod common;

use alibaba_openapi::aliyun::{self, linkwan, sms, Credentials, SignatureVersion};
use alibaba_openapi::emulator::{accounts, Emulator, Fault};
use alibaba_openapi::top;

/// The emulator, served by a runtime of its own while the test thread stays synchronous.
struct Served {
    emulator: Emulator,
    _runtime: tokio::runtime::Runtime,
}

fn serve() -> Served {
    let runtime = tokio::runtime::Runtime::new().unwrap();
    let emulator = runtime.block_on(Emulator::start()).unwrap();
    Served {
        emulator,
        _runtime: runtime,
    }
}

fn aliyun_client(served: &Served) -> aliyun::blocking::Client {
    aliyun::blocking::Client::builder()
        .credentials(Credentials::new(
            accounts::OWNER.access_key_id,
            accounts::OWNER.access_key_secret,
        ))
        .endpoint_url(served.emulator.url())
        .build_blocking()
        .unwrap()
}

#[test]
fn linkwan_actions_work_without_an_async_runtime() {
    let served = serve();
    let client = aliyun_client(&served);
    let owned = client
        .send(
            &linkwan::GetOwnedJoinPermission::builder()
                .join_permission_id(accounts::JOIN_PERMISSION_ID)
                .build()
                .unwrap(),
        )
        .unwrap();
    assert_eq!(owned.join_permission.join_permission_id, "123");

    let submit = linkwan::SubmitJoinPermissionAuthOrder::builder()
        .join_permission_id(accounts::JOIN_PERMISSION_ID)
        .renter_aliyun_id(accounts::RENTER.aliyun_id)
        .build()
        .unwrap();
    let order_id = client.send(&submit).unwrap().order_id;
    let order = client
        .send(
            &linkwan::GetJoinPermissionAuthOrder::builder()
                .order_id(order_id)
                .build()
                .unwrap(),
        )
        .unwrap()
        .order;
    assert_eq!(order.order_state, linkwan::OrderState::Applying);
    let err = client.send(&submit).unwrap_err();
    assert_eq!(
        err.code(),
        Some(&linkwan::ErrorCode::JoinPermissionAlreadyAuthorized)
    );
}

#[test]
fn sms_and_raw_calls_work_blocking_with_both_signature_versions() {
    let served = serve();
    let client = aliyun_client(&served);
    let letter = common::letter("同步授权书").build().unwrap();
    client.send(&letter).unwrap();
    let err = client
        .with_signature_version(SignatureVersion::V3)
        .send(&letter)
        .unwrap_err();
    assert_eq!(
        err.code(),
        Some(&sms::ErrorCode::AuthorizationLetterNameRepeat)
    );

    let raw = aliyun::RawRequest::new("linkwan", "2019-03-01", "GetOwnedJoinPermission")
        .param("JoinPermissionId", accounts::JOIN_PERMISSION_ID);
    assert_eq!(client.call(&raw).unwrap()["Success"], true);
}

#[test]
fn blocking_calls_retry_like_async_ones() {
    let served = serve();
    served.emulator.inject(Fault::ServiceUnavailable);
    let client = aliyun_client(&served);
    client
        .send(
            &linkwan::GetOwnedJoinPermission::builder()
                .join_permission_id(accounts::JOIN_PERMISSION_ID)
                .build()
                .unwrap(),
        )
        .unwrap();
    assert_eq!(served.emulator.requests().len(), 2);
}

#[test]
fn top_works_blocking_and_from_many_threads() {
    let served = serve();
    let client = top::blocking::Client::builder()
        .app_key(accounts::TOP_APP_KEY)
        .app_secret(accounts::TOP_APP_SECRET)
        .gateway_url(served.emulator.top_gateway_url())
        .build_blocking()
        .unwrap();
    std::thread::scope(|scope| {
        for i in 0..4 {
            let client = client.clone();
            scope.spawn(move || {
                let answer = client
                    .send(&common::apply(
                        accounts::DATABANK_SK,
                        &format!("thread-{i}"),
                    ))
                    .unwrap();
                assert!(answer.result.is_success());
            });
        }
    });
    assert_eq!(served.emulator.requests().len(), 4);

    let wrong = top::blocking::Client::builder()
        .app_key(accounts::TOP_APP_KEY)
        .app_secret("wrong")
        .gateway_url(served.emulator.top_gateway_url())
        .build_blocking()
        .unwrap();
    let err = wrong
        .send(&common::apply(accounts::DATABANK_SK, "x"))
        .unwrap_err();
    assert_eq!(err.code(), Some(&top::ErrorCode::InvalidSignature));
}
