//! The artificial-prevalence protocol on each dataset left out: samples drawn at every
//! prevalence and size, each method's error and each candidate's interval.

use crate::*;

/// Trains on `train` (the datasets not left out), and tests on samples of `test` drawn at
/// each prevalence and size: the situation of an account whose followers come from another
/// population than the training data. The quantifiers' reference comes from `train`'s
/// out-of-fold probabilities; the rates across datasets and the band from `nested` (each
/// training dataset predicted by a model trained on the other ones) and the out-of-fold
/// rates, exactly as the shipped model's come from all datasets.
pub(crate) fn prevalence_shift(
    held_out: &'static str,
    train: &[Row],
    test: &[Row],
    p: &Params,
    nested: &[Metrics],
) -> Shift {
    let oof = out_of_fold(train, p);
    let truth: Vec<bool> = train.iter().map(|r| r.y > 0.5).collect();
    let y: Vec<f64> = train.iter().map(|r| r.y).collect();
    // Classes are weighted equally in training, so the posteriors assume a prior of 0.5.
    let reference = Reference::new(&oof, &truth, 0.5, 0.5);
    let across = Rates::mean(nested);
    let mut band_evals = nested.to_vec();
    band_evals.push(metrics(&oof, &y, 0.5));
    let band = band_of(&band_evals, None);
    let model = fit(train, p);
    let fakes: Vec<f64> = test
        .iter()
        .filter(|r| r.y > 0.5)
        .map(|r| model.predict(&r.x))
        .collect();
    let reals: Vec<f64> = test
        .iter()
        .filter(|r| r.y < 0.5)
        .map(|r| model.predict(&r.x))
        .collect();
    let reliability = (0..10)
        .map(|b| {
            let lo = f64::from(b) / 10.0;
            let inside = |q: f64| q >= lo && (q < lo + 0.1 || b == 9);
            let fk = fakes.iter().filter(|q| inside(**q)).count();
            let rl = reals.iter().filter(|q| inside(**q)).count();
            let sum: f64 = fakes.iter().chain(&reals).filter(|q| inside(**q)).sum();
            let n = fk + rl;
            let mean = if n == 0 { f64::NAN } else { sum / n as f64 };
            let observed = if n == 0 {
                f64::NAN
            } else {
                fk as f64 / n as f64
            };
            (n, mean, observed)
        })
        .collect();
    // SplitMix64, so the protocol's samples are the same on every machine.
    let mut rng = microscout_model::rng::SplitMix64(SEED ^ held_out.len() as u64);
    let rates_of = |c: Candidate| match c {
        Candidate::Count => (1.0, 1.0),
        Candidate::OutOfFold => (reference.tpr, 1.0 - reference.fpr),
        Candidate::Across => (across.sensitivity, across.specificity),
    };
    let by_size = SIZES
        .iter()
        .map(|&n| {
            let mut err = vec![0.0; Method::ALL.len()];
            let mut cand = vec![(0.0, 0.0, 0.0); CANDIDATES.len()];
            let (mut covered_first, mut samples) = (0usize, 0usize);
            for step in 0..PREVALENCES {
                let prevalence = step as f64 * 0.05;
                for _ in 0..REPEATS {
                    let k = (n as f64 * prevalence).round() as usize;
                    let sample: Vec<f64> = (0..n)
                        .map(|i| {
                            if i < k {
                                fakes[rng.below(fakes.len() as u64) as usize]
                            } else {
                                reals[rng.below(reals.len() as u64) as usize]
                            }
                        })
                        .collect();
                    let share = k as f64 / n as f64;
                    for (e, m) in err.iter_mut().zip(Method::ALL) {
                        *e += (estimate(m, &sample, &reference) - share).abs();
                    }
                    let labelled = sample.iter().filter(|q| **q >= 0.5).count();
                    let w = wilson(labelled, n);
                    let (low, high) =
                        corrected_range(w.low, w.high, rates_of(Candidate::OutOfFold), None);
                    covered_first += usize::from(low <= share && share <= high);
                    for (acc, (_, c)) in cand.iter_mut().zip(CANDIDATES) {
                        let (se, sp) = rates_of(c);
                        acc.0 += (rogan_gladen(w.estimate, se, sp) - share).abs();
                        let (low, high) = corrected_range(w.low, w.high, (se, sp), Some(&band));
                        acc.1 += f64::from(u8::from(low <= share && share <= high));
                        acc.2 += high - low;
                    }
                    samples += 1;
                }
            }
            let k = samples as f64;
            SizeResult {
                n,
                err: err.iter().map(|e| e / k).collect(),
                coverage_first: covered_first as f64 / k,
                candidates: cand.iter().map(|(e, c, w)| (e / k, c / k, w / k)).collect(),
            }
        })
        .collect();
    Shift {
        held_out,
        across,
        band,
        reliability,
        by_size,
    }
}

/// The mean, over every dataset left out and every sample size, of one of candidate `c`'s
/// measures (error, coverage, width) picked by `pick`.
pub(crate) fn candidate_mean(shifts: &[Shift], c: usize, pick: fn((f64, f64, f64)) -> f64) -> f64 {
    let v: Vec<f64> = shifts
        .iter()
        .flat_map(|s| s.by_size.iter().map(move |r| pick(r.candidates[c])))
        .collect();
    v.iter().sum::<f64>() / v.len() as f64
}
