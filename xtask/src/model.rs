//! The one in-memory model every generator reads: the operation inventory joined with the types
//! typify built for the normalised spec (the `TypeSpace` inside progenitor's `Generator`).
//!
//! A schema that names a component resolves to that component's model in the type space (or to
//! the key or open enum codegen declared for it); an operation's inline body or response resolves
//! to the type progenitor named for it (`{Operation}Body`, `{Operation}Response`). Only inline
//! scalars (`string`, `boolean`, `date-time`, free-form JSON) have no named type; [`Model::resolve`]
//! maps them in one table. Nothing here reads generated source.

use crate::inventory::{Location, Operation, RequestKind, ResponseKind};
use crate::spec::{METHODS, ref_name};
use anyhow::{Context, bail};
use heck::{ToSnakeCase, ToUpperCamelCase};
use proc_macro2::{Ident, TokenStream};
use quote::{format_ident, quote};
use serde_json::Value;
use std::collections::HashMap;
use typify::{Type, TypeDetails, TypeSpace};

/// The kinds of key type `key_support.rs` declares.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum KeyKind {
    /// An `i64`-backed key (`integer_key!`): `Copy`.
    Integer,
    /// A decimal string that is also a number (`numeric_key!`).
    Numeric,
    /// Any other string key (`string_key!`).
    String,
}

impl KeyKind {
    pub fn macro_name(self) -> &'static str {
        match self {
            KeyKind::Integer => "integer_key",
            KeyKind::Numeric => "numeric_key",
            KeyKind::String => "string_key",
        }
    }
}

/// How a facade method takes a value of a type.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Pass {
    /// A string, taken as `&str`.
    Str,
    /// A small `Copy` value, taken by value.
    Value,
    /// Anything else, taken by reference.
    Ref,
}

/// How a value goes into a path or query string.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Wire {
    /// Its `Display`.
    Display,
    /// RFC 3339 (dates; their `Display` is not).
    Rfc3339,
}

/// A type as the SDK names it (`types::X`, `keys::X`, `enums::X`, `String`, …).
#[derive(Clone, Debug)]
pub struct Ty {
    pub tokens: TokenStream,
    pub pass: Pass,
    pub wire: Wire,
    /// Its name in `types`, when it is a named model there.
    pub model: Option<String>,
}

impl Ty {
    fn new(tokens: TokenStream, pass: Pass) -> Ty {
        Ty {
            tokens,
            pass,
            wire: Wire::Display,
            model: None,
        }
    }

    /// The type in a method signature.
    pub fn param(&self) -> TokenStream {
        let t = &self.tokens;
        match self.pass {
            Pass::Str => quote!(&str),
            Pass::Value => t.clone(),
            Pass::Ref => quote!(&#t),
        }
    }
}

/// A path or query parameter of a generated operation.
#[derive(Clone, Debug)]
pub struct Param {
    /// The name on the wire.
    pub wire: String,
    /// The Rust parameter name.
    pub ident: Ident,
    pub ty: Ty,
    pub required: bool,
}

impl Param {
    /// The type in a method signature (`Option<_>` when the parameter may be left out).
    pub fn signature_type(&self) -> TokenStream {
        let t = self.ty.param();
        if self.required { t } else { quote!(Option<#t>) }
    }
}

/// One generated operation: its inventory row and its types.
pub struct OpModel<'a> {
    pub op: &'a Operation,
    pub path: Vec<Param>,
    pub query: Vec<Param>,
    /// The JSON request body.
    pub body: Option<Ty>,
    /// The JSON success body.
    pub response: Option<Ty>,
}

impl OpModel<'_> {
    /// The method name, as an identifier.
    pub fn method(&self) -> Ident {
        format_ident!("{}", self.op.method_name())
    }
}

/// A key type codegen declares, and what it was checked with.
#[derive(Clone, Debug)]
pub struct KeyDecl {
    pub name: String,
    pub kind: KeyKind,
}

/// The model: inventory, key and enum declarations, and the type space.
pub struct Model<'a> {
    pub inventory: &'a [Operation],
    /// Generated operations (every inventory row but the hand-written ones), in inventory order.
    pub ops: Vec<OpModel<'a>>,
    pub space: &'a TypeSpace,
    named: HashMap<String, Type<'a>>,
    keys: HashMap<String, KeyKind>,
    enums: Vec<String>,
}

