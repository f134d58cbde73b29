//! Notices, unrouted notices and plate holdings on the table, read and written
//! in batches.

use super::*;
use crate::domain::{Holding, NoticeStatus, PlateKey};
use crate::ports::{NoticeStore, PortError};
use crate::store::{
    NoticeCriteria, NoticeIndex, NoticePosition, NoticeRange, NoticeSlice, StoredNotice,
    UnroutedNotice,
};
use crate::table::{keys, NoticeItem, PlateHoldingsItem, UnroutedItem};
use async_trait::async_trait;
use aws_sdk_dynamodb::error::DisplayErrorContext;
use aws_sdk_dynamodb::operation::query::builders::QueryFluentBuilder;
use aws_sdk_dynamodb::types::AttributeValue;
use chrono::{Days, NaiveDate};
use std::collections::HashMap;

#[async_trait]
impl NoticeStore for DynamoStorage {
    async fn holdings(
        &self,
        plates: &[PlateKey],
    ) -> Result<HashMap<PlateKey, Vec<Holding>>, PortError> {
        let request = plates
            .iter()
            .map(|p| key(keys::plate(p), keys::HOLDINGS_SK))
            .collect();
        let mut out = HashMap::new();
        for item in self.batch_get(request, None).await? {
            let item: PlateHoldingsItem = serde_dynamo::from_item(item).map_err(|e| {
                PortError::new("dynamodb:BatchGetItem", format!("item mapping: {e}"))
            })?;
            let plate = item
                .pk
                .strip_prefix("PLATE#")
                .unwrap_or(&item.pk)
                .to_string();
            out.insert(PlateKey(plate), item.holdings);
        }
        Ok(out)
    }

    async fn existing_notices(
        &self,
        numbers: &[String],
    ) -> Result<HashMap<String, String>, PortError> {
        let request = numbers
            .iter()
            .map(|n| key(keys::notice(n), keys::NOTICE_SK))
            .collect();
        let mut out = HashMap::new();
        for item in self.batch_get(request, Some("pk, source_file")).await? {
            let (Some(AttributeValue::S(pk)), Some(AttributeValue::S(source))) =
                (item.get("pk"), item.get("source_file"))
            else {
                continue;
            };
            out.insert(pk.trim_start_matches("NOTICE#").to_string(), source.clone());
        }
        Ok(out)
    }

    async fn put_notices(&self, notices: &[StoredNotice]) -> Result<(), PortError> {
        let items = notices
            .iter()
            .map(|n| to_item("dynamodb:BatchWriteItem", &NoticeItem::from(n)))
            .collect::<Result<_, _>>()?;
        self.batch_put(items).await
    }

    async fn put_unrouted(&self, records: &[UnroutedNotice]) -> Result<(), PortError> {
        let items = records
            .iter()
            .map(|u| to_item("dynamodb:BatchWriteItem", &UnroutedItem::from(u)))
            .collect::<Result<_, _>>()?;
        self.batch_put(items).await
    }

    async fn tenant_notices(&self, tenant_id: &str) -> Result<Vec<StoredNotice>, PortError> {
        let (from, to) = keys::ALL_NOTICES;
        let mut notices = self.tenant_notices_between(tenant_id, from, to).await?;
        notices.sort_by(StoredNotice::by_deadline);
        Ok(notices)
    }

    /// One query per status, each from `first_day` on its deadline key.
    async fn tenant_notices_due_from(
        &self,
        tenant_id: &str,
        first_day: NaiveDate,
    ) -> Result<Vec<StoredNotice>, PortError> {
        let mut notices = Vec::new();
        for status in NoticeStatus::ALL {
            let (from, to) = keys::notices_due_from(status, first_day);
            notices.extend(self.tenant_notices_between(tenant_id, &from, &to).await?);
        }
        notices.sort_by(StoredNotice::by_deadline);
        Ok(notices)
    }

    async fn notices_in_range(&self, range: &NoticeRange<'_>) -> Result<NoticeSlice, PortError> {
        // A start key beyond the range is refused by DynamoDB: nothing is there.
        let beyond = |after: &NoticePosition| range.due_by.is_some_and(|d| after.deadline > d);
        if range.after.is_some_and(beyond) {
            return Ok(NoticeSlice::default());
        }
        self.query_notices(range).await
    }

    async fn notice(&self, number: &str) -> Result<Option<StoredNotice>, PortError> {
        Ok(self
            .get_as::<NoticeItem>(keys::notice(number), keys::NOTICE_SK)
            .await?
            .filter(live_notice)
            .map(|i| i.data))
    }
}

