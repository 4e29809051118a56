//! Number logic shared by every chart: "nice" axis ticks and number formatting.
//!
//! Formatting rule (also documented on [`super::format_number`]):
//! - |v| ≥ 1e9 is written in billions ("2.5 bn"), |v| ≥ 1e6 in millions
//!   ("1.2 m", "350 m"): one decimal below 100 of the unit, none above;
//! - 1,000 ≤ |v| < 1e6 is rounded to a whole number with thousands separators;
//! - smaller values keep three significant digits, trailing zeros dropped;
//! - beyond 1e15 or below 1e-6 (but not zero), scientific: "2.5e15";
//! - negatives take a hyphen-minus (the ASCII sign survives copying into a
//!   spreadsheet); nothing prints as "-0".
//!
//! Axis and value labels use [`NumberFormat`] instead, in the language's
//! minus sign (CLDR's), so every label on one axis shares
//! the same suffix and number of decimals.

use super::style::ChartStyle;

/// The minus sign of [`format_number`]; see the module docs.
const MINUS: char = '-';

/// A magnitude suffix applied to every number on an axis.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Scale {
    /// Plain numbers.
    One,
    /// Millions, " m".
    Million,
    /// Billions, " bn".
    Billion,
}

impl Scale {
    fn divisor(self) -> f64 {
        match self {
            Scale::One => 1.0,
            Scale::Million => 1e6,
            Scale::Billion => 1e9,
        }
    }

    fn suffix(self) -> &'static str {
        match self {
            Scale::One => "",
            Scale::Million => "\u{a0}m",
            Scale::Billion => "\u{a0}bn",
        }
    }

    /// The largest scale whose divisor `magnitude` reaches.
    fn for_magnitude(magnitude: f64) -> Scale {
        if magnitude >= 1e9 {
            Scale::Billion
        } else if magnitude >= 1e6 {
            Scale::Million
        } else {
            Scale::One
        }
    }
}

/// A fixed way of writing numbers: one scale and one number of decimals.
#[derive(Debug, Clone, Copy, PartialEq)]
pub(crate) struct NumberFormat {
    scale: Scale,
    /// Beyond "bn" (1e15 and up) or below a millionth, where separators
    /// would make labels run off the page: "1.5e15", "2.5e-9".
    scientific: bool,
    decimals: usize,
    decimal: char,
    group: char,
    minus: char,
    digits: [char; 10],
}

impl NumberFormat {
    /// The format for the labels of `ticks`: the scale of the largest tick,
    /// and just enough decimals to tell the steps apart.
    ///
    /// `abbreviate` is false when the unit already names a magnitude
    /// ("EUR million"), where "350 m million" would be nonsense.
    pub(crate) fn for_ticks(ticks: &Ticks, abbreviate: bool, style: &ChartStyle) -> Self {
        let magnitude = ticks.lo.abs().max(ticks.hi.abs());
        let mut scale = if abbreviate { Scale::for_magnitude(magnitude) } else { Scale::One };
        let mut decimals = step_decimals(ticks.step / scale.divisor());
        // A scaled label needing many decimals ("1.00002 m") is worse than the
        // plain number with separators.
        if scale != Scale::One && decimals > 2 {
            scale = Scale::One;
            decimals = step_decimals(ticks.step);
        }
        let scientific = is_extreme(magnitude) || (ticks.step > 0.0 && ticks.step < 1e-6);
        let (decimal, group, digits, minus) =
            (style.decimal, style.group, style.digits, style.minus);
        NumberFormat { scale, scientific, decimals, decimal, group, minus, digits }
    }

    /// The format for data labels next to bars: the axis' scale, with enough
    /// decimals for about three significant digits of the largest value.
    pub(crate) fn for_values(values: &[f64], axis: &NumberFormat) -> Self {
        let divisor = axis.scale.divisor();
        let largest = values.iter().fold(0.0f64, |m, v| m.max(v.abs())) / divisor;
        let cap = significant_decimals(largest, 3).min(6);
        let decimals = values.iter().map(|v| needed_decimals(v / divisor, cap)).max().unwrap_or(0);
        NumberFormat { decimals, ..*axis }
    }

    /// Writes `v` as the source wrote it, in this format's scale: the
    /// decimals of the shortest decimal that reads back as the value
    /// (1,710, 2.25, 1.71 m), so a label shows no digit the source did
    /// not write and drops none it did.
    pub(crate) fn written(&self, v: f64) -> String {
        if self.scientific || !v.is_finite() {
            return self.format(v);
        }
        let shortest = format!("{}", (v / self.scale.divisor()).abs());
        let decimals = shortest.split_once('.').map_or(0, |(_, f)| f.len()).min(20);
        NumberFormat { decimals, ..*self }.format(v)
    }

