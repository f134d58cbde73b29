//! Designation certificates: the PDF's text (read back with pdftotext),
//! the signed proof checked with the public key alone, erasure, the
//! refusals and the public check of a verification code.

use super::privacy::answer_and_acknowledge;
use super::*;
use aws_lc_rs::signature::{UnparsedPublicKey, ECDSA_P256_SHA256_ASN1};
use base64::Engine;
use designa::app::journal::{append, record_answers, JournalEntry};
use designa::ports::RecordStore;
use std::io::Write;
use std::process::{Command, Stdio};

const BASE64: base64::engine::GeneralPurpose = base64::engine::general_purpose::STANDARD;
const OUTBOUND_FILE: &str = "outbound/REPONSES_DESIGNATION_f-1.txt";
const ACK_FILE: &str = "inbound/ACCUSES_RECEPTION_a-1.txt";

/// When the answer jobs sent the answer, and when the ingest journaled
/// ANTAI's acknowledgement (`answer_and_acknowledge`'s times).
fn sent_at() -> chrono::DateTime<Utc> {
    Utc.with_ymd_and_hms(2026, 11, 20, 14, 0, 0).unwrap()
}

/// `count` entries of other people's doing at `at`, so that the journal's
/// entries of the answer sit among others.
async fn other_entries(api: &TestApi, at: chrono::DateTime<Utc>, count: usize) {
    for i in 0..count {
        append(
            &*api.storage,
            &"acme".into(),
            at,
            "admin",
            "read",
            format!("driver:d-{i}"),
            "req-other",
        )
        .await
        .unwrap();
    }
}

/// `answer` given to the seeded notice, sent and acknowledged, and journaled
/// as the answer jobs and the ingest journal it: among a thousand entries.
async fn acknowledged(api: &TestApi, ids: &Ids, answer: Value) {
    api.clock
        .set(Utc.with_ymd_and_hms(2026, 11, 20, 9, 0, 0).unwrap());
    answer_and_acknowledge(api, ids, answer, OUTBOUND_FILE).await;
    let tenant = "acme".into();
    let transmission = [format!("{}-1", ids.notice)];
    other_entries(api, sent_at() - chrono::Duration::hours(1), 600).await;
    record_answers(
        &*api.storage,
        &tenant,
        sent_at(),
        "transmit",
        &transmission,
        "b-1",
    )
    .await
    .unwrap();
    other_entries(api, sent_at() + chrono::Duration::hours(1), 700).await;
    let ingested = sent_at() + chrono::Duration::minutes(150);
    record_answers(
        &*api.storage,
        &tenant,
        ingested,
        "acknowledged",
        &transmission,
        ACK_FILE,
    )
    .await
    .unwrap();
    other_entries(api, ingested + chrono::Duration::hours(1), 20).await;
    api.clock
        .set(Utc.with_ymd_and_hms(2026, 11, 23, 10, 0, 0).unwrap());
}

fn designation_of(ids: &Ids) -> Value {
    json!({ "designation": { "driver_id": ids.driver } })
}

async fn get(api: &TestApi, who: (&str, &str), path: &str) -> Reply {
    call(api, who, "GET", path, Value::Null).await
}

/// A public route, called without a token.
async fn get_public(api: &TestApi, path: &str) -> Reply {
    api.handle(Call {
        method: "GET".into(),
        path: path.into(),
        ..Default::default()
    })
    .await
}

/// The PDF's text as `pdftotext -raw` reads it, in the order it was written
/// (Debian's poppler-utils, which `make test` installs with
/// infra/ensure_poppler.sh).
fn pdf_text(pdf: &[u8]) -> String {
    let mut child = Command::new("pdftotext")
        .args(["-raw", "-enc", "UTF-8", "-", "-"])
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .spawn()
        .expect("pdftotext is missing: run infra/ensure_poppler.sh (make test does)");
    child.stdin.take().unwrap().write_all(pdf).unwrap();
    let out = child.wait_with_output().unwrap();
    assert!(out.status.success(), "pdftotext failed");
    String::from_utf8(out.stdout).unwrap()
}

/// The system entries of the answer, as the journal holds them.
async fn system_entries(api: &TestApi) -> Vec<JournalEntry> {
    let records = api
        .storage
        .records(&"acme".into(), RecordKind::Journal)
        .await
        .unwrap();
    records
        .iter()
        .filter(|r| r.data["user_id"] == "system")
        .map(|r| r.decode().unwrap())
        .collect()
}

