//! The fast HCL parser against hcl-edit on one text: when both accept it, the trees (spans
//! included) must be equal, and the fast parser must never accept a text hcl-edit rejects.
//! Inputs that are not UTF-8 are skipped (the front end rejects them before parsing).
#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    if let Err(e) = vpclint_terraform::check_against_hcl_edit(text) {
        panic!("{e}");
    }
});
