//! The fleet declaration: the platform declares every managed plate to ANTAI
//! (plate, country, make, model, entry date, exit date) so that their notices
//! arrive electronically. A full declaration goes out monthly, the day's
//! changes daily, as `DECLARATION_FLOTTE` files under the outbound prefix
//! for the relay.
//!
//! Once per day and mode: the file's name and id derive from the day, and a
//! conditional record marks it done, so a second run (a retry, a concurrent
//! invocation) rewrites the same object and records nothing twice.

use chrono::{DateTime, NaiveDate, Utc};
use designa::domain::time::{end_of_paris_day, paris_date};
use designa::domain::TenantId;
use designa::env::{Env, EnvError};
use designa::exchange::{self, FleetOperation, FleetRecord, Header, Kind};
use designa::ports::{BlobStore, Clock, PortError, Storage};
use designa::store::{Declaration, DeclarationMode, Vehicle};
use serde::Deserialize;
use std::collections::HashMap;
use tracing::info;

/// What the schedule sends: `{"mode": "full"}` or `{"mode": "changes"}`.
#[derive(Debug, Clone, Copy, Deserialize)]
pub struct DeclarationRequest {
    pub mode: DeclarationMode,
}

#[derive(Debug, Clone)]
pub struct Config {
    pub exchange_bucket: String,
    pub outbound_prefix: String,
    /// Vehicles that left within this many days are still declared (smart exit).
    pub smart_exit_grace_days: u64,
}

impl Config {
    pub fn from_env() -> Result<Config, EnvError> {
        Config::read(&Env::process())
    }

    pub fn read(env: &Env<impl Fn(&str) -> Option<String>>) -> Result<Config, EnvError> {
        Ok(Config {
            exchange_bucket: env.required("EXCHANGE_BUCKET")?,
            outbound_prefix: env.or("OUTBOUND_PREFIX", designa::app::layout::OUTBOUND_PREFIX),
            smart_exit_grace_days: env.number("SMART_EXIT_GRACE_DAYS", 60)?,
        })
    }
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Outcome {
    Written(Declaration),
    /// Today's declaration of this mode was already made.
    AlreadyDone(Declaration),
}

pub struct FleetDeclaration<B, S, C> {
    pub blobs: B,
    pub storage: S,
    pub clock: C,
    pub config: Config,
}

fn file_id(mode: DeclarationMode, day: NaiveDate) -> String {
    let kind = match mode {
        DeclarationMode::Full => "COMPLETE",
        DeclarationMode::Changes => "MODIFS",
    };
    format!("FLOTTE-{kind}-{}", day.format("%Y%m%d"))
}

fn record(vehicle: &Vehicle, operation: FleetOperation, updated_at: DateTime<Utc>) -> FleetRecord {
    FleetRecord {
        operation,
        plate: vehicle.plate.clone(),
        make: vehicle.make.clone(),
        model: vehicle.model.clone(),
        managed_from: vehicle.entry_on,
        managed_until: vehicle.exit_on,
        updated_at,
    }
}

impl<B: BlobStore, S: Storage, C: Clock> FleetDeclaration<B, S, C> {
    pub async fn declare(&self, mode: DeclarationMode) -> Result<Outcome, PortError> {
        let now = self.clock.now();
        let today = paris_date(now);
        let file_id = file_id(mode, today);
        let last = self.storage.last_declaration(mode).await?;
        if let Some(done) = last.as_ref().filter(|d| d.file_id == file_id) {
            info!(file_id = %file_id, "already declared today");
            return Ok(Outcome::AlreadyDone(done.clone()));
        }
        let mut lines = match mode {
            DeclarationMode::Full => self.full(today).await?,
            DeclarationMode::Changes => self.changes(last.as_ref()).await?,
        };
        lines.sort_by(|a, b| {
            (&a.plate.country, &a.plate.normalized, a.managed_from).cmp(&(
                &b.plate.country,
                &b.plate.normalized,
                b.managed_from,
            ))
        });

        // Named after the day, not the run: a rerun writes the same object.
        let created_at = end_of_paris_day(today);
        let header = Header {
            version: exchange::CURRENT_VERSION,
            kind: Kind::FleetDeclaration,
            file_id: file_id.clone(),
            created_at,
        };
        let key = format!(
            "{}{}",
            self.config.outbound_prefix,
            exchange::file_name(&header)
        );
        let bytes = exchange::write_file(&file_id, created_at, &lines);
        self.blobs
            .put(
                &self.config.exchange_bucket,
                &key,
                bytes,
                "text/plain; charset=utf-8",
            )
            .await?;
        let declaration = Declaration {
            mode,
            file_id,
            key,
            lines: lines.len(),
            covers_until: now,
        };
        if !self.storage.record_declaration(&declaration).await? {
            // Another run recorded the same day's file first; ours overwrote it with the same name.
            let done = self
                .storage
                .last_declaration(mode)
                .await?
                .unwrap_or(declaration);
            return Ok(Outcome::AlreadyDone(done));
        }
        info!(file_id = %declaration.file_id, lines = declaration.lines, mode = ?mode, "fleet declared");
        Ok(Outcome::Written(declaration))
    }

    /// Every vehicle under management, and those that left within their
    /// tenant's smart-exit grace.
    async fn full(&self, today: NaiveDate) -> Result<Vec<FleetRecord>, PortError> {
        let vehicles = self.storage.vehicles_changed_since(None).await?;
        let mut graces: HashMap<TenantId, u64> = HashMap::new();
        for (v, _) in &vehicles {
            if !graces.contains_key(&v.tenant_id) {
                graces.insert(v.tenant_id.clone(), self.grace_days(&v.tenant_id).await?);
            }
        }
        Ok(vehicles
            .into_iter()
            .filter(|(v, _)| {
                let grace = chrono::Days::new(graces[&v.tenant_id]);
                v.exit_on
                    .is_none_or(|exit| exit.checked_add_days(grace).is_some_and(|end| end >= today))
            })
            .map(|(v, at)| record(&v, FleetOperation::Full, at))
            .collect())
    }

    /// The tenant's smart-exit grace; the stack's default for a tenant gone.
    async fn grace_days(&self, tenant: &TenantId) -> Result<u64, PortError> {
        Ok(match self.storage.tenant(tenant).await? {
            Some(t) => u64::from(t.settings.smart_exit_grace_days),
            None => self.config.smart_exit_grace_days,
        })
    }

    /// What changed since the last declaration of any mode.
    async fn changes(
        &self,
        last_changes: Option<&Declaration>,
    ) -> Result<Vec<FleetRecord>, PortError> {
        let last_full = self.storage.last_declaration(DeclarationMode::Full).await?;
        let since = [
            last_changes.map(|d| d.covers_until),
            last_full.map(|d| d.covers_until),
        ]
        .into_iter()
        .flatten()
        .max();
        let since_day = since.map(paris_date);
        Ok(self
            .storage
            .vehicles_changed_since(since)
            .await?
            .into_iter()
            .map(|(v, at)| {
                let operation = if v.exit_on.is_some() {
                    FleetOperation::Leaving
                } else if since_day.is_none_or(|day| v.entry_on >= day) {
                    FleetOperation::Added
                } else {
                    FleetOperation::Changed
                };
                record(&v, operation, at)
            })
            .collect())
    }
}

#[cfg(test)]
mod tests;
