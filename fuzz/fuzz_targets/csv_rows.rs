#![no_main]
//! CSV bytes (header first) read as each canonical table, row by row.
use libfuzzer_sys::fuzz_target;
use microscout_model::schema::Table;

fuzz_target!(|data: &[u8]| {
    for table in Table::ALL {
        let mut rdr = csv::ReaderBuilder::new()
            .has_headers(false)
            .flexible(true)
            .from_reader(data);
        let mut rec = csv::ByteRecord::new();
        let Ok(true) = rdr.read_byte_record(&mut rec) else {
            continue;
        };
        let header: Vec<String> = rec
            .iter()
            .map(|b| String::from_utf8_lossy(b).into_owned())
            .collect();
        let index = microscout_fuzz::header_index(table, &header);
        while let Ok(true) = rdr.read_byte_record(&mut rec) {
            let values: Vec<Option<String>> = index
                .iter()
                .map(|i| {
                    i.and_then(|i| rec.get(i))
                        .and_then(|b| std::str::from_utf8(b).ok())
                        .map(String::from)
                })
                .collect();
            microscout_fuzz::validate(table, &values);
        }
    }
});
