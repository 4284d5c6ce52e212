//! Static inline SVG charts for `report.html` (no script, no fonts to fetch: the report
//! opens offline). Text from the input is escaped with [`crate::html::esc`].

use std::fmt::Write;

use microscout_model::numfmt::count;
use microscout_model::{AccountScore, Tier};

use crate::html::esc;

/// Most points drawn in the scatter; beyond it, shortlisted and flagged accounts are kept
/// and the rest thinned evenly, and the caption says so.
const MAX_POINTS: usize = 4000;

const W: f64 = 720.0;
const H: f64 = 360.0;
const L: f64 = 64.0; // left margin
const B: f64 = 40.0; // bottom margin
const T: f64 = 12.0;
const R: f64 = 40.0;

/// Engagement rate (log) against followers (log), one dot per account with a rate:
/// shortlisted, flagged, other. Returns the SVG and a caption.
pub fn engagement_scatter(scores: &[AccountScore]) -> (String, String) {
    let with_rate: Vec<&AccountScore> = scores
        .iter()
        .filter(|s| {
            s.engagement_rate.is_some_and(|r| r > 0.0) && s.followers.is_some_and(|n| n > 0)
        })
        .collect();
    let important = |s: &&AccountScore| s.shortlisted() || !s.flags.is_empty();
    let mut points: Vec<&AccountScore> = with_rate.iter().copied().filter(important).collect();
    let rest: Vec<&AccountScore> = with_rate
        .iter()
        .copied()
        .filter(|s| !important(s))
        .collect();
    let room = MAX_POINTS.saturating_sub(points.len());
    let step = rest.len().div_ceil(room.max(1)).max(1);
    points.extend(rest.iter().step_by(step).copied());
    points.truncate(MAX_POINTS.max(points.len().min(MAX_POINTS)));

    let (x0, x1) = (2.0_f64, 7.0_f64); // 100 .. 10,000,000 followers
    let (y0, y1) = (-4.0_f64, 0.0_f64); // 0.01% .. 100%
    let px = |f: f64| L + (f.log10().clamp(x0, x1) - x0) / (x1 - x0) * (W - L - R);
    let py = |r: f64| T + (1.0 - (r.log10().clamp(y0, y1) - y0) / (y1 - y0)) * (H - T - B);

    let mut s = String::new();
    let _ = write!(
        s,
        r#"<svg viewBox="0 0 {W} {H}" role="img" aria-label="Engagement rate against followers" xmlns="http://www.w3.org/2000/svg">"#
    );
    // Grid and axes.
    for e in 2..=7 {
        let x = px(10f64.powi(e));
        let _ = write!(
            s,
            r##"<line x1="{x:.1}" y1="{T}" x2="{x:.1}" y2="{:.1}" stroke="#ddd"/><text x="{x:.1}" y="{:.1}" text-anchor="middle" class="ax">{}</text>"##,
            H - B,
            H - B + 16.0,
            count(10u64.pow(e as u32))
        );
    }
    for (e, label) in [
        (-4, "0.01%"),
        (-3, "0.1%"),
        (-2, "1%"),
        (-1, "10%"),
        (0, "100%"),
    ] {
        let y = py(10f64.powi(e));
        let _ = write!(
            s,
            r##"<line x1="{L}" y1="{y:.1}" x2="{:.1}" y2="{y:.1}" stroke="#ddd"/><text x="{:.1}" y="{:.1}" text-anchor="end" class="ax">{label}</text>"##,
            W - R,
            L - 6.0,
            y + 4.0
        );
    }
    let _ = write!(
        s,
        r#"<text x="{:.1}" y="{:.1}" text-anchor="middle" class="ax">followers (log scale)</text>"#,
        (L + W - R) / 2.0,
        H - 4.0
    );
    let _ = write!(
        s,
        r#"<text x="14" y="{:.1}" text-anchor="middle" class="ax" transform="rotate(-90 14 {:.1})">engagement rate (log)</text>"#,
        (T + H - B) / 2.0,
        (T + H - B) / 2.0
    );
    // Other accounts first, so the marked ones are drawn on top.
    let mut ordered = points.clone();
    ordered.sort_by_key(|a| (a.shortlisted(), !a.flags.is_empty()));
    for a in ordered {
        // Every drawn account has a follower count (filtered above).
        let Some(followers) = a.followers else {
            continue;
        };
        let class = if a.shortlisted() {
            "pt-short"
        } else if !a.flags.is_empty() {
            "pt-flag"
        } else {
            "pt-other"
        };
        let _ = write!(
            s,
            r#"<circle cx="{:.1}" cy="{:.1}" r="3" class="{class}"><title>@{} · {} followers</title></circle>"#,
            px(followers as f64),
            py(a.engagement_rate.unwrap_or(1e-4)),
            esc(&a.handle),
            count(followers)
        );
    }
    s.push_str("</svg>");
    let shown = points.len();
    let caption = if shown < with_rate.len() {
        format!(
            "{} of {} accounts with an engagement rate are drawn (all shortlisted and flagged ones, the rest thinned evenly).",
            count(shown as u64),
            count(with_rate.len() as u64)
        )
    } else {
        format!(
            "{} accounts with an engagement rate; accounts whose likes are all hidden or with no posts are not drawn.",
            count(shown as u64)
        )
    };
    (s, caption)
}

