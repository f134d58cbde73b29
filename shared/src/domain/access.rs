//! Roles and entity scopes: who may do what, on which entity.
//!
//! A user holds grants: a role (admin, fleet management, designation; the
//! last two combine) over all the tenant's entities or a list of them. An
//! admin over a list of entities is that entity's admin. Tenant and identity
//! come from the verified token only; this module decides, given them.

use super::ids::{EntityId, TenantId};
use serde::{Deserialize, Serialize};
use std::collections::BTreeSet;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum Role {
    Admin,
    FleetManagement,
    Designation,
}

/// Which entities a grant covers.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(tag = "kind", content = "entities", rename_all = "snake_case")]
pub enum Scope {
    AllEntities,
    Entities(BTreeSet<EntityId>),
}

impl Scope {
    fn covers(&self, entity: &EntityId) -> bool {
        match self {
            Scope::AllEntities => true,
            Scope::Entities(list) => list.contains(entity),
        }
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Grant {
    pub role: Role,
    pub scope: Scope,
    /// The last day (Paris) the grant works, for a holiday cover; `None`:
    /// until it is changed.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub until: Option<chrono::NaiveDate>,
}

impl Grant {
    /// Still in force on `today` (Paris)?
    pub fn is_current(&self, today: chrono::NaiveDate) -> bool {
        self.until.is_none_or(|last| today <= last)
    }
}

/// The grants of `grants` still in force on `today`.
pub fn current_grants(grants: &[Grant], today: chrono::NaiveDate) -> Vec<Grant> {
    grants
        .iter()
        .filter(|g| g.is_current(today))
        .cloned()
        .collect()
}

/// What a request wants to do.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Action {
    /// Create or delete entities, change tenant settings: tenant-wide admin only.
    ManageTenant,
    /// Invite, edit, deactivate users of an entity.
    ManageUsers,
    ReadFleet,
    WriteFleet,
    ReadDrivers,
    WriteDrivers,
    ReadAssignments,
    WriteAssignments,
    ReadNotices,
    AnswerNotices,
    ExportNotices,
    ReadJournal,
}

impl Action {
    /// The roles that allow the action (admins are handled apart).
    fn roles(&self) -> &'static [Role] {
        use Role::*;
        match self {
            Action::ManageTenant | Action::ManageUsers | Action::ReadJournal => &[],
            Action::WriteFleet | Action::WriteDrivers | Action::WriteAssignments => {
                &[FleetManagement]
            }
            // Designating needs to see vehicles, drivers and who drove when.
            Action::ReadFleet | Action::ReadDrivers | Action::ReadAssignments => {
                &[FleetManagement, Designation]
            }
            Action::ReadNotices | Action::AnswerNotices | Action::ExportNotices => &[Designation],
        }
    }
}

/// The caller of a request, as its verified token and user record describe it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Principal {
    pub tenant_id: TenantId,
    pub user_id: String,
    pub active: bool,
    pub grants: Vec<Grant>,
}

impl Principal {
    fn grants_for(&self, action: Action) -> impl Iterator<Item = &Grant> {
        self.grants.iter().filter(move |g| {
            self.active && (g.role == Role::Admin || action.roles().contains(&g.role))
        })
    }

    /// May the caller do `action` on `entity` of `tenant`? Another tenant's
    /// data is never allowed, whatever the grants.
    pub fn can(&self, action: Action, tenant: &TenantId, entity: &EntityId) -> bool {
        if tenant != &self.tenant_id {
            return false;
        }
        if action == Action::ManageTenant {
            return self.is_tenant_admin();
        }
        self.grants_for(action).any(|g| g.scope.covers(entity))
    }

    /// Tenant-wide actions (creating entities, settings).
    pub fn is_tenant_admin(&self) -> bool {
        self.active
            && self
                .grants
                .iter()
                .any(|g| g.role == Role::Admin && g.scope == Scope::AllEntities)
    }

