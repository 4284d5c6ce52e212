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

/// A [`Gbdt`] compiled for fast batch prediction, with bit-identical results.
///
/// Each feature's split thresholds are collected once (sorted, unique), so a value is
/// *binned* once per row instead of compared at every split: `v <= t_b` exactly when the
/// number of thresholds below `v` is at most `b`. Every tree is laid out as a complete
/// binary tree of the ensemble's depth in flat arrays (a leaf above the bottom becomes
/// splits whose children all hold its value), so a row walks a tree with index arithmetic
/// and no branches on node kinds. Rows are predicted in blocks with the trees in the outer
/// loop, and each row's tree values are summed in tree order, as [`Gbdt::margin`] does.
#[derive(Debug, Clone)]
pub struct FlatGbdt {
    base_score: f64,
    depth: usize,
    /// Per feature: the sorted, distinct thresholds its splits use.
    cuts: Vec<Vec<f64>>,
    /// Per tree, `2^depth - 1` split nodes in breadth-first order.
    feature: Vec<u16>,
    bin: Vec<u8>,
    missing_left: Vec<bool>,
    /// Per tree, `2^depth` leaves.
    leaves: Vec<f64>,
}

/// The bin code of a missing value.
const MISSING: u8 = u8::MAX;

impl FlatGbdt {
    /// Rows predicted together (see [`Self::predict_coded`]).
    pub const BLOCK: usize = 256;

    /// Compiles `g` for rows of `n_features` values.
    pub fn new(g: &Gbdt, n_features: usize) -> Self {
        let mut cuts = vec![Vec::new(); n_features];
        let mut depth = 0;
        for t in &g.trees {
            depth = depth.max(tree_depth(t, 0));
            for n in &t.nodes {
                if let Node::Split {
                    feature, threshold, ..
                } = n
                {
                    cuts[*feature].push(*threshold);
                }
            }
        }
        for c in &mut cuts {
            c.sort_by(f64::total_cmp);
            c.dedup();
            assert!(
                c.len() < MISSING as usize,
                "too many thresholds for one feature (training bins values into at most 254)"
            );
        }
        let inner = (1usize << depth) - 1;
        let mut me = FlatGbdt {
            base_score: g.base_score,
            depth,
            cuts,
            feature: vec![0; inner * g.trees.len()],
            bin: vec![MISSING - 1; inner * g.trees.len()],
            missing_left: vec![true; inner * g.trees.len()],
            leaves: vec![0.0; (inner + 1) * g.trees.len()],
        };
        for (k, t) in g.trees.iter().enumerate() {
            me.lay_out(t, 0, k, 0, 0);
        }
        me
    }

    /// Places node `i` of tree `t` (the `k`-th) at breadth-first position `pos`, `level`
    /// levels down.
    fn lay_out(&mut self, t: &Tree, i: usize, k: usize, pos: usize, level: usize) {
        let inner = (1usize << self.depth) - 1;
        if level == self.depth {
            let Node::Leaf { value } = t.nodes[i] else {
                unreachable!("the depth is the deepest leaf's")
            };
            self.leaves[k * (inner + 1) + pos - inner] = value;
            return;
        }
        match &t.nodes[i] {
            Node::Split {
                feature,
                threshold,
                missing_left,
                left,
                right,
            } => {
                let at = k * inner + pos;
                self.feature[at] = *feature as u16;
                self.bin[at] = self.cuts[*feature].partition_point(|c| c < threshold) as u8;
                self.missing_left[at] = *missing_left;
                self.lay_out(t, *left, k, 2 * pos + 1, level + 1);
                self.lay_out(t, *right, k, 2 * pos + 2, level + 1);
            }
            // A leaf above the bottom: both subtrees carry its value (the split placed
            // here by `new` sends every row left, and both sides hold the same value).
            Node::Leaf { .. } => {
                self.lay_out(t, i, k, 2 * pos + 1, level + 1);
                self.lay_out(t, i, k, 2 * pos + 2, level + 1);
            }
        }
    }

    /// Bin code of value `v` of feature `j`: the number of its thresholds below `v` (a
    /// missing value has a code of its own).
    pub fn code(&self, j: usize, v: f64) -> u8 {
        if v.is_nan() {
            MISSING
        } else {
            self.cuts[j].partition_point(|c| *c < v) as u8
        }
    }

    /// Probability of the positive class for each row (each `n_features` long); equal, bit
    /// for bit, to [`Gbdt::predict`] on each row.
    pub fn predict_rows<R: AsRef<[f64]>>(&self, rows: &[R]) -> Vec<f64> {
        self.predict_coded(rows.len(), |start, codes| {
            for (r, row) in rows[start..].iter().take(BLOCK).enumerate() {
                for (j, v) in row.as_ref().iter().enumerate() {
                    codes[j * BLOCK + r] = self.code(j, *v);
                }
            }
        })
    }