    /// Writes `v` in this format, in the language's digits.
    pub(crate) fn format(&self, v: f64) -> String {
        brief_core::document::in_digits(&self.format_latin(v), &self.digits)
    }

    fn format_latin(&self, v: f64) -> String {
        if self.scientific {
            return scientific(v, self.decimal).replace('-', &self.minus.to_string());
        }
        let body = fixed(v / self.scale.divisor(), self.decimals, self.decimal, self.group)
            .replacen(MINUS, &self.minus.to_string(), 1);
        if !body.chars().any(|c| c.is_ascii_digit() && c != '0') {
            // Zero needs no suffix: "0 bn" reads oddly at the foot of an axis.
            return "0".to_string();
        }
        format!("{body}{}", self.scale.suffix())
    }
}

/// Formats a single number for display, in the language's digits; see the
/// module docs for the rule.
pub(crate) fn format_number(v: f64, style: &ChartStyle) -> String {
    brief_core::document::in_digits(&format_number_latin(v, style), &style.digits)
}

fn format_number_latin(v: f64, style: &ChartStyle) -> String {
    if !v.is_finite() {
        return "n/a".to_string();
    }
    let magnitude = v.abs();
    if is_extreme(magnitude) {
        return scientific(v, style.decimal);
    }
    let scale = Scale::for_magnitude(magnitude);
    if scale != Scale::One {
        let scaled = magnitude / scale.divisor();
        let decimals = if scaled < 99.95 { 1 } else { 0 };
        let (decimal, group, digits) = (style.decimal, style.group, ['0'; 10]);
        let format = NumberFormat {
            scale,
            scientific: false,
            decimals,
            decimal,
            group,
            minus: MINUS,
            digits,
        };
        return trim_zeros(&format.format_latin(v), style.decimal);
    }
    let decimals = if magnitude >= 999.5 { 0 } else { significant_decimals(magnitude, 3) };
    let text = fixed(v, decimals.min(12), style.decimal, style.group);
    trim_zeros(&text, style.decimal)
}

/// Too large or too small (but not zero) for ordinary notation.
fn is_extreme(magnitude: f64) -> bool {
    magnitude >= 1e15 || (magnitude > 0.0 && magnitude < 1e-6)
}

/// `v` as "2.5e15": two significant digits, trailing ".0" dropped.
fn scientific(v: f64, decimal: char) -> String {
    if v == 0.0 {
        return "0".to_string();
    }
    let text = format!("{v:.1e}").replace(".0e", "e");
    text.replace('.', &decimal.to_string())
}

/// Rounds `v` to `decimals` places and writes it with the given separators.
fn fixed(v: f64, decimals: usize, decimal: char, group: char) -> String {
    // Round half away from zero first: `format!` alone rounds 1234.5 to even.
    let factor = 10f64.powi(decimals as i32);
    let rounded = if factor.is_finite() && (v.abs() * factor) < 1e15 {
        (v.abs() * factor).round() / factor
    } else {
        v.abs()
    };
    let text = format!("{:.*}", decimals, rounded);
    let (int, frac) = text.split_once('.').unwrap_or((&text, ""));
    let negative = v < 0.0 && text.chars().any(|c| c.is_ascii_digit() && c != '0');
    let mut out = String::with_capacity(text.len() + 4);
    if negative {
        out.push(MINUS);
    }
    out.push_str(&group_digits(int, group));
    if !frac.is_empty() {
        out.push(decimal);
        out.push_str(frac);
    }
    out
}

/// Inserts `group` between every three digits of an integer string.
fn group_digits(int: &str, group: char) -> String {
    let mut out = String::with_capacity(int.len() + int.len() / 3);
    for (i, c) in int.chars().enumerate() {
        if i > 0 && (int.len() - i).is_multiple_of(3) {
            out.push(group);
        }
        out.push(c);
    }
    out
}

/// Drops trailing zeros after the decimal separator ("2.50" → "2.5", "3.0 m" → "3 m").
fn trim_zeros(text: &str, decimal: char) -> String {
    let (number, suffix) = match text.find('\u{a0}') {
        Some(i) => text.split_at(i),
        None => (text, ""),
    };
    if !number.contains(decimal) {
        return text.to_string();
    }
    let trimmed = number.trim_end_matches('0').trim_end_matches(decimal);
    format!("{trimmed}{suffix}")
}

