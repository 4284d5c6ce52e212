//! The checks of a campaign that serde cannot express: relations between settings, ranges,
//! limits. Each error names the section and the setting.

use super::{Campaign, MAX_FOLLOW_UP_DAYS, MAX_KEYWORD_CHARS, MAX_KEYWORDS, MAX_WEIGHT};

impl Campaign {
    /// Checks the relations between settings that serde cannot express.
    pub fn validate(&self) -> Result<(), String> {
        for (syn, target) in &self.book.synonyms {
            if !self
                .book
                .keywords
                .iter()
                .any(|k| k.trim().eq_ignore_ascii_case(target.trim()))
            {
                return Err(format!(
                    "[book] synonyms: \"{syn}\" points to \"{target}\", which is not one of the keywords"
                ));
            }
        }
        if self.book.keywords.len() > MAX_KEYWORDS
            || self.book.excluded_keywords.len() > MAX_KEYWORDS
        {
            return Err(format!(
                "[book] at most {MAX_KEYWORDS} keywords and {MAX_KEYWORDS} excluded keywords"
            ));
        }
        let texts = self
            .book
            .keywords
            .iter()
            .chain(&self.book.excluded_keywords)
            .chain(self.book.synonyms.keys());
        for k in texts {
            if k.chars().count() > MAX_KEYWORD_CHARS {
                let head: String = k.chars().take(40).collect();
                return Err(format!(
                    "[book] \"{head}...\" is {} characters long; keywords, excluded keywords and synonyms are at most {MAX_KEYWORD_CHARS}",
                    k.chars().count()
                ));
            }
        }
        for l in &self.audience.languages {
            if crate::language::code_of(l).is_none() {
                return Err(format!(
                    "[audience] languages: \"{l}\" is not a language microscout can detect; use ISO 639-1 or 639-3 codes or English names, e.g. \"en\", \"fra\", \"German\""
                ));
            }
        }
        for (file, spec) in &self.ingest.followers_exports {
            let ok = spec
                .split_once(':')
                .is_some_and(|(p, a)| crate::Platform::parse(p).is_some() && !a.trim().is_empty());
            if !ok {
                return Err(format!(
                    "[ingest] followers-exports: \"{file}\" = \"{spec}\" should be \"<platform>:<account_id>\", e.g. \"instagram:1780000000\""
                ));
            }
        }
        for (name, v) in [
            ("cost-per-copy", self.economics.cost_per_copy),
            ("fee", self.economics.fee),
        ] {
            if let Some(v) = v.filter(|v| !(v.is_finite() && *v >= 0.0)) {
                return Err(format!("[economics] {name} must be 0 or more, not {v}"));
            }
        }
        let a = &self.audience;
        if a.followers_min >= a.followers_max {
            return Err(format!(
                "[audience] followers-min ({}) must be below followers-max ({})",
                a.followers_min, a.followers_max
            ));
        }
        if a.platforms.is_empty() {
            return Err("[audience] platforms is empty: name at least one platform".into());
        }
        if !(0.0..=1.0).contains(&a.min_relevance) {
            return Err(format!(
                "[audience] min-relevance must be between 0 and 1, not {}",
                a.min_relevance
            ));
        }
        if self.outreach.follow_up_days > MAX_FOLLOW_UP_DAYS {
            return Err(format!(
                "[outreach] follow-up-days must be at most {MAX_FOLLOW_UP_DAYS} (ten years), not {}",
                self.outreach.follow_up_days
            ));
        }
        if self.relevance.posts == 0 {
            return Err("[relevance] posts must be at least 1".into());
        }
        if self.window.posts == 0 {
            return Err("[window] posts must be at least 1".into());
        }
        let e = &self.engagement;
        for (name, v) in [
            ("likes-per-post", e.likes_per_post),
            ("comments-per-post", e.comments_per_post),
            ("reference-followers", e.reference_followers),
        ] {
            if !(v.is_finite() && v > 0.0) {
                return Err(format!(
                    "[engagement] {name} must be a positive number, not {v}"
                ));
            }
        }
        for (platform, n) in &e.platforms {
            for (name, v) in [
                ("likes-factor", n.likes_factor),
                ("comments-factor", n.comments_factor),
            ] {
                if !(v.is_finite() && v > 0.0 && v <= 1000.0) {
                    return Err(format!(
                        "[engagement.platforms.{platform}] {name} must be a positive number up to 1000, not {v}"
                    ));
                }
            }
        }
        if !(0.0..=2.0).contains(&e.size_exponent) {
            return Err(format!(
                "[engagement] size-exponent must be between 0 and 2, not {}",
                e.size_exponent
            ));
        }
        for (name, v) in [
            ("min-share-at-floor", e.min_share_at_floor),
            ("far-below-fraction", e.far_below_fraction),
        ] {
            if !(0.0..=1.0).contains(&v) {
                return Err(format!(
                    "[engagement] {name} must be between 0 and 1, not {v}"
                ));
            }
        }
        let t = &self.tiers;
        if !(t.micro < t.mid && t.mid < t.r#macro && t.r#macro < t.mega) {
            return Err("[tiers] bounds must increase: micro < mid < macro < mega".into());
        }
        let w = &self.weights;
        let ws = [
            ("relevance", w.relevance),
            ("engagement", w.engagement),
            ("consistency", w.consistency),
            ("authenticity", w.authenticity),
            ("contactability", w.contactability),
        ];
        for (name, v) in ws {
            if !(0.0..=MAX_WEIGHT).contains(&v) {
                return Err(format!(
                    "[weights] {name} must be a number from 0 to {MAX_WEIGHT} (only the ratios matter), not {v}"
                ));
            }
        }
        if ws.iter().all(|(_, v)| *v == 0.0) {
            return Err("[weights] are all zero: give at least one a positive weight".into());
        }
        let i = &self.ingest;
        for (name, v, min) in [
            ("max-record-bytes", i.max_record_bytes, 1024),
            ("max-document-bytes", i.max_document_bytes, 1024),
            ("max-rejected-per-file", i.max_rejected_per_file, 1),
        ] {
            if v < min {
                return Err(format!("[ingest] {name} must be at least {min}, not {v}"));
            }
        }
        if !(i.max_compression_ratio.is_finite() && i.max_compression_ratio >= 2.0) {
            return Err(format!(
                "[ingest] max-compression-ratio must be a number of at least 2, not {}",
                i.max_compression_ratio
            ));
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::path::Path;

    /// The follow-up wait is checked where the campaign is read: a value past any date
    /// range is refused naming it (it once turned every follow-up due through `as i32`).
    #[test]
    fn follow_up_days_are_bounded_at_the_campaign() {
        for (days, ok) in [
            (0, true),
            (7, true),
            (3_650, true),
            (3_651, false),
            (u32::MAX, false),
        ] {
            let text = format!("[outreach]\nfollow-up-days = {days}\n");
            let r = Campaign::from_toml(&text, Path::new("c.toml"));
            assert_eq!(r.is_ok(), ok, "{days}: {r:?}");
            if let Err(e) = r {
                let e = e.to_string();
                assert!(
                    e.contains(&format!(
                        "follow-up-days must be at most 3650 (ten years), not {days}"
                    )),
                    "{e}"
                );
            }
        }
        let too_big = "[outreach]\nfollow-up-days = 4294967296\n";
        assert!(Campaign::from_toml(too_big, Path::new("c.toml")).is_err());
    }

    #[test]
    fn weights_must_be_finite_bounded_and_not_all_zero() {
        for (text, want) in [
            (
                "relevance = -0.3",
                "relevance must be a number from 0 to 1000",
            ),
            ("relevance = nan", "relevance must be"),
            ("engagement = 1e308", "engagement must be"),
            (
                "relevance = 0\nengagement = 0\nconsistency = 0\nauthenticity = 0\ncontactability = 0",
                "all zero",
            ),
        ] {
            let e = Campaign::from_toml(&format!("[weights]\n{text}\n"), Path::new("c.toml"))
                .unwrap_err()
                .to_string();
            assert!(e.contains(want), "{text}: {e}");
        }
    }

    #[test]
    fn platform_factors_must_be_positive_and_finite() {
        for v in ["0", "-1", "nan", "inf", "1e9"] {
            let text =
                format!("[engagement.platforms.tiktok]\nlikes-factor = {v}\ncomments-factor = 1\n");
            let e = Campaign::from_toml(&text, Path::new("c.toml"))
                .unwrap_err()
                .to_string();
            assert!(
                e.contains("[engagement.platforms.tiktok] likes-factor"),
                "{v}: {e}"
            );
        }
    }

    #[test]
    fn keywords_have_a_length_limit() {
        let long = "#".to_string() + &"a".repeat(1 << 20);
        let e = Campaign::from_toml(
            &format!("[book]\nkeywords = [\"{long}\"]\n"),
            Path::new("c.toml"),
        )
        .unwrap_err()
        .to_string();
        assert!(e.contains("at most 100"), "{}", &e[..200.min(e.len())]);
    }

    #[test]
    fn synonym_must_name_a_keyword() {
        let err = Campaign::from_toml(
            "[book]\nkeywords = [\"big emotions\"]\nsynonyms = { \"SEL\" = \"social emotional learning\" }\n",
            Path::new("c.toml"),
        )
        .unwrap_err()
        .to_string();
        assert!(err.contains("not one of the keywords"), "{err}");
    }

    #[test]
    fn inconsistent_band_is_rejected() {
        let err = Campaign::from_toml(
            "[audience]\nfollowers-min = 5000\nfollowers-max = 10\n",
            Path::new("c.toml"),
        )
        .unwrap_err()
        .to_string();
        assert!(err.contains("followers-min"), "{err}");
    }
}
