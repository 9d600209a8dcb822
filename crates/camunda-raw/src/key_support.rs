//! Machinery behind the key types in [`crate::keys`]. The list of keys is generated from the
//! spec's `x-semantic-type`; how a key validates, converts and serialises is written here once.

use std::fmt;

/// A value that is not a valid key or identifier of the type it was given as.
///
/// ```
/// use camunda_raw::keys::ProcessInstanceKey;
///
/// let err = "12ab".parse::<ProcessInstanceKey>().unwrap_err();
/// assert_eq!(err.type_name(), "ProcessInstanceKey");
/// assert!(err.to_string().contains("12ab"));
/// ```
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct InvalidKey {
    type_name: &'static str,
    value: String,
    reason: String,
}

impl InvalidKey {
    #[doc(hidden)]
    pub fn new(type_name: &'static str, value: &str, reason: impl Into<String>) -> Self {
        // Long inputs are cut so the error stays readable (and bounded) in logs.
        let value = match value.char_indices().nth(64) {
            Some((i, _)) => format!("{}…", &value[..i]),
            None => value.to_owned(),
        };
        Self {
            type_name,
            value,
            reason: reason.into(),
        }
    }

    /// The key type that rejected the value, e.g. `"JobKey"`.
    pub fn type_name(&self) -> &'static str {
        self.type_name
    }

    /// The rejected value (cut after 64 characters).
    pub fn value(&self) -> &str {
        &self.value
    }

    /// Why it was rejected.
    pub fn reason(&self) -> &str {
        &self.reason
    }
}

impl fmt::Display for InvalidKey {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "invalid {}: {:?} {}",
            self.type_name, self.value, self.reason
        )
    }
}

impl std::error::Error for InvalidKey {}

/// What `numeric_key!`'s `new` checks, shared by every key type (one copy of the code for all
/// of them keeps decoding's instruction-cache footprint small).
#[doc(hidden)]
pub fn validate_numeric(type_name: &'static str, s: &str, max: usize) -> Result<(), InvalidKey> {
    // A string has at most as many chars as bytes: count them only when needed.
    if s.len() > max && s.chars().count() > max {
        return Err(InvalidKey::new(
            type_name,
            s,
            format!("is longer than {max} characters"),
        ));
    }
    check::decimal(s).map_err(|r| InvalidKey::new(type_name, s, r))
}

/// What `string_key!`'s `new` checks: the length bounds in chars, then `check`.
#[doc(hidden)]
pub fn validate_string(
    type_name: &'static str,
    s: &str,
    min: u64,
    max: u64,
    check: fn(&str) -> Result<(), &'static str>,
) -> Result<(), InvalidKey> {
    let bytes = s.len() as u64;
    // chars <= bytes <= 4 * chars: count chars only when the bytes leave it open.
    let len = if bytes <= max && bytes >= min.saturating_mul(4) {
        bytes
    } else {
        s.chars().count() as u64
    };
    if len < min {
        return Err(InvalidKey::new(
            type_name,
            s,
            format!("is shorter than {min} characters"),
        ));
    }
    if len > max {
        return Err(InvalidKey::new(
            type_name,
            s,
            format!("is longer than {max} characters"),
        ));
    }
    check(s).map_err(|r| InvalidKey::new(type_name, s, r))
}

/// Validators for the spec's patterns, written out instead of pulling in a regex engine.
/// Each returns `Err(reason)`.
#[doc(hidden)]
pub mod check {
    type Check = Result<(), &'static str>;

    /// Every char of `s` passes `ok`; ASCII (nearly every identifier) through `table`, which
    /// must agree with `ok` on ASCII.
    fn all(s: &str, table: &[bool; 128], ok: impl Fn(char) -> bool, reason: &'static str) -> Check {
        // One pass without early exits: the branches of a per-byte `all` mispredict on every
        // identifier's end, which costs more than the loads.
        let (mut ascii, mut in_table) = (true, true);
        for b in s.bytes() {
            ascii &= b < 128;
            in_table &= table[usize::from(b & 0x7f)];
        }
        let valid = if ascii { in_table } else { s.chars().all(ok) };
        if valid { Ok(()) } else { Err(reason) }
    }

    /// No constraint beyond length.
    pub fn any(_: &str) -> Check {
        Ok(())
    }

    /// `^-?[0-9]+$`
    pub fn decimal(s: &str) -> Check {
        let digits = s.strip_prefix('-').unwrap_or(s).as_bytes();
        // Every key of a decoded answer goes through here: one branch-free pass.
        let all_digits = digits
            .iter()
            .fold(true, |ok, b| ok & (b.wrapping_sub(b'0') < 10));
        if !digits.is_empty() && all_digits {
            Ok(())
        } else {
            Err("is not a decimal number (digits, optionally after a '-')")
        }
    }

