//! The committed generated code is what `cargo xtask codegen` produces from the pinned spec, and
//! the normalisation report and operation inventory are pinned as snapshots: a spec bump or a
//! normaliser change shows up here as a readable diff.

use std::fmt::Write as _;

fn output() -> xtask::codegen::Output {
    let root = xtask::repo_root();
    xtask::codegen::generate(&root.join(xtask::codegen::SPEC), true)
        .expect("codegen runs on the pinned spec")
}

#[test]
fn generated_code_is_current_and_reports_are_pinned() {
    let out = output();
    let stale = xtask::codegen::stale_files(&xtask::repo_root(), &out);
    assert!(
        stale.is_empty(),
        "generated files are stale; run `cargo xtask codegen`:\n{}",
        stale
            .iter()
            .map(|(p, d)| format!("{}:\n{d}", p.display()))
            .collect::<String>()
    );

    insta::assert_snapshot!("normalisation_report", out.report.to_string());

    let mut inventory = String::new();
    for op in &out.inventory {
        writeln!(inventory, "{op}").unwrap();
    }
    insta::assert_snapshot!("operation_inventory", inventory);
    insta::assert_snapshot!("key_types", out.keys.join("\n"));

    let generated = out.inventory.iter().filter(|o| !o.hand_written).count();
    assert_eq!(out.inventory.len(), 244);
    assert_eq!(
        generated, 241,
        "every operation but the 3 multipart ones is generated"
    );
    let hand_written: Vec<_> = out
        .inventory
        .iter()
        .filter(|o| o.hand_written)
        .map(|o| o.id.as_str())
        .collect();
    assert_eq!(
        hand_written,
        ["createDeployment", "createDocument", "createDocuments"]
    );
    assert!(
        out.notes.is_empty(),
        "the pinned spec must generate fully: {:?}",
        out.notes
    );
}

#[test]
fn raw_client_has_a_method_per_generated_operation() {
    let out = output();
    let generated = std::fs::read_to_string(xtask::repo_root().join(xtask::codegen::RAW_CLIENT))
        .expect("generated file exists");
    for op in out.inventory.iter().filter(|o| !o.hand_written) {
        let method = op.method_name();
        assert!(
            generated.contains(&format!("pub async fn {method}<'a>(")),
            "raw client lacks `{method}` for {}",
            op.id
        );
    }
}

/// The builders that can wait for an eventually consistent answer are exactly the operations the
/// spec flags `x-eventually-consistent: true`: one more or one less fails.
#[test]
fn eventually_consistent_builders_match_the_spec_flag() {
    let root = xtask::repo_root();
    let doc = xtask::spec::load(&root.join(xtask::codegen::SPEC)).unwrap();
    let mut flagged = std::collections::BTreeSet::new();
    for item in doc["paths"].as_object().unwrap().values() {
        for op in item.as_object().unwrap().values() {
            if op.get("x-eventually-consistent") == Some(&serde_json::Value::Bool(true)) {
                flagged.insert(op["operationId"].as_str().unwrap().to_owned());
            }
        }
    }
    assert_eq!(flagged.len(), 95);

    let out = output();
    let builders = out
        .files
        .iter()
        .find(|(p, _)| p.ends_with("builders.rs") && p.starts_with("crates/camunda-sdk"))
        .map(|(_, text)| text.as_str())
        .expect("builders.rs is generated");
    // Each builder's struct comes first, its impls after: split at the structs.
    let mut waiting = std::collections::BTreeSet::new();
    for chunk in builders.split("\npub struct ").skip(1) {
        let name: String = chunk.chars().take_while(|c| c.is_alphanumeric()).collect();
        if chunk.contains("pub fn wait_visible(") {
            waiting.insert(name.to_ascii_lowercase());
        }
    }
    let expected: std::collections::BTreeSet<String> =
        flagged.iter().map(|id| id.to_ascii_lowercase()).collect();
    assert_eq!(waiting, expected);
}

/// Every impl in the generated builders is generic over the client flavour: a non-generic one
/// (say `IntoFuture` for the async builder alone) is compiled into camunda-sdk with all the
/// exchanges it reaches — once it made camunda-sdk's rlib 331 MB instead of 48 MB and added
/// 28 s to every cold build — instead of only where an application sends that operation.
#[test]
fn builder_impls_stay_generic_over_the_flavour() {
    let builders = std::fs::read_to_string(
        xtask::repo_root().join("crates/camunda-sdk/src/generated/builders.rs"),
    )
    .unwrap();
    let impls: Vec<&str> = builders.lines().filter(|l| l.starts_with("impl")).collect();
    assert!(impls.len() > 241, "{} impls", impls.len());
    let concrete: Vec<&&str> = impls
        .iter()
        .filter(|l| {
            !l.contains("F: Flavor<'a>") && !l.contains("F: crate::request::AsyncFlavor<'a>")
        })
        // The search filter setters hold no client.
        .filter(|l| !l.starts_with("impl crate::request::Fields<"))
        .collect();
    assert!(concrete.is_empty(), "{concrete:#?}");
}
