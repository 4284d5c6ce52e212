//! **(microscout)** Languages: the 70 that microscout's detector tells apart (those of the
//! `whatlang` crate), by ISO 639-3 code, ISO 639-1 code where there is one, and English
//! name; and an account's detected caption language ([`Language`]).

use serde::{Deserialize, Serialize};

use crate::Provenance;

/// (ISO 639-3, ISO 639-1 or "", English name) of every language the detector knows.
pub const LANGUAGES: &[(&str, &str, &str)] = &[
    ("afr", "af", "Afrikaans"),
    ("aka", "ak", "Akan"),
    ("amh", "am", "Amharic"),
    ("ara", "ar", "Arabic"),
    ("aze", "az", "Azerbaijani"),
    ("bel", "be", "Belarusian"),
    ("ben", "bn", "Bengali"),
    ("bul", "bg", "Bulgarian"),
    ("cat", "ca", "Catalan"),
    ("ces", "cs", "Czech"),
    ("cmn", "zh", "Mandarin"),
    ("cym", "cy", "Welsh"),
    ("dan", "da", "Danish"),
    ("deu", "de", "German"),
    ("ell", "el", "Greek"),
    ("eng", "en", "English"),
    ("epo", "eo", "Esperanto"),
    ("est", "et", "Estonian"),
    ("fin", "fi", "Finnish"),
    ("fra", "fr", "French"),
    ("guj", "gu", "Gujarati"),
    ("heb", "he", "Hebrew"),
    ("hin", "hi", "Hindi"),
    ("hrv", "hr", "Croatian"),
    ("hun", "hu", "Hungarian"),
    ("hye", "hy", "Armenian"),
    ("ind", "id", "Indonesian"),
    ("ita", "it", "Italian"),
    ("jav", "jv", "Javanese"),
    ("jpn", "ja", "Japanese"),
    ("kan", "kn", "Kannada"),
    ("kat", "ka", "Georgian"),
    ("khm", "km", "Khmer"),
    ("kor", "ko", "Korean"),
    ("lat", "la", "Latin"),
    ("lav", "lv", "Latvian"),
    ("lit", "lt", "Lithuanian"),
    ("mal", "ml", "Malayalam"),
    ("mar", "mr", "Marathi"),
    ("mkd", "mk", "Macedonian"),
    ("mya", "my", "Burmese"),
    ("nep", "ne", "Nepali"),
    ("nld", "nl", "Dutch"),
    ("nob", "nb", "Bokmal"),
    ("ori", "or", "Oriya"),
    ("pan", "pa", "Punjabi"),
    ("pes", "fa", "Persian"),
    ("pol", "pl", "Polish"),
    ("por", "pt", "Portuguese"),
    ("ron", "ro", "Romanian"),
    ("rus", "ru", "Russian"),
    ("sin", "si", "Sinhalese"),
    ("slk", "sk", "Slovak"),
    ("slv", "sl", "Slovene"),
    ("sna", "sn", "Shona"),
    ("spa", "es", "Spanish"),
    ("srp", "sr", "Serbian"),
    ("swe", "sv", "Swedish"),
    ("tam", "ta", "Tamil"),
    ("tel", "te", "Telugu"),
    ("tgl", "tl", "Tagalog"),
    ("tha", "th", "Thai"),
    ("tuk", "tk", "Turkmen"),
    ("tur", "tr", "Turkish"),
    ("ukr", "uk", "Ukrainian"),
    ("urd", "ur", "Urdu"),
    ("uzb", "uz", "Uzbek"),
    ("vie", "vi", "Vietnamese"),
    ("yid", "yi", "Yiddish"),
    ("zul", "zu", "Zulu"),
];

/// The ISO 639-3 code of a language named by its 639-3 code, 639-1 code or English name
/// (any case); None when the detector does not know it. ("no" and "Norwegian" are Bokmal.)
pub fn code_of(name: &str) -> Option<&'static str> {
    let n = name.trim().to_lowercase();
    let n = match n.as_str() {
        "no" | "nor" | "norwegian" => "nob",
        "zh" | "zho" | "chinese" => "cmn",
        "fas" | "farsi" => "pes",
        other => other,
    };
    LANGUAGES
        .iter()
        .find(|(three, two, english)| *three == n || *two == n || english.to_lowercase() == n)
        .map(|(three, _, _)| *three)
}

/// The English name of a language by its ISO 639-3 code.
pub fn name_of(code: &str) -> Option<&'static str> {
    LANGUAGES
        .iter()
        .find(|(three, _, _)| *three == code)
        .map(|(_, _, english)| *english)
}

/// The dominant language of an account's recent captions, as detected.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Language {
    /// ISO 639-3 code; None when no language could be told (the provenance says why).
    pub code: Option<String>,
    /// The detector's confidence in it. Unit: 0 to 1.
    pub confidence: Option<f64>,
    /// Recent captions read. Unit: posts.
    pub captions: u32,
    pub provenance: Provenance,
}

impl Default for Language {
    fn default() -> Self {
        Self {
            code: None,
            confidence: None,
            captions: 0,
            provenance: Provenance::unavailable(crate::evidence::Unavailable::NoCaptions),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn languages_are_named_by_either_code_or_name() {
        assert_eq!(code_of("en"), Some("eng"));
        assert_eq!(code_of(" ENG "), Some("eng"));
        assert_eq!(code_of("French"), Some("fra"));
        assert_eq!(code_of("no"), Some("nob"));
        assert_eq!(code_of("klingon"), None);
        assert_eq!(name_of("deu"), Some("German"));
        let mut twos: Vec<&str> = LANGUAGES.iter().map(|l| l.1).collect();
        twos.sort_unstable();
        twos.dedup();
        assert_eq!(twos.len(), LANGUAGES.len(), "639-1 codes are unique");
    }
}
