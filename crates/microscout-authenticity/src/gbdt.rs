//! Gradient-boosted decision trees for binary classification (logistic loss), small and
//! deterministic: histogram splits on quantile cut points, second-order leaf values with L2
//! regularisation (as in XGBoost), and a learned direction for missing values at every
//! split, so a feature absent from an export costs accuracy but never breaks prediction.

use serde::{Deserialize, Serialize};

/// Training settings.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
pub struct Params {
    pub rounds: usize,
    pub learning_rate: f64,
    pub max_depth: usize,
    /// L2 penalty on leaf values.
    pub lambda: f64,
    /// Smallest sum of hessians in a child.
    pub min_child_weight: f64,
    /// Most cut points per feature.
    pub max_bins: usize,
}

impl Default for Params {
    fn default() -> Self {
        Self {
            rounds: 200,
            learning_rate: 0.1,
            max_depth: 3,
            lambda: 1.0,
            min_child_weight: 1.0,
            max_bins: 32,
        }
    }
}

#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
#[serde(untagged)]
pub enum Node {
    Split {
        feature: usize,
        threshold: f64,
        missing_left: bool,
        left: usize,
        right: usize,
    },
    Leaf {
        value: f64,
    },
}

#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
pub struct Tree {
    pub nodes: Vec<Node>,
}

impl Tree {
    fn predict(&self, x: &[f64]) -> f64 {
        let mut i = 0;
        loop {
            match &self.nodes[i] {
                Node::Leaf { value } => return *value,
                Node::Split {
                    feature,
                    threshold,
                    missing_left,
                    left,
                    right,
                } => {
                    let v = x[*feature];
                    let go_left = if v.is_nan() {
                        *missing_left
                    } else {
                        v <= *threshold
                    };
                    i = if go_left { *left } else { *right };
                }
            }
        }
    }
}

/// A trained ensemble.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
pub struct Gbdt {
    pub base_score: f64,
    pub trees: Vec<Tree>,
}

pub fn sigmoid(z: f64) -> f64 {
    1.0 / (1.0 + (-z).exp())
}

impl Gbdt {
    /// The raw score (log-odds).
    pub fn margin(&self, x: &[f64]) -> f64 {
        self.base_score + self.trees.iter().map(|t| t.predict(x)).sum::<f64>()
    }
    /// Probability of the positive class.
    pub fn predict(&self, x: &[f64]) -> f64 {
        sigmoid(self.margin(x))
    }

    /// Fits on rows `x` with labels `y` (0 or 1) and sample weights `w`.
    pub fn fit(x: &[Vec<f64>], y: &[f64], w: &[f64], p: &Params) -> Gbdt {
        let n = x.len();
        assert!(n > 0 && y.len() == n && w.len() == n);
        let k = x[0].len();
        let cuts: Vec<Vec<f64>> = (0..k).map(|j| cut_points(x, j, p.max_bins)).collect();
        // Bin of each value: index of the first cut >= value; u8::MAX for missing.
        let bins: Vec<Vec<u8>> = x
            .iter()
            .map(|row| {
                (0..k)
                    .map(|j| {
                        let v = row[j];
                        if v.is_nan() {
                            u8::MAX
                        } else {
                            cuts[j].partition_point(|c| *c < v) as u8
                        }
                    })
                    .collect()
            })
            .collect();
        let wsum: f64 = w.iter().sum();
        let pos: f64 = y.iter().zip(w).map(|(y, w)| y * w).sum::<f64>() / wsum;
        let pos = pos.clamp(1e-6, 1.0 - 1e-6);
        let base_score = (pos / (1.0 - pos)).ln();
        let mut margin = vec![base_score; n];
        let mut trees = Vec::with_capacity(p.rounds);
        let mut g = vec![0.0; n];
        let mut h = vec![0.0; n];
        for _ in 0..p.rounds {
            for i in 0..n {
                let pr = sigmoid(margin[i]);
                g[i] = w[i] * (pr - y[i]);
                h[i] = w[i] * (pr * (1.0 - pr)).max(1e-12);
            }
            let mut nodes = Vec::new();
            let idx: Vec<usize> = (0..n).collect();
            build(&mut nodes, &idx, &bins, &cuts, &g, &h, p, 0);
            let tree = Tree { nodes };
            for (i, row) in x.iter().enumerate() {
                margin[i] += tree.predict(row);
            }
            trees.push(tree);
        }
        Gbdt { base_score, trees }
    }
}

