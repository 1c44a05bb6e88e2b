//! Courts (法院) and the national court hierarchy.
//!
//! Four levels: the Supreme People's Court (最高人民法院) → high courts (高级人民法院, one per
//! province) → intermediate courts (中级人民法院, one per prefecture-level division) → basic
//! courts (基层人民法院, one per county-level division). The hierarchy is derived from the
//! GB/T 2260 administrative divisions vendored under `data/divisions/`.

use std::collections::BTreeMap;
use std::fmt;

use serde::{Deserialize, Serialize};

/// The id and court code of the Supreme People's Court.
pub const SPC_ID: &str = "spc";
pub const SPC_CODE: &str = "最高法";
pub const SPC_NAME: &str = "最高人民法院";

#[derive(Debug, thiserror::Error, PartialEq, Eq)]
pub enum CourtError {
    #[error("invalid court id {0:?}: use 1–32 lowercase ASCII letters, digits or '-'")]
    InvalidId(String),
    #[error(
        "invalid court code {0:?}: expected 最高法, a province abbreviation, or one followed by 2 or 4 digits"
    )]
    InvalidCode(String),
    #[error(
        "unknown province {0:?}: give its division code (11), abbreviation (京), slug (beijing) or name (北京市)"
    )]
    UnknownProvince(String),
    #[error("division data is malformed: {0}")]
    BadData(String),
}

/// The level of a court in the four-level hierarchy.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum CourtLevel {
    Supreme,
    High,
    Intermediate,
    Basic,
}

impl CourtLevel {
    pub fn as_str(self) -> &'static str {
        match self {
            CourtLevel::Supreme => "supreme",
            CourtLevel::High => "high",
            CourtLevel::Intermediate => "intermediate",
            CourtLevel::Basic => "basic",
        }
    }
    pub fn parse(s: &str) -> Option<Self> {
        match s {
            "supreme" => Some(CourtLevel::Supreme),
            "high" => Some(CourtLevel::High),
            "intermediate" => Some(CourtLevel::Intermediate),
            "basic" => Some(CourtLevel::Basic),
            _ => None,
        }
    }
}

/// A court's stable ASCII identifier (`spc`, `h11`, `i1101`, `b110105`), used in URLs.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(try_from = "String", into = "String")]
pub struct CourtId(String);

impl CourtId {
    pub fn parse(s: &str) -> Result<Self, CourtError> {
        let ok = !s.is_empty()
            && s.len() <= 32
            && s.bytes()
                .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-');
        if ok {
            Ok(CourtId(s.to_owned()))
        } else {
            Err(CourtError::InvalidId(s.to_owned()))
        }
    }
    pub fn as_str(&self) -> &str {
        &self.0
    }
}
impl TryFrom<String> for CourtId {
    type Error = CourtError;
    fn try_from(s: String) -> Result<Self, Self::Error> {
        CourtId::parse(&s)
    }
}
impl From<CourtId> for String {
    fn from(c: CourtId) -> String {
        c.0
    }
}
impl fmt::Display for CourtId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

/// The court code used inside case numbers (DOMAIN.md §2): `最高法`, `京`, `京01`, `京0105`.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(try_from = "String", into = "String")]
pub struct CourtCode(String);

impl CourtCode {
    pub fn parse(s: &str) -> Result<Self, CourtError> {
        if s == SPC_CODE {
            return Ok(CourtCode(s.to_owned()));
        }
        let mut chars = s.chars();
        let first = chars.next();
        let digits: String = chars.collect();
        let abbr_ok = first.is_some_and(|c| PROVINCE_ABBRS.contains(&c));
        let digits_ok =
            matches!(digits.len(), 0 | 2 | 4) && digits.bytes().all(|b| b.is_ascii_digit());
        if abbr_ok && digits_ok {
            Ok(CourtCode(s.to_owned()))
        } else {
            Err(CourtError::InvalidCode(s.to_owned()))
        }
    }
    pub fn as_str(&self) -> &str {
        &self.0
    }
    /// The level a code of this shape belongs to.
    pub fn level(&self) -> CourtLevel {
        if self.0 == SPC_CODE {
            return CourtLevel::Supreme;
        }
        match self.0.chars().count() {
            1 => CourtLevel::High,
            3 => CourtLevel::Intermediate,
            _ => CourtLevel::Basic,
        }
    }
}
impl TryFrom<String> for CourtCode {
    type Error = CourtError;
    fn try_from(s: String) -> Result<Self, Self::Error> {
        CourtCode::parse(&s)
    }
}
impl From<CourtCode> for String {
    fn from(c: CourtCode) -> String {
        c.0
    }
}
impl fmt::Display for CourtCode {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

/// The one-character abbreviations of the 31 provincial divisions, plus 兵 for the
/// Production and Construction Corps courts.
const PROVINCE_ABBRS: [char; 34] = [
    '京', '津', '冀', '晋', '蒙', '内', '云', '辽', '吉', '黑', '沪', '苏', '浙', '皖', '闽', '赣',
    '鲁', '豫', '鄂', '湘', '粤', '桂', '琼', '渝', '川', '黔', '滇', '藏', '陕', '甘', '青', '宁',
    '新', '兵',
];

/// A court as the platform stores it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Court {
    pub id: CourtId,
    pub code: CourtCode,
    pub name: String,
    pub level: CourtLevel,
    pub parent: Option<CourtId>,
    /// GB/T 2260 division code of the area the court serves (none for the SPC).
    pub division_code: Option<String>,
}

