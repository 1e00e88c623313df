//! The fast YAML reader against granit-parser on one text: when the fast reader reads it,
//! its tree (spans included) must be granit-parser's, and granit-parser must accept the text.
//! Inputs that are not UTF-8 are skipped (the front end rejects them before parsing).
#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    if let Err(e) = vpclint_cloudformation::syntax::check_yaml_against_granit(text) {
        panic!("{e}");
    }
});
