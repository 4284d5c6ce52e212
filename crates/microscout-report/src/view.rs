//! What both human-readable reports say, computed once: the summary numbers, the reading
//! guide and the definitions. Strings returned here hold no input text (only numbers and
//! fixed words), but the renderers escape them anyway.

use std::collections::BTreeMap;

use microscout_model::numfmt::{amount, count, percent};
use microscout_model::{AccountScore, Flag, FlagCode, Platform, Provenance, Verdict};

use crate::ReportInput;
use crate::table::rfc3339;

/// Rows shown in a report table before pointing at the CSV.
pub const MAX_ROWS: usize = 50;

/// Outreach briefs written into the reports (all are in shortlist.csv).
pub const BRIEFS: usize = 10;

/// The metrics table at the end of each report: (metric, formula, unit).
pub const DEFINITIONS: &[(&str, &str, &str)] = &[
    (
        "window",
        "the account's N most recent posts at or before the reference time (ties: post_id ascending)",
        "posts",
    ),
    (
        "median likes",
        "median like count over the window's posts whose likes are visible",
        "likes per post",
    ),
    (
        "median comments",
        "median comment count over the window",
        "comments per post",
    ),
    (
        "engagement rate",
        "(mean likes + mean comments) / followers; unavailable with 0 followers or none known (a blog), no posts, or all likes hidden",
        "percent of followers",
    ),
    (
        "comments rate",
        "mean comments / followers (the evidence when likes are hidden)",
        "percent of followers",
    ),
    (
        "floor",
        "likes-per-post x (followers / reference-followers) ^ size-exponent x the platform's factor, and the same for comments; unscaled without a follower count",
        "per post",
    ),
    (
        "posts at floor",
        "window posts with likes >= likes floor or comments >= comments floor",
        "posts",
    ),
    (
        "score",
        "100 x weighted geometric mean of relevance, engagement vs floor, consistency, authenticity and contactability (each 0-1)",
        "0-100",
    ),
];

pub struct Summary<'a> {
    pub accounts: usize,
    pub shortlisted: Vec<&'a AccountScore>,
    /// Every flag with its account, largest accounts first.
    pub flagged: Vec<(&'a AccountScore, &'a Flag)>,
    pub flagged_accounts: usize,
    pub flag_counts: BTreeMap<FlagCode, usize>,
    pub rejected: usize,
    pub posts: u64,
    pub follower_rows: u64,
    pub files: usize,
    pub verdicts: BTreeMap<Verdict, usize>,
}

impl<'a> Summary<'a> {
    pub fn of(input: &ReportInput<'a>) -> Self {
        let shortlisted: Vec<_> = input.scores.iter().filter(|s| s.shortlisted()).collect();
        let mut flagged: Vec<_> = input
            .scores
            .iter()
            .flat_map(|s| s.flags.iter().map(move |f| (s, f)))
            .collect();
        flagged.sort_by(|a, b| {
            b.0.followers
                .cmp(&a.0.followers)
                .then_with(|| a.0.handle.cmp(&b.0.handle))
        });
        let mut flag_counts = BTreeMap::new();
        for (_, f) in &flagged {
            *flag_counts.entry(f.code).or_insert(0) += 1;
        }
        let accepted = |t: &str| -> u64 {
            input
                .files
                .iter()
                .filter(|f| f.table == t)
                .map(|f| f.accepted)
                .sum()
        };
        let mut verdicts = BTreeMap::new();
        for s in input.scores {
            *verdicts.entry(s.authenticity.verdict).or_insert(0) += 1;
        }
        Summary {
            verdicts,
            accounts: input.scores.len(),
            flagged_accounts: input.scores.iter().filter(|s| !s.flags.is_empty()).count(),
            shortlisted,
            flagged,
            flag_counts,
            rejected: input.rejected.total as usize,
            posts: accepted("posts"),
            follower_rows: accepted("followers"),
            files: input.files.len(),
        }
    }

