//! Serde derives by direction: a default build of camunda-raw compiles, for each model, only the
//! half of serde that the model's direction needs. Derives are most of the crate's compile time
//! and peak memory (a `Deserialize` derive is a visitor, a field enum and, for untagged enums, a
//! buffering pass; a `Serialize` derive is smaller), and most models travel one way only:
//!
//! - a model only requests reach (instructions, request bodies, sort fields) is built by users
//!   and encoded, so it derives `Serialize`;
//! - a model only responses reach (results, pages, problems) is decoded, so it derives
//!   `Deserialize`;
//! - a model both reach keeps both;
//! - so does one no operation reaches through a component (the hand-written multipart
//!   operations' results; in older specs also typify's models for inline operation parameters);
//! - search filter conditions (an `Advanced…Filter` of `$`-operators, the field types that hold
//!   one, and what they hold) are request-side too, so `Serialize` only: camunda-sdk's
//!   `filters::Filter::build` reads the JSON of a condition into the field's type through the
//!   `filters::Condition` impls that [`crate::conditions`] generates for them (their
//!   `Deserialize` derives were a fifth of this crate's compile time).
//!
//! The missing half stays available behind camunda-raw's non-default feature [`FEATURE`] as a
//! `cfg_attr` derive: the SDK's `testing` feature needs it (its mocks encode responses and decode
//! requests), and so do tests that play the server.
//!
//! Which components each direction reaches comes from the normalised spec
//! ([`spec::operation_refs`] closed by [`spec::reachable`], the walk the `newer_fields` pass uses
//! for responses). Typify also names inline schemas (`ActivatedJobResultCustomHeaders`, …) that
//! are no component; they take the directions of the models whose fields hold them, found by
//! following field types through the generated items. This is a transform of typify's syn items,
//! like the date-time one in `codegen.rs`: nothing parses printed output.
//!
//! Everything else typify emits stays: `Clone`, `Debug`, `Default`, the `From` impls (a variant
//! into its untagged enum is how requests are built), `Deref`, `Display`, `FromStr` and the
//! `TryFrom<&str>` twins of `FromStr` (the request builders convert text arguments through them).

use crate::spec::{self, Direction};
use heck::ToUpperCamelCase;
use serde_json::Value;
use std::collections::{HashMap, HashSet};
use std::fmt;
use syn::punctuated::Punctuated;

/// The camunda-raw feature that derives both halves of serde on every model.
pub const FEATURE: &str = "serde-all";

/// How many models of each kind the transform left.
#[derive(Debug, Default, PartialEq, Eq)]
pub struct Counts {
    /// Models that derive `Serialize` only (request-side).
    pub serialize_only: usize,
    /// Models that derive `Deserialize` only (response-side).
    pub deserialize_only: usize,
    /// Models both directions reach.
    pub both: usize,
    /// Models no operation reaches through a component of the normalised spec: both derives
    /// kept.
    pub unreached: usize,
    /// Request-only models that are search filter conditions (counted in `serialize_only`):
    /// camunda-sdk decodes them through generated `filters::Condition` impls.
    pub filter_conditions: usize,
}

impl fmt::Display for Counts {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "serde derives: {} request-only (Serialize; {} of them search filter conditions), {} \
             response-only (Deserialize), {} both, {} reached by no operation (both)",
            self.serialize_only,
            self.filter_conditions,
            self.deserialize_only,
            self.both,
            self.unreached
        )
    }
}

/// Gates the derives and serde impls of the models in progenitor's `types` module. Also
/// returns the search filter conditions left without `Deserialize` (request-only), which
/// camunda-sdk decodes through generated code instead.
pub fn by_direction(items: &mut [syn::Item], doc: &Value) -> (Counts, HashSet<syn::Ident>) {
    let mut counts = Counts::default();
    let mut decoded = HashSet::new();
    for item in items {
        if let syn::Item::Mod(m) = item
            && m.ident == "types"
            && let Some((_, inner)) = &mut m.content
        {
            let request = reached(inner, doc, Direction::Request);
            let response = reached(inner, doc, Direction::Response);
            decoded = filter_conditions(inner, doc)
                .into_iter()
                .filter(|c| request.contains(c) && !response.contains(c))
                .collect();
            counts.filter_conditions = decoded.len();
            for item in inner.iter_mut() {
                gate(item, &request, &response, &mut counts);
            }
        }
    }
    (counts, decoded)
}

