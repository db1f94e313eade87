//! Proleptic Gregorian calendar arithmetic on day counts since 1970-01-01, shared by the
//! SigV4 timestamps and the HTTP dates of retry and clock-skew handling.

/// Days since 1970-01-01 of a proleptic Gregorian date (H. Hinnant's algorithm).
pub(crate) fn days_from_civil(y: i64, m: i64, d: i64) -> i64 {
    let y = if m <= 2 { y - 1 } else { y };
    let era = if y >= 0 { y } else { y - 399 } / 400;
    let yoe = y - era * 400;
    let mp = (m + 9) % 12;
    let doy = (153 * mp + 2) / 5 + d - 1;
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    era * 146_097 + doe - 719_468
}

/// Proleptic Gregorian (year, month, day) of a day count since 1970-01-01.
pub(crate) fn civil_from_days(z: i64) -> (i64, i64, i64) {
    let z = z + 719_468;
    let era = if z >= 0 { z } else { z - 146_096 } / 146_097;
    let doe = z - era * 146_097;
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let y = yoe + era * 400;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let d = doy - (153 * mp + 2) / 5 + 1;
    let m = if mp < 10 { mp + 3 } else { mp - 9 };
    (if m <= 2 { y + 1 } else { y }, m, d)
}

pub(crate) fn is_leap(y: i64) -> bool {
    (y % 4 == 0 && y % 100 != 0) || y % 400 == 0
}

pub(crate) fn days_in_month(y: i64, m: i64) -> i64 {
    match m {
        2 if is_leap(y) => 29,
        2 => 28,
        4 | 6 | 9 | 11 => 30,
        _ => 31,
    }
}

// ---------------------------------------------------------------------------------------
// ISO 8601 UTC timestamps (the SigV4 `x-amz-date` and RFC 3339 forms)
// ---------------------------------------------------------------------------------------

/// Smallest unix time with a four-digit year: 0000-01-01T00:00:00Z.
pub(crate) const MIN_UNIX: i64 = -62_167_219_200;
/// Largest unix time with a four-digit year: 9999-12-31T23:59:59Z.
pub(crate) const MAX_UNIX: i64 = 253_402_300_799;

const SECONDS_PER_DAY: i64 = 86_400;

/// Unix seconds as the ISO 8601 basic form `YYYYMMDDTHHMMSSZ`, e.g. `20150830T123600Z`.
/// Times outside [`MIN_UNIX`]..=[`MAX_UNIX`] are clamped (the form has a four-digit year).
pub(crate) fn format_basic(unix: i64) -> String {
    let t = unix.clamp(MIN_UNIX, MAX_UNIX);
    let (year, month, day) = civil_from_days(t.div_euclid(SECONDS_PER_DAY));
    let secs = t.rem_euclid(SECONDS_PER_DAY);
    let (hour, minute, second) = (secs / 3600, secs / 60 % 60, secs % 60);
    format!("{year:04}{month:02}{day:02}T{hour:02}{minute:02}{second:02}Z")
}

/// Unix seconds of a UTC timestamp in the ISO 8601 basic form `20150830T123600Z` or the
/// extended (RFC 3339) form `2015-08-30T12:36:00Z`.
///
/// The extended form may also have a space instead of `T`, fractional seconds (`.000` or
/// `,000`, 1 to 9 digits, truncated) and an offset instead of `Z` (`+00:00`, `-0530`, `+05`).
/// `T` and `Z` may be lower-case in both forms. `None` for anything else, an impossible date
/// (e.g. 2015-02-29), a leap second, or a time outside years 0000–9999.
pub(crate) fn parse_timestamp(s: &str) -> Option<i64> {
    let (date, time) = s.split_once(['T', 't', ' '])?;
    let extended = date.len() == 10;
    if s.as_bytes().get(date.len()) == Some(&b' ') && !extended {
        return None;
    }
    let (year, month, day) = if extended {
        let mut fields = date.split('-');
        let ymd = (
            digits(fields.next()?, 4)?,
            digits(fields.next()?, 2)?,
            digits(fields.next()?, 2)?,
        );
        if fields.next().is_some() {
            return None;
        }
        ymd
    } else {
        (
            digits(date.get(..4)?, 4)?,
            digits(date.get(4..6)?, 2)?,
            digits(date.get(6..)?, 2)?,
        )
    };

    // The clock runs up to the zone designator: `Z`, or (extended only) a signed offset.
    let zone_at = time.find(['Z', 'z', '+', '-'])?;
    let (clock, zone) = time.split_at(zone_at);
    let offset = match zone {
        "Z" | "z" => 0,
        _ if extended => parse_offset(zone)?,
        _ => return None,
    };
    let (hour, minute, second) = if extended {
        let hms = match clock.split_once(['.', ',']) {
            Some((hms, fraction)) => {
                let all_digits = fraction.bytes().all(|b| b.is_ascii_digit());
                if !(1..=9).contains(&fraction.len()) || !all_digits {
                    return None;
                }
                hms
            }
            None => clock,
        };
        let mut fields = hms.split(':');
        let hms = (
            digits(fields.next()?, 2)?,
            digits(fields.next()?, 2)?,
            digits(fields.next()?, 2)?,
        );
        if fields.next().is_some() {
            return None;
        }
        hms
    } else {
        (
            digits(clock.get(..2)?, 2)?,
            digits(clock.get(2..4)?, 2)?,
            digits(clock.get(4..)?, 2)?,
        )
    };

    let valid = (1..=12).contains(&month)
        && (1..=days_in_month(year, month)).contains(&day)
        && hour <= 23
        && minute <= 59
        && second <= 59;
    if !valid {
        return None;
    }
    let unix =
        days_from_civil(year, month, day) * SECONDS_PER_DAY + hour * 3600 + minute * 60 + second
            - offset;
    (MIN_UNIX..=MAX_UNIX).contains(&unix).then_some(unix)
}

/// Seconds east of UTC of an offset `+HH`, `+HHMM` or `+HH:MM` (or `-`), hours 0–23.
fn parse_offset(zone: &str) -> Option<i64> {
    let (sign, rest) = if let Some(rest) = zone.strip_prefix('+') {
        (1, rest)
    } else {
        (-1, zone.strip_prefix('-')?)
    };
    let (hours, minutes) = match rest.len() {
        2 => (rest, "00"),
        4 => (rest.get(..2)?, rest.get(2..)?),
        5 if rest.as_bytes().get(2) == Some(&b':') => (rest.get(..2)?, rest.get(3..)?),
        _ => return None,
    };
    let (hours, minutes) = (digits(hours, 2)?, digits(minutes, 2)?);
    if hours > 23 || minutes > 59 {
        return None;
    }
    Some(sign * (hours * 3600 + minutes * 60))
}

/// The value of `s` if it is exactly `len` ASCII digits.
fn digits(s: &str, len: usize) -> Option<i64> {
    if s.len() != len || !s.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    s.parse().ok()
}
