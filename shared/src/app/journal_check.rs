//! Checking the access journal: every link of the chain, the chain's end
//! against the head record, and the chain against the anchors, copies of
//! the head kept outside the table (an S3 bucket under Object Lock), which
//! no one with access to the table can change.
//!
//! Entries leave after a year (the TTL), oldest first. An anchor of entry
//! `seq` written at `at` proves that every later entry was written after
//! `at`: if one of those is missing while `at` is less than a year ago, the
//! journal was cut, not expired.

use super::journal::{entry_id, Head, JournalEntry, GENESIS};
use crate::store::JOURNAL_DAYS;
use chrono::{DateTime, Days, Utc};
use serde::{Deserialize, Serialize};

/// A copy of the head kept where the table cannot reach: entry `seq`, its
/// hash, and when that entry was written.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Anchor {
    pub seq: u64,
    pub hash: String,
    pub at: DateTime<Utc>,
}

/// What the chain is checked against.
#[derive(Debug, Clone)]
pub struct Evidence<'a> {
    pub head: Option<&'a Head>,
    /// Oldest first.
    pub anchors: &'a [Anchor],
    pub now: DateTime<Utc>,
}

/// A break in the chain.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ChainProblem {
    pub seq: u64,
    pub problem: String,
}

fn problem(seq: u64, problem: impl Into<String>) -> ChainProblem {
    ChainProblem {
        seq,
        problem: problem.into(),
    }
}

/// Every problem found; none means the journal is whole, apart from the
/// entries older than a year that the TTL removed.
pub fn verify(entries: &[JournalEntry], evidence: &Evidence) -> Vec<ChainProblem> {
    let mut problems = links(entries);
    problems.extend(against_head(entries, evidence.head));
    problems.extend(against_anchors(entries, evidence));
    problems
}

/// Each entry's hash, and its `prev_hash` against the entry before it.
fn links(entries: &[JournalEntry]) -> Vec<ChainProblem> {
    let mut problems = Vec::new();
    let mut previous: Option<&JournalEntry> = None;
    for e in entries {
        if e.hash != e.compute_hash() {
            problems.push(problem(
                e.seq,
                "le contenu ne correspond plus à son empreinte (modifié)",
            ));
        }
        if e.entry_id != entry_id(e.seq) {
            problems.push(problem(
                e.seq,
                format!("rangée sous {} (déplacée)", e.entry_id),
            ));
        }
        match previous {
            Some(p) if e.seq != p.seq + 1 => problems.push(problem(
                e.seq,
                format!("les entrées {} à {} manquent", p.seq + 1, e.seq - 1),
            )),
            Some(p) if e.prev_hash != p.hash => problems.push(problem(
                e.seq,
                format!("ne suit pas l'entrée {} (chaîne rompue)", p.seq),
            )),
            None if e.seq == 1 && e.prev_hash != GENESIS => {
                problems.push(problem(1, "la première entrée ne commence pas la chaîne"))
            }
            _ => {}
        }
        previous = Some(e);
    }
    problems
}

/// The head is moved on right after every entry: the entry it names must be
/// there with its hash, and none after it may be missing. Entries past the
/// head are appends whose head write lost a race (it lags, never runs ahead).
fn against_head(entries: &[JournalEntry], head: Option<&Head>) -> Vec<ChainProblem> {
    let last = entries.last();
    let found = match (last, head) {
        (None, None) => return Vec::new(),
        (Some(last), None) => problem(last.seq, "la tête du journal manque (supprimée)"),
        (None, Some(head)) => problem(
            head.seq,
            format!(
                "les entrées jusqu'à {} manquent : le journal a été vidé",
                head.seq
            ),
        ),
        (Some(last), Some(head)) if last.seq < head.seq => problem(
            last.seq + 1,
            format!(
                "les entrées {} à {} manquent : la fin du journal a été coupée",
                last.seq + 1,
                head.seq
            ),
        ),
        (Some(_), Some(head)) => {
            let named = entries.binary_search_by_key(&head.seq, |e| e.seq).ok();
            match named.map(|i| &entries[i]) {
                Some(e) if e.hash != head.hash => {
                    problem(e.seq, "ne correspond pas à la tête du journal (réécrite)")
                }
                _ => return Vec::new(),
            }
        }
    };
    vec![found]
}

