//! 公民身份号码 (GB 11643-1999): check digit, embedded birth date, masking.

use jiff::civil::Date;

const WEIGHTS: [u32; 17] = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2];
const CHECK: &[u8; 11] = b"10X98765432";

/// The check character (GB 11643) of an 18-digit number's first 17 digits.
fn check_char(body: &[u8]) -> u8 {
    let sum: u32 = body
        .iter()
        .zip(WEIGHTS)
        .map(|(c, w)| u32::from(c - b'0') * w)
        .sum();
    CHECK[(sum % 11) as usize]
}

/// What is wrong with an ID number.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum IdError {
    /// Not 18 characters (nor a legacy 15-digit number), or a non-digit where a digit belongs.
    Malformed,
    /// The check character does not match; holds the one it should be.
    CheckDigit(char),
    /// The embedded birth date does not exist or lies after the as-of date.
    BirthDate,
}

/// A well-formed ID number.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct IdNumber {
    pub normalized: String,
    pub birth: Date,
}

/// Upper-case, full-width folded, spaces removed: the form IDs are compared in.
pub fn normalize(raw: &str) -> String {
    crate::text::normalize(raw).to_uppercase()
}

/// Check an ID number against GB 11643 (18 characters) or the legacy 15-digit form.
///
/// ```
/// use dangan::idnum::{check, IdError};
/// let today = jiff::civil::date(2026, 11, 30);
/// let id = check("11010519491231002x", today).unwrap();
/// assert_eq!((id.normalized.as_str(), id.birth.to_string()), ("11010519491231002X", "1949-12-31".into()));
/// assert_eq!(check("110105194912310021", today), Err(IdError::CheckDigit('X')));
/// assert_eq!(check("110105194902300020", today).unwrap_err(), IdError::BirthDate);
/// assert_eq!(check("12345", today), Err(IdError::Malformed));
/// // The legacy 15-digit form: a 19xx birth year.
/// assert_eq!(check("110105491231002", today).unwrap().birth.to_string(), "1949-12-31");
/// ```
pub fn check(raw: &str, as_of: Date) -> Result<IdNumber, IdError> {
    let s = normalize(raw);
    let b = s.as_bytes();
    let (birth, normalized) = match b.len() {
        18 => {
            if !b[..17].iter().all(u8::is_ascii_digit) || !(b[17].is_ascii_digit() || b[17] == b'X')
            {
                return Err(IdError::Malformed);
            }
            let expected = check_char(&b[..17]);
            if b[17] != expected {
                return Err(IdError::CheckDigit(expected as char));
            }
            (birth_of(&s[6..10], &s[10..12], &s[12..14]), s)
        }
        15 => {
            if !b.iter().all(u8::is_ascii_digit) {
                return Err(IdError::Malformed);
            }
            let year = format!("19{}", &s[6..8]);
            (birth_of(&year, &s[8..10], &s[10..12]), s)
        }
        _ => return Err(IdError::Malformed),
    };
    match birth {
        Some(birth) if birth <= as_of => Ok(IdNumber { normalized, birth }),
        _ => Err(IdError::BirthDate),
    }
}

fn birth_of(y: &str, m: &str, d: &str) -> Option<Date> {
    let y: i16 = y.parse().ok()?;
    let m: i8 = m.parse().ok()?;
    let d: i8 = d.parse().ok()?;
    if y < 1850 {
        return None;
    }
    Date::new(y, m, d).ok()
}

/// Find an ID number inside a folder name such as `张三（110101199001011234）`.
///
/// ```
/// assert_eq!(dangan::idnum::find_in("03-张三（11010519491231002x）").as_deref(), Some("11010519491231002X"));
/// assert_eq!(dangan::idnum::find_in("2021年第一批"), None);
/// ```
pub fn find_in(text: &str) -> Option<String> {
    let s = normalize(text);
    let b = s.as_bytes();
    let mut i = 0;
    while i < b.len() {
        if b[i].is_ascii_digit() {
            let start = i;
            while i < b.len() && (b[i].is_ascii_digit() || b[i] == b'X') {
                i += 1;
            }
            let run = &s[start..i];
            if run.len() == 18 || (run.len() == 15 && !run.contains('X')) {
                return Some(run.to_string());
            }
        } else {
            i += 1;
        }
    }
    None
}