    /// Probability of the positive class for each of `n` rows whose bin codes ([`Self::code`])
    /// `fill(start, codes)` writes, a block of [`Self::BLOCK`] rows at a time: the code of
    /// feature `j` of row `start + r` at `codes[j * BLOCK + r]`, for the rows from `start` to
    /// the end of the block or of the rows. Equal, bit for bit, to [`Self::predict_rows`] on
    /// rows with those codes.
    pub fn predict_coded(&self, n: usize, mut fill: impl FnMut(usize, &mut [u8])) -> Vec<f64> {
        let k = self.cuts.len();
        let inner = (1usize << self.depth) - 1;
        let trees = self.leaves.len() / (inner + 1);
        let mut out = Vec::with_capacity(n);
        let mut codes = vec![0u8; k * BLOCK];
        let mut sums = [0.0f64; BLOCK];
        // For shallow trees (up to 8 splits), each tree's leaf value for every combination of
        // split outcomes, and the outcomes as one byte per row.
        let values: Option<Vec<f64>> = (inner <= 8).then(|| {
            (0..trees)
                .flat_map(|t| {
                    let leaves = &self.leaves[t * (inner + 1)..(t + 1) * (inner + 1)];
                    (0..1u32 << inner).map(move |b| leaves[leaf_of(b, self.depth)])
                })
                .collect()
        });
        for start in (0..n).step_by(BLOCK) {
            let n = BLOCK.min(n - start);
            fill(start, &mut codes);
            // `Sum for f64` starts from -0.0; so does this, for identical results.
            sums[..n].fill(-0.0);
            if let Some(values) = &values {
                // Trees in groups of `GROUP`: each row's running sum is loaded once per
                // group and the group's values added to it in tree order (the same
                // additions, in the same order, as one tree at a time).
                let mut t = 0;
                while t < trees {
                    let g = GROUP.min(trees - t);
                    let mut bits = [[0u8; BLOCK]; GROUP];
                    for (k, b) in bits.iter_mut().enumerate().take(g) {
                        let u = t + k;
                        *b = split_bits(
                            &codes,
                            &self.feature[u * inner..(u + 1) * inner],
                            &self.bin[u * inner..(u + 1) * inner],
                            &self.missing_left[u * inner..(u + 1) * inner],
                        );
                    }
                    let vals: [&[f64]; GROUP] = std::array::from_fn(|k| {
                        let u = (t + k).min(trees - 1);
                        &values[u << inner..(u + 1) << inner]
                    });
                    for (r, sum) in sums[..n].iter_mut().enumerate() {
                        let mut s = *sum;
                        for (vals, bits) in vals.iter().zip(&bits).take(g) {
                            s += vals[bits[r] as usize];
                        }
                        *sum = s;
                    }
                    t += g;
                }
            } else {
                self.add_trees(&codes, &mut sums[..n]);
            }
            out.extend(sums[..n].iter().map(|s| sigmoid(self.base_score + s)));
        }
        out
    }

    /// Adds each tree's value to each row's sum, tree after tree, for trees too deep for
    /// the tables of leaf values (more than 8 splits).
    fn add_trees(&self, codes: &[u8], sums: &mut [f64]) {
        let inner = (1usize << self.depth) - 1;
        let trees = self.leaves.len() / (inner + 1);
        for t in 0..trees {
            let (feature, bin, ml) = (
                &self.feature[t * inner..(t + 1) * inner],
                &self.bin[t * inner..(t + 1) * inner],
                &self.missing_left[t * inner..(t + 1) * inner],
            );
            let leaves = &self.leaves[t * (inner + 1)..(t + 1) * (inner + 1)];
            if inner <= 31 {
                let bits: [u32; BLOCK] = split_bits(codes, feature, bin, ml);
                for (sum, bits) in sums.iter_mut().zip(bits) {
                    *sum += leaves[leaf_of(bits, self.depth)];
                }
            } else {
                for (r, sum) in sums.iter_mut().enumerate() {
                    let mut pos = 0;
                    for _ in 0..self.depth {
                        let c = codes[feature[pos] as usize * BLOCK + r];
                        let left = if c == MISSING { ml[pos] } else { c <= bin[pos] };
                        pos = 2 * pos + 1 + usize::from(!left);
                    }
                    *sum += leaves[pos - inner];
                }
            }
        }
    }
}

/// Rows predicted together by [`FlatGbdt::predict_rows`].
const BLOCK: usize = FlatGbdt::BLOCK;
/// Trees whose values are added to a row's sum in one pass.
const GROUP: usize = 4;

