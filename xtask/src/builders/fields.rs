//! What the builders are made of: each body property's setter shape, read from the type space,
//! and how a body is assembled (one struct, a `oneOf` of structs, or free-form JSON).

use crate::inventory::ResponseKind;
use crate::model::{Model, OpModel, Param};
use anyhow::{Context, bail};
use heck::ToUpperCamelCase;
use proc_macro2::{Ident, TokenStream};
use quote::{format_ident, quote};
use typify::{Type, TypeDetails, TypeId};

/// setters checked at send.
pub(super) const POSITIONAL: usize = 3;

/// Integer properties that count milliseconds although their description does not say so.
pub(super) const MILLISECOND_NAMES: &[&str] = &[
    "timeout",
    "request_timeout",
    "time_to_live",
    "retry_back_off",
];

/// What a setter takes, by the property's type.
#[derive(Clone)]
pub(super) enum Shape {
    /// A key: anything that converts into it.
    Key,
    /// `impl Into<String>`.
    Str,
    /// Milliseconds, as a `Duration`.
    Millis,
    /// A free-form JSON object: `&impl Serialize`.
    Vars,
    /// A list: any iterator of convertible items.
    List(TokenStream),
    /// A string field that carries a date-time and is cleared by an empty string.
    ClearableDate,
    /// `impl Into<T>`.
    Into,
}

/// One body property as the builder stores and sets it.
#[derive(Clone)]
pub(super) struct Field {
    /// The model's field name, also the setter's.
    pub(super) name: Ident,
    /// The value type (inside `Option` when the model's field is optional).
    pub(super) ty: TokenStream,
    /// How the model holds it.
    pub(super) storage: Storage,
    pub(super) shape: Shape,
    pub(super) doc: Option<String>,
    /// Cleared by an empty list or string (a `clear_…` setter).
    pub(super) clearable: bool,
}

#[derive(Clone, Copy, PartialEq, Eq)]
pub(super) enum Storage {
    /// `T` in the model; `Option<T>` in the builder, checked at send.
    Required,
    /// `Option<T>` in both.
    Optional,
    /// `T` with a default (lists) in both.
    Defaulted,
}