    /// The "at a glance" bullet points.
    pub fn glance_lines(&self) -> Vec<String> {
        let mut v = vec![format!(
            "{} accounts scored from {} files ({} posts, {} follower-sample rows).",
            count(self.accounts as u64),
            self.files,
            count(self.posts),
            count(self.follower_rows)
        )];
        v.push(format!(
            "{} on the shortlist.",
            count(self.shortlisted.len() as u64)
        ));
        if self.flag_counts.is_empty() {
            v.push("No account flagged.".into());
        } else {
            let parts: Vec<String> = self
                .flag_counts
                .iter()
                .map(|(c, n)| format!("{} {}", count(*n as u64), c.as_str().replace('_', " ")))
                .collect();
            v.push(format!(
                "{} accounts flagged: {}.",
                count(self.flagged_accounts as u64),
                parts.join(", ")
            ));
        }
        let parts: Vec<String> = self
            .verdicts
            .iter()
            .map(|(v, n)| format!("{} {}", count(*n as u64), v.as_str()))
            .collect();
        v.push(format!("Authenticity: {}.", parts.join(", ")));
        v.push(if self.rejected == 0 {
            "Every input row was accepted.".into()
        } else {
            format!(
                "{} input rows rejected; each is in rejected.csv with its reason.",
                count(self.rejected as u64)
            )
        });
        v
    }
}

/// Paragraphs that say what each engagement figure's window, aggregate and denominator is.
pub fn reading_guide(input: &ReportInput<'_>) -> Vec<String> {
    let c = input.campaign;
    let e = &c.engagement;
    let min_age = if c.window.min_post_age_hours > 0 {
        format!(
            " (posts younger than {} hours left out, their likes still growing)",
            c.window.min_post_age_hours
        )
    } else {
        String::new()
    };
    let mut v = vec![
        format!(
            "Every engagement figure is per post over the account's window: its {} most recent \
             posts published at or before {}{}. Likes and comments are medians, the typical \
             post, so one viral post does not lift an account. The engagement rate is (mean \
             likes + mean comments) / followers, with followers as exported. Hidden like \
             counts are left out and the figure says so; they are never counted as 0.",
            c.window.posts,
            date_time(input.run.as_of),
            min_age
        ),
        format!(
            "The floor is the rule of thumb scaled with size: {} likes or {} comments per post \
             at {} followers on Instagram, times (followers / {}) ^ {}. So about {} likes or {} comments at \
             1,000 followers and {} likes or {} comments at 100,000. An account passes when at \
             least {} of its window posts reach the floor.",
            amount(e.likes_per_post),
            amount(e.comments_per_post),
            count(e.reference_followers as u64),
            count(e.reference_followers as u64),
            e.size_exponent,
            amount(e.floors(Platform::Instagram, Some(1_000)).0),
            amount(e.floors(Platform::Instagram, Some(1_000)).1),
            amount(e.floors(Platform::Instagram, Some(100_000)).0),
            amount(e.floors(Platform::Instagram, Some(100_000)).1),
            percent(e.min_share_at_floor),
        ),
        {
            // The norms of the platforms in this drop.
            let mut platforms: Vec<Platform> = input.scores.iter().map(|s| s.platform).collect();
            platforms.sort();
            platforms.dedup();
            format!(
                "Each platform is held to its own norm, a multiple of the rule of thumb. {}.",
                platforms
                    .iter()
                    .map(|p| {
                        let d = e.describe_norm(*p);
                        let mut c = d.chars();
                        c.next()
                            .map_or(String::new(), |f| f.to_uppercase().chain(c).collect())
                    })
                    .collect::<Vec<_>>()
                    .join(". ")
            )
        },
        format!(
            "The shortlist holds accounts from {} to under {} followers on {} that pass the \
             floor, ranked by score.",
            count(c.audience.followers_min),
            count(c.audience.followers_max),
            c.audience
                .platforms
                .iter()
                .map(|p| p.as_str())
                .collect::<Vec<_>>()
                .join(", ")
        ),
    ];
    let sampled = input
        .scores
        .iter()
        .any(|s| s.authenticity.fake_share.is_some());
    if let (true, Some(k)) = (sampled, input.run.classifier) {
        v.push(format!(
            "Fake followers: each sampled follower is labelled by a classifier trained on \
             real labelled accounts, and the share labelled fake comes with a 95% range. The \
             range is wide on purpose: over real datasets, most of them left out of its \
             training, the classifier found between {} and {} of the fake accounts and took {} \
             to {} of the real ones for fakes, so a sample rarely proves an audience clean. \
             \"Uncertain\" means the range reaches both below and above {}, the line for \
             bought followers; \"bought followers\" means all of it lies above.",
            percent(k.sensitivity_low),
            percent(k.sensitivity_high),
            percent(1.0 - k.specificity_high),
            percent(1.0 - k.specificity_low),
            percent(k.bought_threshold),
        ));
    }
    v
}

