//! The follower sample as scoring reads it: each sampled follower labelled by the shipped
//! classifier and counted into its account's totals, chunk by chunk as ingestion hands the
//! rows on ([`FollowerSample`]), so the sample is never held whole.

use polars::prelude::*;

use crate::ScoreError;
use microscout_model::sample::{FollowerRow, FollowerRows};

/// The follower sample reduced to counts per account, one chunk (a part of the sample, as
/// ingestion hands it on) at a time, so the sample never has to be held whole. Each chunk's
/// rows are labelled by the classifier and counted into their account's totals.
///
/// Whether bios are known is a fact of a whole file, not of a chunk: a file none of whose
/// rows has a bio is an export without bios, which the classifier must see as unknown, not
/// as empty; in a file with bios an empty one is empty. Until a file shows its first bio,
/// its rows are labelled both ways and counted per hypothesis (`pending`); the first bio,
/// or the file's end ([`FollowerRows::ends_file`]), settles which counts are kept. The
/// labels therefore do not depend on where ingestion cuts a file into chunks. A classifier
/// that labels an unknown bio as an empty one (the shipped model does:
/// `FollowerModel::unknown_bio_is_empty`) needs no second labelling.
///
/// Columns of the result, per `(platform, account_id)`: `follower_sample_size`,
/// `sample_fake`, `sample_following_known`, `sample_mass` (following more than
/// `MASS_FOLLOWING`), `sample_real_following_known`, `sample_real_mass`. Unit: followers.
#[derive(Debug)]
pub struct FollowerSample {
    /// Account -> its entry in `accounts` and `counts` (first seen first).
    index: rustc_hash::FxHashMap<(String, String), usize>,
    accounts: Vec<(String, String)>,
    /// Per account, the six counts in the order of `SAMPLE_COUNTS`.
    counts: Vec<[u64; 6]>,
    rows: u64,
    /// The file being read has shown a bio.
    file_has_bios: bool,
    /// Counts of the file's rows so far while it has shown no bio: per account, as if the
    /// file has no bios (`[0]`) and as if its bios are empty (`[1]`).
    pending: rustc_hash::FxHashMap<usize, [[u64; 6]; 2]>,
    /// Labels rows (true: fake), told whether the file carries bios.
    labeller: Labeller,
    /// The labeller labels a row with an unknown bio as one with an empty bio: no row
    /// needs labelling both ways.
    unknown_bio_is_empty: bool,
    /// Each row's handle fingerprint, for the overlap across the drop.
    fingerprints: crate::overlap::Fingerprints,
}

/// A follower classifier's labels for rows (true: fake), told whether their file carries
/// bios: [`shipped_labels`] in a run.
type Labeller = fn(&FollowerRows, bool) -> Vec<bool>;

/// The shipped classifier's labels ([`probabilities`] at its threshold).
pub fn shipped_labels(rows: &FollowerRows, bio_known: bool) -> Vec<bool> {
    let model = microscout_authenticity::FollowerModel::shipped();
    probabilities(rows, bio_known)
        .into_iter()
        .map(|p| model.is_fake(p))
        .collect()
}

impl Default for FollowerSample {
    fn default() -> Self {
        let blind = microscout_authenticity::FollowerModel::shipped().unknown_bio_is_empty();
        Self::with_labeller(shipped_labels, blind)
    }
}

const SAMPLE_COUNTS: [&str; 6] = [
    "follower_sample_size",
    "sample_fake",
    "sample_following_known",
    "sample_mass",
    "sample_real_following_known",
    "sample_real_mass",
];

impl FollowerSample {
    pub fn new() -> Self {
        Self::default()
    }

    /// Counts labelled by `labeller`, which labels an unknown bio as an empty one when
    /// `unknown_bio_is_empty`.
    fn with_labeller(labeller: Labeller, unknown_bio_is_empty: bool) -> Self {
        Self {
            index: Default::default(),
            accounts: Vec::new(),
            counts: Vec::new(),
            rows: 0,
            file_has_bios: false,
            pending: Default::default(),
            labeller,
            unknown_bio_is_empty,
            fingerprints: Default::default(),
        }
    }

    /// Adds a chunk of a canonical followers table; `ends_file` when it is the last (or
    /// only) chunk of its file (a table of several files should be added file by file: the
    /// table has no file boundaries).
    pub fn add(&mut self, followers: &DataFrame, ends_file: bool) -> Result<(), ScoreError> {
        let mut rows = follower_rows(followers)?;
        rows.ends_file = ends_file;
        self.add_rows(&rows);
        Ok(())
    }

