//! The words an author acts on: a one-paragraph "why" per shortlisted account and an
//! outreach brief for writing a personal message. Built only from the account's own
//! evidence (its matched keywords, best-matching posts, numbers and contact route), so no
//! two read alike.

use microscout_model::numfmt::{amount, count, percent, percent_range};
use microscout_model::{AccountScore, Campaign, ContactRoute};

use crate::table::rfc3339;

fn book(c: &Campaign) -> String {
    if c.book.title.trim().is_empty() {
        "the book".into()
    } else {
        format!("\"{}\"", c.book.title.trim())
    }
}

fn keyword_list(s: &AccountScore, n: usize) -> String {
    let parts: Vec<String> = s
        .relevance
        .matched_keywords
        .iter()
        .filter(|(_, posts)| *posts > 0)
        .take(n)
        .map(|(k, posts)| format!("{k} ({posts} post{})", if *posts == 1 { "" } else { "s" }))
        .collect();
    match parts.len() {
        0 => String::new(),
        1 => parts[0].clone(),
        _ => format!(
            "{} and {}",
            parts[..parts.len() - 1].join(", "),
            parts[parts.len() - 1]
        ),
    }
}

fn date(secs: i64) -> String {
    rfc3339(secs).get(..10).unwrap_or_default().to_string()
}

fn contact_sentence(s: &AccountScore) -> String {
    let c = &s.contact;
    match c.route {
        ContactRoute::Email => format!("Reach them by email at {} (from {}).", c.value, c.source),
        ContactRoute::Link => format!(
            "No email address found; their link is {} (from {}).",
            c.value, c.source
        ),
        ContactRoute::DirectMessage => {
            format!(
                "No email or link found: send a direct message to {}.",
                c.value
            )
        }
    }
}

/// "10,400 followers", or "no follower count" (a blog).
fn followers(n: Option<u64>) -> String {
    match n {
        Some(n) => format!("{} followers", count(n)),
        None => "no follower count".into(),
    }
}

/// One paragraph in plain language: why this account is on the shortlist.
pub fn why(s: &AccountScore, c: &Campaign) -> String {
    let mut out = format!("@{} ({}, {})", s.handle, s.platform, followers(s.followers));
    let r = &s.relevance;
    let kws = keyword_list(s, 3);
    if r.posts_considered > 0 && !kws.is_empty() {
        out.push_str(&format!(
            " posts about {}: {} of {} recent posts are on the niche, mostly {kws}.",
            book_topic(s),
            r.on_niche_posts,
            r.posts_considered
        ));
    } else if !r.bio_keywords.is_empty() {
        out.push_str(&format!(
            " describes themselves with {} in the bio.",
            r.bio_keywords.join(", ")
        ));
    } else {
        out.push('.');
    }
    if !r.bio_keywords.is_empty() && r.posts_considered > 0 {
        out.push_str(&format!(" The bio mentions {}.", r.bio_keywords.join(", ")));
    }
    out.push_str(" A typical recent post ");
    out.push_str(&match (s.median_likes, s.median_comments) {
        (Some(l), Some(c)) => format!("gets {} likes and {} comments", amount(l), amount(c)),
        (None, Some(c)) if s.platform == microscout_model::Platform::Blog => {
            format!("gets {} comments", amount(c))
        }
        (None, Some(c)) => format!("hides its likes and gets {} comments", amount(c)),
        (Some(l), None) => format!("gets {} likes (comments unknown)", amount(l)),
        (None, None) => "shows neither likes nor comments".to_string(),
    });
    match (s.engagement_rate, s.authenticity.engagement_vs_drop) {
        (Some(er), Some(v)) => out.push_str(&format!(
            " ({} of followers, {}x what accounts of this size get in this drop)",
            percent(er),
            ratio(v)
        )),
        (Some(er), None) => out.push_str(&format!(" ({} of followers)", percent(er))),
        _ => {}
    }
    // Instagram's norm is the rule of thumb itself; any other platform's is named.
    let norm = match s.platform {
        microscout_model::Platform::Instagram => String::new(),
        p if s.followers.is_none() => format!(
            " (a {p}'s norm of {} comments per post, not scaled: no follower count)",
            amount(s.comments_floor)
        ),
        p => format!(" on {p} ({})", c.engagement.norm(p).source),
    };
    let size = if s.followers.is_some() {
        " for its size"
    } else {
        ""
    };
    out.push_str(&format!(
        ", and {} of {} reached the engagement floor{size}{norm}.",
        s.posts_at_floor, s.posts_in_window
    ));
    match (
        s.authenticity.fake_share,
        s.authenticity.sample_labelled_fake,
    ) {
        (Some(f), _) => out.push_str(&format!(
            " {} of {} sampled followers look fake.",
            percent_range(f.value, f.low, f.high),
            count(s.follower_sample_size)
        )),
        _ => {
            out.push_str(" There is no follower sample, so the share of fake followers is unknown.")
        }
    }
    if let Some(e) = s.economics.engaged_readers {
        if s.authenticity.fake_share.is_some() {
            out.push_str(&format!(
                " A post about {} would reach roughly {} engaged real readers (estimate).",
                book(c),
                count(e.value.round() as u64)
            ));
        } else {
            out.push_str(&format!(
                " A post about {} would reach at most about {} engaged readers (an upper bound: with no follower sample, none can be discounted as fake).",
                book(c),
                count(e.value.round() as u64)
            ));
        }
    }
    out.push(' ');
    out.push_str(&contact_sentence(s));
    out
}