    /// `^[0-9]+-[0-9]+$`
    pub fn decimal_pair(s: &str) -> Check {
        let ok = s.split_once('-').is_some_and(|(a, b)| {
            !a.is_empty()
                && !b.is_empty()
                && a.bytes().all(|c| c.is_ascii_digit())
                && b.bytes().all(|c| c.is_ascii_digit())
        });
        if ok {
            Ok(())
        } else {
            Err("is not two decimal numbers joined by '-'")
        }
    }

    fn word(c: char) -> bool {
        c.is_alphanumeric() || c == '_'
    }

    /// ASCII letters and digits plus `extra`, as a table: identifiers in every decoded item
    /// are checked with one load per byte instead of a chain of comparisons.
    const fn ascii_alnum_and(extra: &[u8]) -> [bool; 128] {
        let mut table = [false; 128];
        let mut i = 0;
        while i < 128 {
            table[i] = (i as u8).is_ascii_alphanumeric();
            i += 1;
        }
        let mut j = 0;
        while j < extra.len() {
            table[extra[j] as usize] = true;
            j += 1;
        }
        table
    }

    /// `^[\w_][\w0-9_\-\.]*$` (BPMN and DMN ids)
    pub fn bpmn_id(s: &str) -> Check {
        match s.chars().next() {
            Some(c) if word(c) => all(
                s,
                &const { ascii_alnum_and(b"_-.") },
                |c| word(c) || c == '-' || c == '.',
                "may only contain letters, digits, '_', '-' and '.'",
            ),
            _ => Err("must start with a letter, digit or '_'"),
        }
    }

    /// `^(<default>|[\w\.\-]{1,31})$`
    pub fn tenant_id(s: &str) -> Check {
        if s == "<default>" {
            return Ok(());
        }
        all(
            s,
            &const { ascii_alnum_and(b"_.-") },
            |c| word(c) || c == '.' || c == '-',
            "may only contain letters, digits, '_', '.' and '-' (or be \"<default>\")",
        )
    }

    /// `^[a-zA-Z0-9_~@.+-]+$` (users, roles, groups, clients, mapping rules, variables)
    pub fn entity_id(s: &str) -> Check {
        all(
            s,
            &const { ascii_alnum_and(b"_~@.+-") },
            |c| c.is_ascii_alphanumeric() || matches!(c, '_' | '~' | '@' | '.' | '+' | '-'),
            "may only contain ASCII letters, digits and _ ~ @ . + -",
        )
    }

    /// `^[A-Za-z][A-Za-z0-9_\-:.]{0,99}$`
    pub fn tag(s: &str) -> Check {
        match s.chars().next() {
            Some(c) if c.is_ascii_alphabetic() => all(
                s,
                &const { ascii_alnum_and(b"_-:.") },
                |c| c.is_ascii_alphanumeric() || matches!(c, '_' | '-' | ':' | '.'),
                "may only contain ASCII letters, digits and _ - : .",
            ),
            _ => Err("must start with an ASCII letter"),
        }
    }

    /// `^(?:[A-Za-z0-9+/]{4})*(?:[A-Za-z0-9+/]{2}(?:==)?|[A-Za-z0-9+/]{3}=)?$`: base64 whose
    /// last group may be two characters with or without `==`, or three with `=`.
    pub fn base64(s: &str) -> Check {
        let alphabet = |b: u8| b.is_ascii_alphanumeric() || b == b'+' || b == b'/';
        let (body, padding) = match s.strip_suffix("==") {
            Some(body) => (body, 2),
            None => match s.strip_suffix('=') {
                Some(body) => (body, 1),
                None => (s, 0),
            },
        };
        let tail_ok = matches!((padding, body.len() % 4), (0, 0) | (0, 2) | (2, 2) | (1, 3));
        if tail_ok && body.bytes().all(alphabet) {
            Ok(())
        } else {
            Err("is not base64")
        }
    }
}