/// Each anchored entry still there must hash as anchored. The TTL takes
/// entries oldest first, and only after a year: a missing entry younger
/// than a kept one, or written after an anchor less than a year old, was
/// cut.
fn against_anchors(entries: &[JournalEntry], evidence: &Evidence) -> Vec<ChainProblem> {
    let anchors = evidence.anchors;
    let mut problems = Vec::new();
    let by_seq = |seq: u64| {
        let found = entries.binary_search_by_key(&seq, |e| e.seq).ok();
        found.map(|i| &entries[i])
    };
    for anchor in anchors {
        if let Some(e) = by_seq(anchor.seq).filter(|e| e.hash != anchor.hash) {
            let day = anchor.at.date_naive();
            problems.push(problem(
                e.seq,
                format!("ne correspond pas à l'ancrage du {day} (réécrite)"),
            ));
        }
    }
    let a_year_ago = evidence
        .now
        .checked_sub_days(Days::new(JOURNAL_DAYS))
        .unwrap_or(evidence.now);
    let Some(latest) = anchors.last() else {
        return problems;
    };
    let (Some(first), Some(last)) = (entries.first(), entries.last()) else {
        // All gone: only if even the latest anchored entry is a year old.
        if let Some(young) = anchors.iter().find(|a| a.at > a_year_ago) {
            problems.push(young_missing(young.seq, latest.seq));
        }
        return problems;
    };
    // Entries from the oldest anchor of the last year on are younger than
    // a year: none of those before the first kept one may be missing.
    let young = anchors
        .iter()
        .find(|a| a.at > a_year_ago && a.seq < first.seq);
    if let Some(anchor) = young {
        problems.push(young_missing(anchor.seq, first.seq - 1));
    }
    if latest.seq > last.seq {
        problems.push(problem(
            last.seq + 1,
            format!(
                "les entrées {} à {} manquent alors qu'elles ont été ancrées le {}",
                last.seq + 1,
                latest.seq,
                latest.at.date_naive()
            ),
        ));
    }
    problems
}

fn young_missing(from: u64, to: u64) -> ChainProblem {
    problem(
        from,
        format!("les entrées {from} à {to} manquent alors qu'elles ont moins d'un an (supprimées)"),
    )
}

