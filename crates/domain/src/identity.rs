//! Identifiers of parties: the resident identity number (居民身份证号码, GB 11643) and the
//! unified social credit code (统一社会信用代码, GB 32100). Both end in a checksum, so a
//! mistyped number is refused at the edge.

use std::fmt;

use jiff::civil::Date;
use serde::{Deserialize, Serialize};

#[derive(Debug, thiserror::Error, PartialEq, Eq)]
pub enum IdentityError {
    #[error("a resident ID number has 18 characters: 17 digits and a digit or X")]
    IdShape,
    #[error("the resident ID number's birth date is not a real date")]
    IdBirthDate,
    #[error("the resident ID number's check character is wrong")]
    IdChecksum,
    #[error(
        "a unified social credit code has 18 characters from 0-9 and A-Y without I, O, S, V, Z"
    )]
    CreditShape,
    #[error("the unified social credit code's check character is wrong")]
    CreditChecksum,
}

impl IdentityError {
    /// What is wrong, as the message catalogue names it (a refusal's `problem`).
    pub fn code(&self) -> &'static str {
        match self {
            IdentityError::IdShape | IdentityError::CreditShape => "shape",
            IdentityError::IdBirthDate => "birth_date",
            IdentityError::IdChecksum | IdentityError::CreditChecksum => "checksum",
        }
    }
}

/// A resident identity number with a valid checksum and birth date. Its `Display` and `Debug`
/// show it masked, so it cannot reach a log or a public page by accident; use
/// [`IdNumber::reveal`] where the full number is needed (and audit that read).
#[derive(Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(try_from = "String", into = "String")]
pub struct IdNumber(String);

const ID_WEIGHTS: [u32; 17] = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2];
const ID_CHECK: [char; 11] = ['1', '0', 'X', '9', '8', '7', '6', '5', '4', '3', '2'];

impl IdNumber {
    pub fn parse(s: &str) -> Result<Self, IdentityError> {
        let s = s.trim().to_ascii_uppercase();
        let b = s.as_bytes();
        if b.len() != 18
            || !b[..17].iter().all(u8::is_ascii_digit)
            || !(b[17].is_ascii_digit() || b[17] == b'X')
        {
            return Err(IdentityError::IdShape);
        }
        let sum: u32 = b[..17]
            .iter()
            .zip(ID_WEIGHTS)
            .map(|(d, w)| u32::from(d - b'0') * w)
            .sum();
        if ID_CHECK[(sum % 11) as usize] != char::from(b[17]) {
            return Err(IdentityError::IdChecksum);
        }
        let id = IdNumber(s);
        id.birth_date()?;
        Ok(id)
    }

    pub fn birth_date(&self) -> Result<Date, IdentityError> {
        let n = |r: std::ops::Range<usize>| self.0.get(r).and_then(|t| t.parse::<i16>().ok());
        match (n(6..10), n(10..12), n(12..14)) {
            (Some(y), Some(m), Some(d)) => {
                Date::new(y, m as i8, d as i8).map_err(|_| IdentityError::IdBirthDate)
            }
            _ => Err(IdentityError::IdBirthDate),
        }
    }

    /// Under 18 on `on` (minors are never put on the dishonest-debtor list).
    pub fn is_minor_on(&self, on: Date) -> bool {
        match self.birth_date() {
            Ok(b) => {
                let mut age = on.year() - b.year();
                if (on.month(), on.day()) < (b.month(), b.day()) {
                    age -= 1;
                }
                age < 18
            }
            Err(_) => false,
        }
    }

    /// As shown on public routes: the first and last four characters (`1101**********123X`).
    pub fn masked(&self) -> String {
        mask(&self.0)
    }

    pub fn reveal(&self) -> &str {
        &self.0
    }
}

/// The canonical form of a resident ID number or a unified social credit code (whichever
/// `s` is), from which blind indexes are computed; `None` if it is neither.
pub fn normalise(s: &str) -> Option<String> {
    if let Ok(i) = IdNumber::parse(s) {
        Some(i.0)
    } else {
        CreditCode::parse(s).ok().map(|c| c.0)
    }
}

/// Keeps the first and last four characters of an identifier.
pub fn mask(s: &str) -> String {
    let chars: Vec<char> = s.chars().collect();
    if chars.len() <= 8 {
        return "*".repeat(chars.len());
    }
    let n = chars.len();
    chars[..4]
        .iter()
        .chain(std::iter::repeat_n(&'*', n - 8))
        .chain(&chars[n - 4..])
        .collect()
}

impl fmt::Display for IdNumber {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.masked())
    }
}
impl fmt::Debug for IdNumber {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "IdNumber({})", self.masked())
    }
}
impl TryFrom<String> for IdNumber {
    type Error = IdentityError;
    fn try_from(s: String) -> Result<Self, Self::Error> {
        IdNumber::parse(&s)
    }
}
impl From<IdNumber> for String {
    fn from(i: IdNumber) -> String {
        i.0
    }
}

/// A unified social credit code with a valid checksum.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(try_from = "String", into = "String")]
pub struct CreditCode(String);

const CREDIT_CHARS: &str = "0123456789ABCDEFGHJKLMNPQRTUWXY";
const CREDIT_WEIGHTS: [usize; 17] = [
    1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28,
];

