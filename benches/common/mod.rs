//! What the criterion benches share: one configuration (short runs, for noisy 2-core machines)
//! and the ratios printed at the end of a run, read back from criterion's own estimates so
//! that every ratio compares two figures of the same run.

#![allow(dead_code)] // each bench uses a part

use std::path::PathBuf;
use std::time::Duration;

use criterion::Criterion;

/// Criterion with short warm-up and measurement times, writing where `ratios` reads.
pub fn criterion() -> Criterion {
    Criterion::default()
        .warm_up_time(Duration::from_secs(1))
        .measurement_time(Duration::from_secs(3))
        .sample_size(50)
        .output_directory(&output_directory())
        .configure_from_args()
}

/// `<target>/criterion`, found from the bench executable (`<target>/release/deps/<bench>`), so
/// that it follows `CARGO_TARGET_DIR` like criterion's own default does.
fn output_directory() -> PathBuf {
    std::env::current_exe()
        .ok()
        .and_then(|exe| Some(exe.parent()?.parent()?.parent()?.join("criterion")))
        .unwrap_or_else(|| PathBuf::from("target/criterion"))
}

/// The median time per iteration, in nanoseconds, of `group/bench` in the last run; `None`
/// when it did not run (filtered out, or `cargo test --benches`, which only smoke-tests).
pub fn median_ns(group: &str, bench: &str) -> Option<f64> {
    let path = output_directory()
        .join(group)
        .join(bench)
        .join("new")
        .join("estimates.json");
    let text = std::fs::read_to_string(path).ok()?;
    let estimates: serde_json::Value = serde_json::from_str(&text).ok()?;
    estimates["median"]["point_estimate"].as_f64()
}

/// One line of the summary: a measured figure against a target.
pub struct Ratio {
    /// What is compared, e.g. "v1 signature / floor (HMAC + encoding)".
    pub what: &'static str,
    /// The figure whose cost is compared (`group`, `bench`).
    pub ours: (&'static str, &'static str),
    /// What it is divided by: another figure of the same run, or a fixed time in ns.
    pub base: Base,
    /// The target, as text (e.g. "<= 3x").
    pub target: &'static str,
    /// Whether the ratio meets the target.
    pub met: fn(f64) -> bool,
}

/// The denominator of a [`Ratio`].
pub enum Base {
    /// Another benchmark of the same run (`group`, `bench`).
    Bench(&'static str, &'static str),
    /// Several benchmarks of the same run, added up.
    Sum(&'static [(&'static str, &'static str)]),
    /// A fixed time in nanoseconds (a figure given by the issue).
    Fixed(f64),
    /// A fixed time that is divided by ours: a speed-up (`fixed / ours`).
    SpeedupOver(f64),
}

/// Prints every ratio whose figures were measured in this run (when filtered, a figure left out
/// keeps its estimate from an earlier run).
pub fn print_ratios(title: &str, ratios: &[Ratio]) {
    // `cargo bench` passes `--bench`; `cargo test --benches` does not and measures nothing, so
    // whatever estimates exist are from another run.
    if !std::env::args().any(|a| a == "--bench") {
        return;
    }
    let mut lines = Vec::new();
    for r in ratios {
        let Some(ours) = median_ns(r.ours.0, r.ours.1) else {
            continue;
        };
        let ratio = match &r.base {
            Base::Bench(g, b) => median_ns(g, b).map(|base| ours / base),
            Base::Sum(parts) => parts
                .iter()
                .map(|(g, b)| median_ns(g, b))
                .sum::<Option<f64>>()
                .map(|base| ours / base),
            Base::Fixed(ns) => Some(ours / ns),
            Base::SpeedupOver(ns) => Some(ns / ours),
        };
        let Some(ratio) = ratio else { continue };
        let verdict = if (r.met)(ratio) { "met" } else { "MISSED" };
        lines.push(format!(
            "  {:<58} {:>8.2}x   target {:<8} {verdict}",
            r.what, ratio, r.target
        ));
    }
    if !lines.is_empty() {
        println!("\n{title} (medians of this run):");
        for line in lines {
            println!("{line}");
        }
    }
}