    /// Adds a chunk of the follower sample as ingestion hands it on (the chunks of a file
    /// in order, its last one marked [`FollowerRows::ends_file`]).
    pub fn add_rows(&mut self, rows: &FollowerRows) {
        if !rows.is_empty() {
            if !self.file_has_bios && rows.any_bio() {
                self.file_has_bios = true;
                self.settle(true);
            }
            let t = std::time::Instant::now();
            let accounts = self.account_indices(rows);
            // The fingerprints are taken while the classifier labels the rows.
            let labeller = self.labeller;
            let fingerprints = &mut self.fingerprints;
            let both = !(self.file_has_bios || self.unknown_bio_is_empty);
            let bio_known = self.file_has_bios;
            let (labels, ()) = rayon::join(
                || {
                    if both {
                        [labeller(rows, false), labeller(rows, true)]
                    } else {
                        [labeller(rows, bio_known), Vec::new()]
                    }
                },
                || Self::fingerprint(fingerprints, rows, &accounts),
            );
            if both {
                for (h, fake) in labels.iter().enumerate() {
                    self.count(rows, &accounts, fake, Some(h));
                }
            } else {
                self.count(rows, &accounts, &labels[0], None);
            }
            tracing::debug!(
                "labelled {} sampled followers in {:.1?}",
                rows.len(),
                t.elapsed()
            );
            self.rows += rows.len() as u64;
        }
        if rows.ends_file {
            self.settle(false);
            self.file_has_bios = false;
        }
    }

    /// Adds the pending counts of the file being read to the totals, as the hypothesis
    /// `bio_known` says.
    fn settle(&mut self, bio_known: bool) {
        for (i, both) in self.pending.drain() {
            for (total, add) in self.counts[i].iter_mut().zip(both[usize::from(bio_known)]) {
                *total += add;
            }
        }
    }

    /// The index of each run's account in `accounts` and `counts` (added when new).
    fn account_indices(&mut self, rows: &FollowerRows) -> Vec<usize> {
        rows.accounts
            .iter()
            .map(|run| {
                let key = (run.platform.clone(), run.account_id.clone());
                *self.index.entry(key).or_insert_with_key(|key| {
                    self.accounts.push(key.clone());
                    self.counts.push([0; 6]);
                    self.accounts.len() - 1
                })
            })
            .collect()
    }

    /// Adds each row's handle fingerprint (`accounts`: [`Self::account_indices`]).
    fn fingerprint(
        fingerprints: &mut crate::overlap::Fingerprints,
        rows: &FollowerRows,
        accounts: &[usize],
    ) {
        let mut start = 0;
        for (run, &i) in rows.accounts.iter().zip(accounts) {
            let salt = crate::overlap::salt(&run.platform);
            for fp in rows.handle_fp[start..start + run.rows].iter().flatten() {
                fingerprints.push(salt, *fp, i as u32);
            }
            start += run.rows;
        }
    }

    /// Counts the rows with their labels `fake` into the totals, or with `pending` into the
    /// file's pending counts of that hypothesis (`accounts`: [`Self::account_indices`]).
    fn count(
        &mut self,
        rows: &FollowerRows,
        accounts: &[usize],
        fake: &[bool],
        pending: Option<usize>,
    ) {
        let mut start = 0;
        for (run, &i) in rows.accounts.iter().zip(accounts) {
            let c = match pending {
                None => &mut self.counts[i],
                Some(h) => &mut self.pending.entry(i).or_default()[h],
            };
            let end = start + run.rows;
            for (fake, following) in fake[start..end].iter().zip(&rows.following[start..end]) {
                let known = following.is_some();
                let mass = following.is_some_and(|f| f > microscout_authenticity::MASS_FOLLOWING);
                c[0] += 1;
                c[1] += u64::from(*fake);
                c[2] += u64::from(known);
                c[3] += u64::from(mass);
                c[4] += u64::from(!fake && known);
                c[5] += u64::from(!fake && mass);
            }
            start = end;
        }
    }

    /// Follower rows added so far.
    pub fn rows(&self) -> u64 {
        self.rows
    }

    /// The summed counts per account, in the order the accounts were first seen (rows of a
    /// file whose end was never marked count as a file without bios when none had one), and
    /// the follower overlap across the drop ([`crate::overlap`]).
    pub fn finish(mut self) -> Result<(DataFrame, crate::overlap::Overlap), ScoreError> {
        self.settle(false);
        let t = std::time::Instant::now();
        let overlap = self.fingerprints.finish(self.accounts.clone());
        tracing::debug!("follower overlap reduced in {:.1?}", t.elapsed());
        let (platform, account_id): (Vec<String>, Vec<String>) = self.accounts.into_iter().unzip();
        let mut cols = vec![
            Column::new("platform".into(), platform),
            Column::new("account_id".into(), account_id),
        ];
        cols.extend(SAMPLE_COUNTS.iter().enumerate().map(|(k, n)| {
            let v: Vec<u64> = self.counts.iter().map(|c| c[k]).collect();
            Column::new((*n).into(), v)
        }));
        Ok((DataFrame::new_infer_height(cols)?, overlap))
    }
}

