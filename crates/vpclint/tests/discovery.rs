//! Discovery on trees built in a temporary directory (git would not commit ignored files).

use std::path::{Path, PathBuf};

use vpclint::discover::discover;

fn write(root: &Path, relative: &str, text: &str) {
    let path = root.join(relative);
    if let Some(parent) = path.parent() {
        std::fs::create_dir_all(parent).expect("create test dir");
    }
    std::fs::write(path, text).expect("write test file");
}

fn relative(root: &Path, paths: &[PathBuf]) -> Vec<String> {
    paths
        .iter()
        .map(|p| {
            p.strip_prefix(root)
                .unwrap_or(p)
                .to_string_lossy()
                .replace('\\', "/")
        })
        .collect()
}

#[test]
fn routes_files_to_front_ends_and_skips_ignored_vendored_and_hidden_dirs() {
    let tmp = tempfile::tempdir().expect("temp dir");
    let root = tmp.path();
    write(root, ".gitignore", "generated/\n");
    write(root, "generated/main.tf", "");
    write(root, "node_modules/pkg/main.tf", "");
    write(root, "node_modules/pkg/template.yaml", "");
    write(root, ".terraform/modules/net/main.tf", "");
    write(root, "excluded/main.tf", "");
    write(root, ".git/info/exclude", "excluded/\n");
    write(root, "network/main.tf", "");
    write(root, "network/vars.tf", "");
    write(root, "network/prod.tfvars.json", "{}");
    write(root, "json_module/main.tf.json", "{}");
    write(root, "cdk.out/NetworkStack.template.json", "{}");
    write(root, "templates/vpc.cfn.yaml", "");
    write(root, "templates/legacy.template", "");
    write(root, "package.json", "{}");
    write(root, "README.md", "");

    let found = discover(&[root.to_path_buf()]);
    assert!(found.errors.is_empty(), "{:?}", found.errors);
    assert_eq!(
        relative(root, &found.terraform_dirs),
        ["json_module", "network"]
    );
    assert_eq!(
        relative(root, &found.cloudformation_files),
        [
            "cdk.out/NetworkStack.template.json",
            "package.json",
            "templates/legacy.template",
            "templates/vpc.cfn.yaml"
        ]
    );
}

#[test]
fn explicit_files_are_linted_even_when_ignored() {
    let tmp = tempfile::tempdir().expect("temp dir");
    let root = tmp.path();
    write(root, ".gitignore", "*.yaml\n");
    write(root, "net/main.tf", "");
    write(root, "stack.yaml", "");

    let found = discover(&[root.join("net/main.tf"), root.join("stack.yaml")]);
    assert_eq!(relative(root, &found.terraform_dirs), ["net"]);
    assert_eq!(relative(root, &found.cloudformation_files), ["stack.yaml"]);
}

#[test]
fn the_same_directory_given_twice_is_loaded_once() {
    let tmp = tempfile::tempdir().expect("temp dir");
    let root = tmp.path();
    write(root, "net/main.tf", "");
    let found = discover(&[
        root.to_path_buf(),
        root.join("net"),
        root.join("net/./main.tf"),
    ]);
    assert_eq!(relative(root, &found.terraform_dirs), ["net"]);
}

#[test]
fn a_missing_path_is_an_error_and_the_rest_is_still_discovered() {
    let tmp = tempfile::tempdir().expect("temp dir");
    let root = tmp.path();
    write(root, "net/main.tf", "");
    let found = discover(&[root.join("does-not-exist"), root.join("net")]);
    assert_eq!(relative(root, &found.terraform_dirs), ["net"]);
    assert_eq!(found.errors.len(), 1);
    assert!(found.errors[0].path.ends_with("does-not-exist"));
    assert_eq!(found.errors[0].message, "no such file or directory");
}

#[cfg(unix)]
#[test]
fn symlink_loops_are_reported_not_followed_forever() {
    let tmp = tempfile::tempdir().expect("temp dir");
    let root = tmp.path();
    write(root, "net/main.tf", "");
    std::os::unix::fs::symlink(root, root.join("net/loop")).expect("symlink");

    let (sender, receiver) = std::sync::mpsc::channel();
    let root_path = root.to_path_buf();
    std::thread::spawn(move || {
        let _ = sender.send(discover(&[root_path]));
    });
    let found = receiver
        .recv_timeout(std::time::Duration::from_secs(20))
        .expect("discovery must terminate on a symlink loop");
    assert_eq!(relative(root, &found.terraform_dirs), ["net"]);
    assert_eq!(found.errors.len(), 1, "{:?}", found.errors);
    assert!(
        found.errors[0].message.contains("symbolic link loop"),
        "{}",
        found.errors[0].message
    );
}