impl DynamoStorage {
    /// One Query on gsi1 (the tenant's notices) or gsi2 (one entity's),
    /// resumed from the position as its `ExclusiveStartKey`.
    async fn query_notices(&self, range: &NoticeRange<'_>) -> Result<NoticeSlice, PortError> {
        let (index, pk_name, sk_name, pk) = match range.index {
            NoticeIndex::Tenant(t) => ("gsi1", "gsi1pk", "gsi1sk", keys::tenant_notices(t)),
            NoticeIndex::Entity(t, e) => ("gsi2", "gsi2pk", "gsi2sk", keys::entity(t, e)),
        };
        let (from, to) = keys::notices_of_status(range.status, range.due_from, range.due_by);
        let mut query = self
            .client
            .query()
            .table_name(&self.table)
            .index_name(index)
            .key_condition_expression(format!(
                "{pk_name} = :pk AND {sk_name} BETWEEN :from AND :to"
            ))
            .expression_attribute_values(":pk", s(&pk))
            .expression_attribute_values(":from", s(from))
            .expression_attribute_values(":to", s(to))
            .limit(i32::try_from(range.limit).unwrap_or(i32::MAX));
        // A cursor from before the range's start (read on an earlier day)
        // starts it at its beginning: DynamoDB refuses a start key outside.
        let before_start = |a: &&NoticePosition| range.due_from.is_some_and(|d| a.deadline < d);
        if let Some(after) = range.after.filter(|a| !before_start(a)) {
            let number = &after.notice_number;
            let sk = keys::notice_by_status(range.status, after.deadline, number);
            query = query
                .exclusive_start_key(pk_name, s(&pk))
                .exclusive_start_key(sk_name, s(sk))
                .exclusive_start_key("pk", s(keys::notice(number)))
                .exclusive_start_key("sk", s(keys::NOTICE_SK));
        }
        let out = with_criteria(query, range.criteria)
            .send()
            .await
            .map_err(|e| PortError::new("dynamodb:Query", DisplayErrorContext(e)))?;
        let mut notices = Vec::new();
        for item in out.items() {
            let item: NoticeItem = serde_dynamo::from_item(item.clone())
                .map_err(|e| PortError::new("dynamodb:Query", format!("item mapping: {e}")))?;
            if live_notice(&item) {
                notices.push(item.data);
            }
        }
        let stopped_at = out
            .last_evaluated_key()
            .and_then(|k| k.get(sk_name))
            .and_then(|v| v.as_s().ok())
            .and_then(|sk| keys::notice_position(sk));
        Ok(NoticeSlice {
            notices,
            stopped_at,
        })
    }

    /// A tenant's live notices whose `gsi1sk` is between `from` and `to`.
    async fn tenant_notices_between(
        &self,
        tenant_id: &str,
        from: &str,
        to: &str,
    ) -> Result<Vec<StoredNotice>, PortError> {
        let pages = self
            .client
            .query()
            .table_name(&self.table)
            .index_name("gsi1")
            .key_condition_expression("gsi1pk = :pk AND gsi1sk BETWEEN :from AND :to")
            .expression_attribute_values(":pk", s(keys::tenant_notices(&tenant_id.into())))
            .expression_attribute_values(":from", s(from))
            .expression_attribute_values(":to", s(to))
            .into_paginator()
            .items()
            .send()
            .collect::<Vec<_>>()
            .await;
        pages
            .into_iter()
            .map(|item| {
                let item =
                    item.map_err(|e| PortError::new("dynamodb:Query", DisplayErrorContext(e)))?;
                serde_dynamo::from_item::<_, NoticeItem>(item)
                    .map_err(|e| PortError::new("dynamodb:Query", format!("item mapping: {e}")))
            })
            .filter(|item| item.as_ref().map_or(true, live_notice))
            .map(|item| item.map(|i| i.data))
            .collect()
    }
}

/// The criteria as a `FilterExpression` on the notice's attributes: items
/// it drops are still read (and billed), as the list's paging expects.
fn with_criteria(query: QueryFluentBuilder, criteria: &NoticeCriteria) -> QueryFluentBuilder {
    let mut clauses = Vec::new();
    let mut names = vec![("#notice", "notice")];
    let mut values = Vec::new();
    let plate = "#notice.#plate.#normalized";
    if criteria.plate.is_some() || criteria.search.is_some() {
        names.extend([("#plate", "plate"), ("#normalized", "normalized")]);
    }
    if let Some(p) = &criteria.plate {
        clauses.push(format!("{plate} = :plate"));
        values.push((":plate", p.clone()));
    }
    if let Some((p, number)) = &criteria.search {
        names.push(("#number", "notice_number"));
        clauses.push(format!(
            "({plate} = :search_plate OR begins_with(#notice.#number, :search_number))"
        ));
        values.extend([
            (":search_plate", p.clone()),
            (":search_number", number.clone()),
        ]);
    }
    // The offence time is Paris local time, written date first: a day
    // compares as a prefix.
    let before = criteria
        .offence_to
        .and_then(|t| t.checked_add_days(Days::new(1)));
    if criteria.offence_from.is_some() || before.is_some() {
        names.push(("#at", "offence_at"));
    }
    if let Some(from) = criteria.offence_from {
        clauses.push("#notice.#at >= :offence_from".into());
        values.push((":offence_from", from.to_string()));
    }
    if let Some(before) = before {
        clauses.push("#notice.#at < :offence_before".into());
        values.push((":offence_before", before.to_string()));
    }
    if clauses.is_empty() {
        return query;
    }
    let query = names.into_iter().fold(query, |q, (name, attribute)| {
        q.expression_attribute_names(name, attribute)
    });
    let query = values.into_iter().fold(query, |q, (name, value)| {
        q.expression_attribute_values(name, s(value))
    });
    query.filter_expression(clauses.join(" AND "))
}
