//! The Terraform front end on one module: parse, evaluate, build the graph. The input is
//! `main.tf`; bytes after a NUL byte, if any, are an `override.tf` merged into it.
#![no_main]

use libfuzzer_sys::fuzz_target;
use vpclint_graph::SourceMap;
use vpclint_terraform::TerraformOptions;

fuzz_target!(|data: &[u8]| {
    let (main, over) = match data.iter().position(|b| *b == 0) {
        Some(i) => (&data[..i], Some(&data[i + 1..])),
        None => (data, None),
    };
    let Ok(dir) = tempfile::tempdir() else { return };
    if std::fs::write(dir.path().join("main.tf"), main).is_err() {
        return;
    }
    if let Some(over) = over {
        if std::fs::write(dir.path().join("override.tf"), over).is_err() {
            return;
        }
    }
    let mut sources = SourceMap::new();
    let _ = vpclint_terraform::load_with_environment(
        &mut sources,
        &[dir.path().to_path_buf()],
        &TerraformOptions::default(),
        &[],
    );
});
