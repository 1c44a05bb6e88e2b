//! The smart-filing corpus (`data/filing-corpus/`): every document's draft compared with the
//! draft a person wrote for it, field by field. Precision and recall over the whole corpus
//! must stay above a floor; the figures and the fields missed or wrong are printed (run with
//! `--nocapture`) and kept in the README.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};

use zhixing_domain::case::{BasisKind, PartyRole};
use zhixing_domain::filing_draft::{Draft, PartyKind, Period, Wording, extract};

/// The floors the corpus must reach. They are below today's figures (README) so that an
/// honest new document that fails does not break the build, but a regression does.
const PRECISION_FLOOR: f64 = 0.90;
const RECALL_FLOOR: f64 = 0.85;

fn corpus_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../../data/filing-corpus")
}

fn yuan(fen: i64) -> String {
    format!("{}.{:02}", fen / 100, fen % 100)
}

fn sorted(v: impl IntoIterator<Item = String>) -> String {
    let s: BTreeSet<String> = v.into_iter().collect();
    s.into_iter().collect::<Vec<_>>().join("、")
}

fn period(p: &Period) -> String {
    match p {
        Period::DaysFromEffect { days } => format!("days:{days}"),
        Period::ByDate { date } => format!("by:{date}"),
    }
}

/// The facts of a draft, one string each.
fn facts_of_draft(d: &Draft) -> BTreeSet<String> {
    let mut f = BTreeSet::new();
    let b = &d.basis;
    if let Some(k) = &b.kind {
        let k = serde_json::to_value(k.value).unwrap();
        f.insert(format!("basis.kind={}", k.as_str().unwrap_or("")));
    }
    if let Some(x) = &b.issuing_body {
        f.insert(format!("basis.issuing_body={}", x.value));
    }
    if let Some(x) = &b.document_number {
        f.insert(format!("basis.document_number={}", x.value));
    }
    if let Some(x) = &b.effective_date {
        f.insert(format!("basis.effective_date={}", x.value));
    }
    if let Some(x) = &d.performance_period {
        f.insert(format!("basis.performance_period={}", period(&x.value)));
    }
    for p in &d.parties {
        let n = &p.name.value;
        f.insert(format!("party:{n}"));
        let role = match p.role.as_ref().map(|r| r.value) {
            Some(PartyRole::Applicant) => "applicant",
            Some(PartyRole::Respondent) => "respondent",
            None => "none",
        };
        f.insert(format!("party:{n}.role={role}"));
        let kind = match p.kind.value {
            PartyKind::Person => "person",
            PartyKind::Organisation => "organisation",
        };
        f.insert(format!("party:{n}.kind={kind}"));
        if let Some(x) = &p.id_number {
            f.insert(format!("party:{n}.id_number={}", x.value));
        }
        if let Some(x) = &p.credit_code {
            f.insert(format!("party:{n}.credit_code={}", x.value));
        }
        if let Some(x) = &p.birth_date {
            f.insert(format!("party:{n}.birth_date={}", x.value));
        }
        if let Some(x) = &p.address {
            f.insert(format!("party:{n}.address={}", x.value));
        }
        if let Some(x) = &p.legal_representative {
            f.insert(format!("party:{n}.legal_representative={}", x.value));
        }
    }
    for d in &d.duties {
        let k = format!("duty:{}", sorted(d.payers.iter().map(|p| p.value.clone())));
        f.insert(format!(
            "{k}.payees={}",
            sorted(d.payees.iter().map(|p| p.value.clone()))
        ));
        if let Some(x) = &d.principal {
            f.insert(format!("{k}.principal={}", yuan(x.value.get())));
        }
        f.insert(format!("{k}.joint={}", d.joint_and_several));
        if !d.guarantors.is_empty() {
            f.insert(format!(
                "{k}.guarantors={}",
                sorted(d.guarantors.iter().map(|p| p.value.clone()))
            ));
        }
        if let Some(i) = &d.interest {
            if let Some(x) = &i.rate {
                f.insert(format!("{k}.interest_rate={}", x.value));
            }
            if let Some(x) = &i.base {
                f.insert(format!("{k}.interest_base={}", yuan(x.value.get())));
            }
            if let Some(x) = &i.start {
                f.insert(format!("{k}.interest_start={}", x.value));
            }
            if let Some(x) = &i.amount {
                f.insert(format!("{k}.interest_amount={}", yuan(x.value.get())));
            }
        }
        if let Some(x) = &d.period {
            f.insert(format!("{k}.period={}", period(&x.value)));
        }
    }
    for c in &d.costs {
        f.insert(format!("cost:{}={}", c.kind, yuan(c.amount.value.get())));
        f.insert(format!(
            "cost:{}.borne_by={}",
            c.kind,
            sorted(c.borne_by.iter().map(|p| p.value.clone()))
        ));
    }
    f
}

