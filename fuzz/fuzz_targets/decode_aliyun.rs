//! Every Alibaba Cloud RPC response decoder over arbitrary bytes: errors are fine, panics are not.
#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|input: &[u8]| {
    let (status, body) = match input.split_first() {
        Some((&first, rest)) => (if first % 2 == 0 { 200 } else { 400 + u16::from(first) }, rest),
        None => (200, input),
    };
    alibaba_openapi::fuzzing::decode_aliyun(status, body);
});
