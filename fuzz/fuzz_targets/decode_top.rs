//! Every TOP response decoder over arbitrary bytes: errors are fine, panics are not.
#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|body: &[u8]| {
    alibaba_openapi::fuzzing::decode_top(200, body);
});