/// Every split's outcome for a block of rows, bit `p` set when the row goes left at split
/// `p`: all tests first (independent loads the CPU overlaps), as narrow integers (`u8` for
/// up to 8 splits packs more rows per vector), then the path through the bits in registers.
fn split_bits<B>(codes: &[u8], feature: &[u16], bin: &[u8], ml: &[bool]) -> [B; BLOCK]
where
    B: Copy + Default + From<bool> + std::ops::Shl<usize, Output = B> + std::ops::BitOrAssign,
{
    let mut bits = [B::default(); BLOCK];
    for p in 0..feature.len() {
        let row: &[u8; BLOCK] = codes[feature[p] as usize * BLOCK..][..BLOCK]
            .try_into()
            .expect("a block of codes");
        let (b, m) = (bin[p], ml[p]);
        for (bits, c) in bits.iter_mut().zip(row) {
            let left = (*c <= b) | ((*c == MISSING) & m);
            *bits |= B::from(left) << p;
        }
    }
    bits
}

/// The leaf (0-based, left to right) that a row reaches in a complete tree of `depth`
/// levels, given bit `p` set when the row goes left at split `p` (breadth-first order).
fn leaf_of(bits: u32, depth: usize) -> usize {
    let mut pos = 0;
    for _ in 0..depth {
        pos = 2 * pos + 2 - ((bits >> pos) & 1) as usize;
    }
    pos + 1 - (1 << depth)
}

fn tree_depth(t: &Tree, i: usize) -> usize {
    match &t.nodes[i] {
        Node::Leaf { .. } => 0,
        Node::Split { left, right, .. } => 1 + tree_depth(t, *left).max(tree_depth(t, *right)),
    }
}

impl Gbdt {
    /// True when a missing value of feature `feature` takes the same branch as `value` at
    /// every split on that feature, so that the model's prediction is the same, bit for bit,
    /// whichever of the two a row has.
    pub fn missing_is(&self, feature: usize, value: f64) -> bool {
        self.trees.iter().flat_map(|t| &t.nodes).all(|n| match n {
            Node::Split {
                feature: f,
                threshold,
                missing_left,
                ..
            } if *f == feature => *missing_left == (value <= *threshold),
            _ => true,
        })
    }

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

    /// Whether a missing value goes the way of a given value is read off every split.
    #[test]
    fn a_missing_value_is_a_value_where_every_split_sends_it_the_same_way() {
        let split = |feature, threshold, missing_left| Node::Split {
            feature,
            threshold,
            missing_left,
            left: 1,
            right: 2,
        };
        let leaf = |value| Node::Leaf { value };
        let tree = |root| Tree {
            nodes: vec![root, leaf(-1.0), leaf(1.0)],
        };
        let g = Gbdt {
            base_score: 0.0,
            trees: vec![tree(split(6, 0.5, true)), tree(split(2, 3.0, false))],
        };
        assert!(g.missing_is(6, 0.0), "0 <= 0.5 goes left, as missing does");
        assert!(!g.missing_is(6, 1.0));
        assert!(g.missing_is(2, 4.0) && !g.missing_is(2, 0.0));
        let mut x = vec![0.0; 9];
        let zero = g.margin(&x);
        x[6] = f64::NAN;
        assert_eq!(g.margin(&x), zero);
        let g2 = Gbdt {
            trees: vec![tree(split(6, 0.5, false))],
            ..g
        };
        assert!(!g2.missing_is(6, 0.0));
    }
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

    #[test]
    fn flat_prediction_equals_tree_walking_bit_for_bit() {
        let mut x = Vec::new();
        let mut y = Vec::new();
        for i in 0..400 {
            let v = (i % 17) as f64 * 0.37;
            let w = ((i * 7) % 13) as f64;
            x.push(vec![
                if i % 7 == 0 { f64::NAN } else { v },
                w,
                if i % 5 == 0 { f64::NAN } else { v * w },
            ]);
            y.push(if (i % 7 == 0 || v > 2.0) && w < 9.0 {
                1.0
            } else {
                0.0
            });
        }
        // Depth 3 takes the lookup-table path, depth 4 the walk; 0 is a single leaf.
        for max_depth in [0, 3, 4] {
            let params = Params {
                rounds: 40,
                max_depth,
                ..Params::default()
            };
            let m = Gbdt::fit(&x, &y, &vec![1.0; x.len()], &params);
            check_flat(&m, &x);
        }
    }

    fn check_flat(m: &Gbdt, x: &[Vec<f64>]) {
        let flat = FlatGbdt::new(m, 3);
        // Values on, between and beyond the thresholds, and missing ones.
        let mut probe = x.to_vec();
        for row in x {
            probe.push(row.iter().map(|v| v + 1e-9).collect());
            probe.push(row.iter().map(|v| -v - 1.0).collect());
            probe.push(row.iter().map(|v| v * 100.0).collect());
        }
        let got = flat.predict_rows(&probe);
        for (row, p) in probe.iter().zip(&got) {
            assert_eq!(p.to_bits(), m.predict(row).to_bits(), "{row:?}");
        }
    }
}