/// Shared serde and conversion impls for string-backed keys.
#[doc(hidden)]
#[macro_export]
macro_rules! __string_backed_key {
    ($name:ident) => {
        impl $name {
            /// The key as sent on the wire.
            pub fn as_str(&self) -> &str {
                &self.0
            }

            /// The key as an owned `String`.
            pub fn into_string(self) -> String {
                self.0.into()
            }
        }

        impl ::std::fmt::Display for $name {
            fn fmt(&self, f: &mut ::std::fmt::Formatter<'_>) -> ::std::fmt::Result {
                f.write_str(&self.0)
            }
        }

        impl ::std::fmt::Debug for $name {
            fn fmt(&self, f: &mut ::std::fmt::Formatter<'_>) -> ::std::fmt::Result {
                write!(f, "{}({})", stringify!($name), self.0)
            }
        }

        impl ::std::convert::AsRef<str> for $name {
            fn as_ref(&self) -> &str {
                &self.0
            }
        }

        impl ::std::str::FromStr for $name {
            type Err = $crate::key_support::InvalidKey;
            fn from_str(s: &str) -> Result<Self, Self::Err> {
                Self::new(s)
            }
        }

        impl ::std::convert::TryFrom<&str> for $name {
            type Error = $crate::key_support::InvalidKey;
            fn try_from(s: &str) -> Result<Self, Self::Error> {
                Self::new(s)
            }
        }

        impl ::std::convert::TryFrom<String> for $name {
            type Error = $crate::key_support::InvalidKey;
            fn try_from(s: String) -> Result<Self, Self::Error> {
                Self::new(s)
            }
        }

        impl ::std::convert::TryFrom<&String> for $name {
            type Error = $crate::key_support::InvalidKey;
            fn try_from(s: &String) -> Result<Self, Self::Error> {
                Self::new(s.as_str())
            }
        }

        impl ::std::convert::TryFrom<&$name> for $name {
            type Error = $crate::key_support::InvalidKey;
            fn try_from(k: &$name) -> Result<Self, Self::Error> {
                Ok(k.clone())
            }
        }

        impl ::std::convert::From<$name> for String {
            fn from(k: $name) -> String {
                k.into_string()
            }
        }

        impl PartialEq<str> for $name {
            fn eq(&self, other: &str) -> bool {
                &*self.0 == other
            }
        }

        impl PartialEq<&str> for $name {
            fn eq(&self, other: &&str) -> bool {
                &*self.0 == *other
            }
        }

        impl ::serde::Serialize for $name {
            fn serialize<S: ::serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
                s.serialize_str(&self.0)
            }
        }
    };
}

/// A system-assigned key: a decimal number sent as a string (`"2251799813685249"`).
/// Decoding also accepts a JSON integer, as servers before 8.8 sent one.
#[doc(hidden)]
#[macro_export]
macro_rules! numeric_key {
    ($(#[$meta:meta])* $name:ident, max_len = $max:expr) => {
        $(#[$meta])*
        ///
        /// Validated on construction and when decoded; converts from `&str`, `String`, `i64` and
        /// `u64`.
        #[derive(Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
        pub struct $name(Box<str>);

        impl $name {
            /// Validates `value` as a
            #[doc = concat!("`", stringify!($name), "`.")]
            pub fn new(value: impl AsRef<str> + Into<String>) -> Result<Self, $crate::key_support::InvalidKey> {
                $crate::key_support::validate_numeric(stringify!($name), value.as_ref(), $max)?;
                Ok(Self(value.into().into_boxed_str()))
            }

            /// The key as an `i64`, when it fits (every key a Camunda 8 server assigns does).
            pub fn as_i64(&self) -> Option<i64> {
                self.0.parse().ok()
            }
        }

        $crate::__string_backed_key!($name);

        impl ::std::convert::From<i64> for $name {
            fn from(v: i64) -> Self {
                Self(v.to_string().into_boxed_str())
            }
        }

        impl ::std::convert::From<u64> for $name {
            fn from(v: u64) -> Self {
                Self(v.to_string().into_boxed_str())
            }
        }

        impl<'de> ::serde::Deserialize<'de> for $name {
            fn deserialize<D: ::serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
                struct Visitor;
                impl ::serde::de::Visitor<'_> for Visitor {
                    type Value = $name;
                    fn expecting(&self, f: &mut ::std::fmt::Formatter<'_>) -> ::std::fmt::Result {
                        f.write_str(concat!("a ", stringify!($name), " (a decimal string)"))
                    }
                    fn visit_str<E: ::serde::de::Error>(self, v: &str) -> Result<$name, E> {
                        $name::new(v).map_err(E::custom)
                    }
                    fn visit_i64<E: ::serde::de::Error>(self, v: i64) -> Result<$name, E> {
                        Ok($name::from(v))
                    }
                    fn visit_u64<E: ::serde::de::Error>(self, v: u64) -> Result<$name, E> {
                        Ok($name::from(v))
                    }
                }
                d.deserialize_any(Visitor)
            }
        }
    };
}

