//! The robust statistics that more than one metric uses, defined once.

/// Turns a median absolute deviation into a standard deviation of normally distributed
/// values: `1 / Φ⁻¹(3/4)` to four decimals. Unit: none (a factor).
pub const MAD_SCALE: f64 = 1.4826;

/// The median (mean of the middle two for an even count); None when empty.
pub fn median(mut v: Vec<f64>) -> Option<f64> {
    if v.is_empty() {
        return None;
    }
    v.sort_by(f64::total_cmp);
    let n = v.len();
    Some(if n % 2 == 1 {
        v[n / 2]
    } else {
        (v[n / 2 - 1] + v[n / 2]) / 2.0
    })
}

/// The robust standard deviation of `deviations` (each a value's distance from its centre,
/// of either sign): [`MAD_SCALE`] x the median of their absolute values; 0 when empty. Unit:
/// that of the values.
pub fn robust_sd(deviations: impl IntoIterator<Item = f64>) -> f64 {
    MAD_SCALE * median(deviations.into_iter().map(f64::abs).collect()).unwrap_or(0.0)
}

/// Connected groups over indices `0..n` (union-find with path halving): pods of accounts
/// that comment on each other, farm networks of accounts that share farm followers.
#[derive(Debug, Clone)]
pub struct Groups {
    parent: Vec<usize>,
}

impl Groups {
    pub fn new(n: usize) -> Self {
        Self {
            parent: (0..n).collect(),
        }
    }

    /// The group's representative: its smallest index.
    pub fn root(&mut self, mut x: usize) -> usize {
        while self.parent[x] != x {
            self.parent[x] = self.parent[self.parent[x]];
            x = self.parent[x];
        }
        x
    }

    /// Puts `a` and `b` in one group.
    pub fn join(&mut self, a: usize, b: usize) {
        let (ra, rb) = (self.root(a), self.root(b));
        if ra != rb {
            self.parent[ra.max(rb)] = ra.min(rb);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_robust_sd_of_normal_values_is_their_sd() {
        assert_eq!(median(vec![]), None);
        assert_eq!(median(vec![3.0, 1.0, 2.0]), Some(2.0));
        assert_eq!(median(vec![4.0, 1.0, 2.0, 3.0]), Some(2.5));
        assert_eq!(robust_sd([]), 0.0);
        // Standard normal draws (Box-Muller): their MAD is Φ⁻¹(3/4).
        let mut rng = microscout_model::rng::SplitMix64(5);
        let normal: Vec<f64> = (0..200_001)
            .map(|_| {
                let (u1, u2) = (rng.unit().max(f64::MIN_POSITIVE), rng.unit());
                (-2.0 * u1.ln()).sqrt() * (std::f64::consts::TAU * u2).cos()
            })
            .collect();
        let sd = robust_sd(normal);
        assert!((sd - 1.0).abs() < 0.01, "{sd}");
        // One wild value does not move it.
        assert_eq!(robust_sd([1.0, -1.0, 1.0, 1e12]), MAD_SCALE);
    }

    #[test]
    fn groups_join_transitively_and_name_their_smallest_member() {
        let mut g = Groups::new(6);
        g.join(4, 2);
        g.join(5, 4);
        g.join(0, 1);
        assert_eq!([g.root(5), g.root(2), g.root(1), g.root(3)], [2, 2, 0, 3]);
    }
}
