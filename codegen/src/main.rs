//! `cargo run -p codegen`: writes the typed actions of every product from `models/`.
//!
//! - `cargo run -p codegen` regenerates `src/aliyun/<module>/actions/` from each model and its
//!   overlay (no network; CI runs it and fails on any difference).
//! - `cargo run -p codegen -- import <dir>` derives `models/<code>-<version>.json` from the
//!   collected metadata in `<dir>` (the `shared/models` folder), keeping wire facts only.

mod emit;
mod emit_tests;
mod model;
mod names;
mod overlay;
mod plan;

use std::path::{Path, PathBuf};
use std::process::ExitCode;

/// The product-versions the crate generates, by model file stem.
const PRODUCTS: &[&str] = &["linkwan-2019-03-01", "dysmsapi-2017-05-25"];

fn main() -> ExitCode {
    let mut args: Vec<String> = std::env::args().skip(1).collect();
    // `--root <dir>`: another checkout of the repository to read and write.
    let root = match args.iter().position(|a| a == "--root") {
        Some(i) if i + 1 < args.len() => {
            let dir = PathBuf::from(args.remove(i + 1));
            args.remove(i);
            dir
        }
        _ => Path::new(env!("CARGO_MANIFEST_DIR")).join(".."),
    };
    let result = match args.first().map(String::as_str) {
        Some("import") => match args.get(1) {
            Some(dir) => import(&root, Path::new(dir)),
            None => Err("usage: codegen import <shared/models>".into()),
        },
        None => generate(&root),
        Some(other) => Err(format!(
            "unknown command {other:?}; try `import <dir>` or nothing"
        )),
    };
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("codegen: {e}");
            ExitCode::FAILURE
        }
    }
}

fn import(root: &Path, shared: &Path) -> Result<(), String> {
    for stem in PRODUCTS {
        let source = shared.join(format!("{stem}.json"));
        let text =
            std::fs::read_to_string(&source).map_err(|e| format!("{}: {e}", source.display()))?;
        let value: serde_json::Value =
            serde_json::from_str(&text).map_err(|e| format!("{}: {e}", source.display()))?;
        let model = model::import(&value).map_err(|e| format!("{}: {e}", source.display()))?;
        let target: PathBuf = root.join("models").join(model.file_name());
        let mut json = serde_json::to_string_pretty(&model).map_err(|e| e.to_string())?;
        json.push('\n');
        std::fs::write(&target, json).map_err(|e| format!("{}: {e}", target.display()))?;
        println!(
            "wrote {} ({} actions)",
            target.display(),
            model.actions.len()
        );
    }
    Ok(())
}

fn generate(root: &Path) -> Result<(), String> {
    let mut written = Vec::new();
    let mut planned: Vec<(model::Model, plan::ProductPlan)> = Vec::new();
    for stem in PRODUCTS {
        let model_file = format!("{stem}.json");
        let overlay_file = format!("{stem}.overlay.json");
        let model: model::Model = read_json(&root.join("models").join(&model_file))?;
        if model.format != model::FORMAT {
            return Err(format!(
                "{model_file}: format {} (this generator reads {})",
                model.format,
                model::FORMAT
            ));
        }
        let overlay: overlay::Overlay = read_json(&root.join("models").join(&overlay_file))?;
        let plan = plan::plan(&model, &overlay, &model_file, &overlay_file)
            .map_err(|e| format!("{stem}: {e}"))?;
        let dir = root.join("src/aliyun").join(&plan.module);
        let actions_dir = dir.join("actions");
        std::fs::create_dir_all(&actions_dir)
            .map_err(|e| format!("{}: {e}", actions_dir.display()))?;
        let files = emit::product(&plan);
        let keep: Vec<PathBuf> = files.iter().map(|(name, _)| dir.join(name)).collect();
        // Files of actions that left the model go too.
        for entry in std::fs::read_dir(&actions_dir).map_err(|e| e.to_string())? {
            let path = entry.map_err(|e| e.to_string())?.path();
            if !keep.contains(&path) {
                std::fs::remove_file(&path).map_err(|e| format!("{}: {e}", path.display()))?;
            }
        }
        for (name, text) in files {
            let path = dir.join(name);
            std::fs::write(&path, text).map_err(|e| format!("{}: {e}", path.display()))?;
            if path.extension().is_some_and(|e| e == "rs") {
                written.push(path);
            }
        }
        println!(
            "{stem}: {} actions into {}",
            plan.actions.len(),
            actions_dir.display()
        );
        planned.push((model, plan));
    }
    let products: Vec<(&model::Model, &plan::ProductPlan)> =
        planned.iter().map(|(m, p)| (m, p)).collect();
    let tests = root.join("tests/generated");
    std::fs::create_dir_all(&tests).map_err(|e| format!("{}: {e}", tests.display()))?;
    let path = tests.join("every_action.rs");
    std::fs::write(&path, emit_tests::every_action(&products))
        .map_err(|e| format!("{}: {e}", path.display()))?;
    written.push(path);
    rustfmt(&written)
}

fn read_json<T: serde::de::DeserializeOwned>(path: &Path) -> Result<T, String> {
    let text = std::fs::read_to_string(path).map_err(|e| format!("{}: {e}", path.display()))?;
    serde_json::from_str(&text).map_err(|e| format!("{}: {e}", path.display()))
}

/// Formats the written files with the toolchain's rustfmt, as `cargo fmt` would.
fn rustfmt(files: &[PathBuf]) -> Result<(), String> {
    for chunk in files.chunks(64) {
        let status = std::process::Command::new("rustfmt")
            .args(["--edition", "2021"])
            .args(chunk)
            .status()
            .map_err(|e| format!("rustfmt could not run ({e}); `rustup component add rustfmt`"))?;
        if !status.success() {
            return Err("rustfmt failed on the generated code".into());
        }
    }
    Ok(())
}
