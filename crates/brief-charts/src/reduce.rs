//! Long series drawn with few points: Largest-Triangle-Three-Buckets
//! (Steinarsson, "Downsampling Time Series for Visual Representation", 2013),
//! which keeps the points that shape the line, with the first and last
//! points and the lowest and highest values always kept, so the drawn line
//! reaches exactly the extremes the alt text names.
//!
//! Hand-written: the crates on crates.io (`lttb`) take their own point type
//! and drop the extremes guarantee this needs; the algorithm is forty lines.

/// Indices, ascending, of the points of `points` (x ascending) to draw:
/// all of them when there are at most `threshold`, else `threshold` chosen
/// by LTTB (one more when the lowest and the highest value fall in the same
/// bucket). The first and last points and the first lowest and first
/// highest value are always among them.
pub(crate) fn reduce(points: &[(f64, f64)], threshold: usize) -> Vec<usize> {
    let n = points.len();
    if threshold >= n || threshold < 3 {
        return (0..n).collect();
    }
    let buckets = Buckets { inner: n - 2, count: threshold - 2 };
    let mut chosen = lttb(points, &buckets);
    let by_value = |a: &(usize, &(f64, f64)), b: &(usize, &(f64, f64))| a.1.1.total_cmp(&b.1.1);
    let lowest = points.iter().enumerate().min_by(by_value).map(|(i, _)| i);
    // `max_by` keeps the last of equals; the first highest is wanted.
    let highest = points.iter().enumerate().rev().max_by(by_value).map(|(i, _)| i);
    let mut forced: Vec<usize> = Vec::new();
    for e in [lowest, highest].into_iter().flatten() {
        if chosen.contains(&e) {
            forced.push(e);
            continue;
        }
        // The extreme replaces its bucket's choice, unless that is the other extreme.
        let slot = buckets.of(e) + 1;
        if forced.contains(&chosen[slot]) {
            chosen.push(e);
        } else {
            chosen[slot] = e;
        }
        forced.push(e);
    }
    chosen.sort_unstable();
    chosen.dedup();
    chosen
}

/// The inner points (all but the first and last) cut into `count` buckets
/// of nearly equal size, in integers so that no point falls between two.
struct Buckets {
    inner: usize,
    count: usize,
}

impl Buckets {
    /// First point index of bucket `b` (`b == count` gives the last point).
    fn start(&self, b: usize) -> usize {
        1 + b * self.inner / self.count
    }

    /// The bucket of inner point `i`.
    fn of(&self, i: usize) -> usize {
        let mut b = ((i - 1) * self.count / self.inner).min(self.count - 1);
        while b + 1 < self.count && self.start(b + 1) <= i {
            b += 1;
        }
        while b > 0 && self.start(b) > i {
            b -= 1;
        }
        b
    }
}

/// LTTB proper: the first point, one per bucket, the last point. In each
/// bucket the point making the largest triangle with the point chosen before
/// and the mean of the next bucket. Triangle areas scale alike under any
/// change of axis scale, so data coordinates choose what the page would.
fn lttb(points: &[(f64, f64)], buckets: &Buckets) -> Vec<usize> {
    let n = points.len();
    let mut out = Vec::with_capacity(buckets.count + 2);
    out.push(0);
    let mut previous = 0;
    for b in 0..buckets.count {
        let (start, end) = (buckets.start(b), buckets.start(b + 1));
        let next = &points[end..buckets.start(b + 2).clamp(end + 1, n)];
        let count = next.len() as f64;
        let (sx, sy) = next.iter().fold((0.0, 0.0), |(x, y), p| (x + p.0, y + p.1));
        let (ax, ay) = (sx / count, sy / count);
        let (px, py) = points[previous];
        let mut best = (start, -1.0);
        for (j, &(x, y)) in points.iter().enumerate().take(end).skip(start) {
            let area = ((px - ax) * (y - py) - (px - x) * (ay - py)).abs();
            if area > best.1 {
                best = (j, area);
            }
        }
        out.push(best.0);
        previous = best.0;
    }
    out.push(n - 1);
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A noisy wave with a lone dip and a lone spike that LTTB alone could
    /// pass over (they sit in the middle of flat noise).
    fn series(n: usize) -> Vec<(f64, f64)> {
        (0..n)
            .map(|i| {
                let noise = ((i * 7919) % 101) as f64 / 100.0;
                let v = (i as f64 / 500.0).sin() * 10.0 + noise;
                let v = match i {
                    _ if i == n / 3 + 17 => -40.5,
                    _ if i == 2 * n / 3 + 5 => 55.25,
                    _ => v,
                };
                (i as f64, v)
            })
            .collect()
    }

    fn extremes(points: &[(f64, f64)]) -> (f64, f64) {
        points
            .iter()
            .fold((f64::INFINITY, f64::NEG_INFINITY), |(lo, hi), p| (lo.min(p.1), hi.max(p.1)))
    }

    #[test]
    fn keeps_the_ends_and_the_extremes_in_about_threshold_points() {
        for (n, threshold) in [(50_000, 900), (1001, 100), (10, 3), (7, 5)] {
            let points = series(n);
            let kept = reduce(&points, threshold);
            assert!(kept.len() == threshold || kept.len() == threshold + 1, "{n}: {}", kept.len());
            assert_eq!(kept.first(), Some(&0));
            assert_eq!(kept.last(), Some(&(n - 1)));
            let drawn: Vec<(f64, f64)> = kept.iter().map(|&i| points[i]).collect();
            assert_eq!(extremes(&drawn), extremes(&points), "{n} into {threshold}");
            // Strictly increasing indices, so x only moves forward.
            assert!(kept.windows(2).all(|w| w[0] < w[1]));
            assert!(drawn.windows(2).all(|w| w[0].0 < w[1].0));
        }
    }

    #[test]
    fn lowest_and_highest_in_one_bucket_are_both_kept() {
        let mut points: Vec<(f64, f64)> = (0..1000).map(|i| (i as f64, (i % 3) as f64)).collect();
        points[500].1 = -9.0;
        points[501].1 = 9.0;
        let kept = reduce(&points, 10);
        assert!(kept.contains(&500) && kept.contains(&501), "{kept:?}");
        assert_eq!(kept.len(), 11);
    }

    #[test]
    fn lttb_alone_keeps_a_lone_spike_in_a_flat_line() {
        // The shape LTTB is for: the spike makes the largest triangle.
        let mut points: Vec<(f64, f64)> = (0..100).map(|i| (i as f64, 1.0)).collect();
        points[40].1 = 30.0;
        let kept = lttb(&points, &Buckets { inner: 98, count: 8 });
        assert!(kept.contains(&40), "{kept:?}");
        assert_eq!(kept.len(), 10);
    }

    #[test]
    fn short_series_and_tiny_thresholds_are_kept_whole() {
        let points = series(50);
        assert_eq!(reduce(&points, 50), (0..50).collect::<Vec<_>>());
        assert_eq!(reduce(&points, 2), (0..50).collect::<Vec<_>>());
        assert!(reduce(&[], 10).is_empty());
    }

    #[test]
    fn buckets_cover_every_inner_point_once() {
        let b = Buckets { inner: 49_998, count: 898 };
        assert_eq!(b.start(0), 1);
        assert_eq!(b.start(898), 49_999);
        for i in [1, 2, 55, 56, 57, 25_000, 49_997, 49_998] {
            let k = b.of(i);
            assert!(b.start(k) <= i && i < b.start(k + 1), "{i} in bucket {k}");
        }
    }
}