/// Median likes for a table cell, saying why when unavailable.
pub fn likes_cell(s: &AccountScore) -> String {
    match (s.median_likes, &s.likes_provenance) {
        (Some(m), _) if s.likes_visible_posts < s.posts_in_window => {
            format!(
                "{} ({} hidden)",
                amount(m),
                s.posts_in_window - s.likes_visible_posts
            )
        }
        (Some(m), _) => amount(m),
        (None, Provenance::Unavailable { reason }) if reason.likes_hidden() => "hidden".into(),
        (None, _) => "n/a".into(),
    }
}

/// The engagement pods of the drop, from each member's partners: per pod its platform and
/// members (by handle), the pods in order of platform and first handle.
pub fn pods(scores: &[AccountScore]) -> Vec<(String, Vec<&AccountScore>)> {
    let mut pods: std::collections::BTreeMap<(String, Vec<String>), Vec<&AccountScore>> =
        Default::default();
    for s in scores
        .iter()
        .filter(|s| !s.comments.pod_partners.is_empty())
    {
        let mut handles = s.comments.pod_partners.clone();
        handles.push(s.handle.clone());
        handles.sort();
        pods.entry((s.platform.to_string(), handles))
            .or_default()
            .push(s);
    }
    pods.into_iter()
        .map(|((platform, _), mut members)| {
            members.sort_by(|a, b| a.handle.cmp(&b.handle));
            (platform, members)
        })
        .collect()
}

/// What the follower overlap found in the drop: a sentence about the drop's samples and one
/// line per suspected farm; None when no two samples could be compared.
pub fn farms(overlap: &microscout_model::overlap::DropOverlap) -> Option<(String, Vec<String>)> {
    use microscout_model::numfmt::{count, percent};
    if overlap.shared == 0 && overlap.farms.is_empty() {
        return None;
    }
    let kept = if overlap.kept_fraction < 1.0 {
        format!(
            " (measured on the same {} of every sample: the samples are too large to hold whole)",
            percent(overlap.kept_fraction)
        )
    } else {
        String::new()
    };
    use microscout_model::overlap::{FARM_MIN_ACCOUNTS, FARM_SAMPLES};
    let mut intro = format!(
        "The follower samples hold {} rows: {} different people or bots, of whom {} are in the samples of two or more accounts of this drop and {} in {FARM_SAMPLES} or more{kept}. A real reader is rarely sampled twice; a farm's bots follow all its customers. Farms are numbered afresh each night.",
        count(overlap.measured),
        count(overlap.distinct),
        count(overlap.shared),
        count(overlap.farm),
    );
    if overlap.farms.is_empty() {
        intro.push_str(&format!(" No farm network found: no {FARM_MIN_ACCOUNTS} accounts judged to have bought from a farm share its bots."));
    }
    let lines = overlap
        .farms
        .iter()
        .map(|f| {
            let names: Vec<String> = f.accounts.iter().map(|h| format!("@{h}")).collect();
            format!(
                "Farm {} ({}): {} accounts share {} of its followers: {}; its followers are also in the samples of {} other accounts.",
                f.number,
                f.platform,
                f.accounts.len(),
                count(f.followers),
                names.join(", "),
                count(f.also_followed)
            )
        })
        .collect();
    Some((intro, lines))
}

/// One line about a pod: its members, each with the share of its recent comments the pod
/// wrote.
pub fn pod_line(platform: &str, members: &[&AccountScore]) -> String {
    let names: Vec<String> = members
        .iter()
        .map(|m| {
            format!(
                "@{} ({} of its comments)",
                m.handle,
                m.comments
                    .pod_share
                    .map_or("n/a".into(), microscout_model::numfmt::percent)
            )
        })
        .collect();
    format!(
        "{platform}, {} accounts: {}",
        members.len(),
        names.join(", ")
    )
}

/// Whether any flagged account has comment evidence to show (else the flagged tables leave
/// the comments column out).
pub fn flagged_have_comments(flagged: &[(&AccountScore, &microscout_model::Flag)]) -> bool {
    flagged
        .iter()
        .any(|(s, _)| s.comments.provenance.is_available())
}

/// The fake-follower share for a table cell: "6% (2-14%)", or why there is none.
pub fn fake_cell(s: &AccountScore) -> String {
    match s.authenticity.fake_share {
        Some(f) => microscout_model::numfmt::percent_range(f.value, f.low, f.high),
        None => "no sample".into(),
    }
}

/// Niche fit for a table cell: "0.82 · big emotions (7)", the top keyword with its posts.
pub fn niche_cell(s: &AccountScore) -> String {
    let Some(r) = s.relevance.score else {
        return "n/a".into();
    };
    match s.relevance.matched_keywords.first() {
        Some((k, n)) => format!("{r:.2} · {k} ({n})"),
        None => format!("{r:.2}"),
    }
}

