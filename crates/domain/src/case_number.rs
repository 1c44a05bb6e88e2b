//! Case numbers (案号): `(2023)京0105执1234号` — year, court code, type code, sequence
//! (SPC provisions on case numbers, 2015). Per court, type and year the sequence is unique and
//! has no gaps; that is the store's job, the format is this module's.

use std::fmt;

use serde::{Deserialize, Serialize};

use crate::court::{CourtCode, CourtError};

#[derive(Debug, thiserror::Error, PartialEq, Eq)]
pub enum CaseNumberError {
    #[error("a case number looks like (2023)京0105执1234号")]
    Shape,
    #[error("unknown case type code {0:?}")]
    UnknownType(String),
    #[error("{0}")]
    Court(#[from] CourtError),
}

/// The type code of an enforcement case (案件类型代字).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
pub enum CaseType {
    /// 执 — first enforcement.
    #[serde(rename = "执")]
    Zhi,
    /// 执恢 — resumed enforcement.
    #[serde(rename = "执恢")]
    ZhiHui,
    /// 执保 — enforcement of preservation.
    #[serde(rename = "执保")]
    ZhiBao,
    /// 执异 — objection.
    #[serde(rename = "执异")]
    ZhiYi,
    /// 执复 — reconsideration.
    #[serde(rename = "执复")]
    ZhiFu,
    /// 执监 — supervision.
    #[serde(rename = "执监")]
    ZhiJian,
    /// 执协 — coordination.
    #[serde(rename = "执协")]
    ZhiXie,
    /// 执他 — other.
    #[serde(rename = "执他")]
    ZhiTa,
}

impl CaseType {
    pub const ALL: [CaseType; 8] = [
        CaseType::Zhi,
        CaseType::ZhiHui,
        CaseType::ZhiBao,
        CaseType::ZhiYi,
        CaseType::ZhiFu,
        CaseType::ZhiJian,
        CaseType::ZhiXie,
        CaseType::ZhiTa,
    ];
    pub fn code(self) -> &'static str {
        match self {
            CaseType::Zhi => "执",
            CaseType::ZhiHui => "执恢",
            CaseType::ZhiBao => "执保",
            CaseType::ZhiYi => "执异",
            CaseType::ZhiFu => "执复",
            CaseType::ZhiJian => "执监",
            CaseType::ZhiXie => "执协",
            CaseType::ZhiTa => "执他",
        }
    }
    pub fn parse(s: &str) -> Option<CaseType> {
        CaseType::ALL.into_iter().find(|t| t.code() == s)
    }
    /// The types that can be filed as enforcement cases; review matters (执异, 执复, 执监) are
    /// filed from the case they concern (`review`).
    pub fn is_enforcement(self) -> bool {
        matches!(self, CaseType::Zhi | CaseType::ZhiHui | CaseType::ZhiBao)
    }
}

/// A case number.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct CaseNumber {
    pub year: i16,
    pub court: CourtCode,
    pub case_type: CaseType,
    pub seq: u32,
}

impl fmt::Display for CaseNumber {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "({}){}{}{}号",
            self.year,
            self.court,
            self.case_type.code(),
            self.seq
        )
    }
}

