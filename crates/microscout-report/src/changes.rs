//! What changed overnight: tonight's scores against the latest earlier night of the
//! history store, and each account's trend over its nights. Shown at the top of both
//! reports.

use microscout_model::AccountScore;
use microscout_model::history::{Histories, Night, date_of};

/// Items listed per kind of change before pointing at the CSVs.
pub const MAX_ITEMS: usize = 25;

/// An account named in a change: its handle (input text: the renderers escape it) and
/// what changed, in words that hold no input text.
#[derive(Debug, Clone, PartialEq)]
pub struct Item {
    pub handle: String,
    pub what: String,
}

#[derive(Debug, Clone, PartialEq)]
pub enum Overnight {
    /// No earlier night: the first run into this output folder.
    FirstNight,
    Changes {
        /// The earlier night compared with.
        since: String,
        new_on_shortlist: Vec<Item>,
        gone_from_shortlist: Vec<Item>,
        verdicts_changed: Vec<Item>,
        new_signals: Vec<Item>,
    },
}

impl Overnight {
    pub fn of(scores: &[AccountScore], history: &Histories, tonight: i32) -> Overnight {
        let Some(prev_day) = history.previous_day else {
            return Overnight::FirstNight;
        };
        let mut new_on = Vec::new();
        let mut gone = Vec::new();
        let mut verdicts = Vec::new();
        let mut signals = Vec::new();
        let mut seen = std::collections::HashSet::new();
        for s in scores {
            let prev = history.previous_of(&s.platform, &s.account_id);
            seen.insert((s.platform.to_string(), s.account_id.clone()));
            let was = prev.and_then(|p| p.shortlist_rank);
            match (was, s.rank) {
                (None, Some(r)) => new_on.push(Item {
                    handle: s.handle.clone(),
                    what: if prev.is_none() {
                        format!("new on the shortlist at #{r} (first seen tonight)")
                    } else {
                        format!("new on the shortlist at #{r}")
                    },
                }),
                (Some(r), None) => gone.push(Item {
                    handle: s.handle.clone(),
                    what: format!(
                        "was #{r}; {}",
                        s.not_shortlisted_because
                            .as_deref()
                            .unwrap_or("not on the shortlist")
                    ),
                }),
                _ => {}
            }
            // (Between "insufficient data" and "real engagement" nothing was judged bought
            // or clean: the comments crossed a count; not a change worth a line.)
            let unjudged = |v: &str| matches!(v, "insufficient data" | "real engagement");
            if let Some(p) = prev
                && !p.verdict.is_empty()
                && p.verdict != s.authenticity.verdict.as_str()
                && !(unjudged(&p.verdict) && unjudged(s.authenticity.verdict.as_str()))
            {
                let why = key_reason(s);
                verdicts.push(Item {
                    handle: s.handle.clone(),
                    what: format!(
                        "verdict {} → {}{}",
                        p.verdict,
                        s.authenticity.verdict.as_str(),
                        why.map(|w| format!(". {}", microscout_model::text::printable(&w, 400)))
                            .unwrap_or_default()
                    ),
                });
            }
            for g in s.growth.new_signals(tonight) {
                signals.push(Item {
                    handle: s.handle.clone(),
                    what: g.to_string(),
                });
            }
        }
        let mut missing: Vec<_> = history
            .previous
            .iter()
            .filter(|(k, p)| p.shortlist_rank.is_some() && !seen.contains(*k))
            .map(|(_, p)| (p.shortlist_rank, p.handle.clone()))
            .collect();
        missing.sort();
        for (r, handle) in missing {
            gone.push(Item {
                handle,
                what: format!("was #{}; not in tonight's drop", r.unwrap_or_default()),
            });
        }
        Overnight::Changes {
            since: date_of(prev_day),
            new_on_shortlist: new_on,
            gone_from_shortlist: gone,
            verdicts_changed: verdicts,
            new_signals: signals,
        }
    }

