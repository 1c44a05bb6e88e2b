//! Money in fen (分), the smallest unit of the yuan: integers only, never floats, and every sum
//! checked so that an overflowing amount is refused rather than wrapped.

use std::fmt;

use serde::{Deserialize, Serialize};

/// The largest amount accepted: ¥10 trillion, above any enforcement case on record.
pub const MAX_FEN: i64 = 1_000_000_000_000_000;

#[derive(Debug, thiserror::Error, PartialEq, Eq)]
pub enum MoneyError {
    #[error("an amount cannot be negative")]
    Negative,
    #[error("an amount above ¥10 trillion is refused")]
    TooLarge,
}

/// A non-negative amount in fen.
#[derive(
    Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Default, Serialize, Deserialize,
)]
#[serde(try_from = "i64", into = "i64")]
pub struct Fen(i64);

impl Fen {
    pub const ZERO: Fen = Fen(0);
    pub fn new(v: i64) -> Result<Fen, MoneyError> {
        if v < 0 {
            Err(MoneyError::Negative)
        } else if v > MAX_FEN {
            Err(MoneyError::TooLarge)
        } else {
            Ok(Fen(v))
        }
    }
    pub fn get(self) -> i64 {
        self.0
    }
    pub fn checked_add(self, o: Fen) -> Result<Fen, MoneyError> {
        Fen::new(self.0.checked_add(o.0).ok_or(MoneyError::TooLarge)?)
    }
    /// `self - o`, or zero.
    pub fn saturating_sub(self, o: Fen) -> Fen {
        Fen((self.0 - o.0).max(0))
    }
}

impl TryFrom<i64> for Fen {
    type Error = MoneyError;
    fn try_from(v: i64) -> Result<Self, Self::Error> {
        Fen::new(v)
    }
}
impl From<Fen> for i64 {
    fn from(f: Fen) -> i64 {
        f.0
    }
}

impl fmt::Display for Fen {
    /// `¥1,234.56`
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let yuan = self.0 / 100;
        let fen = self.0 % 100;
        let digits = yuan.to_string();
        let mut grouped = String::new();
        for (i, c) in digits.chars().enumerate() {
            if i > 0 && (digits.len() - i).is_multiple_of(3) {
                grouped.push(',');
            }
            grouped.push(c);
        }
        write!(f, "¥{grouped}.{fen:02}")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn amounts_are_checked() {
        assert_eq!(Fen::new(-1), Err(MoneyError::Negative));
        assert_eq!(Fen::new(MAX_FEN + 1), Err(MoneyError::TooLarge));
        assert_eq!(
            Fen::new(MAX_FEN).and_then(|a| a.checked_add(Fen(1))),
            Err(MoneyError::TooLarge)
        );
        assert_eq!(Fen(123_456_789).to_string(), "¥1,234,567.89");
        assert_eq!(Fen(5).to_string(), "¥0.05");
        assert_eq!(Fen(5).saturating_sub(Fen(9)), Fen::ZERO);
    }
}