/// Accounts per size tier, as horizontal bars.
pub fn tier_bars(scores: &[AccountScore]) -> String {
    let tiers = [Tier::Nano, Tier::Micro, Tier::Mid, Tier::Macro, Tier::Mega];
    let counts: Vec<usize> = tiers
        .iter()
        .map(|t| scores.iter().filter(|s| s.tier == Some(*t)).count())
        .collect();
    let max = counts.iter().copied().max().unwrap_or(0).max(1) as f64;
    let (w, row) = (720.0, 26.0);
    let h = row * tiers.len() as f64 + 8.0;
    let mut s = format!(
        r#"<svg viewBox="0 0 {w} {h}" role="img" aria-label="Accounts per tier" xmlns="http://www.w3.org/2000/svg">"#
    );
    for (i, (t, n)) in tiers.iter().zip(&counts).enumerate() {
        let y = 4.0 + i as f64 * row;
        let bw = (*n as f64 / max) * (w - 200.0);
        let _ = write!(
            s,
            r#"<text x="60" y="{:.1}" text-anchor="end" class="ax">{}</text><rect x="70" y="{y:.1}" width="{bw:.1}" height="{:.1}" class="bar"/><text x="{:.1}" y="{:.1}" class="ax">{}</text>"#,
            y + 16.0,
            t.as_str(),
            row - 8.0,
            76.0 + bw,
            y + 16.0,
            count(*n as u64)
        );
    }
    s.push_str("</svg>");
    s
}

/// A small trend of followers (solid) and interactions per post (dashed, own scale) over
/// an account's nights, for the shortlist table. Each line is scaled to its own range, so
/// the shapes compare, not the levels; the title gives the numbers.
pub fn trend(nights: &[crate::changes::TrendNight]) -> String {
    const TW: f64 = 120.0;
    const TH: f64 = 30.0;
    if nights.len() < 2 {
        return "<span class=\"muted\">first night</span>".into();
    }
    let (d0, d1) = (nights[0].day, nights[nights.len() - 1].day);
    let x = |day: i32| 2.0 + (TW - 4.0) * f64::from(day - d0) / f64::from((d1 - d0).max(1));
    let line = |vals: Vec<(i32, f64)>| -> String {
        let lo = vals.iter().map(|v| v.1).fold(f64::INFINITY, f64::min);
        let hi = vals.iter().map(|v| v.1).fold(f64::NEG_INFINITY, f64::max);
        vals.iter()
            .map(|(d, v)| {
                let y = if hi > lo {
                    TH - 3.0 - (TH - 6.0) * (v - lo) / (hi - lo)
                } else {
                    TH / 2.0
                };
                format!("{:.1},{:.1}", x(*d), y)
            })
            .collect::<Vec<_>>()
            .join(" ")
    };
    let f: Vec<(i32, f64)> = nights.iter().map(|n| (n.day, n.followers as f64)).collect();
    let e: Vec<(i32, f64)> = nights
        .iter()
        .filter_map(|n| n.interactions.map(|i| (n.day, i)))
        .collect();
    let first = nights[0].followers.max(1) as f64;
    let last = nights[nights.len() - 1].followers as f64;
    let mut o = format!(
        "<svg class=\"trend\" width=\"{TW}\" height=\"{TH}\" viewBox=\"0 0 {TW} {TH}\" role=\"img\">\
         <title>followers {} → {} ({:+.1}%) over {} nights; dashed: interactions per post</title>\
         <polyline fill=\"none\" stroke=\"#2b6cb0\" stroke-width=\"1.5\" points=\"{}\"/>",
        count(nights[0].followers),
        count(nights[nights.len() - 1].followers),
        (last / first - 1.0) * 100.0,
        nights.len(),
        line(f)
    );
    if e.len() >= 2 {
        let _ = write!(
            o,
            "<polyline fill=\"none\" stroke=\"#dd6b20\" stroke-width=\"1\" stroke-dasharray=\"3 2\" points=\"{}\"/>",
            line(e)
        );
    }
    o.push_str("</svg>");
    o
}
