//! How good a ranking is, against labels: the measures of the niche relevance evaluation
//! (`microscout eval-niche`, `docs/relevance-evaluation.md`).
//!
//! A ranking is a list of accounts, best first, each marked on-niche (relevant) or not.
//! - `precision@k` = on-niche accounts among the first `k` / `k` (the first `min(k, n)` when
//!   fewer than `k` are ranked). Unit: fraction.
//! - `nDCG@k` = `DCG@k / IDCG@k`, with `DCG@k = sum over the first k positions i (from 1) of
//!   rel_i / log2(i + 1)` (rel 1 on-niche, 0 not) and `IDCG@k` the same with every on-niche
//!   account first. 1 when the first `k` are as good as they can be; 0 when none is on-niche
//!   (and when there is no on-niche account at all). Unit: fraction.
//! - The base rate (on-niche accounts / all) is what a random order scores in expectation
//!   on precision@k, so each measure is read against it.

/// `precision@k`, see the module docs. `None` when nothing is ranked or `k` is 0.
pub fn precision_at(ranked: &[bool], k: usize) -> Option<f64> {
    let top = &ranked[..k.min(ranked.len())];
    if top.is_empty() {
        return None;
    }
    Some(top.iter().filter(|r| **r).count() as f64 / top.len() as f64)
}

/// `nDCG@k`, see the module docs (`k = ranked.len()` for the whole ranking).
pub fn ndcg_at(ranked: &[bool], k: usize) -> f64 {
    let gain = |i: usize| 1.0 / ((i + 2) as f64).log2();
    let k = k.min(ranked.len());
    // Folds from +0.0 (an empty f64 sum is -0.0, which prints as "-0.00").
    let dcg = (0..k)
        .filter(|&i| ranked[i])
        .map(gain)
        .fold(0.0, |a, g| a + g);
    let relevant = ranked.iter().filter(|r| **r).count();
    let ideal = (0..k.min(relevant)).map(gain).fold(0.0, |a, g| a + g);
    if ideal == 0.0 { 0.0 } else { dcg / ideal }
}

/// Orders scored items best first: by score (descending; `None`, no score, last), ties by
/// `tie` (ascending), a key that knows nothing of the labels, so that equal scores are not
/// ordered by what is being measured.
pub fn rank<T>(items: &mut [T], score: impl Fn(&T) -> Option<f64>, tie: impl Fn(&T) -> u64) {
    items.sort_by(|a, b| {
        let (sa, sb) = (score(a), score(b));
        // None below every score; total_cmp keeps the order total even for a NaN.
        let key = |s: Option<f64>| s.map_or(f64::NEG_INFINITY, |v| v);
        key(sb)
            .total_cmp(&key(sa))
            .then_with(|| sb.is_some().cmp(&sa.is_some()))
            .then_with(|| tie(a).cmp(&tie(b)))
    });
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    #[test]
    fn worked_examples() {
        let r = [true, false, true, false, false];
        assert_eq!(precision_at(&r, 2), Some(0.5));
        assert_eq!(precision_at(&r, 10), Some(0.4), "fewer than k ranked");
        assert_eq!(precision_at(&[], 10), None);
        // DCG@3 = 1 + 1/2; IDCG@3 = 1 + 1/log2(3).
        let want = 1.5 / (1.0 + 1.0 / 3f64.log2());
        assert!((ndcg_at(&r, 3) - want).abs() < 1e-12);
        assert_eq!(ndcg_at(&[true, true, false], 3), 1.0);
        assert_eq!(ndcg_at(&[false, false], 2), 0.0, "nothing relevant");
        assert!(ndcg_at(&[false, true], 1).is_sign_positive(), "+0, not -0");
        assert!(ndcg_at(&[false, true], 2) < ndcg_at(&[true, false], 2));
    }

    #[test]
    fn ties_are_broken_by_the_key_and_missing_scores_go_last() {
        let mut items = vec![(1u64, Some(0.5)), (0, None), (3, Some(0.9)), (2, Some(0.5))];
        rank(&mut items, |i| i.1, |i| i.0);
        let order: Vec<u64> = items.iter().map(|i| i.0).collect();
        assert_eq!(order, [3, 1, 2, 0]);
    }

    proptest! {
        /// Both measures lie in [0, 1]; nDCG is 1 for the ideal order of the same labels and
        /// moving an on-niche account up never lowers it.
        #[test]
        fn bounded_ideal_and_monotone(labels in proptest::collection::vec(any::<bool>(), 1..60), k in 1usize..80, swap in 0usize..60) {
            let p = precision_at(&labels, k).unwrap();
            prop_assert!((0.0..=1.0).contains(&p));
            let n = ndcg_at(&labels, k);
            prop_assert!((0.0..=1.0 + 1e-12).contains(&n));
            let mut ideal = labels.clone();
            ideal.sort_by(|a, b| b.cmp(a));
            if labels.iter().any(|l| *l) {
                prop_assert!((ndcg_at(&ideal, k) - 1.0).abs() < 1e-12);
            }
            let i = swap % labels.len();
            if i > 0 && labels[i] && !labels[i - 1] {
                let mut up = labels.clone();
                up.swap(i, i - 1);
                prop_assert!(ndcg_at(&up, k) >= n - 1e-12);
            }
        }
    }
}