/// The model idents `direction` reaches: its components, and what their fields hold.
fn reached(items: &[syn::Item], doc: &Value, direction: Direction) -> HashSet<syn::Ident> {
    let fields = field_types(items);
    let components: HashSet<String> = spec::reachable(doc, spec::operation_refs(doc, direction))
        .iter()
        .map(|c| c.to_upper_camel_case())
        .collect();
    let seen = fields
        .keys()
        .filter(|i| components.contains(&i.to_string()))
        .cloned()
        .collect();
    close(seen, &fields)
}

/// The search filter conditions: components of `$`-operators (`AdvancedStringFilter`: `$eq`,
/// `$in`, …), the enums with a variant holding one (`StringFilterProperty`, and typify's inline
/// ones such as `VariableValueFilterPropertyValue`), and every model those hold.
fn filter_conditions(items: &[syn::Item], doc: &Value) -> HashSet<syn::Ident> {
    let fields = field_types(items);
    let operators: HashSet<String> = spec::schemas(doc)
        .iter()
        .filter(|(_, s)| s.pointer("/properties/$eq").is_some())
        .map(|(name, _)| name.to_upper_camel_case())
        .collect();
    let mut seen: HashSet<syn::Ident> = HashSet::new();
    for item in items {
        match item {
            syn::Item::Struct(s) if operators.contains(&s.ident.to_string()) => {
                seen.insert(s.ident.clone());
            }
            syn::Item::Enum(e)
                if e.variants.iter().flat_map(|v| &v.fields).any(|f| {
                    let mut held = Vec::new();
                    local_idents(&f.ty, &mut held);
                    held.iter().any(|i| operators.contains(&i.to_string()))
                }) =>
            {
                seen.insert(e.ident.clone());
            }
            _ => {}
        }
    }
    close(seen, &fields)
}

/// `seen` and every model the models in it hold, through any nesting.
fn close(
    mut seen: HashSet<syn::Ident>,
    fields: &HashMap<syn::Ident, Vec<syn::Ident>>,
) -> HashSet<syn::Ident> {
    let mut queue: Vec<syn::Ident> = seen.iter().cloned().collect();
    while let Some(ident) = queue.pop() {
        for held in fields.get(&ident).into_iter().flatten() {
            if seen.insert(held.clone()) {
                queue.push(held.clone());
            }
        }
    }
    seen
}

/// For every model of the module, the models of the same module its fields or variants hold.
fn field_types(items: &[syn::Item]) -> HashMap<syn::Ident, Vec<syn::Ident>> {
    let mut out: HashMap<syn::Ident, Vec<syn::Ident>> = HashMap::new();
    for item in items {
        let (ident, fields): (_, Vec<&syn::Field>) = match item {
            syn::Item::Struct(s) => (&s.ident, s.fields.iter().collect()),
            syn::Item::Enum(e) => (
                &e.ident,
                e.variants.iter().flat_map(|v| &v.fields).collect(),
            ),
            _ => continue,
        };
        let mut held = Vec::new();
        for field in fields {
            local_idents(&field.ty, &mut held);
        }
        out.insert(ident.clone(), held);
    }
    let models: HashSet<syn::Ident> = out.keys().cloned().collect();
    for held in out.values_mut() {
        held.retain(|i| models.contains(i));
    }
    out
}

