//! HTTP dates (RFC 9110 §5.6.7), as servers send them in `Date` and `Retry-After`: the retry
//! policy reads a server's retry hint and the server clock (for clock-skew correction) from them.

use crate::calendar::{days_from_civil, days_in_month};

/// Short weekday names, as IMF-fixdate and asctime write them.
const DAYS: [&str; 7] = ["Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun"];
/// Long weekday names, as the obsolete RFC 850 form writes them.
const LONG_DAYS: [&str; 7] = [
    "Monday",
    "Tuesday",
    "Wednesday",
    "Thursday",
    "Friday",
    "Saturday",
    "Sunday",
];
const MONTHS: [&str; 12] = [
    "Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec",
];

/// Longer text is no HTTP date (the longest form has 33 characters); checked first so a huge
/// header costs nothing.
const MAX_LEN: usize = 64;

/// Parses an HTTP date to unix seconds, in the three forms RFC 9110 requires recipients to
/// accept:
///
/// * IMF-fixdate: `Sun, 06 Nov 1994 08:49:37 GMT`;
/// * RFC 850 (obsolete): `Sunday, 06-Nov-94 08:49:37 GMT`, two-digit years 70–99 being 19xx and
///   00–69 20xx;
/// * asctime: `Sun Nov  6 08:49:37 1994` (fields separated by one or more spaces, the day one
///   or two digits).
///
/// Surrounding whitespace is ignored. The weekday must be a valid name but is not checked against
/// the date; a leap second (`:60`) counts as `:59`. `None` for anything else, including
/// impossible dates such as 31 Feb.
pub fn parse_http_date(s: &str) -> Option<i64> {
    let s = s.trim();
    if s.len() > MAX_LEN {
        return None;
    }
    imf_fixdate(s).or_else(|| rfc850(s)).or_else(|| asctime(s))
}

/// `Sun, 06 Nov 1994 08:49:37 GMT`.
fn imf_fixdate(s: &str) -> Option<i64> {
    let (weekday, rest) = s.split_once(", ")?;
    if !DAYS.contains(&weekday) {
        return None;
    }
    let fields: Vec<&str> = rest.split(' ').collect();
    let [day, month, year, time, "GMT"] = fields.as_slice() else {
        return None;
    };
    unix_seconds(
        digits(year, 4)?,
        month_number(month)?,
        digits(day, 2)?,
        time,
    )
}

/// `Sunday, 06-Nov-94 08:49:37 GMT`.
fn rfc850(s: &str) -> Option<i64> {
    let (weekday, rest) = s.split_once(", ")?;
    if !LONG_DAYS.contains(&weekday) {
        return None;
    }
    let fields: Vec<&str> = rest.split(' ').collect();
    let [date, time, "GMT"] = fields.as_slice() else {
        return None;
    };
    let date: Vec<&str> = date.split('-').collect();
    let [day, month, yy] = date.as_slice() else {
        return None;
    };
    let yy = digits(yy, 2)?;
    let year = if yy >= 70 { 1900 + yy } else { 2000 + yy };
    unix_seconds(year, month_number(month)?, digits(day, 2)?, time)
}

/// `Sun Nov  6 08:49:37 1994` (or `Sun Nov 06 ...`).
fn asctime(s: &str) -> Option<i64> {
    let (weekday, rest) = s.split_once(' ')?;
    if !DAYS.contains(&weekday) {
        return None;
    }
    let fields: Vec<&str> = rest.split(' ').filter(|f| !f.is_empty()).collect();
    let [month, day, time, year] = fields.as_slice() else {
        return None;
    };
    let day = digits(day, 1).or_else(|| digits(day, 2))?;
    unix_seconds(digits(year, 4)?, month_number(month)?, day, time)
}

/// `Jan` → 1 ... `Dec` → 12 (exact case, as the grammar has it).
fn month_number(name: &str) -> Option<i64> {
    let index = MONTHS.iter().position(|m| *m == name)?;
    Some(index as i64 + 1)
}

/// Exactly `len` ASCII digits (`str::parse` alone would also take a sign).
fn digits(s: &str, len: usize) -> Option<i64> {
    if s.len() == len && s.bytes().all(|b| b.is_ascii_digit()) {
        s.parse().ok()
    } else {
        None
    }
}

/// `hh:mm:ss` on a valid date, as unix seconds.
fn unix_seconds(year: i64, month: i64, day: i64, time: &str) -> Option<i64> {
    let time: Vec<&str> = time.split(':').collect();
    let [h, m, s] = time.as_slice() else {
        return None;
    };
    let (h, m, s) = (digits(h, 2)?, digits(m, 2)?, digits(s, 2)?);
    if h > 23 || m > 59 || s > 60 || !(1..=days_in_month(year, month)).contains(&day) {
        return None;
    }
    Some(days_from_civil(year, month, day) * 86_400 + h * 3600 + m * 60 + s.min(59))
}

#[cfg(test)]
mod tests {
    use super::parse_http_date;

    #[test]
    fn each_form_and_its_limits() {
        let t = 784_111_777; // 1994-11-06T08:49:37Z
        for s in [
            "Sun, 06 Nov 1994 08:49:37 GMT",
            "Sunday, 06-Nov-94 08:49:37 GMT",
            "Sun Nov  6 08:49:37 1994",
            "Sun Nov 06 08:49:37 1994",
            "Sun   Nov 6   08:49:37   1994",
            "Mon, 06 Nov 1994 08:49:37 GMT",
        ] {
            assert_eq!(parse_http_date(s), Some(t), "{s:?}");
        }
        assert_eq!(
            parse_http_date("Tue, 31 Dec 2024 23:59:60 GMT"),
            parse_http_date("Tue, 31 Dec 2024 23:59:59 GMT")
        );
        assert_eq!(
            parse_http_date("Wednesday, 31-Dec-69 23:59:59 GMT"),
            Some(3_155_759_999)
        );
        assert_eq!(parse_http_date("Thursday, 01-Jan-70 00:00:00 GMT"), Some(0));
        for bad in [
            "Sun,  06 Nov 1994 08:49:37 GMT",
            "sun, 06 Nov 1994 08:49:37 GMT",
            "Sun, 06 nov 1994 08:49:37 GMT",
            "Sun, +6 Nov 1994 08:49:37 GMT",
            "Sun, 06 Nov 1994 08:49:37:00 GMT",
            "Sun, 06 Nov 1994 08:60:37 GMT",
            "Sun, 06 Nov 1994 08:49:61 GMT",
            "Sun, 06 Nov 1994 8:49:37 GMT",
            "Sun, 29 Feb 1900 08:49:37 GMT",
            "Sun, 00 Nov 1994 08:49:37 GMT",
            "Sun, 06-Nov-94 08:49:37 GMT",
            "Sunday, 06 Nov 1994 08:49:37 GMT",
            "Sunday, 06-Nov-94-1 08:49:37 GMT",
            "Sun Nov 006 08:49:37 1994",
            "Sun Nov 6 08:49:37 94",
            "Sun Nov 6 08:49:37 1994 GMT",
            "Sun,Nov 6 08:49:37 1994",
            "Sunday Nov 6 08:49:37 1994",
        ] {
            assert_eq!(parse_http_date(bad), None, "{bad:?}");
        }
        let padded = format!("{}Sun, 06 Nov 1994 08:49:37 GMT", " ".repeat(100));
        assert_eq!(
            parse_http_date(&padded),
            Some(t),
            "trimmed before the length check"
        );
    }
}