impl Court {
    pub fn supreme() -> Court {
        Court {
            id: CourtId(SPC_ID.to_owned()),
            code: CourtCode(SPC_CODE.to_owned()),
            name: SPC_NAME.to_owned(),
            level: CourtLevel::Supreme,
            parent: None,
            division_code: None,
        }
    }
}

/// A court's materialised path from the SPC down (`/spc/h11/i1101/b110105/`): the subtree of a
/// court is every court whose path starts with its own, which is one indexed prefix query.
pub fn court_path(parent_path: Option<&str>, id: &CourtId) -> String {
    match parent_path {
        Some(p) => format!("{p}{id}/"),
        None => format!("/{id}/"),
    }
}

/// The vendored GB/T 2260 divisions plus the court facts they lack (`data/divisions/`).
#[derive(Debug, Clone)]
pub struct Divisions {
    provinces: Vec<ProvinceFacts>,
    cities: Vec<(String, String, String)>,
    areas: Vec<(String, String, String)>,
    intermediate_names: BTreeMap<String, String>,
    splits: Vec<SplitFacts>,
}

#[derive(Debug, Clone, Deserialize)]
struct ProvinceFacts {
    code: String,
    abbr: String,
    slug: String,
    high_court: String,
    #[serde(skip)]
    name: String,
}

#[derive(Deserialize)]
struct CourtsToml {
    province: Vec<ProvinceFacts>,
    #[serde(default)]
    intermediate: Vec<IntermediateFacts>,
    #[serde(default)]
    split: Vec<SplitFacts>,
}

/// One of several intermediate courts serving one city-level division, with its districts.
#[derive(Debug, Clone, Deserialize)]
struct SplitFacts {
    city_code: String,
    suffix: String,
    name: String,
    areas: Vec<String>,
}
#[derive(Deserialize)]
struct IntermediateFacts {
    city_code: String,
    name: String,
}

/// Which part of the country to build.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Scope {
    National,
    Province(String),
}

const MUNICIPALITIES: [&str; 4] = ["11", "12", "31", "50"];

fn read_csv(text: &str, cols: usize) -> Result<Vec<Vec<String>>, CourtError> {
    let mut rdr = csv::Reader::from_reader(text.as_bytes());
    let mut out = Vec::new();
    for rec in rdr.records() {
        let rec = rec.map_err(|e| CourtError::BadData(e.to_string()))?;
        if rec.len() < cols {
            return Err(CourtError::BadData(format!(
                "row with {} columns",
                rec.len()
            )));
        }
        out.push(rec.iter().map(str::to_owned).collect());
    }
    Ok(out)
}

impl Divisions {
    /// Parses `provinces.csv`, `cities.csv`, `areas.csv` (china-division) and `courts.toml`.
    pub fn parse(
        provinces: &str,
        cities: &str,
        areas: &str,
        courts_toml: &str,
    ) -> Result<Self, CourtError> {
        let facts: CourtsToml =
            toml::from_str(courts_toml).map_err(|e| CourtError::BadData(e.to_string()))?;
        let names: BTreeMap<String, String> = read_csv(provinces, 2)?
            .into_iter()
            .map(|r| (r[0].clone(), r[1].clone()))
            .collect();
        let mut provs = Vec::new();
        for mut p in facts.province {
            p.name = names.get(&p.code).cloned().ok_or_else(|| {
                CourtError::BadData(format!("province {} not in provinces.csv", p.code))
            })?;
            provs.push(p);
        }
        if provs.len() != names.len() {
            return Err(CourtError::BadData(format!(
                "courts.toml has {} provinces, provinces.csv {}",
                provs.len(),
                names.len()
            )));
        }
        let cities = read_csv(cities, 3)?
            .into_iter()
            .map(|r| (r[0].clone(), r[1].clone(), r[2].clone()))
            .collect();
        let areas = read_csv(areas, 3)?
            .into_iter()
            .map(|r| (r[0].clone(), r[1].clone(), r[2].clone()))
            .collect();
        let intermediate_names = facts
            .intermediate
            .into_iter()
            .map(|i| (i.city_code, i.name))
            .collect();
        let areas: Vec<(String, String, String)> = areas;
        // A split city's areas are each under exactly one of its courts.
        for city in facts
            .split
            .iter()
            .map(|s| &s.city_code)
            .collect::<std::collections::BTreeSet<_>>()
        {
            for (acode, _, _) in areas.iter().filter(|a| !a.1.is_empty() && &a.2 == city) {
                let n = facts
                    .split
                    .iter()
                    .filter(|s| &s.city_code == city && s.areas.contains(acode))
                    .count();
                if n != 1 {
                    return Err(CourtError::BadData(format!(
                        "area {acode} of split city {city} is under {n} intermediate courts"
                    )));
                }
            }
        }
        Ok(Divisions {
            provinces: provs,
            cities,
            areas,
            intermediate_names,
            splits: facts.split,
        })
    }

