//! `title` on ~270 schemas: typify names a type by its title before its component name, which
//! makes distinct schemas collide and some types recursive. Titles are documentation only.

use crate::spec::walk_schemas;
use serde_json::Value;

pub fn run(doc: &mut Value) -> usize {
    let mut count = 0;
    walk_schemas(doc, &mut |schema, _, _| {
        if let Some(obj) = schema.as_object_mut()
            && obj.remove("title").is_some()
        {
            count += 1;
        }
    });
    count
}