    /// The entities the caller may do `action` on, to filter list queries.
    pub fn scope_for(&self, action: Action) -> Option<Scope> {
        let mut entities = BTreeSet::new();
        let mut any = false;
        for g in self.grants_for(action) {
            any = true;
            match &g.scope {
                Scope::AllEntities => return Some(Scope::AllEntities),
                Scope::Entities(list) => entities.extend(list.iter().cloned()),
            }
        }
        any.then_some(Scope::Entities(entities))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn scope(entities: &[&str]) -> Scope {
        Scope::Entities(entities.iter().map(|e| EntityId((*e).into())).collect())
    }

    fn principal(grants: Vec<Grant>) -> Principal {
        Principal {
            tenant_id: "acme".into(),
            user_id: "u1".into(),
            active: true,
            grants,
        }
    }

    fn grant(role: Role, scope: Scope) -> Grant {
        Grant {
            role,
            scope,
            until: None,
        }
    }

    /// (who, action, entity, allowed)
    #[test]
    fn the_access_table() {
        use Action::*;
        let admin = principal(vec![grant(Role::Admin, Scope::AllEntities)]);
        let lyon_admin = principal(vec![grant(Role::Admin, scope(&["lyon"]))]);
        let fleet_lyon = principal(vec![grant(Role::FleetManagement, scope(&["lyon"]))]);
        let designation_all = principal(vec![grant(Role::Designation, Scope::AllEntities)]);
        let both_paris = principal(vec![
            grant(Role::FleetManagement, scope(&["paris"])),
            grant(Role::Designation, scope(&["paris"])),
        ]);
        let table: Vec<(&Principal, Action, &str, bool)> = vec![
            (&admin, ManageTenant, "lyon", true),
            (&admin, AnswerNotices, "paris", true),
            (&lyon_admin, ManageTenant, "lyon", false),
            (&lyon_admin, ManageUsers, "lyon", true),
            (&lyon_admin, ManageUsers, "paris", false),
            (&lyon_admin, AnswerNotices, "lyon", true),
            (&fleet_lyon, WriteFleet, "lyon", true),
            (&fleet_lyon, WriteFleet, "paris", false),
            (&fleet_lyon, ReadNotices, "lyon", false),
            (&fleet_lyon, ManageUsers, "lyon", false),
            (&designation_all, AnswerNotices, "paris", true),
            (&designation_all, ReadDrivers, "paris", true),
            (&designation_all, WriteDrivers, "paris", false),
            (&designation_all, ReadJournal, "paris", false),
            (&both_paris, WriteAssignments, "paris", true),
            (&both_paris, AnswerNotices, "paris", true),
            (&both_paris, AnswerNotices, "lyon", false),
        ];
        for (who, action, entity, allowed) in table {
            assert_eq!(
                who.can(action, &"acme".into(), &entity.into()),
                allowed,
                "{:?} {action:?} {entity}",
                who.grants
            );
        }
    }

    #[test]
    fn another_tenant_or_a_deactivated_user_gets_nothing() {
        let admin = principal(vec![grant(Role::Admin, Scope::AllEntities)]);
        assert!(!admin.can(Action::ReadNotices, &"globex".into(), &"lyon".into()));
        let mut off = admin.clone();
        off.active = false;
        assert!(!off.can(Action::ReadNotices, &"acme".into(), &"lyon".into()));
        assert!(!off.is_tenant_admin());
    }

    #[test]
    fn list_queries_are_filtered_to_the_scope() {
        let p = principal(vec![
            grant(Role::Designation, scope(&["lyon"])),
            grant(Role::Admin, scope(&["paris"])),
        ]);
        assert_eq!(
            p.scope_for(Action::ReadNotices),
            Some(scope(&["lyon", "paris"]))
        );
        assert_eq!(p.scope_for(Action::WriteFleet), Some(scope(&["paris"])));
        let fleet_only = principal(vec![grant(Role::FleetManagement, Scope::AllEntities)]);
        assert_eq!(fleet_only.scope_for(Action::ReadNotices), None);
        assert_eq!(
            fleet_only.scope_for(Action::ReadFleet),
            Some(Scope::AllEntities)
        );
    }
}
