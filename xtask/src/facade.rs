//! Generates the facade's flat operation methods from the inventory.
//!
//! Types are not guessed: they are read with `syn` from the builders progenitor just generated
//! (`builder::GetProcessInstance::process_instance_key<V: TryInto<keys::ProcessInstanceKey>>`,
//! `send() -> ResponseValue<types::ProcessInstanceResult>`), so the facade always agrees with the
//! raw models. What to do with each operation (path, idempotency, tenant, long poll) comes from
//! the inventory.

use crate::inventory::Operation;
use heck::ToSnakeCase;
use quote::ToTokens;
use std::collections::HashMap;
use std::fmt::Write as _;

/// Facade files, relative to the repository root.
pub const CLIENT: &str = "crates/camunda-sdk/src/generated/client.rs";
pub const BLOCKING: &str = "crates/camunda-sdk/src/generated/blocking.rs";
pub const OPS: &str = "crates/camunda-sdk/src/generated/ops.rs";

/// What progenitor's builder says about one operation.
#[derive(Default, Debug)]
struct Builder {
    /// Setter name → parameter type.
    setters: HashMap<String, String>,
    /// `T` of `send() -> Result<ResponseValue<T>, _>`.
    response: String,
}

/// A type as source text, spaced the way rustfmt would (`::std::option::Option<T>`, `&'a T`).
pub(crate) fn type_string(ty: &syn::Type) -> String {
    ty.to_token_stream()
        .to_string()
        .replace(" :: ", "::")
        .replace(":: ", "::")
        .replace(" < ", "<")
        .replace(" >", ">")
        .replace("< ", "<")
        .replace(" ,", ",")
        .replace("& ", "&")
}

/// Reads every `builder::X` of the generated raw client.
fn read_builders(generated: &str) -> anyhow::Result<HashMap<String, Builder>> {
    let file = syn::parse_file(generated)?;
    let mut out: HashMap<String, Builder> = HashMap::new();
    let builder_mod = file.items.iter().find_map(|i| match i {
        syn::Item::Mod(m) if m.ident == "builder" => m.content.as_ref().map(|c| &c.1),
        _ => None,
    });
    let Some(items) = builder_mod else {
        anyhow::bail!("generated code has no `builder` module");
    };
    for item in items {
        let syn::Item::Impl(imp) = item else { continue };
        let syn::Type::Path(p) = &*imp.self_ty else {
            continue;
        };
        let name = p.path.segments.last().unwrap().ident.to_string();
        let b = out.entry(name).or_default();
        for it in &imp.items {
            let syn::ImplItem::Fn(f) = it else { continue };
            let fname = f.sig.ident.to_string();
            if fname == "send" {
                if let syn::ReturnType::Type(_, ty) = &f.sig.output {
                    b.response = response_type(ty).unwrap_or_default();
                }
            } else if let Some(wc) = &f.sig.generics.where_clause {
                for pred in &wc.predicates {
                    let syn::WherePredicate::Type(t) = pred else {
                        continue;
                    };
                    for bound in &t.bounds {
                        let syn::TypeParamBound::Trait(tb) = bound else {
                            continue;
                        };
                        let last = tb.path.segments.last().unwrap();
                        if last.ident == "TryInto"
                            && let syn::PathArguments::AngleBracketed(a) = &last.arguments
                            && let Some(syn::GenericArgument::Type(inner)) = a.args.first()
                        {
                            b.setters.insert(fname.clone(), type_string(inner));
                        }
                    }
                }
            }
        }
    }
    Ok(out)
}

/// `Result<ResponseValue<T>, Error<E>>` → `T`.
fn response_type(ty: &syn::Type) -> Option<String> {
    let syn::Type::Path(p) = ty else { return None };
    let result = p.path.segments.last()?;
    let syn::PathArguments::AngleBracketed(a) = &result.arguments else {
        return None;
    };
    let syn::GenericArgument::Type(syn::Type::Path(rv)) = a.args.first()? else {
        return None;
    };
    let rv = rv.path.segments.last()?;
    let syn::PathArguments::AngleBracketed(a) = &rv.arguments else {
        return None;
    };
    match a.args.first()? {
        syn::GenericArgument::Type(t) => Some(type_string(t)),
        _ => None,
    }
}

/// Types from the raw crate, as the facade names them.
fn facade_type(raw: &str) -> String {
    raw.replace("crate::keys::", "keys::")
        .replace("crate::enums::", "enums::")
        .replace("::std::string::String", "String")
        .replace("::std::vec::Vec", "Vec")
        .replace("::std::option::Option", "Option")
        .replace("::std::num::", "std::num::")
        .replace("::chrono::", "chrono::")
}

fn is_copy(ty: &str) -> bool {
    matches!(
        ty,
        "bool" | "i32" | "i64" | "u32" | "u64" | "f64" | "f32" | "keys::LoopIterationId"
    ) || ty.starts_with("std::num::")
        || ty.starts_with("chrono::")
}

