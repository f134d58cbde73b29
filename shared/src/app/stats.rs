//! The dashboard's figures: anonymous aggregates of the notices a caller
//! may read, per entity and in total. Never a figure per driver (the CNIL
//! allows only anonymous statistics on employees).
//!
//! The figures cover the last 12 calendar months (Paris), read through the
//! deadline index from the first day of the oldest month: older history is
//! never read, so the cost stays that of 12 months however long a tenant
//! has been with us.

use super::caller::{in_scope, Caller};
use super::entities::{self, Entity};
use super::error::AppError;
use crate::domain::access::Action;
use crate::domain::answer::AnswerEvent;
use crate::domain::time::paris_date;
use crate::domain::{EntityId, NoticeStatus};
use crate::ports::Storage;
use crate::store::StoredNotice;
use chrono::{DateTime, Datelike, Days, Months, NaiveDate, Utc};
use serde::Serialize;

/// How many calendar months the history figures and the chart cover.
pub const STATS_MONTHS: u32 = 12;

/// The dashboard: the caller's whole scope, then each entity of it.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Dashboard {
    pub generated_at: DateTime<Utc>,
    /// Today in Paris: the day the deadlines are counted from.
    pub today: NaiveDate,
    /// First day (Paris) of the oldest month the history covers.
    pub history_from: NaiveDate,
    pub total: Figures,
    /// The entities the caller may read, by name (all of them, with or
    /// without notices).
    pub entities: Vec<EntityFigures>,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct EntityFigures {
    #[cfg_attr(feature = "openapi", schema(value_type = String))]
    pub entity_id: EntityId,
    pub entity_name: String,
    pub figures: Figures,
}

/// Counts of notices; each matches what `GET /notices` lists with the same
/// filters (`OPEN` and `due_within_days=2`, …).
#[derive(Debug, Clone, Default, PartialEq, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Figures {
    /// Waiting for an answer.
    pub open: u32,
    /// Open, deadline today or within 2 days.
    pub due_within_2_days: u32,
    /// Open, deadline within 7 days.
    pub due_within_7_days: u32,
    /// Answers in their grace window or waiting for the next batch.
    pub answers_pending: u32,
    /// Answers ANTAI refused, to correct.
    pub answers_in_error: u32,
    /// Acknowledged by ANTAI during the current month (Paris).
    pub acknowledged_this_month: u32,
    /// Received in the last 12 months and gone to paper.
    pub gone_to_paper: u32,
    pub answered_in_time: InTime,
    /// One entry per month, oldest first, by reception month (Paris).
    pub months: Vec<MonthFigures>,
}

/// Of the notices received in the last 12 months whose fate is decided
/// (answered, or gone to paper), how many were answered before their deadline.
#[derive(Debug, Clone, Default, PartialEq, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct InTime {
    pub answered: u32,
    pub decided: u32,
    /// `answered` over `decided`, rounded down; `None` when nothing is decided yet.
    pub percent: Option<u32>,
}

/// The notices received in one month, by where they stand today.
#[derive(Debug, Clone, Default, PartialEq, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct MonthFigures {
    /// `YYYY-MM`.
    pub month: String,
    pub open: u32,
    /// Pending or sent, not yet acknowledged.
    pub answered: u32,
    pub acknowledged: u32,
    pub in_error: u32,
    pub gone_to_paper: u32,
}

/// The dashboard of what `caller` may read, optionally one entity only
/// (404 if the caller cannot see it).
pub async fn dashboard<S: Storage>(
    storage: &S,
    caller: &Caller,
    only: Option<&EntityId>,
    now: DateTime<Utc>,
) -> Result<Dashboard, AppError> {
    let scope = caller.scope(Action::ReadNotices)?;
    if let Some(entity) = only {
        entities::require_entity(storage, caller, Action::ReadNotices, entity).await?;
    }
    let shown = |e: &EntityId| in_scope(&scope, e) && only.is_none_or(|o| o == e);
    let mut known: Vec<Entity> = entities::all(storage, caller.tenant_id()).await?;
    known.retain(|e| shown(&e.entity_id));
    known.sort_by(|a, b| a.name.cmp(&b.name));
    let today = paris_date(now);
    let history_from = first_month(today);
    let notices = storage
        .tenant_notices_due_from(&caller.tenant_id().0, history_from)
        .await?;
    let notices: Vec<&StoredNotice> = notices.iter().filter(|n| shown(&n.entity_id)).collect();
    let per_entity = known
        .iter()
        .map(|e| {
            let own: Vec<&StoredNotice> = notices
                .iter()
                .copied()
                .filter(|n| n.entity_id == e.entity_id)
                .collect();
            EntityFigures {
                entity_id: e.entity_id.clone(),
                entity_name: e.name.clone(),
                figures: figures(&own, today),
            }
        })
        .collect();
    Ok(Dashboard {
        generated_at: now,
        today,
        history_from,
        total: figures(&notices, today),
        entities: per_entity,
    })
}

