//! `cargo xtask codegen`: spec → normalise → one model (inventory + type space) → every
//! committed generated file.

use crate::inventory::{self, Operation};
use crate::model::{KeyDecl, KeyKind, Model};
use crate::normalize::{self, Report};
use crate::{flag_value, repo_root, spec};
use anyhow::Context;
use heck::ToUpperCamelCase;
use proc_macro2::TokenStream;
use progenitor_impl::{GenerationSettings, Generator, InterfaceStyle, TagStyle, TypeImpl};
use quote::{format_ident, quote};
use serde_json::Value;
use std::fmt::Write as _;
use std::path::{Path, PathBuf};
use std::process::ExitCode;

/// The generated models (types, keys, enums; always compiled), relative to the repository root.
pub const MODELS: &str = "crates/camunda-raw/src/models.rs";
/// The generated raw client (feature `client` of camunda-raw).
pub const RAW_CLIENT: &str = "crates/camunda-raw/src/client.rs";
/// The pinned spec, relative to the repository root.
pub const SPEC: &str = "spec/rest-api.yaml";

/// Everything one codegen run produces.
pub struct Output {
    /// Files to write, relative to the repository root.
    pub files: Vec<(PathBuf, String)>,
    pub report: Report,
    pub inventory: Vec<Operation>,
    /// Key types the spec names, with the validation each got.
    pub keys: Vec<String>,
    /// What codegen could not do fully for this spec (a key pattern it cannot check, a search
    /// it cannot page), each a complete sentence. Empty for the pinned spec.
    pub notes: Vec<String>,
    /// How many models derive which halves of serde (see [`crate::derives`]).
    pub derives: crate::derives::Counts,
}

pub fn run(args: &[String]) -> anyhow::Result<ExitCode> {
    let check = args.iter().any(|a| a == "--check");
    let spec_path = flag_value(args, "--spec")?.map(PathBuf::from);
    let out_dir = flag_value(args, "--out-dir")?.map(PathBuf::from);
    let started = std::time::Instant::now();
    let root = repo_root();
    let output = match &spec_path {
        Some(p) => generate(p, false)?,
        None => generate(&root.join(SPEC), true)?,
    };
    eprint!("{}", output.report);
    eprintln!("{}", output.derives);
    for note in &output.notes {
        eprintln!("note: {note}");
    }
    if let Some(dir) = out_dir {
        write_standalone_crate(&dir, &output)?;
        eprintln!("wrote a standalone raw crate to {}", dir.display());
        return Ok(ExitCode::SUCCESS);
    }
    if check {
        let stale = stale_files(&root, &output);
        if stale.is_empty() {
            eprintln!("codegen: up to date ({:.1?})", started.elapsed());
            return Ok(ExitCode::SUCCESS);
        }
        for (path, diff) in stale {
            eprintln!(
                "{} is stale; run `cargo xtask codegen`:\n{diff}",
                path.display()
            );
        }
        return Ok(ExitCode::FAILURE);
    }
    for (path, content) in &output.files {
        let full = root.join(path);
        std::fs::write(&full, content).with_context(|| format!("writing {}", full.display()))?;
        eprintln!(
            "wrote {} ({} lines)",
            path.display(),
            content.lines().count()
        );
    }
    eprintln!(
        "codegen: {} operations ({} generated), {:.1?}",
        output.inventory.len(),
        output.inventory.iter().filter(|o| !o.hand_written).count(),
        started.elapsed()
    );
    Ok(ExitCode::SUCCESS)
}

/// Files whose committed content differs from what codegen produces, with a short diff each.
pub fn stale_files(root: &Path, output: &Output) -> Vec<(PathBuf, String)> {
    let mut stale = Vec::new();
    for (path, content) in &output.files {
        let committed = std::fs::read_to_string(root.join(path)).unwrap_or_default();
        if committed != *content {
            let diff = similar::TextDiff::from_lines(&committed, content);
            let mut text = String::new();
            for (i, hunk) in diff
                .unified_diff()
                .context_radius(2)
                .iter_hunks()
                .enumerate()
            {
                if i == 8 {
                    text.push_str("… (more hunks)\n");
                    break;
                }
                let _ = write!(text, "{hunk}");
            }
            stale.push((path.clone(), text));
        }
    }
    stale
}

