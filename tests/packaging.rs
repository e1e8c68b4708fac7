//! What `cargo package` ships: the license texts that `Cargo.toml` declares, and the API models
//! the emulator compiles in.

use std::process::Command;

#[test]
fn the_package_carries_both_license_texts() {
    let manifest = include_str!("../Cargo.toml");
    assert!(manifest.contains(r#"license = "MIT OR Apache-2.0""#));
    let mit = include_str!("../LICENSE-MIT");
    assert!(mit.contains("Permission is hereby granted, free of charge"));
    let apache = include_str!("../LICENSE-APACHE");
    assert!(apache.contains("Apache License") && apache.contains("Version 2.0, January 2004"));

    // `cargo package --list` works offline and names every file the package would hold.
    let output = Command::new(env!("CARGO"))
        .args(["package", "--list", "--allow-dirty", "--offline"])
        .current_dir(env!("CARGO_MANIFEST_DIR"))
        .output()
        .expect("cargo runs");
    let listed = String::from_utf8_lossy(&output.stdout);
    assert!(
        output.status.success(),
        "{}",
        String::from_utf8_lossy(&output.stderr)
    );
    // The emulator reads the API models at compile time, so they ship with it.
    for file in [
        "LICENSE-MIT",
        "LICENSE-APACHE",
        "README.md",
        "CHANGELOG.md",
        "models/linkwan-2019-03-01.json",
        "models/linkwan-2019-03-01.overlay.json",
        "models/dysmsapi-2017-05-25.json",
        "models/dysmsapi-2017-05-25.overlay.json",
    ] {
        assert!(listed.lines().any(|l| l == file), "{file} not in {listed}");
    }
}