/// Entries the TTL removed: those before the first kept, when nothing
/// shows they were younger than a year.
pub fn expired_before(entries: &[JournalEntry], problems: &[ChainProblem]) -> Option<u64> {
    let first = entries.first()?.seq;
    let cut = problems.iter().any(|p| p.seq < first);
    (first > 1 && !cut).then_some(first - 1)
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::{Duration, TimeZone};

    fn now() -> DateTime<Utc> {
        Utc.with_ymd_and_hms(2026, 11, 20, 9, 0, 0).unwrap()
    }

    /// `n` entries, one a day, the last written yesterday.
    fn chain(n: u64) -> Vec<JournalEntry> {
        let mut prev = GENESIS.to_string();
        (1..=n)
            .map(|seq| {
                let mut e = JournalEntry {
                    entry_id: entry_id(seq),
                    seq,
                    at: now() - Duration::days((n - seq + 1) as i64),
                    user_id: "admin".into(),
                    action: "read".into(),
                    target: format!("driver:d{seq}"),
                    request_id: "req".into(),
                    prev_hash: prev.clone(),
                    hash: String::new(),
                };
                e.hash = e.compute_hash();
                prev = e.hash.clone();
                e
            })
            .collect()
    }

    fn head_of(e: &JournalEntry) -> Head {
        Head {
            seq: e.seq,
            hash: e.hash.clone(),
            at: Some(e.at),
        }
    }

    /// An anchor of every tenth entry, as taken when each was written.
    fn anchors(entries: &[JournalEntry]) -> Vec<Anchor> {
        let every_tenth = entries.iter().filter(|e| e.seq % 10 == 0);
        every_tenth
            .map(|e| Anchor {
                seq: e.seq,
                hash: e.hash.clone(),
                at: e.at,
            })
            .collect()
    }

    fn check(entries: &[JournalEntry], head: Option<&Head>, anchors: &[Anchor]) -> Vec<String> {
        let evidence = Evidence {
            head,
            anchors,
            now: now(),
        };
        verify(entries, &evidence)
            .into_iter()
            .map(|p| p.problem)
            .collect()
    }

    #[test]
    fn a_whole_journal_passes() {
        let all = chain(40);
        let head = head_of(all.last().unwrap());
        assert!(check(&all, Some(&head), &anchors(&all)).is_empty());
    }

    #[test]
    fn deleting_the_newest_entries_shows_against_the_head_and_the_anchors() {
        let all = chain(40);
        let head = head_of(&all[39]);
        let cut = &all[..33];
        let found = check(cut, Some(&head), &anchors(&all));
        assert!(
            found[0].contains("34 à 40 manquent : la fin du journal a été coupée"),
            "{found:?}"
        );
        // The head rewritten to the last entry kept: the anchor of entry 40 remains.
        let forged = head_of(&all[32]);
        let found = check(cut, Some(&forged), &anchors(&all));
        assert_eq!(
            found,
            vec!["les entrées 34 à 40 manquent alors qu'elles ont été ancrées le 2026-11-19"]
        );
    }

    #[test]
    fn deleting_the_oldest_entries_is_told_from_their_expiry_after_a_year() {
        let all = chain(400);
        let head = head_of(&all[399]);
        let anchored = anchors(&all);
        // Entries 1 to 35 are more than a year old: the TTL took them.
        let expired = &all[35..];
        assert!(check(expired, Some(&head), &anchored).is_empty());
        assert_eq!(expired_before(expired, &[]), Some(35));
        // Entries up to 120 are gone too: from 40 on, anchored less than a
        // year ago, they were written less than a year ago.
        let cut = &all[120..];
        let found = check(cut, Some(&head), &anchored);
        assert_eq!(
            found,
            vec!["les entrées 40 à 120 manquent alors qu'elles ont moins d'un an (supprimées)"]
        );
    }

    #[test]
    fn a_rewritten_and_rehashed_suffix_shows_against_the_anchors() {
        let all = chain(40);
        let anchored = anchors(&all);
        // From entry 25 on, rewritten and hashed again as a valid chain.
        let mut forged = all.clone();
        for i in 24..40 {
            forged[i].target = "drivers:list".into();
            forged[i].prev_hash = if i == 0 {
                GENESIS.into()
            } else {
                forged[i - 1].hash.clone()
            };
            forged[i].hash = forged[i].compute_hash();
        }
        let head = head_of(&forged[39]);
        let found = check(&forged, Some(&head), &anchored);
        assert_eq!(
            found.len(),
            2,
            "entries 30 and 40 no longer match: {found:?}"
        );
        assert!(found[0].contains("ancrage du"), "{found:?}");
    }

    #[test]
    fn a_deleted_head_or_an_emptied_journal_shows() {
        let all = chain(5);
        assert_eq!(
            check(&all, None, &[]),
            vec!["la tête du journal manque (supprimée)"]
        );
        let head = head_of(&all[4]);
        assert!(check(&[], Some(&head), &[])[0].contains("le journal a été vidé"));
        let anchored = vec![Anchor {
            seq: 5,
            hash: all[4].hash.clone(),
            at: all[4].at,
        }];
        assert!(check(&[], None, &anchored)[0].contains("moins d'un an"));
    }
}