/// `110101********1234`: region and last four kept, birth date hidden.
///
/// ```
/// assert_eq!(dangan::idnum::mask("11010519491231002X"), "110105********002X");
/// ```
pub fn mask(id: &str) -> String {
    let chars: Vec<char> = id.chars().collect();
    // Ten characters or fewer have no middle to hide beside the six and the four kept.
    if chars.len() <= 10 {
        return "*".repeat(chars.len());
    }
    let n = chars.len();
    let mut out: String = chars[..6].iter().collect();
    out.push_str(&"*".repeat(n - 10));
    out.extend(&chars[n - 4..]);
    out
}

/// Mask every ID number inside a text (a folder name, a path).
pub fn mask_all(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut run = String::new();
    let flush = |run: &mut String, out: &mut String| {
        if run.len() == 18 || (run.len() == 15 && !run.contains(['X', 'x'])) {
            out.push_str(&mask(run));
        } else {
            out.push_str(run);
        }
        run.clear();
    };
    for c in text.chars() {
        if c.is_ascii_digit() || (matches!(c, 'X' | 'x') && run.len() == 17) {
            run.push(c);
        } else {
            flush(&mut run, &mut out);
            out.push(c);
        }
    }
    flush(&mut run, &mut out);
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn today() -> Date {
        Date::new(2026, 11, 28).unwrap()
    }

    #[test]
    fn valid_numbers() {
        let id = check("11010519491231002X", today()).unwrap();
        assert_eq!(id.birth.to_string(), "1949-12-31");
        assert!(check("11010519491231002x", today()).is_ok());
        assert_eq!(
            check("110105491231002", today()).unwrap().birth.to_string(),
            "1949-12-31"
        );
    }

    #[test]
    fn invalid_numbers() {
        assert_eq!(
            check("110105194912310021", today()),
            Err(IdError::CheckDigit('X'))
        );
        assert_eq!(check("1101051949123100", today()), Err(IdError::Malformed));
        assert_eq!(
            check("11010519491231002A", today()),
            Err(IdError::Malformed)
        );
        // 1990-02-30 does not exist; the check digit is right for these 17 digits.
        let body = "11010119900230123";
        let full = format!("{body}{}", check_char(body.as_bytes()) as char);
        assert_eq!(check(&full, today()), Err(IdError::BirthDate));
    }

    #[test]
    fn a_birth_after_the_as_of_date_or_before_1850_is_wrong_and_at_the_limits_is_not() {
        let with_check = |body: &str| format!("{body}{}", check_char(body.as_bytes()) as char);
        let on = with_check("11010120261128123");
        assert_eq!(check(&on, today()).map(|i| i.birth), Ok(today()));
        let after = with_check("11010120261129123");
        assert_eq!(check(&after, today()), Err(IdError::BirthDate));
        // Nobody alive was born before 1850: a year typed wrong.
        let first = with_check("11010118500101123");
        assert_eq!(
            check(&first, today()).map(|i| i.birth.to_string()),
            Ok("1850-01-01".into())
        );
        let before = with_check("11010118491231123");
        assert_eq!(check(&before, today()), Err(IdError::BirthDate));
    }

    #[test]
    fn finds_and_masks() {
        assert_eq!(
            find_in("张三（11010519491231002X）").as_deref(),
            Some("11010519491231002X")
        );
        assert_eq!(find_in("03-张三"), None);
        assert_eq!(mask("11010519491231002X"), "110105********002X");
        assert_eq!(
            mask_all("支部/王芳（11010519491231002X）/a.pdf"),
            "支部/王芳（110105********002X）/a.pdf"
        );
        assert_eq!(mask_all("03-张三 2021"), "03-张三 2021");
        // A value too short to be an ID number is hidden whole; one past it keeps its ends.
        assert_eq!(mask("1101011990"), "**********");
        assert_eq!(mask("11010119901"), "110101*9901");
        // An ID number at the very end of a name; 15 digits are an old number, 15 with an X
        // are not.
        assert_eq!(
            find_in("张三11010519491231002X").as_deref(),
            Some("11010519491231002X")
        );
        assert_eq!(
            find_in("张三（110105491231002）").as_deref(),
            Some("110105491231002")
        );
        assert_eq!(find_in("张三（11010549123100X）"), None);
        // An old 15-digit number in a path is masked; 17 digits and a slash are no number.
        assert_eq!(
            mask_all("支部/王芳（110105491231002）/a.pdf"),
            "支部/王芳（110105*****1002）/a.pdf"
        );
        assert_eq!(mask_all("11010519491231002/a"), "11010519491231002/a");
    }
}