impl<'a> Model<'a> {
    /// Joins the inventory with the type space. `doc` is the normalised spec progenitor read.
    pub fn build(
        doc: &Value,
        inventory: &'a [Operation],
        space: &'a TypeSpace,
        keys: &[KeyDecl],
        enums: &[String],
    ) -> anyhow::Result<Model<'a>> {
        let mut model = Model {
            inventory,
            ops: Vec::new(),
            space,
            named: space.iter_types().map(|t| (t.name(), t)).collect(),
            keys: keys.iter().map(|k| (k.name.clone(), k.kind)).collect(),
            enums: enums.to_vec(),
        };
        let normalised = operations_by_id(doc);
        for op in inventory.iter().filter(|o| !o.hand_written) {
            let spec_op = normalised
                .get(op.id.as_str())
                .with_context(|| format!("{}: not in the normalised spec", op.id))?;
            let built = model
                .op_model(op, spec_op)
                .with_context(|| format!("operation {}", op.id))?;
            model.ops.push(built);
        }
        Ok(model)
    }

    fn op_model(&self, op: &'a Operation, spec_op: &Value) -> anyhow::Result<OpModel<'a>> {
        let pascal = op.id.to_upper_camel_case();
        let mut path = Vec::new();
        let mut query = Vec::new();
        for p in &op.parameters {
            let schema = spec_op["parameters"]
                .as_array()
                .into_iter()
                .flatten()
                .find(|q| q["name"] == p.name.as_str())
                .and_then(|q| q.get("schema"))
                .with_context(|| format!("parameter {} has no schema", p.name))?;
            let hint = format!("{pascal}{}", p.name.to_upper_camel_case());
            let param = Param {
                wire: p.name.clone(),
                ident: rust_ident(&p.name.to_snake_case()),
                ty: self.resolve(schema, &hint)?,
                required: p.required || p.location == Location::Path,
            };
            match p.location {
                Location::Path => path.push(param),
                Location::Query => query.push(param),
                other => bail!("{other:?} parameter {} is not supported", p.name),
            }
        }
        let body = match op.request {
            RequestKind::Json => {
                let schema = spec_op
                    .pointer("/requestBody/content/application~1json/schema")
                    .context("JSON request without a schema")?;
                Some(self.resolve(schema, &format!("{pascal}Body"))?)
            }
            _ => None,
        };
        let response = match op.response {
            ResponseKind::Json | ResponseKind::JsonOrNone => {
                let schema = spec_op["responses"]
                    .as_object()
                    .into_iter()
                    .flatten()
                    .filter(|(code, _)| code.starts_with('2'))
                    .find_map(|(_, r)| r.pointer("/content/application~1json/schema"))
                    .context("JSON response without a schema")?;
                Some(self.resolve(schema, &format!("{pascal}Response"))?)
            }
            _ => None,
        };
        Ok(OpModel {
            op,
            path,
            query,
            body,
            response,
        })
    }

    /// The kind of the key type codegen declared under `name`, if it is one.
    pub fn key_kind(&self, name: &str) -> Option<KeyKind> {
        self.keys.get(name).copied()
    }

    /// Whether codegen declared an open enum named `name`.
    pub fn is_enum(&self, name: &str) -> bool {
        self.enums.iter().any(|e| e == name)
    }

    /// A named type of the type space.
    pub fn named(&self, name: &str) -> Option<&Type<'a>> {
        self.named.get(name)
    }

    /// The type of `field` of the struct `model` in the type space.
    pub fn field(&self, model: &str, field: &str) -> Option<Type<'a>> {
        let TypeDetails::Struct(s) = self.named(model)?.details() else {
            return None;
        };
        let id = s.properties().find(|(n, _)| *n == field)?.1;
        self.space.get_type(&id).ok()
    }

    /// What a schema of the normalised spec is in the SDK. `hint` is the name progenitor gives
    /// the schema when it is inline.
    pub fn resolve(&self, schema: &Value, hint: &str) -> anyhow::Result<Ty> {
        if let Some(name) = ref_name(schema) {
            return self.component(name);
        }
        // `allOf: [$ref]` is a nullable reference.
        if let Some([only]) = schema
            .get("allOf")
            .and_then(Value::as_array)
            .map(Vec::as_slice)
            && let Some(name) = ref_name(only)
        {
            return self.component(name);
        }
        if self.named.contains_key(hint) {
            return Ok(self.model_ty(hint));
        }
        let ty = schema.get("type").and_then(Value::as_str);
        let format = schema.get("format").and_then(Value::as_str);
        Ok(match (ty, format) {
            (Some("string"), Some("date-time")) => Ty {
                wire: Wire::Rfc3339,
                ..Ty::new(quote!(chrono::DateTime<chrono::offset::Utc>), Pass::Value)
            },
            (Some("string"), _) => Ty::new(quote!(String), Pass::Str),
            (Some("boolean"), _) => Ty::new(quote!(bool), Pass::Value),
            (Some("integer"), Some("int32")) => Ty::new(quote!(i32), Pass::Value),
            (Some("integer"), _) => Ty::new(quote!(i64), Pass::Value),
            (Some("number"), _) => Ty::new(quote!(f64), Pass::Value),
            (Some("array"), _) => {
                let items = schema.get("items").unwrap_or(&Value::Null);
                let item = self.resolve(items, &format!("{hint}Item"))?.tokens;
                Ty::new(quote!(Vec<#item>), Pass::Ref)
            }
            (Some("object") | None, _) if schema.get("properties").is_none() => {
                match schema.get("additionalProperties") {
                    Some(Value::Object(v)) if !v.is_empty() => {
                        let value = self.resolve(&Value::Object(v.clone()), hint)?.tokens;
                        Ty::new(quote!(::serde_json::Map<String, #value>), Pass::Ref)
                    }
                    Some(Value::Object(_) | Value::Bool(true)) => Ty::new(
                        quote!(::serde_json::Map<String, ::serde_json::Value>),
                        Pass::Ref,
                    ),
                    _ => Ty::new(quote!(::serde_json::Value), Pass::Ref),
                }
            }
            _ => bail!("{hint}: an inline schema with no named type; make it a component"),
        })
    }

    fn component(&self, name: &str) -> anyhow::Result<Ty> {
        let ident = format_ident!("{}", name);
        if let Some(kind) = self.keys.get(name) {
            let pass = if *kind == KeyKind::Integer {
                Pass::Value
            } else {
                Pass::Ref
            };
            return Ok(Ty::new(quote!(keys::#ident), pass));
        }
        if self.enums.iter().any(|e| e == name) {
            return Ok(Ty::new(quote!(enums::#ident), Pass::Ref));
        }
        let model = name.to_upper_camel_case();
        if !self.named.contains_key(&model) {
            bail!("component {name} has no type in the type space");
        }
        Ok(self.model_ty(&model))
    }

    fn model_ty(&self, name: &str) -> Ty {
        let ident = format_ident!("{}", name);
        Ty {
            model: Some(name.to_owned()),
            ..Ty::new(quote!(types::#ident), Pass::Ref)
        }
    }
}

/// An identifier for a parameter name, with `_` appended to a keyword (`type` → `type_`).
fn rust_ident(name: &str) -> Ident {
    syn::parse_str::<Ident>(name).unwrap_or_else(|_| format_ident!("{name}_"))
}

/// Every operation of the spec by its id.
pub fn operations_by_id(doc: &Value) -> HashMap<&str, &Value> {
    let mut out = HashMap::new();
    for item in doc["paths"]
        .as_object()
        .into_iter()
        .flatten()
        .map(|(_, i)| i)
    {
        for (method, op) in item.as_object().into_iter().flatten() {
            if METHODS.contains(&method.as_str())
                && let Some(id) = op["operationId"].as_str()
            {
                out.insert(id, op);
            }
        }
    }
    out
}