/// The contact route for a table cell, as text: the address, "link: <url>" or
/// "DM @handle".
pub fn contact_cell(s: &AccountScore) -> String {
    use microscout_model::ContactRoute;
    match s.contact.route {
        ContactRoute::Email => s.contact.value.clone(),
        ContactRoute::Link => format!(
            "link: {}",
            s.contact
                .value
                .trim_start_matches("https://")
                .trim_start_matches("http://")
        ),
        ContactRoute::DirectMessage => format!("DM @{}", s.handle),
    }
}

/// Engagement rate for a table cell; with hidden likes, the comments rate, labelled.
pub fn rate_cell(s: &AccountScore) -> String {
    match (s.engagement_rate, s.comments_rate) {
        (Some(r), _) => percent(r),
        (None, Some(c)) => format!("{} (comments only)", percent(c)),
        _ => "n/a".into(),
    }
}

/// Unix seconds as `2026-11-25 02:00 UTC`.
pub fn date_time(secs: i64) -> String {
    let s = rfc3339(secs);
    format!(
        "{} {} UTC",
        &s[..10.min(s.len())],
        s.get(11..16).unwrap_or("")
    )
}

/// Files not read to their end, with why: `(file, reason)`.
pub fn stopped_files(files: &[microscout_model::intake::FileReport]) -> Vec<(&str, &str)> {
    files
        .iter()
        .filter_map(|f| Some((f.file.as_str(), f.stopped.as_deref()?)))
        .collect()
}

/// The keyword suggestions in words: an introduction, then one line per term to add and
/// one per term to exclude; None when the campaign lists no keywords.
pub fn suggestions(
    s: &microscout_model::suggest::Suggestions,
) -> Option<(String, Vec<String>, Vec<String>)> {
    use microscout_model::numfmt::{count, percent};
    use microscout_model::suggest::SuggestionKind;
    let accounts = |n: u64| format!("{} account{}", count(n), if n == 1 { "" } else { "s" });
    if s.no_keywords {
        return None;
    }
    let others = s.off_total + s.rest_total;
    let mut intro = format!(
        "From the hashtags and two-word phrases in recent captions and bios: {} {} this campaign (a keyword matched, relevance at or above the minimum), {} more {} found by a keyword but do not fit, {} {} not found by any (or an excluded keyword found them). A term the fitting accounts use is a keyword to try when at least {} of them and {} use it, {} times as often as the others or more; a term that marks the accounts a keyword finds but that do not fit, by the same rule against the fitting ones, is a candidate for excluded-keywords. A term to add marked strong is used {} times as often or more: on real accounts, adding the strong ones to a campaign kept the top of its list as good on average (single campaigns moved by -0.05 to +0.08 in nDCG@50), while adding all of them lowered it on accounts with several posts, so look at the others before adding them (docs/relevance-evaluation.md). Counts are of accounts; suggestions.csv has them all.",
        accounts(s.fit_total),
        if s.fit_total == 1 { "fits" } else { "fit" },
        count(s.off_total),
        if s.off_total == 1 { "was" } else { "were" },
        count(s.rest_total),
        if s.rest_total == 1 { "was" } else { "were" },
        count(s.min_accounts),
        percent(s.min_share),
        s.min_lift,
        s.strong_lift,
    );
    if let Some(why) = &s.none_because {
        intro.push_str(&format!(" No suggestion tonight: {why}."));
    }
    let strong =
        |t: &microscout_model::suggest::Suggestion| if t.strong { " (strong)" } else { "" };
    let mut add = Vec::new();
    let mut exclude = Vec::new();
    for t in &s.terms {
        match t.kind {
            SuggestionKind::Add => add.push(format!(
                "{}{}: used by {} of the {} fitting accounts ({}), {} of the {} others ({}): consider adding it to keywords.",
                t.term,
                strong(t),
                count(t.fit),
                count(s.fit_total),
                percent(t.fit as f64 / s.fit_total.max(1) as f64),
                count(t.off + t.rest),
                count(others),
                percent((t.off + t.rest) as f64 / others.max(1) as f64),
            )),
            SuggestionKind::Exclude => exclude.push(format!(
                "{}{}: used by {} of the {} accounts a keyword found that do not fit ({}), {} of the {} fitting ones: consider adding it to excluded-keywords.",
                t.term,
                strong(t),
                count(t.off),
                count(s.off_total),
                percent(t.off as f64 / s.off_total.max(1) as f64),
                count(t.fit),
                count(s.fit_total),
            )),
        }
    }
    Some((intro, add, exclude))
}