/// Single-segment type paths inside `ty` (`TagSet` in `Option<Vec<TagSet>>`): typify names the
/// module's own models that way, everything else by a full path.
fn local_idents(ty: &syn::Type, out: &mut Vec<syn::Ident>) {
    match ty {
        syn::Type::Path(p) => {
            if p.qself.is_none()
                && p.path.leading_colon.is_none()
                && let [only] = p.path.segments.iter().collect::<Vec<_>>().as_slice()
            {
                out.push(only.ident.clone());
            }
            for segment in &p.path.segments {
                if let syn::PathArguments::AngleBracketed(args) = &segment.arguments {
                    for arg in &args.args {
                        if let syn::GenericArgument::Type(t) = arg {
                            local_idents(t, out);
                        }
                    }
                }
            }
        }
        syn::Type::Reference(r) => local_idents(&r.elem, out),
        syn::Type::Array(a) => local_idents(&a.elem, out),
        syn::Type::Slice(s) => local_idents(&s.elem, out),
        syn::Type::Paren(p) => local_idents(&p.elem, out),
        syn::Type::Group(g) => local_idents(&g.elem, out),
        syn::Type::Tuple(t) => t.elems.iter().for_each(|e| local_idents(e, out)),
        _ => {}
    }
}

/// The serde traits, by the name typify's derives and impls use.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Half {
    Serialize,
    Deserialize,
}

impl Half {
    fn of(path: &syn::Path) -> Option<Half> {
        let last = path.segments.last()?;
        let in_serde = path.segments.len() == 2 && path.segments[0].ident == "serde";
        if !in_serde {
            return None;
        }
        if last.ident == "Serialize" {
            Some(Half::Serialize)
        } else if last.ident == "Deserialize" {
            Some(Half::Deserialize)
        } else {
            None
        }
    }
}

/// The halves a model of `ident` leaves to the feature.
fn gated(
    ident: &syn::Ident,
    request: &HashSet<syn::Ident>,
    response: &HashSet<syn::Ident>,
) -> Vec<Half> {
    match (request.contains(ident), response.contains(ident)) {
        (true, false) => vec![Half::Deserialize],
        (false, true) => vec![Half::Serialize],
        _ => Vec::new(),
    }
}