impl CaseNumber {
    /// Parses a case number; full-width `（）` and `〔〕` brackets are accepted.
    pub fn parse(s: &str) -> Result<CaseNumber, CaseNumberError> {
        let s = s.trim();
        let rest = s
            .strip_prefix(['(', '（', '〔'])
            .ok_or(CaseNumberError::Shape)?;
        let close = rest.find([')', '）', '〕']).ok_or(CaseNumberError::Shape)?;
        let year_text = &rest[..close];
        if year_text.len() != 4 || !year_text.bytes().all(|b| b.is_ascii_digit()) {
            return Err(CaseNumberError::Shape);
        }
        let year: i16 = year_text.parse().map_err(|_| CaseNumberError::Shape)?;
        let after = &rest[close..];
        let after = after.trim_start_matches([')', '）', '〕']);
        let body = after.strip_suffix('号').ok_or(CaseNumberError::Shape)?;
        let type_start = body.find('执').ok_or(CaseNumberError::Shape)?;
        let court = CourtCode::parse(&body[..type_start])?;
        let tail = &body[type_start..];
        let digits_at = tail
            .find(|c: char| c.is_ascii_digit())
            .ok_or(CaseNumberError::Shape)?;
        let type_code = &tail[..digits_at];
        let case_type = CaseType::parse(type_code)
            .ok_or_else(|| CaseNumberError::UnknownType(type_code.to_owned()))?;
        let digits = &tail[digits_at..];
        if digits.is_empty()
            || digits.len() > 9
            || !digits.bytes().all(|b| b.is_ascii_digit())
            || digits.starts_with('0')
        {
            return Err(CaseNumberError::Shape);
        }
        let seq: u32 = digits.parse().map_err(|_| CaseNumberError::Shape)?;
        Ok(CaseNumber {
            year,
            court,
            case_type,
            seq,
        })
    }
}

/// The number of a court's document of any type — the basis of an enforcement case is a
/// judgment or mediation statement numbered `(2024)京0105民初1234号`, `(2023)沪01民终56号`:
/// year, court code and sequence read by the same rules as [`CaseNumber`], the type code
/// (`民初`, `民终`, `商初`, `执`, …) kept as written since it is not ours to list.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize)]
pub struct CourtDocumentNumber {
    pub year: i16,
    pub court: CourtCode,
    pub type_code: String,
    pub seq: u32,
}

impl fmt::Display for CourtDocumentNumber {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "({}){}{}{}号",
            self.year, self.court, self.type_code, self.seq
        )
    }
}

impl CourtDocumentNumber {
    /// Parses a court's document number; an enforcement case number parses too.
    pub fn parse(s: &str) -> Result<CourtDocumentNumber, CaseNumberError> {
        let s = s.trim();
        let rest = s
            .strip_prefix(['(', '（', '〔'])
            .ok_or(CaseNumberError::Shape)?;
        let close = rest.find([')', '）', '〕']).ok_or(CaseNumberError::Shape)?;
        let year_text = &rest[..close];
        if year_text.len() != 4 || !year_text.bytes().all(|b| b.is_ascii_digit()) {
            return Err(CaseNumberError::Shape);
        }
        let year: i16 = year_text.parse().map_err(|_| CaseNumberError::Shape)?;
        let body = rest[close..]
            .trim_start_matches([')', '）', '〕'])
            .strip_suffix('号')
            .ok_or(CaseNumberError::Shape)?;
        // The court code is 最高法, or a province's character and 0, 2 or 4 digits; the type
        // code is the run of Chinese characters after it, the sequence the digits at the end.
        let code_end = if body.starts_with(SPC) {
            SPC.len()
        } else {
            let first = body.chars().next().ok_or(CaseNumberError::Shape)?;
            first.len_utf8()
                + body[first.len_utf8()..]
                    .bytes()
                    .take_while(u8::is_ascii_digit)
                    .count()
        };
        let court = CourtCode::parse(&body[..code_end])?;
        let tail = &body[code_end..];
        let digits_at = tail
            .find(|c: char| c.is_ascii_digit())
            .ok_or(CaseNumberError::Shape)?;
        let type_code = &tail[..digits_at];
        // An arbitration commission's or a notary's number (`京仲裁字第12号`) says 第 before its
        // sequence; a court's never does.
        if type_code.is_empty()
            || type_code.contains('第')
            || type_code.chars().any(|c| c.is_ascii())
        {
            return Err(CaseNumberError::UnknownType(type_code.to_owned()));
        }
        let digits = &tail[digits_at..];
        if digits.is_empty()
            || digits.len() > 9
            || !digits.bytes().all(|b| b.is_ascii_digit())
            || digits.starts_with('0')
        {
            return Err(CaseNumberError::Shape);
        }
        let seq: u32 = digits.parse().map_err(|_| CaseNumberError::Shape)?;
        Ok(CourtDocumentNumber {
            year,
            court,
            type_code: type_code.to_owned(),
            seq,
        })
    }
}