    /// Headline and the lists as (title, items), empty lists left out.
    pub fn sections(&self) -> (String, Vec<(&'static str, &[Item])>) {
        match self {
            Overnight::FirstNight => (
                "This is the first night in this output folder's history: changes and trends \
                 appear from the next night on."
                    .into(),
                Vec::new(),
            ),
            Overnight::Changes {
                since,
                new_on_shortlist,
                gone_from_shortlist,
                verdicts_changed,
                new_signals,
            } => {
                let lists: Vec<(&'static str, &[Item])> = vec![
                    ("New on the shortlist", new_on_shortlist.as_slice()),
                    ("Gone from the shortlist", gone_from_shortlist.as_slice()),
                    ("Verdicts that changed", verdicts_changed.as_slice()),
                    ("New growth signals", new_signals.as_slice()),
                ];
                let n: usize = lists.iter().map(|l| l.1.len()).sum();
                let head = if n == 0 {
                    format!(
                        "Since {since}: nothing changed on the shortlist, no verdict changed and no new growth signal."
                    )
                } else {
                    format!(
                        "Since {since}: {} new on the shortlist, {} gone, {} verdict{} changed, {} new growth signal{}.",
                        new_on_shortlist.len(),
                        gone_from_shortlist.len(),
                        verdicts_changed.len(),
                        if verdicts_changed.len() == 1 { "" } else { "s" },
                        new_signals.len(),
                        if new_signals.len() == 1 { "" } else { "s" },
                    )
                };
                (
                    head,
                    lists.into_iter().filter(|l| !l.1.is_empty()).collect(),
                )
            }
        }
    }
}

/// The evidence behind an account's verdict, in one sentence: what makes it bought
/// engagement or bought followers, else the first reason.
fn key_reason(s: &AccountScore) -> Option<String> {
    use microscout_model::Verdict;
    use microscout_model::evidence::{AuthenticityReason as R, ShareJudgement};
    let a = &s.authenticity;
    let engagement = |r: &&R| {
        matches!(
            r,
            R::FlatLikes { .. }
                | R::Chatless { .. }
                | R::HighWithFewComments { .. }
                | R::FarmComments { .. }
        )
    };
    let followers = |r: &&R| match r {
        R::Growth(g) => g.suggests_bought(),
        R::FakeShare { judgement, .. } => *judgement == ShareJudgement::Bought,
        R::FarmFollowers { .. } => true,
        _ => false,
    };
    let pick = match a.verdict {
        Verdict::BoughtEngagement => a.reasons.iter().find(engagement),
        Verdict::BoughtFollowers => a.reasons.iter().find(followers),
        Verdict::Both => a
            .reasons
            .iter()
            .find(followers)
            .or(a.reasons.iter().find(engagement)),
        Verdict::RealEngagement => a
            .reasons
            .iter()
            .find(|r| matches!(r, R::RealComments { .. })),
        _ => None,
    };
    pick.or(a.reasons.first()).map(|r| r.to_string())
}

/// An account's nights with tonight appended, for its trend.
pub fn trend(s: &AccountScore, history: &Histories, tonight: i32) -> Vec<TrendNight> {
    let counted = |n: &Night| {
        Some(TrendNight {
            day: n.day,
            followers: n.followers?,
            interactions: n.interactions,
        })
    };
    let mut v: Vec<TrendNight> = history
        .get(&s.platform, &s.account_id)
        .iter()
        .filter(|n| n.day < tonight)
        .filter_map(counted)
        .collect();
    v.extend(counted(&Night {
        day: tonight,
        followers: s.followers,
        interactions: microscout_model::history::interactions(s.avg_likes, s.avg_comments),
    }));
    v
}

/// A night of a follower trend: one with a follower count (a blog's nights have none and
/// make no trend).
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct TrendNight {
    pub day: i32,
    /// Unit: accounts.
    pub followers: u64,
    /// Interactions per window post. Unit: per post.
    pub interactions: Option<f64>,
}

/// "+4.1% over 12 nights": the followers' change over the trend (at most the last 30
/// nights); None before a second night.
pub fn trend_change(nights: &[TrendNight]) -> Option<String> {
    if nights.len() < 2 {
        return None;
    }
    let tail = &nights[nights.len().saturating_sub(30)..];
    let first = tail[0].followers.max(1) as f64;
    let last = tail[tail.len() - 1].followers as f64;
    let pct = (last / first - 1.0) * 100.0;
    // No "-0.0%": a change that rounds to nothing is shown as +0.0%.
    let pct = if pct.abs() < 0.05 { 0.0 } else { pct };
    Some(format!("{pct:+.1}% over {} nights", tail.len()))
}

/// A text sparkline of the followers (for Markdown): "▁▂▃▅▇ +4.1% over 12 nights".
pub fn sparkline(nights: &[TrendNight]) -> String {
    let Some(change) = trend_change(nights) else {
        return "first night".into();
    };
    const BARS: [char; 8] = ['▁', '▂', '▃', '▄', '▅', '▆', '▇', '█'];
    let tail = &nights[nights.len().saturating_sub(30)..];
    let lo = tail.iter().map(|n| n.followers).min().unwrap_or(0) as f64;
    let hi = tail.iter().map(|n| n.followers).max().unwrap_or(0) as f64;
    let bars: String = tail
        .iter()
        .map(|n| {
            let x = if hi > lo {
                (n.followers as f64 - lo) / (hi - lo)
            } else {
                0.5
            };
            BARS[((x * 7.0).round() as usize).min(7)]
        })
        .collect();
    format!("{bars} {change}")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sparkline_spans_the_range() {
        let n = |day, followers| TrendNight {
            day,
            followers,
            interactions: None,
        };
        assert_eq!(sparkline(&[n(1, 100)]), "first night");
        let s = sparkline(&[n(1, 100), n(2, 150), n(3, 200)]);
        assert!(s.starts_with("▁▅█") || s.starts_with("▁▄█"), "{s}");
        assert!(s.ends_with("+100.0% over 3 nights"), "{s}");
    }
}
