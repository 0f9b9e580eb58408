//! Small formatting helpers shared by panes: ages, truncation to display width.

use chrono::{DateTime, Utc};
use unicode_width::UnicodeWidthChar;

/// "5m", "3h", "2d", "6w": how long ago, in the fewest characters.
pub fn age(now: DateTime<Utc>, then: Option<DateTime<Utc>>) -> String {
    let Some(then) = then else {
        return String::new();
    };
    let secs = (now - then).num_seconds().max(0);
    match secs {
        0..60 => "now".into(),
        60..3_600 => format!("{}m", secs / 60),
        3_600..86_400 => format!("{}h", secs / 3_600),
        86_400..1_209_600 => format!("{}d", secs / 86_400),
        _ => format!("{}w", secs / 604_800),
    }
}

/// "just now", "5m ago": how long ago something happened, for "saved …" and "refreshed …".
pub fn ago(now: DateTime<Utc>, then: DateTime<Utc>) -> String {
    match age(now, Some(then)).as_str() {
        "now" => "just now".to_string(),
        short => format!("{short} ago"),
    }
}

/// Cuts `text` to `width` display columns, ending with "…" when something was cut.
pub fn fit(text: &str, width: usize) -> String {
    let mut out = String::new();
    let mut used = 0;
    let total: usize = text.chars().map(|c| c.width().unwrap_or(0)).sum();
    if total <= width {
        return text.to_string();
    }
    for ch in text.chars() {
        let w = ch.width().unwrap_or(0);
        if used + w + 1 > width {
            break;
        }
        out.push(ch);
        used += w;
    }
    if width > 0 {
        out.push('…');
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ages_are_short() {
        let now = DateTime::from_timestamp(1_800_000_000, 0).unwrap();
        let ago = |s: i64| age(now, Some(now - chrono::Duration::seconds(s)));
        assert_eq!(ago(5), "now");
        assert_eq!(ago(300), "5m");
        assert_eq!(ago(7_200), "2h");
        assert_eq!(ago(3 * 86_400), "3d");
        assert_eq!(ago(30 * 86_400), "4w");
        assert_eq!(age(now, None), "");
    }

    #[test]
    fn fit_counts_display_columns() {
        assert_eq!(fit("Printer", 10), "Printer");
        assert_eq!(fit("Printer jam", 8), "Printer…");
        assert_eq!(fit("打印机打印", 5), "打印…");
    }
}
