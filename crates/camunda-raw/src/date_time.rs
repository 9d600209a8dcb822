//! Decoding of the spec's `date-time` fields (codegen points them here with
//! `deserialize_with`). Servers send one canonical RFC 3339 shape,
//! `2025-06-12T08:15:02.441Z`; that shape is read by a byte loop, and anything else goes to
//! chrono's own parser, so what is accepted, what it means and the errors are chrono's. chrono's
//! general parser costs about ten times the byte loop, a sizeable share of decoding a search page.

use chrono::{DateTime, FixedOffset, NaiveDate, TimeZone, Utc};
use serde::de::{self, Deserializer, Visitor};
use std::fmt;

/// Parses an RFC 3339 date-time as chrono's `DateTime<FixedOffset>::from_str` does, in UTC.
pub fn parse(s: &str) -> Result<DateTime<Utc>, chrono::ParseError> {
    match canonical(s.as_bytes()) {
        Some(t) => Ok(t),
        None => s
            .parse::<DateTime<FixedOffset>>()
            .map(|t| t.with_timezone(&Utc)),
    }
}

/// `YYYY-MM-DDTHH:MM:SS[.f{1,9}](Z|±HH:MM)`, or `None` for anything else (including leap
/// seconds and invalid dates, left to chrono).
fn canonical(s: &[u8]) -> Option<DateTime<Utc>> {
    fn num(s: &[u8]) -> Option<u32> {
        s.iter().try_fold(0u32, |n, &b| {
            b.is_ascii_digit().then(|| n * 10 + u32::from(b - b'0'))
        })
    }
    if s.len() < 20
        || s[4] != b'-'
        || s[7] != b'-'
        || s[10] != b'T'
        || s[13] != b':'
        || s[16] != b':'
    {
        return None;
    }
    let year = i32::try_from(num(&s[0..4])?).ok()?;
    let (month, day) = (num(&s[5..7])?, num(&s[8..10])?);
    let (hour, minute, second) = (num(&s[11..13])?, num(&s[14..16])?, num(&s[17..19])?);
    if second > 59 {
        return None;
    }
    let mut rest = &s[19..];
    let mut nanos = 0;
    if let [b'.', tail @ ..] = rest {
        let digits = tail.iter().take_while(|b| b.is_ascii_digit()).count();
        if digits == 0 || digits > 9 {
            return None;
        }
        nanos = num(&tail[..digits])? * 10u32.pow(9 - digits as u32);
        rest = &tail[digits..];
    }
    let offset = match rest {
        [b'Z'] => 0,
        [sign @ (b'+' | b'-'), h1, h2, b':', m1, m2] => {
            let (h, m) = (num(&[*h1, *h2])?, num(&[*m1, *m2])?);
            if h > 23 || m > 59 {
                return None;
            }
            let secs = i32::try_from(h * 3600 + m * 60).ok()?;
            if *sign == b'-' { -secs } else { secs }
        }
        _ => return None,
    };
    let local =
        NaiveDate::from_ymd_opt(year, month, day)?.and_hms_nano_opt(hour, minute, second, nanos)?;
    let t = FixedOffset::east_opt(offset)?
        .from_local_datetime(&local)
        .single()?;
    Some(t.with_timezone(&Utc))
}

struct DateTimeVisitor;

impl Visitor<'_> for DateTimeVisitor {
    type Value = DateTime<Utc>;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("an RFC 3339 formatted date and time string")
    }

    fn visit_str<E: de::Error>(self, v: &str) -> Result<DateTime<Utc>, E> {
        parse(v).map_err(E::custom)
    }
}

/// `deserialize_with` for a `DateTime<Utc>` field.
pub fn deserialize<'de, D: Deserializer<'de>>(d: D) -> Result<DateTime<Utc>, D::Error> {
    d.deserialize_str(DateTimeVisitor)
}

struct OptionVisitor;

