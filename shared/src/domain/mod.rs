//! The domain: plates, notices, deadlines and routing. No AWS types here.

pub mod answer;
pub mod ids;
pub mod notice;
pub mod plate;
pub mod routing;
pub mod time;

pub use ids::{EntityId, TenantId};
pub use notice::{Deadline, Notice, NoticeStatus, Offence, Scale};
pub use plate::{Plate, PlateKey, PlateKind};
pub use routing::{route, Holding, Route, RoutingPolicy, UnroutedReason};
