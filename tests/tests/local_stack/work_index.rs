//! The work index on the table: each notice's entry sits in the shard its
//! number hashes to, a reader queries every shard, and an entry written
//! before sharding (under the bare `DEADLINES` key) is still found.

use aws_sdk_dynamodb::types::AttributeValue;
use chrono::{NaiveDate, TimeZone, Utc};
use designa::domain::{Notice, Plate};
use designa::ports::{AnswerStore, NoticeStore, WorkList};
use designa::store::StoredNotice;
use designa::table::keys;
use designa_integration_tests::exclusive;
use designa_integration_tests::world::{unique_number, world};
use std::collections::BTreeSet;

fn open_notice(number: &str, tenant: &str) -> StoredNotice {
    StoredNotice::routed(
        Notice::sample(
            number,
            Plate::parse("AB-123-CD", "FRA").unwrap(),
            NaiveDate::from_ymd_opt(2026, 11, 2).unwrap(),
        ),
        tenant.into(),
        "e-lyon".into(),
        "v1".into(),
        Utc.with_ymd_and_hms(2026, 11, 4, 7, 0, 0).unwrap(),
        "inbound/work-index.txt".into(),
    )
}

#[tokio::test]
async fn the_deadline_list_reads_every_shard_and_the_unsharded_key() {
    let _one_at_a_time = exclusive().await;
    let w = world().await;
    let storage = w.raw_storage();
    let first = unique_number();
    let numbers: Vec<String> = (0..20).map(|i| (first + i).to_string()).collect();
    let notices: Vec<StoredNotice> = numbers.iter().map(|n| open_notice(n, &w.tenant)).collect();
    storage.put_notices(&notices).await.unwrap();

    let mut shards = BTreeSet::new();
    for number in &numbers {
        let stored = gsi3pk(&w, number).await;
        assert_eq!(stored, keys::work_shard(keys::DEADLINES, number));
        shards.insert(stored);
    }
    assert!(
        shards.len() > 5,
        "20 numbers over several shards: {shards:?}"
    );

    // An entry as it was stored before the index was sharded.
    let legacy = &numbers[0];
    w.aws
        .dynamodb()
        .update_item()
        .table_name(&w.config.table_name)
        .key("pk", AttributeValue::S(keys::notice(legacy)))
        .key("sk", AttributeValue::S(keys::NOTICE_SK.into()))
        .update_expression("SET gsi3pk = :bare")
        .expression_attribute_values(":bare", AttributeValue::S(keys::DEADLINES.into()))
        .send()
        .await
        .unwrap();
    assert_eq!(gsi3pk(&w, legacy).await, "DEADLINES");

    let listed: BTreeSet<String> = storage
        .work_list(WorkList::Deadlines, "2026-12-18", 1_000_000)
        .await
        .unwrap()
        .into_iter()
        .collect();
    for number in &numbers {
        assert!(listed.contains(number), "{number} is on the deadline list");
    }
}

async fn gsi3pk(w: &designa_integration_tests::world::World, number: &str) -> String {
    let item = w
        .aws
        .dynamodb()
        .get_item()
        .table_name(&w.config.table_name)
        .key("pk", AttributeValue::S(keys::notice(number)))
        .key("sk", AttributeValue::S(keys::NOTICE_SK.into()))
        .consistent_read(true)
        .send()
        .await
        .unwrap()
        .item
        .expect("the notice is stored");
    match item.get("gsi3pk") {
        Some(AttributeValue::S(pk)) => pk.clone(),
        other => panic!("gsi3pk of {number}: {other:?}"),
    }
}
