#![no_main]
//! NDJSON bytes, line by line, as each canonical table.
use libfuzzer_sys::fuzz_target;
use microscout_model::schema::{Table, normalise_header};

fuzz_target!(|data: &[u8]| {
    for line in data.split(|b| *b == b'\n') {
        let Ok(serde_json::Value::Object(obj)) = serde_json::from_slice::<serde_json::Value>(line)
        else {
            continue;
        };
        for table in Table::ALL {
            let values: Vec<Option<String>> = table
                .columns()
                .iter()
                .map(|c| {
                    obj.iter()
                        .find(|(k, _)| normalise_header(k) == c.name)
                        .and_then(|(_, v)| match v {
                            serde_json::Value::String(s) => Some(s.clone()),
                            serde_json::Value::Number(n) => Some(n.to_string()),
                            serde_json::Value::Bool(b) => Some(b.to_string()),
                            _ => None,
                        })
                })
                .collect();
            microscout_fuzz::validate(table, &values);
        }
    }
});