/// Runs the whole pipeline on a spec file. `strict` is for the pinned spec: every pass must
/// change something.
///
/// One model feeds every generator: the inventory (read before normalisation) joined with the
/// type space typify builds inside progenitor's `Generator` (see [`crate::model`]). A new
/// generated file is one more `files.extend(…)` line over `&model`.
pub fn generate(spec_path: &Path, strict: bool) -> anyhow::Result<Output> {
    let mut doc = spec::load(spec_path)?;
    let inventory = inventory::build(&doc);
    let report = normalize::normalize(&mut doc, strict)?;

    let mut settings = GenerationSettings::default();
    // The positional client needs no typify struct builders (64k lines nobody calls): the
    // facade's own methods are the API.
    settings
        .with_interface(InterfaceStyle::Positional)
        .with_tag(TagStyle::Merged);

    let mut notes = Vec::new();
    let (key_decls, keys_tokens) = key_decls(&doc, &mut settings, &mut notes);
    let (enum_names, enums_tokens) = enum_decls(&doc, &mut settings);

    let api: openapiv3::OpenAPI = serde_json::from_value(doc.clone())
        .context("the normalised spec is not valid OpenAPI 3.0")?;
    let mut generator = Generator::new(&settings);
    let tokens = generator
        .generate_tokens(&api)
        .map_err(|e| anyhow::anyhow!("progenitor: {e}"))?;
    let mut file: syn::File = syn::parse2(tokens).context("progenitor produced invalid Rust")?;
    fast_date_times(&mut file.items);
    let (derive_counts, decoded_conditions) = crate::derives::by_direction(&mut file.items, &doc);
    let conditions = crate::conditions::render(&file.items, &decoded_conditions)?;
    // Progenitor's output is the models (its `types` module) and the raw client (the rest).
    let (types, client): (Vec<syn::Item>, Vec<syn::Item>) = file
        .items
        .into_iter()
        .partition(|i| matches!(i, syn::Item::Mod(m) if m.ident == "types"));
    let allow = quote! {
        #![allow(missing_docs, clippy::all, clippy::pedantic, unused_imports, irrefutable_let_patterns)]
    };
    let models = quote! {
        #allow
        #(#types)*
        #keys_tokens
        #enums_tokens
    };
    let client = quote! {
        #allow
        use crate::types;
        #(#client)*
    };

    let model = Model::build(
        &doc,
        &inventory,
        generator.get_type_space(),
        &key_decls,
        &enum_names,
    )?;
    let mut files = vec![
        (PathBuf::from(MODELS), pretty_file(HEADER, models)?),
        (PathBuf::from(RAW_CLIENT), pretty_file(HEADER, client)?),
        (
            PathBuf::from(crate::conditions::CONDITIONS),
            pretty_file(crate::conditions::HEADER, conditions)?,
        ),
    ];
    files.extend(
        crate::facade::render(&model)?
            .into_iter()
            .map(|(p, t)| (PathBuf::from(p), t)),
    );
    files.push(crate::mocks::render(&model, strict, &mut notes)?);
    let (paging, paging_notes, paged) = crate::paging::render(&model, strict)?;
    files.push((PathBuf::from(crate::paging::PAGING), paging));
    notes.extend(paging_notes);
    files.extend(
        crate::builders::render(&model, &doc, &paged, strict, &mut notes)?
            .into_iter()
            .map(|(p, t)| (PathBuf::from(p), t)),
    );

    let keys = key_decls
        .iter()
        .map(|k| format!("{}: {}", k.name, k.kind.macro_name()))
        .collect();
    Ok(Output {
        files,
        report,
        inventory,
        keys,
        notes,
        derives: derive_counts,
    })
}