async fn journaled(api: &TestApi, action: &str, target: &str) -> usize {
    let records = api
        .storage
        .records(&"acme".into(), RecordKind::Journal)
        .await
        .unwrap();
    records
        .iter()
        .filter(|r| r.data["action"] == action && r.data["target"] == target)
        .count()
}

/// The verification code of the seeded notice's certificate, its driver
/// designated and the answer acknowledged.
pub(super) async fn issued_code(api: &TestApi, ids: &Ids) -> String {
    acknowledged(api, ids, designation_of(ids)).await;
    let path = format!("/notices/{}/certificate/proof", ids.notice);
    let proof = get(api, ADMIN, &path).await.body_json();
    proof["document"]["verification_code"]
        .as_str()
        .expect("a certificate")
        .to_string()
}

#[tokio::test]
async fn the_pdf_of_an_acknowledged_designation_holds_every_field_on_one_page() {
    let (api, north, ..) = world().await;
    acknowledged(&api, &north, designation_of(&north)).await;
    let path = format!("/notices/{}/certificate", north.notice);
    let reply = get(&api, NORTH_MANAGER, &path).await;
    assert_eq!(reply.status, 200, "{:?}", reply.body_json());
    assert_eq!(reply.content_type, "application/pdf");
    assert_eq!(
        reply.header("content-disposition"),
        Some("attachment; filename=\"attestation-N0001.pdf\"")
    );
    let text = pdf_text(&reply.body);
    assert_eq!(text.matches('\u{c}').count(), 1, "one page: {text}");
    let proof = get(&api, NORTH_MANAGER, &format!("{path}/proof"))
        .await
        .body_json();
    let code = proof["document"]["verification_code"]
        .as_str()
        .unwrap()
        .to_string();
    let [sent, acknowledged] = [0, 1].map(|i| system_entries_of(&proof, i));
    let expected = [
        "Attestation de désignation",
        "Transports Exemple",
        "Nord",
        "N0001",
        "AB-123-CD (FRA)",
        "02/11/2026 08:30:00 (heure de Paris)",
        "11300",
        "Excès de vitesse < 20 km/h",
        "Désignation du conducteur",
        "Martin",
        "Alex",
        "2 place Fictive, 69001 Lyon (FRA)",
        "N0001-1",
        "20/11/2026 15:00:00 (heure de Paris)",
        "20/11/2026 17:00:00 (heure de Paris)",
        &code,
    ];
    let flat = flatten(&text);
    let expected = expected.iter().map(|f| f.to_string());
    for field in expected.chain(sent).chain(acknowledged) {
        assert!(
            flat.contains(&flatten(&field)),
            "« {field} » missing from:\n{text}"
        );
    }
    // The driver's name and address were read: journaled, as the issue.
    let target = format!("notice:{}:certificate", north.notice);
    assert_eq!(journaled(&api, "read", &target).await, 1);
    assert_eq!(journaled(&api, "certify", &target).await, 1);
}

/// The journal entry `i` (0: sending, 1: acknowledgement) the proof names,
/// as the PDF writes it: its number and its hash.
fn system_entries_of(proof: &Value, i: usize) -> Vec<String> {
    let key = ["sent_entry", "acknowledged_entry"][i];
    let entry = &proof["document"]["transmission"][key];
    assert!(entry.is_object(), "{key} found: {proof}");
    vec![
        format!("entrée n° {}", entry["seq"]),
        entry["hash"].as_str().unwrap().to_string(),
    ]
}

/// Text without line breaks or spaces: a value wrapped over two lines in
/// the PDF still reads whole.
fn flatten(text: &str) -> String {
    text.chars().filter(|c| !c.is_whitespace()).collect()
}