/// A canonical followers table as the rows that the classifier and the counts read
/// ([`FollowerRows`]). A negative count (not possible after ingestion) counts as 0.
pub fn follower_rows(followers: &DataFrame) -> Result<FollowerRows, ScoreError> {
    let int = |name: &str| -> Result<Vec<Option<u64>>, ScoreError> {
        Ok(followers
            .column(name)?
            .cast(&DataType::Int64)?
            .i64()?
            .downcast_iter()
            .flat_map(|a| a.iter())
            .map(|v| v.map(|x| (*x).max(0) as u64))
            .collect())
    };
    let boolean = |name: &str| -> Result<Vec<Option<bool>>, ScoreError> {
        Ok(followers
            .column(name)?
            .bool()?
            .downcast_iter()
            .flat_map(|a| a.iter())
            .collect())
    };
    let text = |name: &str| -> Result<Vec<Option<&str>>, ScoreError> {
        Ok(followers
            .column(name)?
            .str()?
            .downcast_iter()
            .flat_map(|a| a.iter())
            .collect())
    };
    let (posts, fol, fing) = (
        int("follower_posts")?,
        int("follower_followers")?,
        int("follower_following")?,
    );
    let (pic, private) = (
        boolean("follower_has_profile_pic")?,
        boolean("follower_is_private")?,
    );
    let (platform, account_id, handle, bio) = (
        text("platform")?,
        text("account_id")?,
        text("follower_handle")?,
        text("follower_bio")?,
    );
    let mut rows = FollowerRows::default();
    let columns = platform
        .into_iter()
        .zip(account_id)
        .zip(handle)
        .zip(bio)
        .enumerate();
    for (r, (((platform, account_id), handle), bio)) in columns {
        rows.push(FollowerRow {
            platform: platform.unwrap_or_default(),
            account_id: account_id.unwrap_or_default(),
            handle: handle.unwrap_or_default(),
            posts: posts[r],
            followers: fol[r],
            following: fing[r],
            has_profile_pic: pic[r],
            is_private: private[r],
            bio,
        });
    }
    Ok(rows)
}

/// The shipped classifier's fake probability for every row of a canonical followers table
/// (`microscout_authenticity`), in row order.
/// The table is one export: its bios are known when any row has one.
pub fn follower_probabilities(followers: &DataFrame) -> Result<Vec<f64>, ScoreError> {
    let rows = follower_rows(followers)?;
    Ok(probabilities(&rows, rows.any_bio()))
}

/// The shipped classifier's fake probability for every row. This is a per-row model, not
/// an aggregate: the rows are fanned out with rayon in blocks. `bio_known` false when the
/// export carries no bios (a row's missing bio is then unknown, not empty): a fact of the
/// whole file, which the caller settles ([`FollowerSample`]).
pub fn probabilities(rows: &FollowerRows, bio_known: bool) -> Vec<f64> {
    use microscout_authenticity::FollowerModel;
    use microscout_authenticity::features::FollowerCoder;
    use rayon::prelude::*;
    let n = rows.len();
    if n == 0 {
        return Vec::new();
    }
    let model = FollowerModel::shipped().compiled();
    let coder = FollowerCoder::new(&model);
    const BLOCK: usize = 4096;
    let blocks: Vec<Vec<f64>> = (0..n.div_ceil(BLOCK))
        .into_par_iter()
        .map(|b| coder.predict(rows, b * BLOCK..n.min((b + 1) * BLOCK), bio_known))
        .collect();
    blocks.concat()
}

#[cfg(test)]
mod tests {
    use super::*;
    use microscout_model::sample::FollowerRow;

    /// Rows in the test files.
    const N: usize = 600;

    /// `N` followers of three accounts, without bios.
    fn followers(seed: u64) -> FollowerRows {
        let mut rng = microscout_generate::rng::Rng::new(seed, 7, 0);
        let mut rows = FollowerRows::default();
        for i in 0..N {
            rows.push(FollowerRow {
                platform: "instagram",
                account_id: ["a", "b", "c"][i * 3 / N],
                handle: "someone",
                following: Some(rng.next_u64() % 3000),
                ..Default::default()
            });
        }
        rows
    }

    /// A classifier for which a missing bio is a sign of a fake when the export has no bios
    /// and of a real account when it does. (The shipped model sends a missing bio the same
    /// way as an empty one at every split, so its labels cannot show the rule.)
    fn labeller(rows: &FollowerRows, bio_known: bool) -> Vec<bool> {
        rows.bio_chars
            .iter()
            .map(|b| b.is_none() && !bio_known)
            .collect()
    }