impl CreditCode {
    pub fn parse(s: &str) -> Result<Self, IdentityError> {
        let s = s.trim().to_ascii_uppercase();
        let vals: Option<Vec<usize>> = s.chars().map(|c| CREDIT_CHARS.find(c)).collect();
        let vals = vals
            .filter(|v| v.len() == 18)
            .ok_or(IdentityError::CreditShape)?;
        let sum: usize = vals[..17]
            .iter()
            .zip(CREDIT_WEIGHTS)
            .map(|(v, w)| v * w)
            .sum();
        let check = (31 - sum % 31) % 31;
        if vals[17] != check {
            return Err(IdentityError::CreditChecksum);
        }
        Ok(CreditCode(s))
    }
    pub fn as_str(&self) -> &str {
        &self.0
    }
}
impl TryFrom<String> for CreditCode {
    type Error = IdentityError;
    fn try_from(s: String) -> Result<Self, Self::Error> {
        CreditCode::parse(&s)
    }
}
impl From<CreditCode> for String {
    fn from(c: CreditCode) -> String {
        c.0
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use jiff::civil::date;

    #[test]
    fn id_numbers_check_sum_and_birth_date() {
        // The GB 11643 worked example.
        assert!(IdNumber::parse("11010519491231002X").is_ok());
        assert_eq!(
            IdNumber::parse("110105194912310021"),
            Err(IdentityError::IdChecksum)
        );
        assert_eq!(
            IdNumber::parse("1101051949123100"),
            Err(IdentityError::IdShape)
        );
        assert_eq!(
            IdNumber::parse("110105194913310024")
                .err()
                .map(|e| e == IdentityError::IdChecksum || e == IdentityError::IdBirthDate),
            Some(true)
        );
    }

    #[test]
    fn an_impossible_birth_date_is_refused_even_with_a_good_checksum() {
        assert_eq!(
            IdNumber::parse("110105198013010013"),
            Err(IdentityError::IdBirthDate)
        );
    }

    #[test]
    fn each_problem_has_the_code_the_catalogue_words() {
        let codes = |s: &str| {
            (
                IdNumber::parse(s).err().map(|e| e.code()),
                CreditCode::parse(s).err().map(|e| e.code()),
            )
        };
        assert_eq!(
            codes("110105194912310021"),
            (Some("checksum"), Some("checksum"))
        );
        assert_eq!(codes("110105198013010013").0, Some("birth_date"));
        assert_eq!(codes("91350100M000100Y44").1, Some("checksum"));
        assert_eq!(codes("x"), (Some("shape"), Some("shape")));
    }

    fn with_check(body: &str) -> String {
        let sum: u32 = body
            .bytes()
            .zip(ID_WEIGHTS)
            .map(|(d, w)| u32::from(d - b'0') * w)
            .sum();
        format!("{body}{}", ID_CHECK[(sum % 11) as usize])
    }

    proptest::proptest! {
        #[test]
        fn valid_numbers_parse_and_any_changed_check_character_fails(
            region in 110000u32..660000, y in 1900i16..2020, m in 1u8..=12, d in 1u8..=28, seq in 0u16..1000, other in 0usize..11
        ) {
            let id = with_check(&format!("{region:06}{y:04}{m:02}{d:02}{seq:03}"));
            let parsed = IdNumber::parse(&id);
            proptest::prop_assert!(parsed.is_ok(), "{id}");
            proptest::prop_assert_eq!(parsed.map(|p| p.birth_date().ok()).ok().flatten(), Date::new(y, m as i8, d as i8).ok());
            let wrong = ID_CHECK[other];
            if id.ends_with(wrong) {
                return Ok(());
            }
            let mut bad = id.clone();
            bad.pop();
            bad.push(wrong);
            proptest::prop_assert_eq!(IdNumber::parse(&bad), Err(IdentityError::IdChecksum));
        }
    }

    #[test]
    fn masking_hides_the_middle_everywhere() -> Result<(), IdentityError> {
        let id = IdNumber::parse("11010519491231002x")?;
        assert_eq!(id.masked(), "1101**********002X");
        assert_eq!(format!("{id}"), "1101**********002X");
        assert!(!format!("{id:?}").contains("19491231"));
        assert_eq!(id.reveal(), "11010519491231002X");
        Ok(())
    }

    #[test]
    fn minors() -> Result<(), IdentityError> {
        let id = IdNumber::parse("11010519491231002X")?;
        assert!(!id.is_minor_on(date(2025, 1, 1)));
        assert!(id.is_minor_on(date(1967, 12, 30)));
        assert!(!id.is_minor_on(date(1967, 12, 31)));
        Ok(())
    }

    #[test]
    fn credit_codes() {
        // The example code widely used to illustrate the GB 32100 checksum.
        assert!(CreditCode::parse("91350100M000100Y43").is_ok());
        assert_eq!(
            CreditCode::parse("91350100M000100Y44"),
            Err(IdentityError::CreditChecksum)
        );
        assert_eq!(
            CreditCode::parse("9135010OM000100Y43"),
            Err(IdentityError::CreditShape)
        );
    }
}
