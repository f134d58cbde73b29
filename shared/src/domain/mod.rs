//! The domain: plates, notices, deadlines, routing, answers, company
//! identifiers, addresses, roles and scopes. No AWS types here.

pub mod access;
pub mod address;
pub mod answer;
pub mod assignment;
pub mod company;
pub mod countries;
pub mod driver;
pub mod ids;
pub mod notice;
pub mod plate;
pub mod reason;
pub mod routing;
pub mod subject;
pub mod tenant;
pub mod time;

pub use ids::{EntityId, TenantId};
pub use notice::{Deadline, Notice, NoticeStatus, Offence, Scale};
pub use plate::{Plate, PlateKey, PlateKind};
pub use reason::ReasonCode;
pub use routing::{
    place_holding, route, route_by_tenant, Holding, HoldingConflict, Route, RoutingPolicy,
    UnroutedReason,
};
