//! What the builders need beyond themselves: setters on the filter models a search's
//! `filter(|f| …)` receives, and conversions in camunda-raw (results into the keys they provide,
//! text into filter properties).

use super::HEADER;
use super::fields::*;
use crate::codegen::pretty_file;
use crate::model::{KeyKind, Model};
use heck::ToUpperCamelCase;
use proc_macro2::{Ident, TokenStream};
use quote::{format_ident, quote};
use typify::TypeDetails;

/// Setters for the fields of each filter model that a search's `filter(|f| …)` receives.
pub(super) fn filter_setters(model: &Model, filters: &[Ident]) -> anyhow::Result<TokenStream> {
    let mut out = Vec::new();
    for t in filters {
        let fields = struct_fields(model, &t.to_string())?;
        let setters = fields.iter().map(|x| {
            let n = &x.name;
            let label = n.to_string();
            let label = label.trim_start_matches("r#").to_owned();
            let ty = &x.ty;
            let doc = x
                .doc
                .as_deref()
                .and_then(|d| d.lines().next())
                .map(str::trim)
                .filter(|d| !d.is_empty())
                .map(str::to_owned)
                .unwrap_or_else(|| format!("Matches `{label}`."));
            let (arg, convert) = match (&x.shape, x.storage) {
                (Shape::List(item), _) => (
                    quote!(impl IntoIterator<Item = impl Into<#item>>),
                    quote!(Some(value.into_iter().map(Into::into).collect())),
                ),
                _ => (
                    quote!(impl TryInto<#ty, Error: std::fmt::Display>),
                    quote!(match value.try_into() {
                        Ok(v) => Some(v),
                        Err(e) => { self.reject(#label, e.to_string()); None }
                    }),
                ),
            };
            let assign = match x.storage {
                Storage::Defaulted => quote!(if let Some(v) = #convert { self.value.#n = v; }),
                _ => quote!(let v = #convert; if v.is_some() { self.value.#n = v; }),
            };
            quote! {
                #[doc = #doc]
                pub fn #n(mut self, value: #arg) -> Self { #assign self }
            }
        });
        out.push(quote! {
            impl crate::request::Fields<types::#t> {
                #(#setters)*
            }
        });
    }
    Ok(quote!(#(#out)*))
}

/// Conversions camunda-raw gains for the builders: a result that provides a key converts into
/// it (`x-semantic-provider`), and a filter property converts from the text of its value.
pub(super) fn conversions(model: &Model, doc: &serde_json::Value) -> anyhow::Result<String> {
    let mut items = Vec::new();
    let mut seen = std::collections::BTreeSet::new();
    for (name, schema) in crate::spec::schemas(doc) {
        let Some(provided) = schema.get("x-semantic-provider").and_then(|v| v.as_array()) else {
            continue;
        };
        let rust = name.to_upper_camel_case();
        let Ok(fields) = struct_fields(model, &rust) else {
            continue;
        };
        for wire in provided.iter().filter_map(|v| v.as_str()) {
            let field = heck::ToSnakeCase::to_snake_case(wire);
            let Some(f) = fields.iter().find(|x| x.name == field) else {
                continue;
            };
            if !matches!(f.shape, Shape::Key) || !seen.insert((rust.clone(), f.ty.to_string())) {
                continue;
            }
            let (m, n, t) = (format_ident!("{rust}"), &f.name, &f.ty);
            let body = match f.storage {
                Storage::Required | Storage::Defaulted => quote!(Ok(r.#n.clone())),
                Storage::Optional => {
                    let msg = format!("the {rust} carries no {wire} (an older server's answer)");
                    let key = t.to_string().replace("keys :: ", "");
                    quote!(r.#n.clone().ok_or_else(|| crate::key_support::InvalidKey::new(#key, "", #msg)))
                }
            };
            items.push(quote! {
                impl ::std::convert::TryFrom<&types::#m> for crate::#t {
                    type Error = crate::key_support::InvalidKey;
                    fn try_from(r: &types::#m) -> Result<Self, Self::Error> { #body }
                }
            });
        }
    }
    // Filter properties: a key's text, or a plain string, converts into the exact-match form.
    for t in model.space.iter_types() {
        let TypeDetails::Enum(e) = t.details() else {
            continue;
        };
        let name = t.name();
        if !name.ends_with("FilterProperty") {
            continue;
        }
        let ident = format_ident!("{name}");
        for v in e.variants_info() {
            let typify::TypeEnumVariant::Tuple(ids) = &v.details else {
                continue;
            };
            let [id] = ids.as_slice() else { continue };
            let inner = type_of(model, id)?;
            let variant = format_ident!("{}", v.name);
            match inner.details() {
                TypeDetails::Builtin(text) => {
                    let (_, last) = builtin_name(text)?;
                    if let Some(k) =
                        last.filter(|l| model.key_kind(l).is_some_and(|k| k != KeyKind::Integer))
                    {
                        let k = format_ident!("{k}");
                        items.push(quote! {
                            impl ::std::convert::TryFrom<&str> for types::#ident {
                                type Error = crate::key_support::InvalidKey;
                                fn try_from(s: &str) -> Result<Self, Self::Error> {
                                    crate::keys::#k::try_from(s).map(Self::#variant)
                                }
                            }
                        });
                        break;
                    }
                }
                TypeDetails::Newtype(n)
                    if matches!(type_of(model, &n.inner())?.details(), TypeDetails::String) =>
                {
                    let nt = format_ident!("{}", inner.name());
                    items.push(quote! {
                        impl ::std::convert::From<&str> for types::#ident {
                            fn from(s: &str) -> Self { Self::#variant(types::#nt(s.to_owned())) }
                        }
                    });
                    break;
                }
                _ => {}
            }
        }
    }
    let file = quote! {
        //! Conversions for the request builders: results into the keys they provide, text into
        //! filter properties.
        use crate::types;
        #(#items)*
    };
    pretty_file(HEADER, file)
}
