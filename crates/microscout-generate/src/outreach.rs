//! With `--days`: an author's campaign over the generated nights, written as the author's
//! ledger (`ledger.csv`), the posts about the book that follow the gifts (in the drops), a
//! sales file by discount code (`sales.csv`), and the truth of every post that names the
//! book (`truth-deliveries.csv`).
//!
//! About 10% of on-niche accounts with 1,000 to 100,000 followers are contacted a quarter
//! of the way into the history; a quarter of them decline two nights later, the rest agree
//! and are sent a copy (9.50, a discount code each) on the fifth night after contact. Of
//! those sent a copy, 60% post about the book once, from two nights after the copy on: with
//! the title in the caption in several spellings (30%), the book's hashtag (20%), a tag of
//! the author (15%), the subtitle or ISBN (5%), and, as real posts do, a misspelt title
//! (10%), a paraphrase without the title (10%) or only the picture showing the book (10%):
//! those 30% are deliveries no caption rule can find. Hard cases are planted too: 30% of the gifted accounts
//! also post a near miss ("big feelings need little hearts"), 15% of the contacted accounts
//! mention the title *before* their copy was sent (not a delivery), and a few accounts that
//! were never contacted mention the title (not a delivery of this campaign).

use crate::rng::Rng;

/// The book, as the example campaign (`microscout init`) describes it.
pub const TITLE: &str = "Big Feelings, Little Hearts";
pub const HASHTAG: &str = "#bigfeelingslittlehearts";
pub const AUTHOR: &str = "@mira.hollis.books";
pub const SUBTITLE: &str = "A Picture Book About Naming Emotions";
pub const ISBN: &str = "978-1-7391234-5-6";
pub const COST: f64 = 9.5;

/// A post that names the book, and whether it is a delivery of this campaign.
#[derive(Debug, Clone, PartialEq)]
pub struct BookPost {
    /// Night (0-based) it is posted on (during the day before that night's drop).
    pub night: usize,
    /// `title`, `hashtag`, `author`, `subtitle`, `isbn`, `typo`, `paraphrase`,
    /// `picture_only` (deliveries); `near_miss`, `before_gift`, `not_contacted` (not).
    pub kind: &'static str,
    pub caption: String,
    /// Whether a run should count it as a post about the book after the copy.
    pub delivery: bool,
    /// How many times the account's typical likes it gets.
    pub lift: f64,
}

/// An account's part in the campaign.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Plan {
    pub contacted: Option<usize>,
    pub declined: Option<usize>,
    pub agreed: Option<usize>,
    pub copy_sent: Option<usize>,
    pub code: String,
    pub posts: Vec<BookPost>,
    /// Copies sold with the account's code (when it posted).
    pub units: u64,
}