/// Decimals that show `magnitude` to `digits` significant digits.
fn significant_decimals(magnitude: f64, digits: i32) -> usize {
    if magnitude <= 0.0 || !magnitude.is_finite() {
        return 0;
    }
    let exponent = magnitude.log10().floor() as i32;
    (digits - 1 - exponent).max(0) as usize
}

/// The fewest decimals (at most `cap`) that write `v` without losing anything.
fn needed_decimals(v: f64, cap: usize) -> usize {
    (0..cap)
        .find(|&d| {
            let factor = 10f64.powi(d as i32);
            ((v * factor).round() / factor - v).abs() <= 1e-9 * v.abs().max(1.0)
        })
        .unwrap_or(cap)
}

/// Decimals needed to tell ticks `step` apart (2.5 needs one more than 2 or 5).
fn step_decimals(step: f64) -> usize {
    if step <= 0.0 || !step.is_finite() {
        return 0;
    }
    let exponent = step.log10().floor() as i32;
    let mantissa = step / 10f64.powi(exponent);
    let extra = usize::from((mantissa - 2.5).abs() < 1e-6);
    (-exponent + extra as i32).clamp(0, 12) as usize
}

/// The ticks of a value axis.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct Ticks {
    /// The axis minimum (the first tick).
    pub lo: f64,
    /// The axis maximum (the last tick).
    pub hi: f64,
    /// Distance between ticks: 1, 2, 2.5 or 5 × 10ⁿ.
    pub step: f64,
    /// Every tick, from `lo` to `hi`.
    pub values: Vec<f64>,
}

/// Mantissas of the allowed tick steps, smallest first.
const NICE: [f64; 4] = [1.0, 2.0, 2.5, 5.0];

/// Ticks covering `min..=max` with at most `max_intervals` steps of a "nice" size.
///
/// A zero-width range is widened to reach zero (or to 0..1 at zero), so a
/// single value still gets a readable axis.
pub(crate) fn nice_ticks(min: f64, max: f64, max_intervals: usize) -> Ticks {
    let (min, max) = widen(min, max);
    // An axis across zero needs a tick on each side of it.
    let fewest = if min < 0.0 && max > 0.0 { 2 } else { 1 };
    let intervals = max_intervals.max(fewest) as f64;
    let rough = (max - min) / intervals;
    if !rough.is_finite() || rough <= 0.0 {
        // Beyond f64 (|values| near 1e308): no nice step exists; plain ends.
        return make_ticks(min, max - min, 1);
    }
    let first = rough.log10().floor() as i32 - 1;
    for exponent in first..first + 4 {
        for mantissa in NICE {
            let step = mantissa * 10f64.powi(exponent);
            // The tolerance keeps 0.30000000000000004 from becoming an extra step.
            let lo = (min / step + 1e-9).floor() * step;
            let hi = (max / step - 1e-9).ceil() * step;
            let count = ((hi - lo) / step).round();
            if count <= intervals {
                return make_ticks(lo, step, count as usize);
            }
        }
    }
    // Unreachable for finite input (10·rough always fits); plain ends otherwise.
    make_ticks(min, max - min, 1)
}

/// Orders the bounds and gives a zero-width or broken range some extent.
fn widen(min: f64, max: f64) -> (f64, f64) {
    if !min.is_finite() || !max.is_finite() {
        return (0.0, 1.0);
    }
    // Past ±1e300 a span overflows; no chart is meaningful out there anyway.
    let (min, max) = (min.clamp(-1e300, 1e300), max.clamp(-1e300, 1e300));
    let (min, max) = if min <= max { (min, max) } else { (max, min) };
    if max - min > max.abs().max(min.abs()) * 1e-12 {
        return (min, max);
    }
    match min {
        v if v > 0.0 => (0.0, v),
        v if v < 0.0 => (v, 0.0),
        _ => (0.0, 1.0),
    }
}

fn make_ticks(lo: f64, step: f64, count: usize) -> Ticks {
    let values = (0..=count)
        .map(|i| {
            let v = lo + step * i as f64;
            // Snap float noise at zero so the zero line lands on a tick.
            if v.abs() < step * 1e-6 { 0.0 } else { v }
        })
        .collect::<Vec<_>>();
    let hi = *values.last().unwrap_or(&lo);
    Ticks { lo: values[0], hi, step, values }
}

