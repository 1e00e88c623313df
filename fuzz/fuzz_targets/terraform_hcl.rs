//! The Terraform front end on one `main.tf`: parse, evaluate, build the graph.
#![no_main]

use libfuzzer_sys::fuzz_target;
use vpclint_graph::SourceMap;
use vpclint_terraform::TerraformOptions;

fuzz_target!(|data: &[u8]| {
    let Ok(dir) = tempfile::tempdir() else { return };
    if std::fs::write(dir.path().join("main.tf"), data).is_err() {
        return;
    }
    let mut sources = SourceMap::new();
    let _ = vpclint_terraform::load_with_environment(
        &mut sources,
        &[dir.path().to_path_buf()],
        &TerraformOptions::default(),
        &[],
    );
});