/// What the account's niche posts are about, for "posts about ...".
fn book_topic(s: &AccountScore) -> String {
    s.relevance
        .matched_keywords
        .first()
        .map_or("the niche".into(), |(k, _)| k.clone())
}

fn ratio(r: f64) -> String {
    if r >= 10.0 {
        format!("{r:.0}")
    } else {
        format!("{r:.1}")
    }
}

/// The outreach brief as labelled parts (what they post about, related posts, an angle, the
/// contact route). Joined with newlines in reports and " | " in CSV.
pub fn outreach_brief(s: &AccountScore, c: &Campaign) -> Vec<String> {
    let r = &s.relevance;
    let mut parts = Vec::new();
    let kws = keyword_list(s, 5);
    let mut about = if kws.is_empty() {
        "Posts about: nothing from the campaign's keywords in recent posts".to_string()
    } else {
        format!(
            "Posts about: {kws}; {} of {} recent posts on the niche",
            r.on_niche_posts, r.posts_considered
        )
    };
    if !r.excluded_matched.is_empty() {
        about.push_str(&format!(
            "; also mentions {} ({} post{}), check before writing",
            r.excluded_matched.join(", "),
            r.excluded_posts,
            if r.excluded_posts == 1 { "" } else { "s" }
        ));
    }
    parts.push(about + ".");
    if !r.best_posts.is_empty() {
        let posts: Vec<String> = r
            .best_posts
            .iter()
            .map(|p| {
                format!(
                    "{} (post {}, on {}): \"{}\"",
                    date(p.posted_at),
                    p.post_id,
                    p.keywords.join(", "),
                    p.snippet
                )
            })
            .collect();
        parts.push(format!(
            "Recent posts that relate to the book: {}.",
            posts.join("; ")
        ));
        let best = &r.best_posts[0];
        parts.push(format!(
            "Angle: open with their {} post on {}, which is what {} is about, and offer a copy for their readers.",
            date(best.posted_at),
            best.keywords.iter().take(2).cloned().collect::<Vec<_>>().join(" and "),
            book(c)
        ));
    }
    let audience = match s.economics.engaged_readers {
        Some(e) if s.authenticity.fake_share.is_none() => format!(
            "Audience: {}; at most about {} engaged readers per post (upper bound, no follower sample).",
            followers(s.followers),
            count(e.value.round() as u64)
        ),
        Some(e) => format!(
            "Audience: {}; about {} engaged real readers per post (estimate, {}-{}).",
            followers(s.followers),
            count(e.value.round() as u64),
            count(e.low.round() as u64),
            count(e.high.round() as u64)
        ),
        None => format!("Audience: {}.", followers(s.followers)),
    };
    parts.push(audience);
    if let Some(line) = comments_line(s) {
        parts.push(line);
    }
    parts.push(format!(
        "Contact: {} {} (from {}).",
        s.contact.route.as_str(),
        s.contact.value,
        s.contact.source
    ));
    parts
}

/// What the comments on an account's recent posts show, in one sentence with a few of them
/// quoted (as written; callers escape for their format). None when the drop has no
/// comments table.
pub fn comments_line(s: &AccountScore) -> Option<String> {
    use microscout_model::evidence::Unavailable;
    use microscout_model::numfmt::percent;
    let e = &s.comments;
    if let microscout_model::Provenance::Unavailable { reason } = &e.provenance {
        return match reason {
            Unavailable::NoCommentsTable => None,
            other => Some(format!("Comments: {other}.")),
        };
    }
    let mut shares = Vec::new();
    let mut push = |v: Option<f64>, what: &str| {
        if let Some(v) = v {
            shares.push(format!("{} {what}", percent(v)));
        }
    };
    push(e.generic_share, "generic");
    push(e.spam_share, "spam");
    push(
        e.top_commenters_share,
        "from the 3 most frequent commenters",
    );
    push(e.repeated_share, "repeated");
    push(e.shared_share, "copied on other accounts");
    let mut line = format!(
        "Comments: {} on recent posts from {} {}",
        count(e.recent),
        count(e.commenters),
        if e.commenters == 1 {
            "person"
        } else {
            "people"
        }
    );
    if !shares.is_empty() {
        line.push_str(&format!("; {}", shares.join(", ")));
    }
    if !e.quotes.is_empty() {
        let quotes: Vec<String> = e.quotes.iter().map(|q| format!("\"{q}\"")).collect();
        line.push_str(&format!("; for example {}", quotes.join(", ")));
    }
    line.push('.');
    Some(line)
}

/// The comment evidence for a table cell: "42 comments, 12% generic, 5% spam; e.g. "...""
/// (the first quote, cut to 80 characters), or "n/a".
pub fn comments_cell(s: &AccountScore) -> String {
    use microscout_model::numfmt::percent;
    let e = &s.comments;
    if !e.provenance.is_available() {
        return "n/a".into();
    }
    let mut cell = format!("{} comments", count(e.recent));
    for (v, what) in [(e.generic_share, "generic"), (e.spam_share, "spam")] {
        if let Some(v) = v {
            cell.push_str(&format!(", {} {what}", percent(v)));
        }
    }
    if let Some(q) = e.quotes.first() {
        let short: String = q.chars().take(80).collect();
        let cut = if short.len() < q.len() { "..." } else { "" };
        cell.push_str(&format!("; e.g. \"{short}{cut}\""));
    }
    cell
}