#[tokio::test]
async fn the_journal_entries_named_are_those_of_the_sending_and_the_acknowledgement() {
    let (api, north, ..) = world().await;
    acknowledged(&api, &north, designation_of(&north)).await;
    let proof = get(
        &api,
        ADMIN,
        &format!("/notices/{}/certificate/proof", north.notice),
    )
    .await
    .body_json();
    let entries = system_entries(&api).await;
    let transmission = &proof["document"]["transmission"];
    for (key, action) in [
        ("sent_entry", "transmit"),
        ("acknowledged_entry", "acknowledged"),
    ] {
        let entry = entries.iter().find(|e| e.action == action).unwrap();
        assert_eq!(transmission[key]["seq"], entry.seq, "{key}");
        assert_eq!(transmission[key]["hash"], entry.hash.as_str(), "{key}");
    }
    assert_eq!(transmission["id"], "N0001-1");
    assert_eq!(transmission["sent_at"], "2026-11-20T14:00:00Z");
    assert_eq!(transmission["acknowledged_at"], "2026-11-20T16:00:00Z");
}

/// The document's bytes as a verifier rebuilds them, with Python's json
/// module (not designa's code): sorted keys, no whitespace.
fn canonical_by_python(document: &Value) -> Vec<u8> {
    let script = "import json,sys; sys.stdout.write(json.dumps(json.load(sys.stdin), \
                  sort_keys=True, separators=(',', ':'), ensure_ascii=False))";
    let mut child = Command::new("python3")
        .args(["-c", script])
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .spawn()
        .expect("python3 runs");
    let input = serde_json::to_vec(document).unwrap();
    child.stdin.take().unwrap().write_all(&input).unwrap();
    let out = child.wait_with_output().unwrap();
    assert!(out.status.success());
    out.stdout
}

/// The public key as published: PEM, without a token.
async fn public_key(api: &TestApi) -> Vec<u8> {
    let reply = get_public(api, "/certificates/public-key").await;
    assert_eq!(reply.status, 200);
    assert_eq!(reply.content_type, "application/x-pem-file");
    let pem = String::from_utf8(reply.body).unwrap();
    assert!(pem.starts_with("-----BEGIN PUBLIC KEY-----\n"), "{pem}");
    let body: String = pem.lines().filter(|l| !l.starts_with("-----")).collect();
    BASE64.decode(body).unwrap()
}

/// Whether `proof` verifies with the public key `der` alone.
fn verifies(proof: &Value, der: &[u8]) -> bool {
    let signature = BASE64
        .decode(proof["signature"]["value"].as_str().unwrap())
        .unwrap();
    let signed = canonical_by_python(&proof["document"]);
    UnparsedPublicKey::new(&ECDSA_P256_SHA256_ASN1, der)
        .verify(&signed, &signature)
        .is_ok()
}

#[tokio::test]
async fn the_proof_verifies_with_the_public_key_alone_and_an_altered_one_fails() {
    let (api, north, ..) = world().await;
    acknowledged(&api, &north, designation_of(&north)).await;
    let reply = get(
        &api,
        ADMIN,
        &format!("/notices/{}/certificate/proof", north.notice),
    )
    .await;
    assert_eq!(reply.status, 200, "{:?}", reply.body_json());
    let proof = reply.body_json();
    let der = public_key(&api).await;
    assert_eq!(proof["signature"]["algorithm"], "ECDSA_SHA_256");
    let fingerprint = designa::app::certificates::document::sha256_hex(&der);
    assert_eq!(
        proof["signature"]["public_key_sha256"],
        fingerprint.as_str()
    );
    assert!(verifies(&proof, &der), "the proof as issued verifies");

    let mut altered = proof.clone();
    altered["document"]["transmission"]["acknowledged_at"] = json!("2026-11-19T16:00:00Z");
    assert!(!verifies(&altered, &der), "a changed date fails");
    let mut altered = proof.clone();
    altered["document"]["notice"]["number"] = json!("N0002");
    assert!(!verifies(&altered, &der), "another notice's number fails");
    let mut altered = proof.clone();
    altered["document"]["extra"] = json!(true);
    assert!(!verifies(&altered, &der), "an added field fails");
    let other_key = designa::memory::MemorySigner::default();
    let other = designa::ports::ProofSigner::public_key(&other_key)
        .await
        .unwrap();
    assert!(!verifies(&proof, &other), "another key does not verify it");
    // No personal data in the proof: the driver is a commitment.
    let text = proof.to_string();
    for personal in ["Martin", "Alex", "Fictive", "69001", &north.driver_email] {
        assert!(!text.contains(personal), "{personal} in the proof");
    }
}

