//! Dates as people read them: RFC 3339 in UTC plus the distance from now.

use std::time::{Duration, SystemTime, UNIX_EPOCH};

// humantime formats years up to 9999 only.
const LAST_FORMATTABLE: i64 = 253_402_300_799;

/// An expiry for text output: `2026-12-24T06:12:48Z (in 30 days)`, or
/// `never expires` for `None`. A value outside years 1970..=9999 is shown as
/// `unix SECONDS`, as sent.
pub fn expiry_text(unix: Option<i64>, now: SystemTime) -> String {
    match unix {
        None => "never expires".to_owned(),
        Some(secs) => match rfc3339(secs) {
            Some(at) => format!("{at} ({})", distance(secs, now)),
            None => format!("unix {secs}"),
        },
    }
}

/// `secs` after the Unix epoch as `YYYY-MM-DDTHH:MM:SSZ`, when formattable.
pub fn rfc3339(secs: i64) -> Option<String> {
    let secs = u64::try_from(secs)
        .ok()
        .filter(|s| *s as i64 <= LAST_FORMATTABLE)?;
    let at = UNIX_EPOCH.checked_add(Duration::from_secs(secs))?;
    Some(humantime::format_rfc3339_seconds(at).to_string())
}

/// `in 30 days`, `3 hours ago`, `now`: the distance from `now` to `secs`,
/// rounded to the largest unit that fits.
pub fn distance(secs: i64, now: SystemTime) -> String {
    let now = match now.duration_since(UNIX_EPOCH) {
        Ok(d) => i64::try_from(d.as_secs()).unwrap_or(i64::MAX),
        Err(e) => -i64::try_from(e.duration().as_secs()).unwrap_or(i64::MAX),
    };
    let delta = secs.saturating_sub(now);
    let abs = delta.unsigned_abs();
    let (n, unit) = [(86_400, "day"), (3_600, "hour"), (60, "minute")]
        .into_iter()
        .find(|(size, _)| abs >= *size)
        .map_or((abs, "second"), |(size, unit)| {
            ((abs + size / 2) / size, unit)
        });
    if n == 0 {
        return "now".to_owned();
    }
    let plural = if n == 1 { "" } else { "s" };
    if delta > 0 {
        format!("in {n} {unit}{plural}")
    } else {
        format!("{n} {unit}{plural} ago")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn at(secs: u64) -> SystemTime {
        UNIX_EPOCH + Duration::from_secs(secs)
    }

    #[test]
    fn expiry_in_both_directions() {
        let now = 1_795_500_768; // 2026-11-24T06:12:48Z
        let in_30_days = now as i64 + 30 * 86_400;
        assert_eq!(
            expiry_text(Some(in_30_days), at(now)),
            "2026-12-24T06:12:48Z (in 30 days)"
        );
        // A few seconds spent minting still reads as 30 days.
        assert_eq!(
            expiry_text(Some(in_30_days), at(now + 3)),
            "2026-12-24T06:12:48Z (in 30 days)"
        );
        assert_eq!(distance(now as i64 - 7_200, at(now)), "2 hours ago");
        assert_eq!(distance(now as i64 + 60, at(now)), "in 1 minute");
        assert_eq!(distance(now as i64 + 59, at(now)), "in 59 seconds");
        assert_eq!(distance(now as i64, at(now)), "now");
        assert_eq!(expiry_text(None, at(now)), "never expires");
    }

    #[test]
    fn values_beyond_the_calendar_are_shown_raw() {
        let now = at(1_795_500_768);
        assert_eq!(expiry_text(Some(-5), now), "unix -5");
        assert_eq!(
            expiry_text(Some(i64::MAX), now),
            format!("unix {}", i64::MAX)
        );
        assert_eq!(
            rfc3339(LAST_FORMATTABLE).as_deref(),
            Some("9999-12-31T23:59:59Z")
        );
        assert_eq!(rfc3339(0).as_deref(), Some("1970-01-01T00:00:00Z"));
        assert_eq!(distance(i64::MIN, now).split(' ').nth(2), Some("ago"));
    }
}
