//! `cargo xtask fetch-spec`: obtains the upstream bundled spec through the package registry.
//!
//! Camunda publishes the bundled OpenAPI document inside the source distribution of its Python
//! SDK (`camunda-orchestration-sdk` on PyPI, file `generated/bundled_spec.yaml`). pip downloads the
//! sdist (honouring the user's index configuration); the file is extracted and its sha256 checked
//! against the pins below.

use crate::{flag_value, repo_root};
use anyhow::{Context, bail};
use sha2::{Digest, Sha256};
use std::io::Read;
use std::path::Path;
use std::process::{Command, ExitCode};

pub const PACKAGE: &str = "camunda-orchestration-sdk";
pub const MEMBER: &str = "generated/bundled_spec.yaml";
/// The registry version whose spec is vendored in `spec/`.
pub const PINNED_VERSION: &str = "10.0.1";
/// Older specs that must still generate compiling clients.
pub const COMPAT_VERSIONS: &[&str] = &["9.0.1", "1.1.3"];

/// sha256 of `generated/bundled_spec.yaml` for each known registry version.
pub const PINS: &[(&str, &str, &str)] = &[
    (
        "10.0.1",
        "8.10",
        "6efdd85e45eb63aac14aa6c20e09cc5847d3167fafdfe716b8c80d3357df740b",
    ),
    (
        "9.0.1",
        "8.9",
        "6a1c2ad74eb356477f5ddbd7c296c8e1cbed190f93f068561ce534f40b2bdd71",
    ),
    (
        "1.1.3",
        "8.8",
        "87630c133c00c7a8f689bd10dd1f4d0179778edaf54cf22213876e4707cfd56e",
    ),
];

pub fn run(args: &[String]) -> anyhow::Result<ExitCode> {
    let version = flag_value(args, "--version")?.unwrap_or_else(|| PINNED_VERSION.to_owned());
    let out = flag_value(args, "--out")?
        .map(Into::into)
        .unwrap_or_else(|| repo_root().join("spec/rest-api.yaml"));
    fetch(&version, &out)?;
    eprintln!("wrote {} from {PACKAGE}=={version}", out.display());
    Ok(ExitCode::SUCCESS)
}

/// Downloads `version`'s sdist, extracts the spec, verifies its pin, and writes it to `out`.
/// A file already at `out` with the pinned hash is reused without a download.
pub fn fetch(version: &str, out: &Path) -> anyhow::Result<()> {
    let pin = PINS.iter().find(|(v, _, _)| *v == version).map(|p| p.2);
    if let (Some(pin), Ok(existing)) = (pin, std::fs::read(out))
        && sha256(&existing) == pin
    {
        return Ok(());
    }
    let tmp = std::env::temp_dir().join(format!("camunda-spec-{version}-{}", std::process::id()));
    std::fs::create_dir_all(&tmp)?;
    let python = if Command::new("python3").arg("--version").output().is_ok() {
        "python3"
    } else {
        "python"
    };
    let status = Command::new(python)
        .args([
            "-m",
            "pip",
            "download",
            "--quiet",
            "--no-deps",
            "--no-binary",
            ":all:",
        ])
        .arg(format!("{PACKAGE}=={version}"))
        .arg("-d")
        .arg(&tmp)
        .status()
        .context("running pip (Python with pip is needed to fetch a spec, not to generate)")?;
    if !status.success() {
        bail!("pip could not download {PACKAGE}=={version}");
    }
    let sdist = std::fs::read_dir(&tmp)?
        .filter_map(Result::ok)
        .map(|e| e.path())
        .find(|p| p.to_string_lossy().ends_with(".tar.gz"))
        .context("pip downloaded no source distribution")?;
    let bytes = extract(&sdist)?;
    let _ = std::fs::remove_dir_all(&tmp);
    let digest = sha256(&bytes);
    match pin {
        Some(pin) if pin != digest => {
            bail!(
                "{PACKAGE}=={version}: spec sha256 is {digest}, pinned {pin}; refusing to write it"
            )
        }
        Some(_) => {}
        None => {
            eprintln!("warning: {version} has no pin in xtask/src/fetch.rs; its sha256 is {digest}")
        }
    }
    if let Some(dir) = out.parent() {
        std::fs::create_dir_all(dir)?;
    }
    std::fs::write(out, bytes)?;
    Ok(())
}

fn extract(sdist: &Path) -> anyhow::Result<Vec<u8>> {
    let file = std::fs::File::open(sdist)?;
    let mut archive = tar::Archive::new(flate2::read::GzDecoder::new(file));
    for entry in archive.entries()? {
        let mut entry = entry?;
        let path = entry.path()?.to_string_lossy().into_owned();
        // The sdist's top folder is `<name>-<version>/`.
        if path.split_once('/').is_some_and(|(_, rest)| rest == MEMBER) {
            let mut bytes = Vec::new();
            entry.read_to_end(&mut bytes)?;
            return Ok(bytes);
        }
    }
    bail!("{} has no {MEMBER}", sdist.display())
}

pub fn sha256(bytes: &[u8]) -> String {
    Sha256::digest(bytes)
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect()
}