#[tokio::test]
async fn the_commitment_ties_the_proof_to_the_driver_the_pdf_names() {
    let (api, north, ..) = world().await;
    acknowledged(&api, &north, designation_of(&north)).await;
    let path = format!("/notices/{}/certificate", north.notice);
    let text = flatten(&pdf_text(&get(&api, ADMIN, &path).await.body));
    let proof = get(&api, ADMIN, &format!("{path}/proof")).await.body_json();
    let commitment = proof["document"]["answer"]["driver_commitment"]
        .as_str()
        .unwrap();
    assert!(text.contains(commitment), "{commitment} not in {text}");
    // The salt the PDF prints, with the identity it names, gives the
    // commitment: `printf '%s\n' SALT NOM PRÉNOM LIGNE1 LIGNE2 CP VILLE PAYS | sha256sum`.
    let salt = text
        .split("Seldel'empreinte")
        .nth(1)
        .map(|rest| rest[..64].to_string())
        .expect("the salt is printed");
    let printed = format!("{salt}\nMartin\nAlex\n2 place Fictive\n\n69001\nLyon\nFRA\n");
    assert_eq!(
        designa::app::certificates::document::sha256_hex(printed.as_bytes()),
        commitment
    );
}

#[tokio::test]
async fn the_certificate_is_issued_once_and_the_same_afterwards() {
    let (api, north, ..) = world().await;
    acknowledged(&api, &north, designation_of(&north)).await;
    let path = format!("/notices/{}/certificate/proof", north.notice);
    let first = get(&api, ADMIN, &path).await.body_json();
    api.clock
        .set(Utc.with_ymd_and_hms(2026, 12, 1, 10, 0, 0).unwrap());
    let pdf = get(&api, NORTH_MANAGER, &path.replace("/proof", "")).await;
    assert_eq!(pdf.status, 200);
    let again = get(&api, NORTH_MANAGER, &path).await.body_json();
    assert_eq!(first, again);
    let signed = api.signer.signed.load(std::sync::atomic::Ordering::Relaxed);
    assert_eq!(signed, 1, "signed once");
    let target = format!("notice:{}:certificate", north.notice);
    assert_eq!(journaled(&api, "certify", &target).await, 1);
    assert_eq!(first["document"]["issued_at"], "2026-11-23T10:00:00Z");
}

/// KMS failing as the proof is signed: the request fails, nothing is kept,
/// and the issue was journaled already; the retry issues the certificate
/// and journals it again (at least once, never lost).
#[tokio::test]
async fn a_failed_signature_keeps_nothing_and_the_issue_stays_journaled() {
    let (api, north, ..) = world().await;
    acknowledged(&api, &north, designation_of(&north)).await;
    let path = format!("/notices/{}/certificate/proof", north.notice);
    let target = format!("notice:{}:certificate", north.notice);
    api.signer
        .fail_next
        .store(true, std::sync::atomic::Ordering::Relaxed);
    let failed = get(&api, ADMIN, &path).await;
    assert_eq!(failed.status, 500, "{:?}", failed.body_json());
    let kept = api
        .storage
        .records(&"acme".into(), RecordKind::Certificate)
        .await
        .unwrap();
    assert!(kept.is_empty(), "{kept:?}");
    assert_eq!(journaled(&api, "certify", &target).await, 1);
    let retried = get(&api, ADMIN, &path).await;
    assert_eq!(retried.status, 200, "{:?}", retried.body_json());
    assert!(verifies(&retried.body_json(), &public_key(&api).await));
    assert_eq!(journaled(&api, "certify", &target).await, 2);
}