impl<'de> Visitor<'de> for OptionVisitor {
    type Value = Option<DateTime<Utc>>;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("an RFC 3339 formatted date and time string or null")
    }

    fn visit_none<E: de::Error>(self) -> Result<Self::Value, E> {
        Ok(None)
    }

    fn visit_unit<E: de::Error>(self) -> Result<Self::Value, E> {
        Ok(None)
    }

    fn visit_some<D: Deserializer<'de>>(self, d: D) -> Result<Self::Value, D::Error> {
        deserialize(d).map(Some)
    }
}

/// `deserialize_with` for an `Option<DateTime<Utc>>` field (with `#[serde(default)]`, so a
/// missing field is `None` as without it).
pub fn deserialize_option<'de, D: Deserializer<'de>>(
    d: D,
) -> Result<Option<DateTime<Utc>>, D::Error> {
    d.deserialize_option(OptionVisitor)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn chrono(s: &str) -> Result<DateTime<Utc>, String> {
        s.parse::<DateTime<FixedOffset>>()
            .map(|t| t.with_timezone(&Utc))
            .map_err(|e| e.to_string())
    }

    #[test]
    fn agrees_with_chrono() {
        for s in [
            "2025-06-12T08:15:02.441Z",
            "2025-06-12T08:15:02Z",
            "2025-06-12T08:15:02.1Z",
            "2025-06-12T08:15:02.123456789Z",
            "2025-06-12T08:15:02.1234567891Z",
            "2025-06-12T23:15:02.441+02:00",
            "2025-06-12T00:15:02.441-05:30",
            "2025-06-12T00:15:02-00:00",
            "2024-02-29T12:00:00Z",
            "0001-01-01T00:00:00Z",
            "9999-12-31T23:59:59.999Z",
            // Shapes the byte loop leaves to chrono:
            "2025-06-12t08:15:02Z",
            "2025-06-12 08:15:02Z",
            "2025-06-12T08:15:02z",
            "2016-12-31T23:59:60Z",
            "2025-06-12T08:15:02+0200",
            // Invalid, with chrono's errors:
            "2023-02-29T12:00:00Z",
            "2025-13-12T08:15:02Z",
            "2025-06-12T24:15:02Z",
            "2025-06-12T08:15:02.Z",
            "2025-06-12T08:15:02+24:00",
            "2025-06-12T08:15:02",
            "2025-06-12",
            "",
            "not a date at all, no",
            "2025-06-12T08:15:02.441Zjunk",
            "+2025-06-12T08:15:02Z",
        ] {
            assert_eq!(
                parse(s).map_err(|e| e.to_string()),
                chrono(s),
                "input {s:?}"
            );
        }
    }

    #[test]
    fn option_fields_accept_null_and_absence() {
        #[derive(serde::Deserialize, Debug)]
        struct T {
            #[serde(default, deserialize_with = "deserialize_option")]
            end: Option<DateTime<Utc>>,
            #[serde(deserialize_with = "deserialize")]
            start: DateTime<Utc>,
        }
        let t: T = serde_json::from_str(r#"{"start":"2025-06-12T08:15:02.441Z"}"#).unwrap();
        assert_eq!(t.end, None);
        assert_eq!(t.start, chrono("2025-06-12T08:15:02.441Z").unwrap());
        let t: T = serde_json::from_str(
            r#"{"start":"2025-06-12T08:15:02Z","end":"2025-06-12T10:15:02+02:00"}"#,
        )
        .unwrap();
        assert_eq!(t.end, Some(t.start));
        let t: T = serde_json::from_str(r#"{"start":"2025-06-12T08:15:02Z","end":null}"#).unwrap();
        assert_eq!(t.end, None);
        let err = serde_json::from_str::<T>(r#"{"start":"yesterday"}"#).unwrap_err();
        assert!(
            err.to_string()
                .contains("input contains invalid characters"),
            "{err}"
        );
        let err = serde_json::from_str::<T>(r#"{"start":12}"#).unwrap_err();
        assert!(err.to_string().contains("RFC 3339"), "{err}");
    }
}