const SPC: &str = "最高法";

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    #[test]
    fn formats_and_parses_the_example() -> Result<(), CaseNumberError> {
        let n = CaseNumber::parse("(2023)京0105执1234号")?;
        assert_eq!(
            (n.year, n.court.as_str(), n.case_type, n.seq),
            (2023, "京0105", CaseType::Zhi, 1234)
        );
        assert_eq!(n.to_string(), "(2023)京0105执1234号");
        assert_eq!(
            CaseNumber::parse("（2023）京0105执恢7号")?.case_type,
            CaseType::ZhiHui
        );
        assert_eq!(
            CaseNumber::parse("〔2024〕最高法执监12号")?.court.as_str(),
            "最高法"
        );
        assert_eq!(
            CaseNumber::parse("(2024)冀01执保3号")?.case_type,
            CaseType::ZhiBao
        );
        Ok(())
    }

    #[test]
    fn refuses_malformed_numbers() {
        for bad in [
            "",
            "2023京0105执1号",
            "(23)京0105执1号",
            "(2023)京0105执1",
            "(2023)京0105执号",
            "(2023)京0105执01号",
            "(2023)X0105执1号",
            "(2023)京0105执x1号",
        ] {
            assert!(CaseNumber::parse(bad).is_err(), "{bad}");
        }
        assert_eq!(
            CaseNumber::parse("(2023)京0105执王1号"),
            Err(CaseNumberError::UnknownType("执王".into()))
        );
    }

    #[test]
    fn court_document_numbers_of_any_type() -> Result<(), CaseNumberError> {
        let n = CourtDocumentNumber::parse("（2024）京0105民初1234号")?;
        assert_eq!(
            (n.year, n.court.as_str(), n.type_code.as_str(), n.seq),
            (2024, "京0105", "民初", 1234)
        );
        assert_eq!(n.to_string(), "(2024)京0105民初1234号");
        assert_eq!(
            CourtDocumentNumber::parse("(2023)沪01民终56号")?
                .court
                .as_str(),
            "沪01"
        );
        assert_eq!(
            CourtDocumentNumber::parse("(2022)最高法民申9号")?.type_code,
            "民申"
        );
        for bad in [
            "(2024)京0105民初号",
            "(2024)京0105 1号",
            "(2024)京仲裁字第12号",
            "(24)京民初1号",
        ] {
            assert!(CourtDocumentNumber::parse(bad).is_err(), "{bad}");
        }
        Ok(())
    }

    fn court_code() -> impl Strategy<Value = String> {
        prop_oneof![
            Just("最高法".to_owned()),
            (
                prop::sample::select(vec!['京', '冀', '粤', '新', '内', '云']),
                prop_oneof![Just(0usize), Just(2), Just(4)],
                0u32..10000
            )
                .prop_map(|(a, n, d)| if n == 0 {
                    a.to_string()
                } else {
                    format!("{a}{:0width$}", d % 10u32.pow(n as u32), width = n)
                }),
        ]
    }

    proptest! {
        #[test]
        fn format_parse_round_trip(year in 1990i16..2100, code in court_code(), t in prop::sample::select(CaseType::ALL.to_vec()), seq in 1u32..999_999_999, fw in any::<bool>()) {
            let n = CaseNumber { year, court: CourtCode::parse(&code).map_err(|e| TestCaseError::fail(e.to_string()))?, case_type: t, seq };
            let text = n.to_string();
            let text = if fw { text.replace('(', "（").replace(')', "）") } else { text };
            prop_assert_eq!(CaseNumber::parse(&text).map_err(|e| TestCaseError::fail(e.to_string()))?, n);
        }
    }
}