#[tokio::test]
async fn an_erased_driver_is_shown_erased_and_the_designation_stays_proven() {
    let (api, north, south, _) = world().await;
    // North: certificate issued, then the driver erased.
    acknowledged(&api, &north, designation_of(&north)).await;
    let north_path = format!("/notices/{}/certificate", north.notice);
    let before = get(&api, ADMIN, &format!("{north_path}/proof"))
        .await
        .body_json();
    // South: the driver erased before anyone asked for the certificate.
    acknowledged(&api, &south, designation_of(&south)).await;
    for driver in [&north.driver, &south.driver] {
        let erasure = json!({ "right": "erasure", "subject": { "type": "driver", "id": driver } });
        let erased = call(&api, ADMIN, "POST", "/privacy/requests", erasure).await;
        assert_eq!(erased.status, 201, "{:?}", erased.body_json());
    }
    let der = public_key(&api).await;
    let after = get(&api, ADMIN, &format!("{north_path}/proof"))
        .await
        .body_json();
    assert_eq!(before, after, "the proof issued before stands");
    assert!(verifies(&after, &der));
    let south_path = format!("/notices/{}/certificate", south.notice);
    let late = get(&api, ADMIN, &format!("{south_path}/proof"))
        .await
        .body_json();
    assert!(verifies(&late, &der));
    assert_eq!(late["document"]["answer"]["kind"], "designation");
    assert_eq!(late["document"]["answer"]["driver_commitment"], Value::Null);
    for path in [&north_path, &south_path] {
        let reply = get(&api, ADMIN, path).await;
        assert_eq!(reply.status, 200, "{:?}", reply.body_json());
        let text = pdf_text(&reply.body);
        assert!(text.contains("Attestation de désignation"));
        assert!(text.contains("[effacé]"), "{text}");
        assert!(text.contains("effacées à sa demande"), "{text}");
        for personal in ["Martin", "Alex", "Fictive", "69001", "Seldel"] {
            assert!(
                !flatten(&text).contains(personal),
                "{personal} after erasure:\n{text}"
            );
        }
    }
    // Nothing personal was read: no read journaled.
    for ids in [&north, &south] {
        let target = format!("notice:{}:certificate", ids.notice);
        assert_eq!(journaled(&api, "read", &target).await, 0);
    }
}

#[tokio::test]
async fn another_answer_gets_a_certificate_of_its_reason() {
    let (api, north, ..) = world().await;
    let sold = json!({ "other": { "reason": "vehicle_sold", "on": "2026-10-01" } });
    acknowledged(&api, &north, sold).await;
    let path = format!("/notices/{}/certificate", north.notice);
    let text = pdf_text(&get(&api, ADMIN, &path).await.body);
    for field in [
        "Attestation de réponse à l'ANTAI",
        "Véhicule cédé",
        "01/10/2026",
        "N0001-1",
    ] {
        assert!(text.contains(field), "« {field} » missing:\n{text}");
    }
    let proof = get(&api, ADMIN, &format!("{path}/proof")).await.body_json();
    assert_eq!(proof["document"]["answer"]["reason"], "vehicle_sold");
    assert_eq!(proof["document"]["answer"]["on"], "2026-10-01");
    assert!(verifies(&proof, &public_key(&api).await));
    // No personal data read: nothing journaled but the issue.
    let target = format!("notice:{}:certificate", north.notice);
    assert_eq!(journaled(&api, "read", &target).await, 0);
}

#[tokio::test]
async fn a_notice_whose_answer_is_not_acknowledged_has_no_certificate_yet() {
    let (api, north, south, _) = world().await;
    let path = format!("/notices/{}/certificate", north.notice);
    let open = get(&api, ADMIN, &path).await;
    assert_eq!(open.status, 409);
    let error = &open.body_json()["error"];
    assert_eq!(error["code"], "conflict");
    assert_eq!(error["current"]["reason"]["code"], "not_acknowledged");
    assert_eq!(error["current"]["status"], "OPEN");
    assert!(error["message"]
        .as_str()
        .unwrap()
        .contains("pas de réponse acceptée"));
    let answer = format!("/notices/{}/answer", north.notice);
    assert_eq!(
        call(&api, ADMIN, "PUT", &answer, designation_of(&north))
            .await
            .status,
        200
    );
    for route in [path.clone(), format!("{path}/proof")] {
        let pending = get(&api, ADMIN, &route).await;
        assert_eq!(pending.status, 409, "{route}");
        let error = &pending.body_json()["error"];
        assert_eq!(error["current"]["status"], "ANSWER_PENDING");
        assert!(error["message"]
            .as_str()
            .unwrap()
            .contains("pas encore accusé réception"));
    }
    // The entity's notices are out of the North manager's reach: 404.
    let foreign = get(
        &api,
        NORTH_MANAGER,
        &format!("/notices/{}/certificate", south.notice),
    )
    .await;
    assert_eq!(foreign.status, 404);
    // Fleet management alone does not read notices: 403.
    add_user(
        &api,
        "acme",
        "fleet",
        vec![grant(Role::FleetManagement, &[])],
    )
    .await;
    assert_eq!(get(&api, ("acme", "fleet"), &path).await.status, 403);
    assert_eq!(
        api.signer.signed.load(std::sync::atomic::Ordering::Relaxed),
        0
    );
}

