//! Designation certificates on the local stack: a driver designated
//! through the API, sent by the answer jobs, acknowledged through the
//! ingest; the certificate's proof is signed by the emulator's KMS key
//! (ECC_NIST_P256) and verifies with the published public key alone; it
//! names the journal entries the answer jobs and the ingest wrote.

use aws_lc_rs::signature::{UnparsedPublicKey, ECDSA_P256_SHA256_ASN1};
use base64::Engine;
use designa::app::certificates::document::canonical_json;
use designa::domain::access::Role;
use designa_integration_tests::exclusive;
use designa_integration_tests::world::{batch, call, unique_number, world, World};
use designa_tools::answer_loop::{acknowledge_outbound, send_due_answers};
use designa_tools::simulator::{generate_notices, notice_file};
use serde_json::{json, Value};

const BASE64: base64::engine::GeneralPurpose = base64::engine::general_purpose::STANDARD;

/// A notice of a fresh fleet, answered with `answer`, sent after the grace
/// window and acknowledged by the ANTAI simulator: its number.
async fn acknowledged_notice(
    w: &World,
    api: &api::AppState,
    admin: &Claims,
    answer: Value,
) -> String {
    let fleet = w.seed_fleet(1).await;
    let notices = generate_notices(&fleet, &batch(1, unique_number()));
    let file = notice_file("SIM-ATTESTATION", chrono::Utc::now(), &notices);
    w.drop_file(&file.name, file.bytes).await;
    w.run_ingest().await;
    let number = notices[0].notice_number.clone();
    let given = call(
        api,
        admin,
        "PUT",
        &format!("/notices/{number}/answer"),
        answer,
    )
    .await;
    assert_eq!(given.status, 200, "{:?}", given.body_json());
    let later = chrono::Utc::now() + chrono::Duration::hours(5);
    let sent = send_due_answers(&w.aws, &w.config.table_name, &w.bucket, later)
        .await
        .unwrap();
    assert_eq!(sent.len(), 1, "{sent:?}");
    acknowledge_outbound(&w.aws, &w.bucket, &sent[0].file_key, 0.0, 3)
        .await
        .unwrap();
    w.run_ingest().await;
    number
}

type Claims = serde_json::Map<String, Value>;

/// The public key as the public route publishes it (PEM), as DER.
async fn published_key(api: &api::AppState) -> Vec<u8> {
    let reply = api
        .handle(api::testing::Call {
            method: "GET".into(),
            path: "/certificates/public-key".into(),
            ..Default::default()
        })
        .await;
    assert_eq!(reply.status, 200, "{:?}", reply.body_json());
    let pem = String::from_utf8(reply.body).unwrap();
    let body: String = pem.lines().filter(|l| !l.starts_with("-----")).collect();
    BASE64.decode(body).unwrap()
}

fn verifies(proof: &Value, der: &[u8]) -> bool {
    let signature = BASE64
        .decode(proof["signature"]["value"].as_str().unwrap())
        .unwrap();
    let signed = canonical_json(&proof["document"]);
    UnparsedPublicKey::new(&ECDSA_P256_SHA256_ASN1, der)
        .verify(signed.as_bytes(), &signature)
        .is_ok()
}

#[tokio::test]
async fn a_certificate_is_signed_by_kms_and_verifies_with_the_published_key_alone() {
    let _one_at_a_time = exclusive().await;
    let w = world().await;
    w.create_tenant("Attestation Fictive SAS").await;
    w.add_user("boss", Role::Admin).await;
    let admin = w.claims_of("boss");
    let api = w.api();
    let driver = json!({ "designation": { "driver": {
        "last_name": "Célestin-Fictif", "first_name": "Noé",
        "address": { "line1": "8 rue de l'Épreuve", "line2": null, "postcode": "35000", "city": "Rennes", "country": "FRA" },
        "personal_email": null, "professional_email": null } } });
    let number = acknowledged_notice(&w, &api, &admin, driver).await;

    let path = format!("/notices/{number}/certificate");
    let proof = call(&api, &admin, "GET", &format!("{path}/proof"), Value::Null).await;
    assert_eq!(proof.status, 200, "{:?}", proof.body_json());
    let proof = proof.body_json();
    let der = published_key(&api).await;
    assert!(verifies(&proof, &der), "signed by KMS, checked offline");
    let mut altered = proof.clone();
    altered["document"]["notice"]["plate"] = json!("ZZ-999-ZZ");
    assert!(!verifies(&altered, &der), "an altered proof fails");
    // KMS agrees with the offline check.
    let signature = BASE64
        .decode(proof["signature"]["value"].as_str().unwrap())
        .unwrap();
    let stack = designa_integration_tests::local_stack();
    let key = stack.resource("CertificateSigningKey").unwrap();
    let checked = w
        .aws
        .kms()
        .verify()
        .key_id(key)
        .message(aws_sdk_kms::primitives::Blob::new(canonical_json(
            &proof["document"],
        )))
        .message_type(aws_sdk_kms::types::MessageType::Raw)
        .signature(aws_sdk_kms::primitives::Blob::new(signature))
        .signing_algorithm(aws_sdk_kms::types::SigningAlgorithmSpec::EcdsaSha256)
        .send()
        .await
        .unwrap();
    assert!(checked.signature_valid());

    // The journal entries the answer jobs and the ingest wrote are named.
    let transmission = &proof["document"]["transmission"];
    for key in ["sent_entry", "acknowledged_entry"] {
        assert!(transmission[key]["seq"].is_u64(), "{key}: {transmission}");
    }
    let pdf = call(&api, &admin, "GET", &path, Value::Null).await;
    assert_eq!(pdf.status, 200);
    assert!(pdf.body.starts_with(b"%PDF-"));
    let code = proof["document"]["verification_code"].as_str().unwrap();
    let public = api
        .handle(api::testing::Call {
            method: "GET".into(),
            path: format!("/certificates/{code}"),
            ..Default::default()
        })
        .await;
    assert_eq!(public.status, 200, "{:?}", public.body_json());
    assert_eq!(public.body_json()["notice_number"], number.as_str());
    assert!(!String::from_utf8_lossy(&public.body).contains("Célestin"));
}