/// The parameter type in a facade signature: strings by `&str`, small values by value, the rest
/// by reference.
pub fn param_type(ty: &str) -> String {
    if ty == "String" {
        "&str".into()
    } else if is_copy(ty) {
        ty.to_owned()
    } else {
        format!("&{ty}")
    }
}

pub struct Param {
    pub name: String,
    pub rust: String,
    pub ty: String,
    pub location: String,
    pub required: bool,
}

pub struct FacadeOp {
    pub op: Operation,
    pub params: Vec<Param>,
    pub body: Option<String>,
    pub response: String,
}

pub fn plan(inventory: &[Operation], generated: &str) -> anyhow::Result<Vec<FacadeOp>> {
    let builders = read_builders(generated)?;
    let mut out = Vec::new();
    for op in inventory.iter().filter(|o| !o.hand_written) {
        let name = heck::ToUpperCamelCase::to_upper_camel_case(op.id.as_str());
        let b = builders
            .get(&name)
            .ok_or_else(|| anyhow::anyhow!("no builder::{name} for {}", op.id))?;
        let mut params = Vec::new();
        for (pname, location, required) in &op.parameters {
            let rust = pname.to_snake_case();
            let raw = b
                .setters
                .get(&rust)
                .ok_or_else(|| anyhow::anyhow!("{}: builder has no setter `{rust}`", op.id))?;
            // Whether a parameter is required comes from the spec, not from how progenitor
            // stores it.
            params.push(Param {
                name: pname.clone(),
                rust: if rust == "type" { "type_".into() } else { rust },
                ty: facade_type(raw),
                location: location.clone(),
                required: *required,
            });
        }
        let body = b.setters.get("body").map(|t| facade_type(t));
        out.push(FacadeOp {
            op: op.clone(),
            params,
            body,
            response: facade_type(&b.response),
        });
    }
    Ok(out)
}

impl FacadeOp {
    /// `(name: Type, …)` as the method takes them.
    fn signature_params(&self) -> String {
        let mut s = String::new();
        for p in self.params.iter().filter(|p| p.location == "path") {
            let _ = write!(s, ", {}: {}", p.rust, param_type(&p.ty));
        }
        if let Some(body) = &self.body {
            let _ = write!(s, ", body: &{body}");
        }
        for p in self.params.iter().filter(|p| p.location == "query") {
            let t = param_type(&p.ty);
            if p.required {
                let _ = write!(s, ", {}: {t}", p.rust);
            } else {
                let _ = write!(s, ", {}: Option<{t}>", p.rust);
            }
        }
        s
    }

    fn call_args(&self) -> String {
        let mut names: Vec<&str> = self
            .params
            .iter()
            .filter(|p| p.location == "path")
            .map(|p| p.rust.as_str())
            .collect();
        if self.body.is_some() {
            names.push("body");
        }
        names.extend(
            self.params
                .iter()
                .filter(|p| p.location == "query")
                .map(|p| p.rust.as_str()),
        );
        names.join(", ")
    }

    /// What the facade method returns, and which transport call decodes it.
    fn output(&self) -> (String, &'static str) {
        match self.op.response {
            "json|none" => (format!("Option<{}>", self.response), "json_or_none"),
            "xml" | "text" => ("String".into(), "text"),
            "xml|none" => ("Option<String>".into(), "text_or_none"),
            "binary" => ("Vec<u8>".into(), "bytes"),
            _ if self.response == "()" => ("()".into(), "unit"),
            _ => (self.response.clone(), "json"),
        }
    }

    fn const_name(&self) -> String {
        self.op.method_name().to_uppercase()
    }

    fn docs(&self, out: &mut String, blocking: bool) {
        let mut lines: Vec<String> = Vec::new();
        if !self.op.summary.is_empty() {
            lines.push(self.op.summary.clone());
        }
        if !self.op.description.is_empty() && self.op.description != self.op.summary {
            lines.push(String::new());
            lines.extend(self.op.description.lines().map(str::to_owned));
        }
        lines.push(String::new());
        let mut facts = format!(
            "`{} {}{}` (operation `{}`",
            self.op.method.to_uppercase(),
            if self.op.base == "/" {
                ""
            } else {
                &self.op.base
            },
            self.op.path,
            self.op.id
        );
        if let Some(v) = &self.op.added_in {
            let _ = write!(facts, "; available since Camunda {v}");
        }
        facts.push_str(").");
        lines.push(facts);
        if self.op.eventually_consistent {
            lines.push(String::new());
            lines.push(
                "Eventually consistent: data written just before may not be visible yet."
                    .to_owned(),
            );
        }
        if self.op.response == "json|none" || self.op.response == "xml|none" {
            lines.push(String::new());
            lines.push(
                "Returns `Ok(None)` when the server answers 204 (nothing to return).".to_owned(),
            );
        }
        if blocking {
            lines.push(String::new());
            lines.push(format!(
                "Blocking twin of [`crate::CamundaClient::{}`].",
                self.op.method_name()
            ));
        }
        for l in lines {
            let _ = writeln!(out, "    #[doc = {:?}]", format!(" {l}").trim_end());
        }
    }
}

