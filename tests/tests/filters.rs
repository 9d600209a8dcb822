//! `filters::Filter::build` reads a filter into a raw filter type through generated code (the
//! filter condition models derive only `Serialize` by default). The tests build with
//! camunda-raw's `serde-all`, so every model also derives `Deserialize`: whatever the generated
//! reading gives must be what serde's derive gives, for each shape of condition.

use camunda_sdk::filters::{self, Condition, Filter};
use camunda_sdk::types;
use serde::Serialize;
use serde::de::DeserializeOwned;
use serde_json::{Value, json};

/// What serde makes of `filter` as `P`, as `build` reports it: the JSON `P` sends back, or
/// that it is refused.
fn by_serde<P: DeserializeOwned + Serialize>(filter: &Filter) -> Option<Value> {
    let json = filter.to_json().ok()?;
    let typed: P = serde_json::from_value(json).ok()?;
    Some(serde_json::to_value(typed).unwrap())
}

fn by_build<P: Condition>(filter: &Filter) -> Option<Value> {
    let typed: P = filter.clone().build().ok()?;
    Some(serde_json::to_value(typed).unwrap())
}

/// Asserts that `build` and serde agree on each filter, and returns how many `build` took.
fn agree<P: Condition + DeserializeOwned>(cases: &[Filter]) -> usize {
    let mut accepted = 0;
    for filter in cases {
        let built = by_build::<P>(filter);
        let serde = by_serde::<P>(filter);
        match (&built, &serde) {
            (Some(b), Some(s)) => {
                assert_eq!(b, s, "{filter:?} as {}", std::any::type_name::<P>());
                accepted += 1;
            }
            // `build` also refuses what `P` would silently drop (serde keeps the rest).
            (None, Some(s)) => assert_ne!(
                filter.to_json().unwrap(),
                *s,
                "{filter:?} refused, but serde keeps all of it as {}",
                std::any::type_name::<P>()
            ),
            (Some(b), None) => panic!("{filter:?} built as {b}, serde refuses it"),
            (None, None) => {}
        }
    }
    accepted
}

#[test]
fn strings_read_as_serde_reads_them() {
    let cases = [
        filters::eq("order"),
        filters::like("ord*"),
        filters::one_of(["a", "b"]),
        filters::not_in(["c"]),
        filters::neq("x").exists(true),
        filters::eq(5),
        filters::gt("a"),
        filters::exists(false),
    ];
    assert_eq!(agree::<types::StringFilterProperty>(&cases), 6);
    assert_eq!(agree::<types::BasicStringFilterProperty>(&cases), 5);
}

#[test]
fn keys_enums_numbers_and_dates_read_as_serde_reads_them() {
    let keys = [
        filters::eq("2251799813685250"),
        filters::one_of(["2251799813685250", "2251799813685251"]),
        filters::eq("not a key"),
        filters::neq(2251799813685250_i64),
        filters::gt("2251799813685250"),
    ];
    // Not a key, and a range on keys, are refused; a key as a number is a key.
    assert_eq!(agree::<types::JobKeyFilterProperty>(&keys), 3);

    let states = [
        filters::eq("ACTIVE"),
        filters::one_of(["ACTIVE", "COMPLETED"]),
        filters::not_in(["TERMINATED"]).exists(true),
        filters::eq("NO_SUCH_STATE"),
        filters::like("ACT*"),
    ];
    assert_eq!(
        agree::<types::ProcessInstanceStateFilterProperty>(&states),
        4
    );

    let numbers = [
        filters::eq(3),
        filters::between(2, 5),
        filters::gt(1).lt(9).neq(4),
        filters::one_of([1, 2, 3]),
        filters::eq("three"),
        filters::eq(2.5),
    ];
    // Text and a fraction are no int32.
    assert_eq!(agree::<types::IntegerFilterProperty>(&numbers), 4);

    let dates = [
        filters::eq("2025-01-01T00:00:00Z"),
        filters::gte("2025-01-01T00:00:00.123+02:00").lt("2025-02-01T00:00:00Z"),
        filters::one_of(["2025-01-01T00:00:00Z"]),
        filters::eq("yesterday"),
        filters::exists(true),
    ];
    // "yesterday" is no date; a date with an offset reads back in UTC, which `build` takes for a
    // changed condition (pass a `DateTime<Utc>` to compare exactly what is sent).
    assert_eq!(agree::<types::DateTimeFilterProperty>(&dates), 3);
}

#[test]
fn a_refusal_names_the_type_and_what_does_not_fit() {
    let err = filters::eq("not a key")
        .build::<types::JobKeyFilterProperty>()
        .unwrap_err();
    let text = err.to_string();
    assert!(text.contains("JobKeyFilterProperty"), "{text}");
    let err = filters::gt("a")
        .build::<types::StringFilterProperty>()
        .unwrap_err();
    assert!(err.to_string().contains("does not support"), "{err}");
    let json = json!({"$in": ["ACTIVE"]});
    let built: types::ProcessInstanceStateFilterProperty =
        filters::one_of(["ACTIVE"]).build().unwrap();
    assert_eq!(serde_json::to_value(built).unwrap(), json);
}
