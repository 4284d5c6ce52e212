//! Evaluation helpers: stratified k-fold splits and binary classification metrics.

use serde::Serialize;

/// Metrics for the positive class ("fake") unless named macro.
#[derive(Debug, Clone, Copy, Serialize, PartialEq)]
pub struct Metrics {
    pub n: usize,
    pub accuracy: f64,
    pub precision: f64,
    pub recall: f64,
    pub f1: f64,
    /// Mean of the F1 of both classes.
    pub macro_f1: f64,
    pub auc: f64,
    /// Recall of the real class (true negative rate).
    pub specificity: f64,
}

/// Metrics of probabilities `p` against labels `y` (1 = fake) at `threshold`.
pub fn metrics(p: &[f64], y: &[f64], threshold: f64) -> Metrics {
    let (mut tp, mut fp, mut tn, mut fneg) = (0.0, 0.0, 0.0, 0.0);
    for (pi, yi) in p.iter().zip(y) {
        match (*pi >= threshold, *yi > 0.5) {
            (true, true) => tp += 1.0,
            (true, false) => fp += 1.0,
            (false, false) => tn += 1.0,
            (false, true) => fneg += 1.0,
        }
    }
    let div = |a: f64, b: f64| if b > 0.0 { a / b } else { 0.0 };
    let precision = div(tp, tp + fp);
    let recall = div(tp, tp + fneg);
    let f1 = div(2.0 * precision * recall, precision + recall);
    let npv = div(tn, tn + fneg);
    let specificity = div(tn, tn + fp);
    let f1_neg = div(2.0 * npv * specificity, npv + specificity);
    Metrics {
        n: p.len(),
        accuracy: div(tp + tn, tp + tn + fp + fneg),
        precision,
        recall,
        f1,
        macro_f1: (f1 + f1_neg) / 2.0,
        auc: auc(p, y),
        specificity,
    }
}

/// Area under the ROC curve (Mann-Whitney U, ties counted half).
pub fn auc(p: &[f64], y: &[f64]) -> f64 {
    let mut v: Vec<(f64, bool)> = p.iter().zip(y).map(|(p, y)| (*p, *y > 0.5)).collect();
    v.sort_by(|a, b| a.0.total_cmp(&b.0));
    let (mut rank_sum, mut pos, mut i) = (0.0, 0.0, 0);
    while i < v.len() {
        let mut j = i;
        while j < v.len() && v[j].0 == v[i].0 {
            j += 1;
        }
        let avg_rank = (i + j + 1) as f64 / 2.0; // ranks are 1-based
        for item in &v[i..j] {
            if item.1 {
                rank_sum += avg_rank;
                pos += 1.0;
            }
        }
        i = j;
    }
    let neg = v.len() as f64 - pos;
    if pos == 0.0 || neg == 0.0 {
        return f64::NAN;
    }
    (rank_sum - pos * (pos + 1.0) / 2.0) / (pos * neg)
}

/// Deterministic stratified k-fold: returns the fold (0..k) of each row. `strata` groups
/// rows (e.g. label, or dataset x label); each stratum is shuffled with `seed` and dealt
/// round-robin.
pub fn stratified_folds(strata: &[u32], k: usize, seed: u64) -> Vec<usize> {
    let mut fold = vec![0; strata.len()];
    let mut keys: Vec<u32> = strata.to_vec();
    keys.sort_unstable();
    keys.dedup();
    let mut rng = microscout_model::rng::SplitMix64(seed);
    for key in keys {
        let mut rows: Vec<usize> = (0..strata.len()).filter(|&i| strata[i] == key).collect();
        // Fisher-Yates.
        for i in (1..rows.len()).rev() {
            let j = rng.below(i as u64 + 1) as usize;
            rows.swap(i, j);
        }
        for (n, r) in rows.into_iter().enumerate() {
            fold[r] = n % k;
        }
    }
    fold
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn perfect_and_random_auc() {
        assert_eq!(auc(&[0.1, 0.2, 0.8, 0.9], &[0.0, 0.0, 1.0, 1.0]), 1.0);
        assert_eq!(auc(&[0.5, 0.5, 0.5, 0.5], &[0.0, 1.0, 0.0, 1.0]), 0.5);
    }

    #[test]
    fn metrics_by_hand() {
        // tp=2 fp=1 tn=1 fn=0
        let m = metrics(&[0.9, 0.8, 0.7, 0.1], &[1.0, 1.0, 0.0, 0.0], 0.5);
        assert!((m.precision - 2.0 / 3.0).abs() < 1e-12);
        assert_eq!(m.recall, 1.0);
        assert_eq!(m.accuracy, 0.75);
        assert_eq!(m.specificity, 0.5);
    }

    #[test]
    fn folds_are_stratified_and_deterministic() {
        let strata: Vec<u32> = (0..100).map(|i| u32::from(i % 5 == 0)).collect();
        let f = stratified_folds(&strata, 10, 1);
        assert_eq!(f, stratified_folds(&strata, 10, 1));
        for k in 0..10 {
            let pos = (0..100).filter(|&i| f[i] == k && strata[i] == 1).count();
            assert_eq!(pos, 2);
        }
    }
}