    fn province(&self, key: &str) -> Option<&ProvinceFacts> {
        let k = key.trim();
        self.provinces.iter().find(|p| {
            p.code == k
                || p.abbr == k
                || p.slug.eq_ignore_ascii_case(k)
                || p.name == k
                || p.name.trim_end_matches(['省', '市']) == k
        })
    }

    /// The courts of a scope, parents before children, the SPC first.
    pub fn courts(&self, scope: &Scope) -> Result<Vec<Court>, CourtError> {
        let selected: Vec<&ProvinceFacts> = match scope {
            Scope::National => self.provinces.iter().collect(),
            Scope::Province(key) => vec![
                self.province(key)
                    .ok_or_else(|| CourtError::UnknownProvince(key.clone()))?,
            ],
        };
        let spc = Court::supreme();
        let mut out = vec![spc.clone()];
        for p in selected {
            let municipality = MUNICIPALITIES.contains(&p.code.as_str());
            let high = Court {
                id: CourtId::parse(&format!("h{}", p.code))?,
                code: CourtCode::parse(&p.abbr)?,
                name: p.high_court.clone(),
                level: CourtLevel::High,
                parent: Some(spc.id.clone()),
                division_code: Some(format!("{}0000", p.code)),
            };
            out.push(high.clone());
            for (ccode, cname, _) in self.cities.iter().filter(|c| c.2 == p.code) {
                let suffix = ccode
                    .get(2..4)
                    .ok_or_else(|| CourtError::BadData(format!("city code {ccode}")))?;
                let name = match self.intermediate_names.get(ccode) {
                    Some(n) => n.clone(),
                    None => format!("{}{}中级人民法院", p.name, cname),
                };
                // Several intermediate courts for this division, or the one.
                let split: Vec<&SplitFacts> = self
                    .splits
                    .iter()
                    .filter(|s| &s.city_code == ccode)
                    .collect();
                let courts: Vec<(String, String, Option<&Vec<String>>)> = if split.is_empty() {
                    vec![(suffix.to_owned(), name, None)]
                } else {
                    split
                        .iter()
                        .map(|s| (s.suffix.clone(), s.name.clone(), Some(&s.areas)))
                        .collect()
                };
                let special = self.intermediate_names.contains_key(ccode);
                for (suffix, name, only) in courts {
                    let id = if only.is_some() {
                        format!("i{}{suffix}", p.code)
                    } else {
                        format!("i{ccode}")
                    };
                    let inter = Court {
                        id: CourtId::parse(&id)?,
                        code: CourtCode::parse(&format!("{}{}", p.abbr, suffix))?,
                        name,
                        level: CourtLevel::Intermediate,
                        parent: Some(high.id.clone()),
                        division_code: Some(format!("{ccode}00")),
                    };
                    out.push(inter.clone());
                    for (acode, aname, _) in self.areas.iter().filter(|a| {
                        !a.1.is_empty() && &a.2 == ccode && only.is_none_or(|o| o.contains(&a.0))
                    }) {
                        let suffix = acode
                            .get(2..6)
                            .ok_or_else(|| CourtError::BadData(format!("area code {acode}")))?;
                        let name = if municipality {
                            format!("{}{}人民法院", p.name, aname)
                        } else if special
                            || aname.ends_with('市')
                            || aname == cname
                            || aname.starts_with(cname.trim_end_matches('市'))
                        {
                            format!("{aname}人民法院")
                        } else {
                            format!("{cname}{aname}人民法院")
                        };
                        out.push(Court {
                            id: CourtId::parse(&format!("b{acode}"))?,
                            code: CourtCode::parse(&format!("{}{}", p.abbr, suffix))?,
                            name,
                            level: CourtLevel::Basic,
                            parent: Some(inter.id.clone()),
                            division_code: Some(acode.clone()),
                        });
                    }
                }
            }
        }
        Ok(out)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const PROV: &str = "code,name\n11,\"北京市\"\n13,\"河北省\"\n";
    const CITY: &str = "code,name,provinceCode\n1101,\"市辖区\",11\n1301,\"石家庄市\",13\n";
    const AREA: &str = "code,name,cityCode,provinceCode\n110105,\"朝阳区\",1101,11\n130102,\"长安区\",1301,13\n130181,\"辛集市\",1301,13\n";
    const FACTS: &str = r#"
[[province]]
code = "11"
abbr = "京"
slug = "beijing"
high_court = "北京市高级人民法院"
[[province]]
code = "13"
abbr = "冀"
slug = "hebei"
high_court = "河北省高级人民法院"
[[intermediate]]
city_code = "1101"
name = "北京市第一中级人民法院"
"#;

    fn divisions() -> Result<Divisions, CourtError> {
        Divisions::parse(PROV, CITY, AREA, FACTS)
    }

    #[test]
    fn builds_real_names_and_codes() -> Result<(), CourtError> {
        let courts = divisions()?.courts(&Scope::National)?;
        let find = |id: &str| courts.iter().find(|c| c.id.as_str() == id).cloned();
        let chaoyang = find("b110105").ok_or(CourtError::BadData("missing".into()))?;
        assert_eq!(chaoyang.name, "北京市朝阳区人民法院");
        assert_eq!(chaoyang.code.as_str(), "京0105");
        assert_eq!(chaoyang.parent.as_ref().map(CourtId::as_str), Some("i1101"));
        assert_eq!(
            find("i1101").map(|c| c.name),
            Some("北京市第一中级人民法院".into())
        );
        assert_eq!(
            find("i1301").map(|c| (c.name, c.code.to_string())),
            Some(("河北省石家庄市中级人民法院".into(), "冀01".into()))
        );
        assert_eq!(
            find("b130102").map(|c| c.name),
            Some("石家庄市长安区人民法院".into())
        );
        assert_eq!(
            find("b130181").map(|c| c.name),
            Some("辛集市人民法院".into())
        );
        assert_eq!(courts[0].id.as_str(), "spc");
        assert_eq!(courts.len(), 1 + 2 + 2 + 3);
        Ok(())
    }

    #[test]
    fn a_split_city_puts_each_district_under_exactly_one_court() -> Result<(), CourtError> {
        let split = |areas: &str| {
            format!(
                "{FACTS}\n[[split]]\ncity_code = \"1101\"\nsuffix = \"03\"\nname = \"北京市第三中级人民法院\"\nareas = [{areas}]\n"
            )
        };
        let d = Divisions::parse(PROV, CITY, AREA, &split("\"110105\""))?;
        let courts = d.courts(&Scope::Province("11".into()))?;
        let chaoyang = courts.iter().find(|c| c.id.as_str() == "b110105");
        assert_eq!(
            chaoyang
                .and_then(|c| c.parent.as_ref())
                .map(CourtId::as_str),
            Some("i1103")
        );
        assert!(
            courts.iter().all(|c| c.id.as_str() != "i1101"),
            "split replaces the one"
        );
        // A district left out (or listed twice) is bad data, not a guess.
        assert!(matches!(
            Divisions::parse(PROV, CITY, AREA, &split("")),
            Err(CourtError::BadData(_))
        ));
        Ok(())
    }

    #[test]
    fn province_scope_accepts_code_abbr_slug_name() -> Result<(), CourtError> {
        let d = divisions()?;
        for key in ["11", "京", "beijing", "Beijing", "北京市", "北京"] {
            let courts = d.courts(&Scope::Province(key.into()))?;
            assert_eq!(courts.len(), 4, "{key}");
        }
        assert_eq!(
            d.courts(&Scope::Province("atlantis".into())),
            Err(CourtError::UnknownProvince("atlantis".into()))
        );
        Ok(())
    }

    #[test]
    fn court_codes_and_ids_validate() {
        assert!(CourtCode::parse("京0105").is_ok());
        assert_eq!(
            CourtCode::parse("京01").map(|c| c.level()),
            Ok(CourtLevel::Intermediate)
        );
        assert_eq!(
            CourtCode::parse("最高法").map(|c| c.level()),
            Ok(CourtLevel::Supreme)
        );
        for bad in ["", "X0105", "京010", "京01a5", "京京"] {
            assert!(CourtCode::parse(bad).is_err(), "{bad}");
        }
        assert!(CourtId::parse("b110105").is_ok());
        for bad in ["", "B110105", "b 1", "中"] {
            assert!(CourtId::parse(bad).is_err(), "{bad}");
        }
    }

    #[test]
    fn paths_nest() -> Result<(), CourtError> {
        let spc = court_path(None, &CourtId::parse("spc")?);
        let h = court_path(Some(&spc), &CourtId::parse("h11")?);
        assert_eq!(h, "/spc/h11/");
        assert!(h.starts_with(&spc));
        Ok(())
    }
}
