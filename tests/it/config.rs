//! Configuration errors stop the start with exit code 2 and name the key and the layer.

use crate::helpers::*;

#[test]
fn an_unknown_key_in_the_config_file_is_named_with_the_file() {
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("parvis.toml");
    std::fs::write(&file, "[session]\nidle_timout = \"5m\"\n").unwrap();
    let mut c = parvis(&dir.path().join("data"));
    c.arg("--config").arg(&file).arg("check");
    let out = run(c);
    assert_eq!(out.code, 2, "{}", out.stderr);
    assert!(out.stderr.contains("session.idle_timout"), "{}", out.stderr);
    assert!(out.stderr.contains("parvis.toml"), "{}", out.stderr);
    assert_eq!(
        out.stderr.trim().lines().count(),
        1,
        "one line: {}",
        out.stderr
    );
}

#[test]
fn an_invalid_value_from_the_environment_is_named() {
    let dir = tempfile::tempdir().unwrap();
    let mut c = parvis(dir.path());
    c.env("PARVIS_SESSION_IDLE_TIMEOUT", "soon").arg("check");
    let out = run(c);
    assert_eq!(out.code, 2);
    assert!(
        out.stderr.contains("session.idle_timeout")
            && out.stderr.contains("PARVIS_SESSION_IDLE_TIMEOUT"),
        "{}",
        out.stderr
    );
}

#[test]
fn an_invalid_flag_value_is_named() {
    let dir = tempfile::tempdir().unwrap();
    let mut c = parvis(dir.path());
    c.args(["serve", "--listen", "not-an-address"]);
    let out = run(c);
    assert_eq!(out.code, 2);
    assert!(
        out.stderr.contains("server.listen") && out.stderr.contains("--listen"),
        "{}",
        out.stderr
    );
}

#[test]
fn the_data_directory_config_file_is_read() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(
        dir.path().join("config.toml"),
        "[tls]\nmode = \"sideways\"\n",
    )
    .unwrap();
    let mut c = parvis(dir.path());
    c.arg("check");
    let out = run(c);
    assert_eq!(out.code, 2);
    assert!(
        out.stderr.contains("tls.mode") && out.stderr.contains("config.toml"),
        "{}",
        out.stderr
    );
}

#[test]
fn files_mode_without_files_is_refused() {
    let dir = tempfile::tempdir().unwrap();
    let mut c = parvis(dir.path());
    c.env("PARVIS_TLS_MODE", "files").arg("check");
    let out = run(c);
    assert_eq!(out.code, 2);
    assert!(out.stderr.contains("tls.cert_file"), "{}", out.stderr);
}

#[test]
fn usage_errors_exit_with_2() {
    let dir = tempfile::tempdir().unwrap();
    let mut c = parvis(dir.path());
    c.arg("frobnicate");
    assert_eq!(run(c).code, 2);
    let mut c = parvis(dir.path());
    c.args(["user", "add", "--email", "x@y.example"]);
    assert_eq!(run(c).code, 2, "missing --name");
}

#[test]
fn every_command_explains_itself_with_examples() {
    let dir = tempfile::tempdir().unwrap();
    let commands: &[&[&str]] = &[
        &[],
        &["serve"],
        &["init"],
        &["user", "add"],
        &["user", "list"],
        &["user", "disable"],
        &["user", "enable"],
        &["user", "set-password"],
        &["org", "add"],
        &["org", "list"],
        &["group", "add"],
        &["group", "list"],
        &["group", "add-member"],
        &["group", "remove-member"],
        &["space", "add"],
        &["space", "list"],
        &["space", "grant"],
        &["space", "revoke"],
        &["token", "create"],
        &["token", "list"],
        &["token", "revoke"],
        &["check"],
        &["audit", "verify"],
    ];
    for cmd in commands {
        let mut c = parvis(dir.path());
        c.args(*cmd).arg("--help");
        let out = run(c);
        assert_eq!(out.code, 0, "{cmd:?}");
        assert!(
            out.stdout.contains("Example"),
            "{cmd:?} --help has no example:\n{}",
            out.stdout
        );
    }
}