/// A generated file's text: `header` (comments, which tokens cannot carry), then `tokens`
/// formatted by prettyplease.
pub fn pretty_file(header: &str, tokens: TokenStream) -> anyhow::Result<String> {
    let file: syn::File = syn::parse2(tokens).context("codegen produced invalid Rust")?;
    Ok(format!("{header}{}", prettyplease::unparse(&file)))
}

/// Points every `date-time` field of a decoded struct at `camunda_raw::date_time`, which reads
/// the servers' canonical RFC 3339 shape without chrono's general parser (the same values and
/// errors, a tenth of the cost).
fn fast_date_times(items: &mut [syn::Item]) {
    const DATE_TIME: &str = "::chrono::DateTime<::chrono::offset::Utc>";
    for item in items {
        match item {
            syn::Item::Mod(m) => {
                if let Some((_, inner)) = &mut m.content {
                    fast_date_times(inner);
                }
            }
            syn::Item::Struct(s) => {
                let derives_deserialize = s.attrs.iter().any(|a| {
                    a.path().is_ident("derive")
                        && quote::quote!(#a).to_string().contains("Deserialize")
                });
                let syn::Fields::Named(fields) = &mut s.fields else {
                    continue;
                };
                if !derives_deserialize {
                    continue;
                }
                for field in &mut fields.named {
                    let ty = &field.ty;
                    let ty = quote::quote!(#ty).to_string().replace(' ', "");
                    if ty == DATE_TIME {
                        field.attrs.push(syn::parse_quote!(
                            #[serde(deserialize_with = "crate::date_time::deserialize")]
                        ));
                    } else if ty == format!("::std::option::Option<{DATE_TIME}>") {
                        field.attrs.push(syn::parse_quote!(
                            #[serde(default, deserialize_with = "crate::date_time::deserialize_option")]
                        ));
                    }
                }
            }
            _ => {}
        }
    }
}

const HEADER: &str = "\
// @generated by `cargo xtask codegen` from spec/rest-api.yaml. Do not edit by hand:
// change the normaliser in xtask/src/normalize/ and regenerate.
";

/// Validators in `camunda-raw/src/key_support.rs`, by the spec pattern they implement.
const KNOWN_PATTERNS: &[(&str, &str)] = &[
    (r"^-?[0-9]+$", "decimal"),
    (r"^[0-9]+-[0-9]+$", "decimal_pair"),
    (r"^[\w_][\w0-9_\-\.]*$", "bpmn_id"),
    (r"^(<default>|[\w\.\-]{1,31})$", "tenant_id"),
    (r"^[a-zA-Z0-9_~@.+-]+$", "entity_id"),
    (r"^[a-zA-Z0-9_~@.+\-]+$", "entity_id"),
    (r"^[A-Za-z][A-Za-z0-9_\-:.]{0,99}$", "tag"),
    (
        r"^(?:[A-Za-z0-9+/]{4})*(?:[A-Za-z0-9+/]{2}(?:==)?|[A-Za-z0-9+/]{3}=)?$",
        "base64",
    ),
];

fn doc_attrs(schema: &Value) -> TokenStream {
    let lines = schema
        .get("description")
        .and_then(Value::as_str)
        .map(|d| {
            d.trim_end()
                .lines()
                .map(|l| format!(" {l}").trim_end().to_owned())
                .collect::<Vec<_>>()
        })
        .unwrap_or_default();
    quote!(#(#[doc = #lines])*)
}

/// Every component that is its own `x-semantic-type` becomes a key type declared with the macros
/// of `key_support.rs`, and progenitor is told to use it wherever the component is referenced.
fn key_decls(
    doc: &Value,
    settings: &mut GenerationSettings,
    unchecked: &mut Vec<String>,
) -> (Vec<KeyDecl>, TokenStream) {
    let mut decls = Vec::new();
    let mut items = Vec::new();
    for (name, schema) in spec::schemas(doc) {
        if schema.get("x-semantic-type").and_then(Value::as_str) != Some(name.as_str()) {
            continue;
        }
        let ty = schema
            .get("type")
            .and_then(Value::as_str)
            .unwrap_or("string");
        let pattern = schema.get("pattern").and_then(Value::as_str);
        let min = schema.get("minLength").and_then(Value::as_u64).unwrap_or(0);
        let max = schema
            .get("maxLength")
            .and_then(Value::as_u64)
            .unwrap_or(u64::from(u32::MAX));
        let docs = doc_attrs(schema);
        let ident = format_ident!("{name}");
        let (kind, args) = match (ty, pattern) {
            ("integer", _) => {
                let min = schema
                    .get("minimum")
                    .and_then(Value::as_i64)
                    .unwrap_or(i64::MIN);
                let min = proc_macro2::Literal::i64_unsuffixed(min);
                (KeyKind::Integer, quote!(min = #min))
            }
            (_, Some(r"^-?[0-9]+$")) => {
                let max = proc_macro2::Literal::u64_unsuffixed(max);
                (KeyKind::Numeric, quote!(max_len = #max))
            }
            _ => {
                let check = match pattern {
                    None => "any",
                    Some(p) => KNOWN_PATTERNS
                        .iter()
                        .find(|(known, _)| *known == p)
                        .map(|(_, f)| *f)
                        .unwrap_or_else(|| {
                            unchecked.push(format!(
                                "{name}: pattern {p} is not known to codegen; the key type checks length only"
                            ));
                            "any"
                        }),
                };
                let check = format_ident!("{check}");
                let pattern = pattern.unwrap_or("");
                let (min, max) = (
                    proc_macro2::Literal::u64_unsuffixed(min),
                    proc_macro2::Literal::u64_unsuffixed(max),
                );
                (
                    KeyKind::String,
                    quote!(min_len = #min, max_len = #max, check = check::#check, pattern = #pattern),
                )
            }
        };
        let mac = format_ident!("{}", kind.macro_name());
        items.push(quote! {
            crate::#mac! {
                #docs
                #ident, #args
            }
        });
        settings.with_replacement(
            name,
            format!("crate::keys::{name}"),
            [TypeImpl::Display, TypeImpl::FromStr].into_iter(),
        );
        decls.push(KeyDecl {
            name: name.clone(),
            kind,
        });
    }
    let tokens = quote! {
        /// Semantic keys and identifiers named by the spec's `x-semantic-type`.
        pub mod keys {
            use crate::key_support::check;
            #(#items)*
        }
    };
    (decls, tokens)
}

/// Every string enum component becomes an open enum (`Unknown(String)` for values a newer
/// server adds), declared with `open_enum!` from `open_enum.rs`.
fn enum_decls(doc: &Value, settings: &mut GenerationSettings) -> (Vec<String>, TokenStream) {
    let mut names = Vec::new();
    let mut items = Vec::new();
    for (name, schema) in spec::schemas(doc) {
        let Some(values) = schema.get("enum").and_then(Value::as_array) else {
            continue;
        };
        if values.len() < 2 || schema.get("type").and_then(Value::as_str) != Some("string") {
            continue;
        }
        let docs = doc_attrs(schema);
        let mut used: Vec<String> = Vec::new();
        let mut variants = Vec::new();
        for v in values.iter().filter_map(Value::as_str) {
            let mut variant = v.to_upper_camel_case();
            if variant.is_empty() || variant.starts_with(|c: char| c.is_ascii_digit()) {
                variant.insert(0, 'V');
            }
            if variant == "Unknown" || variant == "Self" {
                variant.push_str("Value");
            }
            while used.contains(&variant) {
                variant.push('_');
            }
            used.push(variant.clone());
            let ident = format_ident!("{variant}");
            variants.push(quote!(#ident = #v,));
        }
        let ident = format_ident!("{name}");
        items.push(quote! {
            crate::open_enum! {
                #docs
                #ident {
                    #(#variants)*
                }
            }
        });
        settings.with_replacement(
            name,
            format!("crate::enums::{name}"),
            [TypeImpl::Display, TypeImpl::FromStr].into_iter(),
        );
        names.push(name.clone());
    }
    let tokens = quote! {
        /// Enumerations of the spec. Each accepts values this SDK does not know yet.
        pub mod enums {
            #(#items)*
        }
    };
    (names, tokens)
}

/// A crate at `dir` that builds the generated file with this repository's hand-written support
/// modules, for checking other spec versions compile.
fn write_standalone_crate(dir: &Path, output: &Output) -> anyhow::Result<()> {
    let root = repo_root();
    let src = dir.join("src");
    std::fs::create_dir_all(&src)?;
    for entry in std::fs::read_dir(root.join("crates/camunda-raw/src"))? {
        let entry = entry?;
        std::fs::copy(entry.path(), src.join(entry.file_name()))?;
    }
    for (path, text) in &output.files {
        if path.starts_with("crates/camunda-raw/src") {
            std::fs::write(src.join(path.file_name().expect("a file")), text)?;
        }
    }
    let manifest = std::fs::read_to_string(root.join("crates/camunda-raw/Cargo.toml"))?;
    let workspace = std::fs::read_to_string(root.join("Cargo.toml"))?;
    std::fs::write(
        dir.join("Cargo.toml"),
        standalone_manifest(&manifest, &workspace),
    )?;
    Ok(())
}

/// The raw crate's manifest with workspace inheritance resolved from the root manifest.
fn standalone_manifest(manifest: &str, workspace: &str) -> String {
    let dep_line = |name: &str| {
        workspace
            .lines()
            .find(|l| l.starts_with(&format!("{name} =")))
            .map(str::to_owned)
    };
    let mut out = String::from("[workspace]\n\n");
    for line in manifest.lines() {
        if let Some(key) = line.strip_suffix(" = { workspace = true, optional = true }") {
            // An optional dependency: the workspace's line, marked optional.
            if let Some(resolved) = dep_line(key) {
                let spec = resolved[key.len() + 3..].trim();
                match spec.strip_prefix('{') {
                    Some(rest) => out.push_str(&format!("{key} = {{ optional = true,{rest}")),
                    None => {
                        out.push_str(&format!("{key} = {{ version = {spec}, optional = true }}"))
                    }
                }
            }
        } else if line.ends_with(".workspace = true") {
            let key = line.trim_end_matches(".workspace = true");
            match dep_line(key) {
                Some(resolved) => out.push_str(&resolved),
                None if key == "edition" => out.push_str("edition = \"2024\""),
                None => continue,
            }
        } else if line.starts_with("[lints]") || line.starts_with("workspace = true") {
            continue;
        } else {
            out.push_str(line);
        }
        out.push('\n');
    }
    out
}

/// `cargo xtask compat [--version V]...`: fetch other published specs, generate a standalone raw
/// crate from each, and `cargo check` it.
pub fn compat(args: &[String]) -> anyhow::Result<ExitCode> {
    let mut versions: Vec<String> = args
        .windows(2)
        .filter(|w| w[0] == "--version")
        .map(|w| w[1].clone())
        .collect();
    if versions.is_empty() {
        versions = crate::fetch::COMPAT_VERSIONS
            .iter()
            .map(|v| (*v).to_owned())
            .collect();
    }
    let root = repo_root();
    let base = root.join("target/compat");
    let mut failed = Vec::new();
    for v in &versions {
        let dir = base.join(v);
        let spec_file = dir.join("rest-api.yaml");
        crate::fetch::fetch(v, &spec_file)?;
        let output = generate(&spec_file, false)?;
        eprintln!("spec {v}:\n{}", output.report);
        let crate_dir = dir.join("camunda-raw");
        write_standalone_crate(&crate_dir, &output)?;
        let status = std::process::Command::new(env!("CARGO"))
            .args([
                "check",
                "--quiet",
                "--features",
                "client",
                "--manifest-path",
            ])
            .arg(crate_dir.join("Cargo.toml"))
            .env("CARGO_TARGET_DIR", base.join("target"))
            .status()?;
        if status.success() {
            eprintln!("compat: spec from registry version {v} generates a compiling client");
        } else {
            failed.push(v.clone());
        }
    }
    if failed.is_empty() {
        Ok(ExitCode::SUCCESS)
    } else {
        anyhow::bail!("compat: generated clients failed to compile for {failed:?}")
    }
}