/// The plan of account `i` (on the niche or not, with its followers), over `days` nights.
pub fn plan(seed: u64, i: usize, days: usize, on_niche: bool, followers: u64) -> Plan {
    // The account's index is scrambled first: the plain (seed, stream, index) streams of one
    // account were found to correlate with its niche draw (every declined plan fell on an
    // off-niche account).
    let mut scramble = Rng::new(seed, 90, i as u64);
    let mut r = Rng::new(seed, 9, scramble.next_u64());
    let mut p = Plan::default();
    let eligible = on_niche && (1_000..100_000).contains(&followers) && days >= 10;
    let contacted = r.chance(0.10);
    let night = |x: usize| x.min(days.saturating_sub(1));
    if !(eligible && contacted) {
        if days >= 6 && r.chance(0.005) {
            p.posts.push(BookPost {
                night: night(2 + r.below((days - 3) as u64) as usize),
                kind: "not_contacted",
                caption: format!("Has anyone read {TITLE}? It keeps popping up in my feed."),
                delivery: false,
                lift: r.lognormal(1.0, 0.3),
            });
        }
        return p;
    }
    let c = days / 4;
    p.contacted = Some(c);
    p.code = format!("LITTLE{i}");
    if r.chance(0.15) {
        p.posts.push(BookPost {
            night: night(c + 1),
            kind: "before_gift",
            caption: format!("Waiting for {TITLE} to arrive, heard great things!"),
            delivery: false,
            lift: r.lognormal(1.0, 0.3),
        });
    }
    if r.chance(0.25) {
        p.declined = Some(night(c + 2));
        return p;
    }
    p.agreed = Some(night(c + 2));
    let sent = night(c + 5);
    p.copy_sent = Some(sent);
    if r.chance(0.30) {
        p.posts.push(BookPost {
            night: night(sent + 1 + r.below(4) as usize),
            kind: "near_miss",
            caption: "Big feelings need little hearts to hold them. Long day, small wins."
                .to_string(),
            delivery: false,
            lift: r.lognormal(1.0, 0.3),
        });
    }
    if r.chance(0.60) {
        let when =
            night(sent + 2 + r.below((days.saturating_sub(sent + 3)).max(1) as u64) as usize);
        // How people actually post about a gifted book: the title in many spellings, the
        // hashtag, a tag of the author, and also misspellings, paraphrases and posts that
        // show the book only in the picture (which no caption rule can find).
        let pick = |r: &mut Rng, options: &[String]| {
            options[r.below(options.len() as u64) as usize].clone()
        };
        let (kind, caption) = match r.f64() {
            x if x < 0.30 => ("title", pick(&mut r, &[
                format!("Bedtime read tonight: {TITLE}. My son asked for it three times!"),
                "just finished big feelings, little hearts with the kids \u{1f49b}".to_string(),
                "BIG FEELINGS LITTLE HEARTS came in the mail!! \u{1f4da}".to_string(),
                "Our honest review of \u{201c}Big Feelings, Little Hearts\u{201d} is up.".to_string(),
            ])),
            x if x < 0.50 => ("hashtag", pick(&mut r, &[
                format!("Naming the feelings before bed, our new favourite. {HASHTAG} #kidsbooks"),
                "Calm corner upgrade \u{2728} #BigFeelingsLittleHearts #momlife".to_string(),
            ])),
            x if x < 0.65 => ("author", pick(&mut r, &[
                format!("Thank you {AUTHOR} for this gem, the calm-down page is genius."),
                "Thanks @Mira.Hollis.Books! The kids love the feelings wheel.".to_string(),
            ])),
            x if x < 0.68 => ("subtitle", format!("{SUBTITLE}: finally one that works.")),
            x if x < 0.70 => ("isbn", format!("Book of the week (ISBN {ISBN}), link in bio.")),
            x if x < 0.80 => ("typo", pick(&mut r, &[
                "Big Feelins, Little Hearts is our new bedtime fave".to_string(),
                "Loving Big Feeling Little Heart by Mira".to_string(),
            ])),
            x if x < 0.90 => (
                "paraphrase",
                "A huge thank you to Mira Hollis for the picture book about emotions that arrived this week"
                    .to_string(),
            ),
            _ => ("picture_only", "New reel! Swipe to see what we read tonight \u{1f440}".to_string()),
        };
        p.posts.push(BookPost {
            night: when,
            kind,
            caption,
            delivery: true,
            lift: r.lognormal(1.3, 0.4),
        });
        p.units = r.below(12);
    }
    p
}

/// The ledger rows (CSV, with `date` of each night) of a plan.
pub fn ledger_rows(p: &Plan, handle: &str, date: &dyn Fn(usize) -> String) -> Vec<[String; 10]> {
    let row = |night: usize, event: &str, cost: &str, code: &str, note: &str| {
        [
            date(night),
            TITLE.to_string(),
            String::new(),
            format!("@{handle}"),
            event.to_string(),
            "email".to_string(),
            cost.to_string(),
            String::new(),
            code.to_string(),
            note.to_string(),
        ]
    };
    let mut v = Vec::new();
    if let Some(n) = p.contacted {
        v.push(row(n, "contacted", "", "", "first message"));
    }
    if let Some(n) = p.declined {
        v.push(row(n, "declined", "", "", "no capacity this month"));
    }
    if let Some(n) = p.agreed {
        v.push(row(n, "agreed", "", "", ""));
    }
    if let Some(n) = p.copy_sent {
        v.push(row(
            n,
            "copy_sent",
            &format!("{COST:.2}"),
            &p.code,
            "with a thank-you card",
        ));
    }
    v
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn plans_have_every_outcome() {
        let mut declined = 0;
        let mut sent = 0;
        let mut posted = 0;
        for i in 0..5_000 {
            let p = plan(42, i, 20, true, 5_000);
            declined += usize::from(p.declined.is_some());
            sent += usize::from(p.copy_sent.is_some());
            posted += p.posts.iter().filter(|b| b.delivery).count();
        }
        assert!(
            declined > 60 && sent > 250 && posted > 150,
            "{declined} {sent} {posted}"
        );
    }
}