fn s(v: &toml::Value) -> String {
    match v {
        toml::Value::String(s) => s.clone(),
        toml::Value::Boolean(b) => b.to_string(),
        toml::Value::Array(a) => sorted(a.iter().map(s)),
        other => other.to_string(),
    }
}

/// The facts of an expected draft.
fn facts_expected(t: &toml::Table) -> BTreeSet<String> {
    let mut f = BTreeSet::new();
    if let Some(b) = t.get("basis").and_then(|b| b.as_table()) {
        for (k, v) in b {
            f.insert(format!("basis.{k}={}", s(v)));
        }
    }
    for p in t
        .get("party")
        .and_then(|p| p.as_array())
        .into_iter()
        .flatten()
    {
        let p = p.as_table().unwrap();
        let n = s(&p["name"]);
        f.insert(format!("party:{n}"));
        for (k, v) in p {
            if k != "name" {
                f.insert(format!("party:{n}.{k}={}", s(v)));
            }
        }
    }
    for d in t
        .get("duty")
        .and_then(|p| p.as_array())
        .into_iter()
        .flatten()
    {
        let d = d.as_table().unwrap();
        let k = format!("duty:{}", s(&d["payers"]));
        for (name, v) in d {
            if name == "payers" || (name == "guarantors" && s(v).is_empty()) {
                continue;
            }
            f.insert(format!("{k}.{name}={}", s(v)));
        }
    }
    for c in t
        .get("cost")
        .and_then(|p| p.as_array())
        .into_iter()
        .flatten()
    {
        let c = c.as_table().unwrap();
        let kind = s(&c["kind"]);
        f.insert(format!("cost:{kind}={}", s(&c["amount"])));
        f.insert(format!("cost:{kind}.borne_by={}", s(&c["borne_by"])));
    }
    f
}

#[test]
fn corpus_precision_and_recall() {
    let w = Wording::shipped().unwrap();
    let mut docs: Vec<PathBuf> = std::fs::read_dir(corpus_dir())
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().is_some_and(|e| e == "txt"))
        .collect();
    docs.sort();
    assert!(docs.len() >= 40, "the corpus has {} documents", docs.len());
    let (mut right, mut predicted, mut expected) = (0usize, 0usize, 0usize);
    let mut failures = Vec::new();
    for doc in &docs {
        let text = std::fs::read_to_string(doc).unwrap();
        let exp_path = doc.with_extension("expected.toml");
        let exp: toml::Table = toml::from_str(&std::fs::read_to_string(&exp_path).unwrap())
            .unwrap_or_else(|e| panic!("{}: {e}", exp_path.display()));
        let name = doc.file_stem().unwrap().to_string_lossy().into_owned();
        let want = facts_expected(&exp);
        let got = match extract(&text, &w) {
            Ok(d) => facts_of_draft(&d),
            Err(e) => {
                failures.push(format!("{name}: refused ({})", e.code()));
                BTreeSet::new()
            }
        };
        right += got.intersection(&want).count();
        predicted += got.len();
        expected += want.len();
        for m in want.difference(&got) {
            failures.push(format!("{name}: missed {m}"));
        }
        for x in got.difference(&want) {
            failures.push(format!("{name}: wrong {x}"));
        }
    }
    let precision = right as f64 / predicted.max(1) as f64;
    let recall = right as f64 / expected.max(1) as f64;
    println!(
        "corpus: {} documents, {expected} expected fields, {predicted} drafted, {right} right; precision {:.1}%, recall {:.1}%",
        docs.len(),
        precision * 100.0,
        recall * 100.0
    );
    for f in &failures {
        println!("  {f}");
    }
    assert!(precision >= PRECISION_FLOOR, "precision {precision:.3}");
    assert!(recall >= RECALL_FLOOR, "recall {recall:.3}");
}

#[test]
fn kinds_serialise_as_the_expected_files_name_them() {
    assert_eq!(
        serde_json::to_value(BasisKind::ArbitrationAward).unwrap(),
        "arbitration_award"
    );
}