/// True when the unit already names a magnitude, so numbers must not be abbreviated.
pub(crate) fn unit_has_magnitude(unit: Option<&str>) -> bool {
    let Some(unit) = unit else { return false };
    let lower = unit.to_lowercase();
    const WORDS: [&str; 14] = [
        "thousand", "million", "billion", "trillion", "mn", "bn", "tn", "mio", "mrd", "млн",
        "млрд", "тыс", "000", "k",
    ];
    lower.split(|c: char| !c.is_alphanumeric()).any(|word| {
        WORDS.contains(&word) || word.starts_with("million") || word.starts_with("billion")
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn style() -> ChartStyle {
        ChartStyle::default()
    }

    #[test]
    fn numbers_are_written_in_the_languages_digits() {
        let persian = ChartStyle {
            decimal: '٫',
            group: '٬',
            digits: ['۰', '۱', '۲', '۳', '۴', '۵', '۶', '۷', '۸', '۹'],
            ..ChartStyle::default()
        };
        assert_eq!(format_number(3.6, &persian), "۳٫۶");
        assert_eq!(format_number(1_250_000.0, &persian), "۱٫۳\u{a0}m");
        assert_eq!(format_number(1234.0, &persian), "۱٬۲۳۴");
        assert_eq!(format_number(3.6, &style()), "3.6");
    }

    #[test]
    fn axis_labels_use_the_languages_minus_sign() {
        let persian = ChartStyle { minus: '\u{2212}', ..ChartStyle::default() };
        let ticks = nice_ticks(-2000.0, 1000.0, 4);
        let format = NumberFormat::for_ticks(&ticks, true, &persian);
        assert_eq!(format.format(-2000.0), "\u{2212}2,000");
        assert_eq!(format.format(1000.0), "1,000");
        assert_eq!(NumberFormat::for_ticks(&ticks, true, &style()).format(-2000.0), "-2,000");
    }

    fn comma_style() -> ChartStyle {
        ChartStyle { decimal: ',', group: '.', ..ChartStyle::default() }
    }

    #[test]
    fn format_number_rules() {
        let s = style();
        assert_eq!(format_number(0.0, &s), "0");
        assert_eq!(format_number(-0.0, &s), "0");
        assert_eq!(format_number(0.001, &s), "0.001");
        assert_eq!(format_number(0.0012345, &s), "0.00123");
        assert_eq!(format_number(2.5, &s), "2.5");
        assert_eq!(format_number(12.345, &s), "12.3");
        assert_eq!(format_number(999.4, &s), "999");
        assert_eq!(format_number(1200.0, &s), "1,200");
        assert_eq!(format_number(123456.7, &s), "123,457");
        assert_eq!(format_number(1234567.0, &s), "1.2\u{a0}m");
        assert_eq!(format_number(350e6, &s), "350\u{a0}m");
        assert_eq!(format_number(3e6, &s), "3\u{a0}m");
        assert_eq!(format_number(2.5e9, &s), "2.5\u{a0}bn");
        assert_eq!(format_number(1.234e12, &s), "1,234\u{a0}bn");
        assert_eq!(format_number(-1200.0, &s), "-1,200");
        assert_eq!(format_number(-0.0004, &s), "-0.0004");
        assert_eq!(format_number(f64::NAN, &s), "n/a");
        assert_eq!(format_number(2.5e15, &s), "2.5e15");
        assert_eq!(format_number(-1e300, &s), "-1e300");
        assert_eq!(format_number(1.5e-9, &s), "1.5e-9");
    }

    #[test]
    fn format_number_decimal_comma() {
        let s = comma_style();
        assert_eq!(format_number(1234.5, &s), "1.235");
        assert_eq!(format_number(2.5, &s), "2,5");
        assert_eq!(format_number(2.5e20, &s), "2,5e20");
        assert_eq!(format_number(2.5e9, &s), "2,5\u{a0}bn");
        assert_eq!(format_number(-1234567.0, &s), "-1,2\u{a0}m");
    }

    #[test]
    fn nice_steps() {
        let t = nice_ticks(0.0, 97.0, 5);
        assert_eq!((t.lo, t.hi, t.step), (0.0, 100.0, 20.0));
        let t = nice_ticks(0.0, 9.0, 4);
        assert_eq!((t.lo, t.hi, t.step), (0.0, 10.0, 2.5));
        let t = nice_ticks(-3.2, 7.9, 6);
        assert_eq!((t.lo, t.hi, t.step), (-4.0, 8.0, 2.0));
        assert!(t.values.contains(&0.0));
        let t = nice_ticks(0.0, 1e9, 5);
        assert_eq!(t.step, 2e8);
        let t = nice_ticks(0.001, 0.004, 5);
        assert!((t.step - 0.001).abs() < 1e-12);
        let t = nice_ticks(0.0, 0.3, 3);
        assert_eq!(t.values.len(), 4);
    }

    #[test]
    fn nice_steps_degenerate() {
        let t = nice_ticks(0.0, 0.0, 5);
        assert_eq!((t.lo, t.hi, t.values.len()), (0.0, 1.0, 6));
        let t = nice_ticks(5.0, 5.0, 5);
        assert_eq!((t.lo, t.hi), (0.0, 5.0));
        let t = nice_ticks(-5.0, -5.0, 5);
        assert_eq!((t.lo, t.hi), (-5.0, 0.0));
        let t = nice_ticks(f64::NAN, 1.0, 5);
        assert_eq!((t.lo, t.hi), (0.0, 1.0));
        let t = nice_ticks(0.0, 1e9, 0);
        assert_eq!(t.values.len(), 2);
        let t = nice_ticks(-4.5, 15.5, 1);
        assert_eq!((t.lo, t.hi, t.step), (-20.0, 20.0, 20.0));
        let t = nice_ticks(1e-300, 1e300, 5);
        assert!(t.values.len() <= 6);
        let t = nice_ticks(-f64::MAX, f64::MAX, 5);
        assert!(!t.values.is_empty());
    }

    #[test]
    fn tick_labels_share_scale_and_decimals() {
        let s = style();
        let t = nice_ticks(0.0, 2.4e9, 5);
        let f = NumberFormat::for_ticks(&t, true, &s);
        let labels: Vec<_> = t.values.iter().map(|v| f.format(*v)).collect();
        assert_eq!(
            labels,
            ["0", "0.5\u{a0}bn", "1.0\u{a0}bn", "1.5\u{a0}bn", "2.0\u{a0}bn", "2.5\u{a0}bn"]
        );
        let f = NumberFormat::for_ticks(&t, false, &s);
        assert_eq!(f.format(5e8), "500,000,000");
        let t = nice_ticks(0.0, 9.0, 4);
        let f = NumberFormat::for_ticks(&t, true, &s);
        assert_eq!(f.format(7.5), "7.5");
        let t = nice_ticks(-30.0, 30.0, 2);
        assert_eq!(NumberFormat::for_ticks(&t, true, &s).format(25.0), "25");
        assert_eq!(f.format(5.0), "5.0");
    }

    #[test]
    fn value_labels() {
        let s = style();
        let t = nice_ticks(0.0, 40.0, 5);
        let axis = NumberFormat::for_ticks(&t, true, &s);
        let f = NumberFormat::for_values(&[12.5, 30.0, 3.0], &axis);
        assert_eq!(f.format(30.0), "30.0");
        let f = NumberFormat::for_values(&[12.0, 30.0], &axis);
        assert_eq!(f.format(30.0), "30");
    }

    #[test]
    fn value_labels_as_written() {
        let s = style();
        let axis = NumberFormat::for_ticks(&nice_ticks(0.0, 2000.0, 5), true, &s);
        let f = NumberFormat::for_values(&[1710.0, 1745.5], &axis);
        assert_eq!(f.written(1710.0), "1,710");
        assert_eq!(f.written(1745.5), "1,745.5");
        assert_eq!(f.format(1745.5), "1,746", "rounded where the space asks for it");
        let axis = NumberFormat::for_ticks(&nice_ticks(0.0, 40.0, 5), true, &s);
        assert_eq!(axis.written(2.25), "2.25");
        assert_eq!(axis.written(0.1 + 0.2), "0.30000000000000004");
        let axis = NumberFormat::for_ticks(&nice_ticks(0.0, 2e6, 5), true, &s);
        assert_eq!(axis.written(1_710_000.0), "1.71\u{a0}m");
    }

    #[test]
    fn magnitude_units() {
        assert!(unit_has_magnitude(Some("EUR million")));
        assert!(unit_has_magnitude(Some("£bn")));
        assert!(unit_has_magnitude(Some("млн руб.")));
        assert!(!unit_has_magnitude(Some("EUR")));
        assert!(!unit_has_magnitude(Some("%")));
        assert!(!unit_has_magnitude(None));
    }
}
