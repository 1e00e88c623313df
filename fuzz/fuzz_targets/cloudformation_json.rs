//! The CloudFormation front end on one `template.json`: parse, evaluate, build the graph.
#![no_main]

use libfuzzer_sys::fuzz_target;
use vpclint_cloudformation::CloudFormationOptions;
use vpclint_graph::SourceMap;

fuzz_target!(|data: &[u8]| {
    let Ok(dir) = tempfile::tempdir() else { return };
    let path = dir.path().join("template.json");
    if std::fs::write(&path, data).is_err() {
        return;
    }
    let mut sources = SourceMap::new();
    let _ = vpclint_cloudformation::load(&mut sources, &[path], &CloudFormationOptions::default());
});