    /// The rows `range` of `rows` (the accounts' runs cut to fit), not ending a file.
    fn part(rows: &FollowerRows, range: std::ops::Range<usize>) -> FollowerRows {
        let mut keep = vec![false; rows.len()];
        keep[range].iter_mut().for_each(|k| *k = true);
        let mut p = rows.clone();
        p.retain(&keep);
        p.ends_file = false;
        p
    }

    /// The counts of files given as their chunks, in order.
    fn counts(files: &[Vec<FollowerRows>]) -> DataFrame {
        let mut sample = FollowerSample::with_labeller(labeller, false);
        for chunks in files {
            for (k, chunk) in chunks.iter().enumerate() {
                let mut chunk = chunk.clone();
                chunk.ends_file = k + 1 == chunks.len();
                sample.add_rows(&chunk);
            }
        }
        sample.finish().unwrap().0
    }

    /// Counts of each file labelled whole, told whether it carries bios.
    fn labelled_whole(files: &[(&FollowerRows, bool)]) -> DataFrame {
        let mut sample = FollowerSample::with_labeller(labeller, false);
        for (rows, bio_known) in files {
            let fake = labeller(rows, *bio_known);
            let accounts = sample.account_indices(rows);
            sample.count(rows, &accounts, &fake, None);
        }
        sample.finish().unwrap().0
    }

    fn fakes(df: &DataFrame) -> u64 {
        df.column("sample_fake")
            .unwrap()
            .u64()
            .unwrap()
            .sum()
            .unwrap()
    }

    #[test]
    fn whether_bios_are_known_is_a_fact_of_the_file_not_of_a_chunk() {
        // Bios only from row 500 on: a chunk boundary at 400 leaves a first chunk without any.
        let mut late = followers(1);
        for b in &mut late.bio_chars[500..] {
            *b = Some(11);
        }
        let want = labelled_whole(&[(&late, true)]);
        assert_eq!(
            fakes(&want),
            0,
            "in a file with bios a missing one is empty"
        );
        assert_eq!(counts(&[vec![late.clone()]]), want, "one chunk");
        let cut = counts(&[vec![part(&late, 0..400), part(&late, 400..N)]]);
        assert_eq!(cut, want, "one file in two chunks");
        let many = counts(&[vec![
            part(&late, 0..150),
            part(&late, 150..300),
            part(&late, 300..520),
            part(&late, 520..N),
            FollowerRows::default(),
        ]]);
        assert_eq!(many, want, "one file in five chunks, the last empty");

        // A file without any bio is an export without bios, in any number of chunks.
        let none = followers(2);
        let want = labelled_whole(&[(&none, false)]);
        assert_eq!(fakes(&want), N as u64);
        assert_eq!(counts(&[vec![none.clone()]]), want);
        let split = counts(&[vec![part(&none, 0..250), part(&none, 250..N)]]);
        assert_eq!(split, want);

        // Each file is settled on its own, in either order.
        let want = labelled_whole(&[(&late, true), (&none, false)]);
        let two = counts(&[
            vec![part(&late, 0..400), part(&late, 400..N)],
            vec![part(&none, 0..100), part(&none, 100..N)],
        ]);
        assert_eq!(two, want);
        let want = labelled_whole(&[(&none, false), (&late, true)]);
        let two = counts(&[
            vec![none.clone()],
            vec![part(&late, 0..400), part(&late, 400..N)],
        ]);
        assert_eq!(two, want);

        // A stream whose last chunk was not marked settles at the end as no bios.
        let mut sample = FollowerSample::with_labeller(labeller, false);
        sample.add_rows(&part(&none, 0..N));
        assert_eq!(
            sample.finish().unwrap().0,
            labelled_whole(&[(&none, false)])
        );
    }

    /// The shortcut taken for the shipped model is exact: when it says an unknown bio is an
    /// empty one, its probabilities are equal bit for bit either way.
    #[test]
    fn the_shipped_models_unknown_bio_shortcut_is_exact() {
        let model = microscout_authenticity::FollowerModel::shipped();
        let mut rng = microscout_generate::rng::Rng::new(3, 7, 0);
        let mut rows = FollowerRows::default();
        for i in 0..20_000u64 {
            let mut n = |m: u64| (!rng.next_u64().is_multiple_of(3)).then(|| rng.next_u64() % m);
            rows.push(FollowerRow {
                platform: "instagram",
                account_id: "a",
                handle: if i % 2 == 0 { "anna_2024" } else { "x" },
                posts: n(400),
                followers: n(5_000),
                following: n(7_000),
                has_profile_pic: Some(i % 3 == 0),
                is_private: (i % 7 != 0).then_some(i % 2 == 0),
                bio: None,
            });
        }
        // (A retrained model may not take the shortcut; this checks the one shipped.)
        if model.unknown_bio_is_empty() {
            assert_eq!(probabilities(&rows, true), probabilities(&rows, false));
        }
    }
}