fn gate(
    item: &mut syn::Item,
    request: &HashSet<syn::Ident>,
    response: &HashSet<syn::Ident>,
    counts: &mut Counts,
) {
    let (ident, attrs) = match item {
        syn::Item::Struct(s) => (s.ident.clone(), &mut s.attrs),
        syn::Item::Enum(e) => (e.ident.clone(), &mut e.attrs),
        // A hand-rolled serde impl (typify's checked strings decode through `FromStr`).
        syn::Item::Impl(i) => {
            let half = i.trait_.as_ref().and_then(|(_, path, _)| Half::of(path));
            if let (Some(half), syn::Type::Path(ty)) = (half, &*i.self_ty)
                && let Some(ident) = ty.path.get_ident()
                && gated(ident, request, response).contains(&half)
            {
                let feature = FEATURE;
                i.attrs.push(syn::parse_quote!(#[cfg(feature = #feature)]));
            }
            return;
        }
        _ => return,
    };
    let halves = gated(&ident, request, response);
    match (request.contains(&ident), response.contains(&ident)) {
        (true, false) => counts.serialize_only += 1,
        (false, true) => counts.deserialize_only += 1,
        (true, true) => counts.both += 1,
        (false, false) => counts.unreached += 1,
    }
    if halves.is_empty() {
        return;
    }
    let mut gated_attrs = Vec::new();
    let mut at = None;
    for (index, attr) in attrs.iter_mut().enumerate() {
        if !attr.path().is_ident("derive") {
            continue;
        }
        let Ok(paths) =
            attr.parse_args_with(Punctuated::<syn::Path, syn::Token![,]>::parse_terminated)
        else {
            continue;
        };
        let (off, kept): (Vec<_>, Vec<_>) = paths
            .into_iter()
            .partition(|p| Half::of(p).is_some_and(|h| halves.contains(&h)));
        if off.is_empty() {
            continue;
        }
        *attr = syn::parse_quote!(#[derive(#(#kept),*)]);
        let feature = FEATURE;
        gated_attrs.extend(off.iter().map(|p| -> syn::Attribute {
            syn::parse_quote!(#[cfg_attr(feature = #feature, derive(#p))])
        }));
        at = Some(index + 1);
    }
    // Right after the derive, before the `#[serde(...)]` helpers the derive introduces.
    if let Some(at) = at {
        attrs.splice(at..at, gated_attrs);
    }
    let derives_serde = attrs.iter().any(|a| {
        a.path().is_ident("derive")
            && a.parse_args_with(Punctuated::<syn::Path, syn::Token![,]>::parse_terminated)
                .is_ok_and(|paths| paths.iter().any(|p| Half::of(p).is_some()))
    });
    // A model whose other half is hand-written (typify's checked strings decode through
    // `FromStr`) may be left with no serde derive: its `#[serde]` helpers then need the feature.
    if !derives_serde {
        gate_helpers(item);
    }
}

/// Puts every `#[serde(...)]` attribute of `item`, its fields and variants behind [`FEATURE`].
fn gate_helpers(item: &mut syn::Item) {
    let mut lists: Vec<&mut Vec<syn::Attribute>> = Vec::new();
    match item {
        syn::Item::Struct(s) => {
            lists.push(&mut s.attrs);
            lists.extend(s.fields.iter_mut().map(|f| &mut f.attrs));
        }
        syn::Item::Enum(e) => {
            lists.push(&mut e.attrs);
            for v in &mut e.variants {
                lists.push(&mut v.attrs);
                lists.extend(v.fields.iter_mut().map(|f| &mut f.attrs));
            }
        }
        _ => {}
    }
    let feature = FEATURE;
    for attr in lists.into_iter().flatten() {
        if attr.path().is_ident("serde") {
            let meta = &attr.meta;
            *attr = syn::parse_quote!(#[cfg_attr(feature = #feature, #meta)]);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use quote::quote;
    use serde_json::json;

    fn printed(item: &syn::Item) -> String {
        quote!(#item).to_string()
    }

    /// The printed items of the `types` module, the first item of `items`.
    fn module_items(items: &[syn::Item]) -> Vec<String> {
        let syn::Item::Mod(m) = &items[0] else {
            panic!("the module is still there");
        };
        let inner = &m.content.as_ref().expect("inline module").1;
        inner.iter().map(printed).collect()
    }

    #[test]
    fn each_model_derives_the_half_its_direction_needs() {
        let doc = json!({
            "paths": { "/a": { "post": {
                "requestBody": { "content": { "application/json": { "schema":
                    { "$ref": "#/components/schemas/Req" } } } },
                "responses": { "200": { "content": { "application/json": { "schema":
                    { "$ref": "#/components/schemas/Resp" } } } } }
            } } },
            "components": { "schemas": {
                "Req": { "type": "object", "properties": {
                    "shared": { "$ref": "#/components/schemas/Shared" },
                    "name": { "$ref": "#/components/schemas/NameFilterProperty" } } },
                "NameFilterProperty": { "oneOf": [
                    { "type": "string" }, { "$ref": "#/components/schemas/AdvancedNameFilter" } ] },
                "AdvancedNameFilter": { "type": "object", "properties": {
                    "$eq": { "type": "string" } } },
                "Resp": { "type": "object", "properties": {
                    "shared": { "$ref": "#/components/schemas/Shared" } } },
                "Shared": { "type": "object" },
                "Orphan": { "type": "object" }
            } }
        });
        let file: syn::File = syn::parse_quote! {
            pub mod types {
                #[derive(::serde::Deserialize, ::serde::Serialize, Clone, Debug)]
                #[serde(deny_unknown_fields)]
                pub struct Req { pub shared: Shared, pub inline: ::std::vec::Vec<ReqInline> }
                #[derive(::serde::Serialize, Clone, Debug)]
                pub struct ReqInline(String);
                impl<'de> ::serde::Deserialize<'de> for ReqInline {
                    fn deserialize<D: ::serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
                        String::deserialize(d).map(Self)
                    }
                }
                #[derive(::serde::Deserialize, ::serde::Serialize, Clone, Debug)]
                pub enum Resp { A(Shared), B(::std::option::Option<RespInline>), C(RespChecked) }
                #[derive(::serde::Deserialize, ::serde::Serialize, Clone, Debug, Default)]
                pub struct RespInline(pub String);
                #[derive(::serde::Deserialize, ::serde::Serialize, Clone, Debug)]
                pub struct Shared {}
                #[derive(::serde::Deserialize, ::serde::Serialize, Clone, Debug)]
                pub struct Orphan {}
                #[derive(::serde::Deserialize, ::serde::Serialize, Clone, Debug)]
                #[serde(untagged)]
                pub enum NameFilterProperty { String(String), AdvancedNameFilter(AdvancedNameFilter) }
                #[derive(::serde::Deserialize, ::serde::Serialize, Clone, Debug)]
                pub struct AdvancedNameFilter {
                    #[serde(rename = "$eq")]
                    pub eq: ::std::option::Option<String>,
                }
                #[derive(::serde::Serialize, Clone, Debug)]
                #[serde(transparent)]
                pub struct RespChecked(String);
                impl<'de> ::serde::Deserialize<'de> for RespChecked {
                    fn deserialize<D: ::serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
                        String::deserialize(d).map(Self)
                    }
                }
            }
        };
        let mut items = file.items;
        let (counts, decoded) = by_direction(&mut items, &doc);
        assert_eq!(
            counts,
            Counts {
                serialize_only: 4,
                deserialize_only: 3,
                both: 1,
                unreached: 1,
                filter_conditions: 2,
            }
        );
        let mut decoded: Vec<String> = decoded.iter().map(ToString::to_string).collect();
        decoded.sort();
        assert_eq!(decoded, ["AdvancedNameFilter", "NameFilterProperty"]);
        let inner = module_items(&items);
        let gated = |half: &str| {
            format!("# [cfg_attr (feature = \"serde-all\" , derive (:: serde :: {half}))]")
        };
        // The gated derive follows the derive, ahead of the `#[serde]` helpers it introduces.
        assert!(
            inner[0].starts_with(&format!(
                "# [derive (:: serde :: Serialize , Clone , Debug)] {} # [serde (deny_unknown_fields)]",
                gated("Deserialize")
            )),
            "{}",
            inner[0]
        );
        assert!(
            inner[1].starts_with("# [derive (:: serde :: Serialize , Clone , Debug)] pub struct"),
            "{}",
            inner[1]
        );
        assert!(
            inner[2].starts_with(
                "# [cfg (feature = \"serde-all\")] impl < 'de > :: serde :: Deserialize"
            ),
            "{}",
            inner[2]
        );
        for response_only in [&inner[3], &inner[4]] {
            assert!(
                response_only.contains(&gated("Serialize")),
                "{response_only}"
            );
            assert!(
                !response_only.contains("Deserialize , :: serde :: Serialize"),
                "{response_only}"
            );
        }
        assert!(
            inner[4].starts_with("# [derive (:: serde :: Deserialize , Clone , Debug , Default)]"),
            "{}",
            inner[4]
        );
        // With its only serde derive gated, the `#[serde]` helpers are gated too.
        assert_eq!(
            inner[9],
            format!(
                "# [derive (Clone , Debug)] {} \
                 # [cfg_attr (feature = \"serde-all\" , serde (transparent))] \
                 pub struct RespChecked (String) ;",
                gated("Serialize")
            )
        );
        assert!(!inner[10].contains("cfg"), "{}", inner[10]);
        // The filter conditions are request-only.
        for condition in [&inner[7], &inner[8]] {
            assert!(
                condition.starts_with(&format!(
                    "# [derive (:: serde :: Serialize , Clone , Debug)] {}",
                    gated("Deserialize")
                )),
                "{condition}"
            );
        }
        // Shared, and Orphan (no operation reaches it).
        for both in [&inner[5], &inner[6]] {
            assert!(
                both.starts_with(
                    "# [derive (:: serde :: Deserialize , :: serde :: Serialize , Clone , Debug)]"
                ),
                "{both}"
            );
            assert!(!both.contains("cfg"), "{both}");
        }
    }
}