#[tokio::test]
async fn the_public_check_says_what_a_code_attests_without_personal_data() {
    let (api, north, ..) = world().await;
    acknowledged(&api, &north, designation_of(&north)).await;
    let proof = get(
        &api,
        ADMIN,
        &format!("/notices/{}/certificate/proof", north.notice),
    )
    .await
    .body_json();
    let code = proof["document"]["verification_code"].as_str().unwrap();
    let typed = code.to_lowercase().replace('-', " ");
    let reply = get_public(
        &api,
        &format!("/certificates/{}", typed.replace(' ', "%20")),
    )
    .await;
    assert_eq!(reply.status, 200, "{:?}", reply.body_json());
    let check = reply.body_json();
    assert_eq!(check["verification_code"], code);
    assert_eq!(check["tenant_name"], "Transports Exemple");
    assert_eq!(check["notice_number"], "N0001");
    assert_eq!(check["answer_kind"], "designation");
    assert_eq!(check["answer_label"], "Désignation du conducteur");
    assert_eq!(check["transmission_id"], "N0001-1");
    assert_eq!(check["acknowledged_at"], "2026-11-20T16:00:00Z");
    let statement = check["statement"].as_str().unwrap();
    assert!(
        statement.contains("acceptée par l'ANTAI le 20/11/2026 17:00:00"),
        "{statement}"
    );
    let document = designa::app::certificates::document::canonical_json(&proof["document"]);
    let digest = designa::app::certificates::document::sha256_hex(document.as_bytes());
    assert_eq!(check["document_sha256"], digest.as_str());
    let text = check.to_string();
    for personal in [
        "Martin",
        "Alex",
        "Fictive",
        "AB-123-CD",
        &north.entity,
        &north.vehicle,
        &north.driver,
    ] {
        assert!(!text.contains(personal), "{personal} in the public check");
    }
    let unknown = get_public(&api, "/certificates/0000-0000-0000-0000").await;
    assert_eq!(unknown.status, 404);
    assert!(unknown.body_json()["error"]["message"]
        .as_str()
        .unwrap()
        .contains("vérifiez le code"));
    assert_eq!(
        get_public(&api, "/certificates/not-a-code").await.status,
        404
    );
}

#[tokio::test]
async fn the_longest_certificates_still_fit_on_one_page() {
    let (api, north, south, _) = world().await;
    let long = |what: &str, n: usize| format!("{what} ").repeat(n).trim_end().to_string();
    let renamed = json!({ "kind": "internal", "name": long("Établissement", 8) });
    let entity = call(
        &api,
        ADMIN,
        "PUT",
        &format!("/entities/{}", north.entity),
        renamed,
    )
    .await;
    assert!(entity.status < 300, "{:?}", entity.body_json());
    let label = long("Conduite à une vitesse excessive", 8);
    for ids in [&north, &south] {
        update_notice_label(&api, &ids.notice, &label).await;
    }
    let driver = json!({ "designation": { "driver": {
        "last_name": long("Delacroix-Beaumarchais", 3), "first_name": long("Marie-Hélène", 5),
        "address": { "line1": long("12 boulevard", 6), "line2": long("Bâtiment", 8),
            "postcode": "13001", "city": long("Marseille", 5), "country": "FRA" },
        "personal_email": null, "professional_email": null } } });
    acknowledged(&api, &north, driver).await;
    let error = json!({ "other": { "reason": "error", "justification": long("Le véhicule était immobilisé au garage ce jour-là.", 39) } });
    acknowledged(&api, &south, error).await;
    for ids in [&north, &south] {
        let reply = get(&api, ADMIN, &format!("/notices/{}/certificate", ids.notice)).await;
        assert_eq!(reply.status, 200, "{:?}", reply.body_json());
        let text = pdf_text(&reply.body);
        assert_eq!(text.matches('\u{c}').count(), 1, "one page:\n{text}");
        assert!(
            text.contains("Code de vérification"),
            "the foot is on the page:\n{text}"
        );
    }
}

async fn update_notice_label(api: &TestApi, number: &str, label: &str) {
    designa::ports::update_notice(&api.storage, number, |n| {
        n.notice.offence.label = label.into();
        true
    })
    .await
    .unwrap();
}
