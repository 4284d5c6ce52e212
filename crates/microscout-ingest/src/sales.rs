//! The campaign's sales file (`[outreach] sales`): sales by discount code or tracking link,
//! in the plain format or as a shop's orders export, read once, bounded and hashed as read.

use std::path::Path;

use microscout_model::history::parse_date;
use microscout_model::ledger::{LedgerProblem, Sale};

use crate::ledger::{LedgerError, MAX_PROBLEMS, OwnFile, amount, raw, read_bounded};

/// The sales of a sales file, the rows that cannot be used, and the SHA-256 (hex) of the
/// bytes read.
#[derive(Debug, Clone, Default)]
pub struct SalesFile {
    pub sales: Vec<Sale>,
    pub problems: Vec<LedgerProblem>,
    pub sha256: String,
}

/// Reads a sales file: columns `date`, `code`, `units`, `revenue` (one row per sale or per
/// day and code), or a shop's orders export: Shopify (`Created at`, `Discount Code`,
/// `Lineitem quantity`, `Total`; an order's further line items, on rows of their own with the
/// same `Name`, count for its code), WooCommerce (`Order Date`, `Coupon Code`, `Quantity`,
/// `Order Total`), Etsy (`Sale Date`, `Coupon Code`, `Number of Items`, `Order Value`). Rows that cannot be used are
/// problems with their line; a missing file is an error (the campaign names it).
pub fn read_sales(path: &Path) -> Result<SalesFile, LedgerError> {
    let (bytes, sha256) = read_bounded(path, OwnFile::Sales)?;
    let mut rd = csv::ReaderBuilder::new()
        .flexible(true)
        .from_reader(bytes.as_slice());
    let header: Vec<String> = rd
        .headers()
        .map_err(|e| LedgerError::Unusable {
            path: path.to_owned(),
            why: format!("cannot read the header: {e}"),
        })?
        .iter()
        .map(|h| h.trim().trim_start_matches('\u{feff}').to_ascii_lowercase())
        .collect();
    let find = |names: &[&str]| {
        names
            .iter()
            .find_map(|n| header.iter().position(|h| h == n))
    };
    // Column names of the plain format and of common shops' order exports (Shopify,
    // WooCommerce, Etsy).
    let (date, code, units, revenue) = match (
        find(&["date", "created at", "order date", "sale date", "paid at"]),
        find(&[
            "code",
            "discount code",
            "coupon code",
            "coupon",
            "coupon details",
        ]),
        find(&[
            "units",
            "lineitem quantity",
            "quantity",
            "qty",
            "number of items",
        ]),
        find(&[
            "revenue",
            "total",
            "order total",
            "order value",
            "order net",
        ]),
    ) {
        (Some(d), Some(c), Some(u), Some(r)) => (d, c, u, r),
        _ => {
            return Err(LedgerError::Unusable {
                path: path.to_owned(),
                why: "needs columns date, code, units and revenue, or a shop's order export \
                      (Shopify: Created at, Discount Code, Lineitem quantity, Total; \
                      WooCommerce: Order Date, Coupon Code, Quantity, Order Total; Etsy: Sale \
                      Date, Coupon Code, Number of Items, Order Value)"
                    .into(),
            });
        }
    };
    // Shopify lists an order's further line items on rows of their own with the same
    // `Name` and no code or total: they belong to the order's code.
    let order = find(&["name"]);
    let mut current: Option<(String, i32, String)> = None;
    let mut sales = Vec::new();
    let mut problems = Vec::new();
    for (k, rec) in rd.records().enumerate() {
        let line = k as u64 + 2;
        let rec = match rec {
            Ok(r) => r,
            // A row that is not UTF-8 is reported; the rows after it are read.
            Err(e) if matches!(e.kind(), csv::ErrorKind::Utf8 { .. }) => {
                problems.push(LedgerProblem {
                    line,
                    reason: "not UTF-8 text".into(),
                    raw: String::new(),
                });
                continue;
            }
            Err(e) => {
                problems.push(LedgerProblem {
                    line,
                    reason: format!("not a readable CSV row: {e}"),
                    raw: String::new(),
                });
                break;
            }
        };
        let g = |i: usize| rec.get(i).unwrap_or("").trim();
        let order_id = order.map(|o| g(o).to_string()).filter(|o| !o.is_empty());
        let continued = match (&order_id, &current) {
            (Some(o), Some((prev, _, _))) => g(code).is_empty() && g(date).is_empty() && o == prev,
            _ => false,
        };
        let (day, code_v) = match (&current, continued) {
            (Some((_, day, code_v)), true) => (*day, code_v.clone()),
            _ => {
                let d = g(date);
                let Some(day) = parse_date(d.get(..10).unwrap_or(d)) else {
                    problems.push(LedgerProblem {
                        line,
                        reason: format!("bad date \"{d}\""),
                        raw: raw(&rec),
                    });
                    current = None;
                    continue;
                };
                (day, g(code).to_string())
            }
        };
        if let Some(o) = order_id {
            current = Some((o, day, code_v.clone()));
        }
        if code_v.is_empty() {
            continue;
        }
        let number = |i: usize, what: &str| {
            if g(i).is_empty() {
                Ok(Some(0.0))
            } else {
                amount(g(i), what)
            }
        };
        match (number(units, "units"), number(revenue, "revenue")) {
            (Ok(u), Ok(r)) => sales.push(Sale {
                day,
                code: code_v,
                units: u.unwrap_or(0.0) as u64,
                revenue: r.unwrap_or(0.0),
            }),
            (Err(e), _) | (_, Err(e)) => problems.push(LedgerProblem {
                line,
                reason: e,
                raw: raw(&rec),
            }),
        }
        if problems.len() >= MAX_PROBLEMS {
            break;
        }
    }
    Ok(SalesFile {
        sales,
        problems,
        sha256,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sales_files_plain_and_shopify() {
        let dir = std::env::temp_dir().join(format!("microscout-sales-{}", std::process::id()));
        let _ = std::fs::remove_dir_all(&dir);
        std::fs::create_dir_all(&dir).unwrap();
        let plain = dir.join("sales.csv");
        std::fs::write(
            &plain,
            b"date,code,units,revenue\n2026-11-20,LITTLE1,2,29.98\n2026-13-01,LITTLE1,1,14.99\n2026-11-21,LITTLE2,-1,0\n2026-11-22,LIT\xffTLE,1,1\n2026-11-23,LITTLE1,1,14.99\n",
        )
        .unwrap();
        let SalesFile {
            sales: s,
            problems: p,
            ..
        } = read_sales(&plain).unwrap();
        assert_eq!(s.len(), 2, "{s:?}");
        assert_eq!((s[0].units, s[0].revenue), (2, 29.98));
        assert_eq!(s[1].day, parse_date("2026-11-23").unwrap());
        assert_eq!(p.iter().map(|p| p.line).collect::<Vec<_>>(), vec![3, 4, 5]);
        let shopify = dir.join("orders_export.csv");
        std::fs::write(
            &shopify,
            "Name,Email,Created at,Discount Code,Total,Lineitem quantity,Lineitem name\n\
             #1001,a@b.c,2026-11-22 10:04:11 +0100,LITTLE1,31.48,2,Big Feelings\n\
             #1001,,,,,1,Little Owl\n\
             #1002,d@e.f,2026-11-23 09:00:00 +0100,,14.99,1,Big Feelings\n",
        )
        .unwrap();
        let SalesFile {
            sales: s,
            problems: p,
            ..
        } = read_sales(&shopify).unwrap();
        assert!(p.is_empty(), "{p:?}");
        assert_eq!(s.len(), 2, "an order without a code is nobody's: {s:?}");
        assert_eq!(
            (s[0].code.as_str(), s[0].units, s[0].revenue),
            ("LITTLE1", 2, 31.48)
        );
        // The order's second line item counts for its code.
        assert_eq!(
            (s[1].code.as_str(), s[1].units, s[1].revenue),
            ("LITTLE1", 1, 0.0)
        );
        let woo = dir.join("woo.csv");
        std::fs::write(
            &woo,
            "Order Number,Order Date,Coupon Code,Quantity,Order Total\n7,2026-11-24,little2,3,44.97\n",
        )
        .unwrap();
        let s = read_sales(&woo).unwrap().sales;
        assert_eq!((s[0].code.as_str(), s[0].units), ("little2", 3));
        let _ = std::fs::remove_dir_all(&dir);
    }
}