impl Field {
    pub(super) fn builder_ty(&self) -> TokenStream {
        let t = &self.ty;
        match self.storage {
            Storage::Defaulted => t.clone(),
            _ => quote!(Option<#t>),
        }
    }

    pub(super) fn is_set(&self, value: TokenStream) -> TokenStream {
        match self.storage {
            Storage::Defaulted => quote!(!#value.is_empty()),
            _ => quote!(#value.is_some()),
        }
    }
}

/// How a body is built.
pub(super) enum Body {
    /// No JSON body.
    None,
    /// One struct.
    Struct {
        model: Ident,
        fields: Vec<Field>,
        /// A `changeset` property whose own fields are set on the builder.
        nested: Option<(Field, Ident, Vec<Field>)>,
    },
    /// A type that is not a named model (free-form JSON): set whole with `body(…)`, `{}` when
    /// not set.
    Free(TokenStream),
    /// A body codegen cannot set field by field (an older spec's `oneOf` whose shapes type a
    /// field differently): set whole with `body(…)`, required.
    Whole(TokenStream),
    /// A `oneOf` of structs: one variant per shape.
    Union {
        model: Ident,
        /// Variant, struct, its field names, its required field names.
        shapes: Vec<(Ident, Ident, Vec<Ident>, Vec<Ident>)>,
        fields: Vec<Field>,
    },
}

impl Body {
    pub(super) fn fields(&self) -> &[Field] {
        match self {
            Body::None | Body::Free(_) | Body::Whole(_) => &[],
            Body::Struct { fields, .. } | Body::Union { fields, .. } => fields,
        }
    }
}

pub(super) fn type_of<'a>(model: &Model<'a>, id: &TypeId) -> anyhow::Result<Type<'a>> {
    model
        .space
        .get_type(id)
        .map_err(|e| anyhow::anyhow!("type space: {e}"))
}

/// The last identifier of a path type typify names by its text (`crate::keys::JobKey`).
pub(super) fn builtin_name(text: &str) -> anyhow::Result<(syn::Type, Option<String>)> {
    let ty: syn::Type = syn::parse_str(text).with_context(|| format!("type {text}"))?;
    let last = match &ty {
        syn::Type::Path(p) => p.path.segments.last().map(|s| s.ident.to_string()),
        _ => None,
    };
    Ok((ty, last))
}

/// The SDK's name for a type of the type space, and the setter shape it calls for.
pub(super) fn value_type(model: &Model, id: &TypeId) -> anyhow::Result<(TokenStream, Shape)> {
    let t = type_of(model, id)?;
    Ok(match t.details() {
        TypeDetails::Builtin(text) => {
            let (ty, last) = builtin_name(text)?;
            match last.as_deref() {
                Some(n) if model.key_kind(n).is_some() => {
                    let n = format_ident!("{n}");
                    (quote!(keys::#n), Shape::Key)
                }
                Some(n) if model.is_enum(n) => {
                    let n = format_ident!("{n}");
                    (quote!(enums::#n), Shape::Into)
                }
                _ => (quote!(#ty), Shape::Into),
            }
        }
        TypeDetails::String => (quote!(String), Shape::Str),
        TypeDetails::Vec(item) => {
            let (item, _) = value_type(model, &item)?;
            (quote!(Vec<#item>), Shape::List(item))
        }
        TypeDetails::Map(_, value) if json_value(model, &value)? => (
            quote!(::serde_json::Map<String, ::serde_json::Value>),
            Shape::Vars,
        ),
        TypeDetails::Newtype(n) => {
            let name = format_ident!("{}", t.name());
            let inner = type_of(model, &n.inner())?;
            let shape = match inner.details() {
                TypeDetails::Map(_, value) if json_value(model, &value)? => Shape::Vars,
                _ => Shape::Into,
            };
            (quote!(types::#name), shape)
        }
        TypeDetails::Map(..) => (t.ident(), Shape::Into),
        TypeDetails::Struct(_) | TypeDetails::Enum(_) => {
            let name = format_ident!("{}", t.name());
            (quote!(types::#name), Shape::Into)
        }
        TypeDetails::Box(inner) => value_type(model, &inner)?,
        _ => bail!("type {} has no setter shape", t.name()),
    })
}

/// Whether a type is free-form JSON (`serde_json::Value`).
pub(super) fn json_value(model: &Model, id: &TypeId) -> anyhow::Result<bool> {
    Ok(matches!(
        type_of(model, id)?.details(),
        TypeDetails::Builtin("::serde_json::Value")
    ))
}

/// The fields of a struct model.
pub(super) fn struct_fields(model: &Model, name: &str) -> anyhow::Result<Vec<Field>> {
    let Some(TypeDetails::Struct(s)) = model.named(name).map(Type::details) else {
        bail!("{name} is not a struct");
    };
    let mut out = Vec::new();
    for p in s.properties_info() {
        let t = type_of(model, &p.type_id)?;
        let (storage, id) = match t.details() {
            TypeDetails::Option(inner) => (Storage::Optional, inner),
            _ if p.required => (Storage::Required, p.type_id.clone()),
            _ => (Storage::Defaulted, p.type_id.clone()),
        };
        let (ty, mut shape) = value_type(model, &id)?;
        let doc = p.description.map(str::to_owned);
        let text = doc.as_deref().unwrap_or("").to_ascii_lowercase();
        let integer = ty.to_string() == "i64" || ty.to_string() == "i32";
        let ms_described = text.contains("in ms")
            || text.contains("(ms)")
            || (text.contains("milliseconds") && !text.contains("epoch"));
        if integer && (MILLISECOND_NAMES.contains(&p.name) || ms_described) {
            shape = Shape::Millis;
        }
        let clear_string = text.contains("reset by providing an empty string");
        if clear_string && matches!(shape, Shape::Str) {
            shape = Shape::ClearableDate;
        }
        let clearable = clear_string || text.contains("reset by providing an empty list");
        out.push(Field {
            name: rust_field(p.name),
            ty,
            storage,
            shape,
            doc,
            clearable,
        });
    }
    Ok(out)
}

pub(super) fn rust_field(name: &str) -> Ident {
    syn::parse_str::<Ident>(name).unwrap_or_else(|_| format_ident!("r#{name}"))
}

pub(super) fn body_of(model: &Model, f: &OpModel) -> anyhow::Result<Body> {
    let Some(body) = &f.body else {
        return Ok(Body::None);
    };
    let Some(name) = body.model.clone() else {
        return Ok(Body::Free(body.tokens.clone()));
    };
    let ident = format_ident!("{name}");
    match model.named(&name).map(Type::details) {
        Some(TypeDetails::Struct(_)) => {
            let mut fields = struct_fields(model, &name)?;
            let mut nested = None;
            if let Some(pos) = fields.iter().position(|x| x.name == "changeset")
                && let Some(inner) = fields[pos].ty.to_string().strip_prefix("types :: ")
            {
                let inner = inner.to_owned();
                let inner_fields = struct_fields(model, &inner)?;
                let field = fields.remove(pos);
                if inner_fields
                    .iter()
                    .any(|i| fields.iter().any(|o| o.name == i.name))
                {
                    bail!("{}: changeset fields clash with the body's", f.op.id);
                }
                nested = Some((field, format_ident!("{inner}"), inner_fields));
            }
            Ok(Body::Struct {
                model: ident,
                fields,
                nested,
            })
        }
        Some(TypeDetails::Enum(e)) => {
            let mut shapes = Vec::new();
            let mut fields: Vec<Field> = Vec::new();
            for v in e.variants_info() {
                let typify::TypeEnumVariant::Tuple(ids) = &v.details else {
                    bail!("{}: union variant {} is not a struct", f.op.id, v.name);
                };
                let [id] = ids.as_slice() else {
                    bail!("{}: union variant {} has several values", f.op.id, v.name);
                };
                let s = type_of(model, id)?.name();
                let own = struct_fields(model, &s)?;
                for x in &own {
                    match fields.iter_mut().find(|o| o.name == x.name) {
                        // Each shape names its own variables type (older specs): the builder
                        // holds the map, and each shape's type converts from it.
                        Some(o)
                            if o.ty.to_string() != x.ty.to_string()
                                && matches!((&o.shape, &x.shape), (Shape::Vars, Shape::Vars)) =>
                        {
                            o.ty = quote!(::serde_json::Map<String, ::serde_json::Value>);
                        }
                        Some(o) if o.ty.to_string() != x.ty.to_string() => bail!(
                            "{}: field {} has different types in the union's shapes",
                            f.op.id,
                            x.name
                        ),
                        Some(_) => {}
                        None => fields.push(Field {
                            // Required in one shape is not required in the builder.
                            storage: if x.storage == Storage::Required {
                                Storage::Optional
                            } else {
                                x.storage
                            },
                            ..x.clone()
                        }),
                    }
                }
                shapes.push((
                    format_ident!("{}", v.name),
                    format_ident!("{s}"),
                    own.iter().map(|x| x.name.clone()).collect(),
                    own.iter()
                        .filter(|x| x.storage == Storage::Required)
                        .map(|x| x.name.clone())
                        .collect(),
                ));
            }
            Ok(Body::Union {
                model: ident,
                shapes,
                fields,
            })
        }
        Some(TypeDetails::Newtype(_)) => Ok(Body::Free(body.tokens.clone())),
        _ => bail!("{}: body {name} is neither a struct nor a union", f.op.id),
    }
}

/// Whether a filter model can be set field by field: a struct whose fields are all optional
/// (so it has a `Default` to start from).
pub(super) fn settable_filter(model: &Model, name: &str) -> bool {
    struct_fields(model, name)
        .is_ok_and(|fields| fields.iter().all(|x| x.storage != Storage::Required))
}

/// Whether a required field can be a positional argument.
pub(super) fn scalar(f: &Field) -> bool {
    matches!(f.shape, Shape::Key | Shape::Str | Shape::Millis)
        || (matches!(f.shape, Shape::Into)
            && ["i32", "i64", "bool", "f64"].contains(&f.ty.to_string().as_str()))
        || f.ty.to_string().starts_with("enums ::")
}

/// The argument type and the conversion into the stored value, for a setter of `f`.
pub(super) fn setter_parts(f: &Field, slot: &TokenStream) -> (TokenStream, TokenStream) {
    let t = &f.ty;
    let n = f.name.to_string();
    let n = n.trim_start_matches("r#");
    match &f.shape {
        Shape::Key => (
            quote!(impl TryInto<#t, Error: std::fmt::Display>),
            quote!(crate::request::key(#slot, #n, value)),
        ),
        Shape::Str => (quote!(impl Into<String>), quote!(Some(value.into()))),
        Shape::Millis => (
            quote!(std::time::Duration),
            quote!(Some(crate::request::millis(value))),
        ),
        Shape::Vars => (
            quote!(&impl serde::Serialize),
            quote!(crate::request::variables(#slot, #n, value)),
        ),
        Shape::ClearableDate => (
            quote!(chrono::DateTime<chrono::Utc>),
            quote!(Some(crate::request::date_time(value))),
        ),
        Shape::List(item) if item.to_string().starts_with("keys ::") => (
            quote!(impl IntoIterator<Item = impl TryInto<#item, Error: std::fmt::Display>>),
            quote!(crate::request::keys(#slot, #n, value)),
        ),
        Shape::List(item) => (
            quote!(impl IntoIterator<Item = impl Into<#item>>),
            quote!(Some(value.into_iter().map(Into::into).collect())),
        ),
        Shape::Into => (quote!(impl Into<#t>), quote!(Some(value.into()))),
    }
}

/// `pub fn x(mut self, value: …) -> Self` for a field stored at `place` (a place expression on
/// `self`).
pub(super) fn setter(f: &Field, place: TokenStream, doc: Option<&str>) -> TokenStream {
    let name = &f.name;
    let (arg, convert) = setter_parts(f, &quote!(&mut self.invalid));
    let doc_text = doc
        .map(|d| d.lines().next().unwrap_or("").trim().to_owned())
        .filter(|d| !d.is_empty())
        .unwrap_or_else(|| format!("Sets `{}`.", name.to_string().trim_start_matches("r#")));
    let assign = match f.storage {
        Storage::Defaulted => quote! {
            if let Some(v) = #convert { #place = v; }
        },
        _ => quote! {
            let v = #convert;
            if v.is_some() { #place = v; }
        },
    };
    let clear = f.clearable.then(|| {
        let clear = format_ident!("clear_{}", name.to_string().trim_start_matches("r#"));
        let value = if matches!(f.shape, Shape::ClearableDate) {
            quote!(String::new())
        } else {
            quote!(Vec::new())
        };
        let store = match f.storage {
            Storage::Defaulted => quote!(#place = #value;),
            _ => quote!(#place = Some(#value);),
        };
        let doc = format!("Clears `{name}` on the server (sends the empty value that resets it).");
        quote! {
            #[doc = #doc]
            pub fn #clear(mut self) -> Self { #store self }
        }
    });
    quote! {
        #[doc = #doc_text]
        pub fn #name(mut self, value: #arg) -> Self {
            #assign
            self
        }
        #clear
    }
}

/// The positional (required, scalar) body fields of a struct body, in the order the spec lists
/// the properties (`type`, `timeout`, `maxJobsToActivate`), not typify's alphabetical one.
pub(super) fn positional<'f>(
    f: &OpModel,
    body: &'f Body,
    doc: &serde_json::Value,
) -> Vec<&'f Field> {
    let Body::Struct { model, fields, .. } = body else {
        return Vec::new();
    };
    let mut required: Vec<&Field> = fields
        .iter()
        .filter(|x| x.storage == Storage::Required)
        .collect();
    let order: Vec<String> = crate::spec::schemas(doc)
        .iter()
        .find(|(name, _)| *model == name.to_upper_camel_case())
        .and_then(|(_, s)| s.get("properties"))
        .and_then(|p| p.as_object())
        .map(|p| {
            p.keys()
                .map(|k| heck::ToSnakeCase::to_snake_case(k.as_str()))
                .collect()
        })
        .unwrap_or_default();
    required.sort_by_key(|x| {
        order
            .iter()
            .position(|o| *o == x.name.to_string().trim_end_matches('_'))
            .unwrap_or(usize::MAX)
    });
    // Two arguments that both take text (keys, strings, enums all take a `&str`) could be
    // swapped without a compile error: then the values are setters, named at the call site.
    let text = |x: &&&Field| {
        matches!(x.shape, Shape::Key | Shape::Str) || x.ty.to_string().starts_with("enums ::")
    };
    let texts = f.path.len() + required.iter().filter(text).count();
    if !required.is_empty()
        && required.iter().all(|x| scalar(x))
        && f.path.len() + required.len() <= POSITIONAL
        && texts <= 1
    {
        required
    } else {
        Vec::new()
    }
}

/// The path parameter's argument type and its conversion into the stored value.
pub(super) fn path_arg(p: &Param) -> (TokenStream, TokenStream) {
    let t = &p.ty.tokens;
    let n = p.wire.clone();
    // Anything but a plain string converts fallibly (keys and ids from their text, checked at
    // send), so that `"…"` works for every path parameter.
    if t.to_string() == "String" {
        (quote!(impl Into<String>), quote!(Some(value.into())))
    } else {
        (
            quote!(impl TryInto<#t, Error: std::fmt::Display>),
            quote!(crate::request::key(&mut invalid, #n, value)),
        )
    }
}

/// The success value and the reader of its body (a `transport::read` function, and the
/// `request::Read` type of the same name in camel case).
pub(super) fn output(f: &OpModel) -> anyhow::Result<(TokenStream, &'static str)> {
    Ok(match (f.op.response, &f.response) {
        (ResponseKind::JsonOrNone, Some(t)) => {
            let t = &t.tokens;
            (quote!(Option<#t>), "json_or_none")
        }
        (ResponseKind::Json, Some(t)) => (t.tokens.clone(), "json"),
        (ResponseKind::Xml | ResponseKind::Text, _) => (quote!(String), "text"),
        (ResponseKind::XmlOrNone, _) => (quote!(Option<String>), "text_or_none"),
        (ResponseKind::Binary, _) => (quote!(Vec<u8>), "bytes"),
        (ResponseKind::None, _) => (quote!(()), "unit"),
        (kind, _) => bail!(
            "{}: response kind {} is not supported",
            f.op.id,
            kind.as_str()
        ),
    })
}