/// The `Accept` header for a response kind. Problem details are accepted too, so that errors
/// arrive typed whatever the success body is.
fn accept(response: &str) -> &'static str {
    match response {
        "xml" | "xml|none" => "text/xml, application/problem+json",
        "text" => "text/plain, application/problem+json",
        "binary" => "application/octet-stream, application/problem+json",
        _ => "application/json, application/problem+json",
    }
}

const HEADER: &str = "\
// @generated by `cargo xtask codegen` from the operation inventory and the raw client's
// builders. Do not edit by hand: change xtask/src/facade.rs and regenerate.
";

/// The three facade files: operation metadata (for every operation, hand-written ones
/// included), async methods and blocking twins (for the generated ones).
pub fn render(inventory: &[Operation], ops: &[FacadeOp]) -> Vec<(String, String)> {
    let mut meta = String::from(HEADER);
    meta.push_str("use crate::transport::OpMeta;\n\n");
    for o in inventory {
        let name = o.method_name().to_uppercase();
        let _ = writeln!(
            meta,
            "pub(crate) const {}: OpMeta = OpMeta {{ id: {:?}, idempotent: {}, tenant_in_body: {}, added_in: {:?}, long_poll: {}, accept: {:?} }};",
            name,
            o.id,
            o.idempotent,
            o.tenant_in_body,
            o.added_in,
            o.long_poll,
            accept(o.response)
        );
    }

    let mut client = String::from(HEADER);
    client.push_str(
        "use crate::transport::{Call, Method};\nuse crate::{enums, keys, types, CamundaClient, Result};\n\n",
    );
    client.push_str("impl CamundaClient {\n");
    let mut blocking = String::from(HEADER);
    blocking.push_str(
        "use crate::{enums, keys, types, Result};\nuse super::super::blocking::CamundaClient;\n\n",
    );
    blocking.push_str("impl CamundaClient {\n");

    for f in ops {
        let (ret, decode) = f.output();
        let method = f.op.method_name();
        let params = f.signature_params();
        // async
        f.docs(&mut client, false);
        let _ = writeln!(
            client,
            "    pub async fn {method}(&self{params}) -> Result<{ret}> {{"
        );
        let mut path_fmt = format!(
            "{}{}",
            if f.op.base == "/" { "" } else { &f.op.base },
            f.op.path
        );
        let mut path_args = Vec::new();
        for p in f.params.iter().filter(|p| p.location == "path") {
            path_fmt = path_fmt.replace(&format!("{{{}}}", p.name), "{}");
            path_args.push(format!(
                "crate::transport::encode_path(&{}.to_string())",
                p.rust
            ));
        }
        let path_expr = if path_args.is_empty() {
            format!("{path_fmt:?}.into()")
        } else {
            format!("format!({path_fmt:?}, {})", path_args.join(", "))
        };
        let _ = writeln!(
            client,
            "        let call = Call::new(&super::ops::{}, Method::{}, {path_expr});",
            f.const_name(),
            f.op.method.to_uppercase()
        );
        let mut chain = String::new();
        for p in f.params.iter().filter(|p| p.location == "query") {
            // Dates go on the wire as RFC 3339, which `Display` does not produce.
            let render = if p.ty.starts_with("chrono::DateTime") {
                "crate::transport::rfc3339"
            } else {
                "ToString::to_string"
            };
            if p.required {
                let _ = write!(chain, ".query({:?}, Some({render}(&{})))", p.name, p.rust);
            } else {
                let _ = write!(
                    chain,
                    ".query({:?}, {}.map(|v| {render}(&v)))",
                    p.name, p.rust
                );
            }
        }
        if f.body.is_some() {
            chain.push_str(".json(body)?");
        }
        let _ = writeln!(
            client,
            "        self.send_{decode}(call{chain}).await\n    }}\n"
        );
        // blocking
        f.docs(&mut blocking, true);
        let _ = writeln!(
            blocking,
            "    pub fn {method}(&self{params}) -> Result<{ret}> {{\n        self.block_on(self.inner().{method}({}))\n    }}\n",
            f.call_args()
        );
    }
    client.push_str("}\n");
    blocking.push_str("}\n");
    vec![
        (OPS.to_owned(), pretty(&meta)),
        (CLIENT.to_owned(), pretty(&client)),
        (BLOCKING.to_owned(), pretty(&blocking)),
    ]
}

fn pretty(src: &str) -> String {
    match syn::parse_file(src) {
        Ok(file) => {
            let header: String = src
                .lines()
                .take_while(|l| l.starts_with("//"))
                .map(|l| format!("{l}\n"))
                .collect();
            format!("{header}{}", prettyplease::unparse(&file))
        }
        // Leave it readable for the compiler to point at.
        Err(_) => src.to_owned(),
    }
}
