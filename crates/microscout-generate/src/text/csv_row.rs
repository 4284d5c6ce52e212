//! CSV rows as the generator writes them (RFC 4180 quoting: a field holding a comma, a quote
//! or a line break is quoted, quotes doubled), so that a seed gives the same bytes everywhere.

pub(super) fn csv_field(out: &mut String, s: &str) {
    if s.contains([',', '"', '\n', '\r']) {
        out.push('"');
        out.push_str(&s.replace('"', "\"\""));
        out.push('"');
    } else {
        out.push_str(s);
    }
}

pub(super) fn row(fields: &[&str]) -> String {
    let mut s = String::with_capacity(fields.iter().map(|f| f.len() + 1).sum::<usize>() + 2);
    for (i, f) in fields.iter().enumerate() {
        if i > 0 {
            s.push(',');
        }
        csv_field(&mut s, f);
    }
    s.push('\n');
    s
}

pub(super) fn opt_u64(v: Option<u64>) -> String {
    v.map(|x| x.to_string()).unwrap_or_default()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn fields_are_quoted_only_when_they_must_be() {
        assert_eq!(row(&["a", "b c", ""]), "a,b c,\n");
        assert_eq!(
            row(&["x,y", "say \"hi\"", "two\nlines"]),
            "\"x,y\",\"say \"\"hi\"\"\",\"two\nlines\"\n"
        );
        assert_eq!(opt_u64(None), "");
        assert_eq!(opt_u64(Some(7)), "7");
    }
}