/// An identifier with the spec's length bounds and pattern (`TenantId`, `ProcessDefinitionId`, …).
#[doc(hidden)]
#[macro_export]
macro_rules! string_key {
    ($(#[$meta:meta])* $name:ident, min_len = $min:expr, max_len = $max:expr, check = $check:path, pattern = $pattern:literal) => {
        $(#[$meta])*
        ///
        /// Validated on construction and when decoded; converts from `&str` and `String`.
        #[derive(Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
        pub struct $name(Box<str>);

        impl $name {
            /// Validates `value` as a
            #[doc = concat!("`", stringify!($name), "`.")]
            pub fn new(value: impl AsRef<str> + Into<String>) -> Result<Self, $crate::key_support::InvalidKey> {
                $crate::key_support::validate_string(
                    stringify!($name), value.as_ref(), $min, $max, $check)?;
                Ok(Self(value.into().into_boxed_str()))
            }

            /// The pattern the spec gives for this identifier (empty when it gives none).
            pub const PATTERN: &'static str = $pattern;
        }

        $crate::__string_backed_key!($name);

        impl<'de> ::serde::Deserialize<'de> for $name {
            fn deserialize<D: ::serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
                struct Visitor;
                impl ::serde::de::Visitor<'_> for Visitor {
                    type Value = $name;
                    fn expecting(&self, f: &mut ::std::fmt::Formatter<'_>) -> ::std::fmt::Result {
                        f.write_str(concat!("a ", stringify!($name), " string"))
                    }
                    fn visit_str<E: ::serde::de::Error>(self, v: &str) -> Result<$name, E> {
                        $name::new(v).map_err(E::custom)
                    }
                }
                d.deserialize_str(Visitor)
            }
        }
    };
}

/// An integer identifier with a lower bound (`LoopIterationId`).
#[doc(hidden)]
#[macro_export]
macro_rules! integer_key {
    ($(#[$meta:meta])* $name:ident, min = $min:expr) => {
        $(#[$meta])*
        #[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
        pub struct $name(i64);

        impl $name {
            /// Validates `value` as a
            #[doc = concat!("`", stringify!($name), "`.")]
            pub fn new(value: i64) -> Result<Self, $crate::key_support::InvalidKey> {
                if value < $min {
                    return Err($crate::key_support::InvalidKey::new(
                        stringify!($name), &value.to_string(), format!("is less than {}", $min)));
                }
                Ok(Self(value))
            }

            /// The identifier as an integer.
            pub fn get(self) -> i64 {
                self.0
            }
        }

        impl ::std::fmt::Display for $name {
            fn fmt(&self, f: &mut ::std::fmt::Formatter<'_>) -> ::std::fmt::Result {
                write!(f, "{}", self.0)
            }
        }

        impl ::std::str::FromStr for $name {
            type Err = $crate::key_support::InvalidKey;
            fn from_str(s: &str) -> Result<Self, Self::Err> {
                let v: i64 = s.parse().map_err(|_| {
                    $crate::key_support::InvalidKey::new(stringify!($name), s, "is not an integer")
                })?;
                Self::new(v)
            }
        }

        impl ::std::convert::TryFrom<i64> for $name {
            type Error = $crate::key_support::InvalidKey;
            fn try_from(v: i64) -> Result<Self, Self::Error> {
                Self::new(v)
            }
        }

        impl ::serde::Serialize for $name {
            fn serialize<S: ::serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
                s.serialize_i64(self.0)
            }
        }

        impl<'de> ::serde::Deserialize<'de> for $name {
            fn deserialize<D: ::serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
                let v = <i64 as ::serde::Deserialize>::deserialize(d)?;
                Self::new(v).map_err(::serde::de::Error::custom)
            }
        }
    };
}

#[cfg(test)]
mod tests {
    use super::check;

    #[test]
    fn identifier_checks_agree_on_ascii_and_beyond() {
        for (s, bpmn, tenant, entity, tag) in [
            ("order-process_v2.1", true, true, true, true),
            ("a~b@c+d", false, false, true, false),
            ("x:y", false, false, false, true),
            ("_start", true, true, true, false),
            ("Bestellung-größe", true, true, false, false),
            ("has space", false, false, false, false),
            ("-lead", false, true, true, false),
        ] {
            assert_eq!(check::bpmn_id(s).is_ok(), bpmn, "bpmn_id {s:?}");
            assert_eq!(check::tenant_id(s).is_ok(), tenant, "tenant_id {s:?}");
            assert_eq!(check::entity_id(s).is_ok(), entity, "entity_id {s:?}");
            assert_eq!(check::tag(s).is_ok(), tag, "tag {s:?}");
        }
    }

    #[test]
    fn base64_follows_the_spec_pattern() {
        for ok in [
            "", "Qj", "z+", "Qg==", "Qjk=", "QUJD", "QUJDRA", "QUJDRA==", "QUJDREU=",
        ] {
            assert!(check::base64(ok).is_ok(), "{ok:?} should be accepted");
        }
        for bad in ["Q", "Qjk", "Qj=", "Q===", "QUJDR", "ab$d", "Qg==x"] {
            assert!(check::base64(bad).is_err(), "{bad:?} should be rejected");
        }
    }
}