/// The first day of the oldest of the 12 months ending with `today`'s.
pub fn first_month(today: NaiveDate) -> NaiveDate {
    let this_month = today.with_day(1).expect("the first of a month exists");
    this_month - Months::new(STATS_MONTHS - 1)
}

/// The figures of `notices`, counted on `today` (Paris).
pub fn figures(notices: &[&StoredNotice], today: NaiveDate) -> Figures {
    let history_from = first_month(today);
    let due_by = |days| today.checked_add_days(Days::new(days)).unwrap_or(today);
    let mut f = Figures {
        months: month_labels(history_from)
            .map(|month| MonthFigures {
                month,
                ..MonthFigures::default()
            })
            .collect(),
        ..Figures::default()
    };
    for n in notices {
        let open = n.status == NoticeStatus::Open;
        f.open += u32::from(open);
        f.due_within_2_days += u32::from(open && n.deadline <= due_by(2));
        f.due_within_7_days += u32::from(open && n.deadline <= due_by(7));
        f.answers_pending += u32::from(n.status == NoticeStatus::AnswerPending);
        f.answers_in_error += u32::from(n.status == NoticeStatus::AnswerInError);
        f.acknowledged_this_month += u32::from(acknowledged_in_month_of(n, today));
        let received = paris_date(n.received_at);
        if received < history_from {
            continue;
        }
        count_history(&mut f, n.status);
        let index = months_between(history_from, received);
        if let Some(month) = f.months.get_mut(index) {
            count_month(month, n.status);
        }
    }
    f.answered_in_time.percent = (f.answered_in_time.decided > 0)
        .then(|| f.answered_in_time.answered * 100 / f.answered_in_time.decided);
    f
}

fn count_history(f: &mut Figures, status: NoticeStatus) {
    match status {
        NoticeStatus::Open => {}
        NoticeStatus::GoneToPaper => {
            f.gone_to_paper += 1;
            f.answered_in_time.decided += 1;
        }
        _ => {
            f.answered_in_time.answered += 1;
            f.answered_in_time.decided += 1;
        }
    }
}

fn count_month(month: &mut MonthFigures, status: NoticeStatus) {
    let slot = match status {
        NoticeStatus::Open => &mut month.open,
        NoticeStatus::AnswerPending | NoticeStatus::AnswerSent => &mut month.answered,
        NoticeStatus::Acknowledged => &mut month.acknowledged,
        NoticeStatus::AnswerInError => &mut month.in_error,
        NoticeStatus::GoneToPaper => &mut month.gone_to_paper,
    };
    *slot += 1;
}

/// Was the notice acknowledged during `today`'s month (Paris)?
fn acknowledged_in_month_of(n: &StoredNotice, today: NaiveDate) -> bool {
    if n.status != NoticeStatus::Acknowledged {
        return false;
    }
    let acknowledged_on = n.answer.as_ref().and_then(|a| {
        a.history
            .iter()
            .rev()
            .find(|h| matches!(h.event, AnswerEvent::Acknowledged { .. }))
            .map(|h| paris_date(h.at))
    });
    acknowledged_on.is_some_and(|d| (d.year(), d.month()) == (today.year(), today.month()))
}

fn month_labels(from: NaiveDate) -> impl Iterator<Item = String> {
    (0..STATS_MONTHS).map(move |i| (from + Months::new(i)).format("%Y-%m").to_string())
}

fn months_between(from: NaiveDate, day: NaiveDate) -> usize {
    let months = (day.year() - from.year()) * 12 + day.month() as i32 - from.month() as i32;
    usize::try_from(months).unwrap_or(usize::MAX)
}