/// Up to `max_bins - 1` cut points at quantiles of the feature's distinct values.
fn cut_points(x: &[Vec<f64>], j: usize, max_bins: usize) -> Vec<f64> {
    let mut v: Vec<f64> = x.iter().map(|r| r[j]).filter(|v| !v.is_nan()).collect();
    v.sort_by(f64::total_cmp);
    v.dedup();
    if v.len() <= 1 {
        return Vec::new();
    }
    let want = (max_bins - 1).min(v.len() - 1);
    let mut cuts: Vec<f64> = (1..=want)
        .map(|q| {
            let i = q * (v.len() - 1) / (want + 1);
            // Midpoint between neighbouring distinct values.
            (v[i] + v[(i + 1).min(v.len() - 1)]) / 2.0
        })
        .collect();
    cuts.dedup();
    cuts
}

#[allow(clippy::too_many_arguments)]
fn build(
    nodes: &mut Vec<Node>,
    idx: &[usize],
    bins: &[Vec<u8>],
    cuts: &[Vec<f64>],
    g: &[f64],
    h: &[f64],
    p: &Params,
    depth: usize,
) -> usize {
    let (gs, hs): (f64, f64) = idx
        .iter()
        .fold((0.0, 0.0), |a, &i| (a.0 + g[i], a.1 + h[i]));
    let me = nodes.len();
    let leaf = Node::Leaf {
        value: -gs / (hs + p.lambda) * p.learning_rate,
    };
    nodes.push(leaf);
    if depth >= p.max_depth || idx.len() < 2 {
        return me;
    }
    let parent = gs * gs / (hs + p.lambda);
    // (gain, feature, bin, missing_left)
    let mut best: Option<(f64, usize, usize, bool)> = None;
    for (j, cut) in cuts.iter().enumerate() {
        if cut.is_empty() {
            continue;
        }
        let nb = cut.len() + 1;
        let mut hg = vec![0.0; nb];
        let mut hh = vec![0.0; nb];
        let (mut mg, mut mh) = (0.0, 0.0);
        for &i in idx {
            let b = bins[i][j];
            if b == u8::MAX {
                mg += g[i];
                mh += h[i];
            } else {
                hg[b as usize] += g[i];
                hh[b as usize] += h[i];
            }
        }
        let (mut lg, mut lh) = (0.0, 0.0);
        for b in 0..nb - 1 {
            lg += hg[b];
            lh += hh[b];
            for missing_left in [true, false] {
                let (l_g, l_h) = if missing_left {
                    (lg + mg, lh + mh)
                } else {
                    (lg, lh)
                };
                let (r_g, r_h) = (gs - l_g, hs - l_h);
                if l_h < p.min_child_weight || r_h < p.min_child_weight {
                    continue;
                }
                let gain = l_g * l_g / (l_h + p.lambda) + r_g * r_g / (r_h + p.lambda) - parent;
                if gain > 1e-12 && best.is_none_or(|b| gain > b.0) {
                    best = Some((gain, j, b, missing_left));
                }
            }
        }
    }
    let Some((_, j, b, missing_left)) = best else {
        return me;
    };
    let threshold = cuts[j][b];
    let (li, ri): (Vec<usize>, Vec<usize>) = idx.iter().partition(|&&i| {
        let v = bins[i][j];
        if v == u8::MAX {
            missing_left
        } else {
            (v as usize) <= b
        }
    });
    let left = build(nodes, &li, bins, cuts, g, h, p, depth + 1);
    let right = build(nodes, &ri, bins, cuts, g, h, p, depth + 1);
    nodes[me] = Node::Split {
        feature: j,
        threshold,
        missing_left,
        left,
        right,
    };
    me
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn learns_a_threshold_and_routes_missing_values() {
        // y = 1 when x0 > 5 or x0 is missing.
        let mut x = Vec::new();
        let mut y = Vec::new();
        for i in 0..200 {
            let v = (i % 10) as f64;
            x.push(vec![if i % 7 == 0 { f64::NAN } else { v }, (i % 3) as f64]);
            y.push(if i % 7 == 0 || v > 5.0 { 1.0 } else { 0.0 });
        }
        let w = vec![1.0; x.len()];
        let m = Gbdt::fit(&x, &y, &w, &Params::default());
        assert!(m.predict(&[8.0, 0.0]) > 0.9);
        assert!(m.predict(&[2.0, 0.0]) < 0.1);
        assert!(m.predict(&[f64::NAN, 1.0]) > 0.9);
    }

    #[test]
    fn bin_of_a_value_matches_the_threshold_rule() {
        // A value equal to a cut point goes left in prediction (v <= threshold) and must be
        // binned at or below that cut in training.
        let x: Vec<Vec<f64>> = (0..10).map(|i| vec![i as f64]).collect();
        let cuts = cut_points(&x, 0, 4);
        for (b, c) in cuts.iter().enumerate() {
            assert_eq!(cuts.partition_point(|k| *k < *c), b);
        }
    }
}
