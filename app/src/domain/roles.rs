//! Roles and which areas of the product each may use.

use serde::{Deserialize, Serialize};

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum Role {
    Customer,
    Agent,
    Admin,
}

/// The areas of the portal, each behind a role check.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Area {
    /// The customer's own pages (My page, orders, inquiries).
    Customer,
    /// The agent console.
    Agent,
    /// Admin setup and analytics.
    Admin,
}

impl Role {
    pub fn as_str(self) -> &'static str {
        match self {
            Role::Customer => "customer",
            Role::Agent => "agent",
            Role::Admin => "admin",
        }
    }

    pub fn parse(s: &str) -> Option<Role> {
        match s {
            "customer" => Some(Role::Customer),
            "agent" => Some(Role::Agent),
            "admin" => Some(Role::Admin),
            _ => None,
        }
    }

    /// Customers use only their own area; agents the console; admins the admin area and the
    /// console (they supervise it). Nobody but a customer has a customer area: staff look at
    /// customers through the console's 360° view instead.
    pub fn may_enter(self, area: Area) -> bool {
        matches!(
            (self, area),
            (Role::Customer, Area::Customer)
                | (Role::Agent, Area::Agent)
                | (Role::Admin, Area::Agent)
                | (Role::Admin, Area::Admin)
        )
    }

    /// Where a person lands after logging in when no return path was asked for.
    pub fn home_path(self) -> &'static str {
        match self {
            Role::Customer => "/my",
            Role::Agent => "/agent",
            Role::Admin => "/admin",
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn role_area_matrix() {
        use Area::*;
        let table = [
            (Role::Customer, [true, false, false]),
            (Role::Agent, [false, true, false]),
            (Role::Admin, [false, true, true]),
        ];
        for (role, allowed) in table {
            for (area, ok) in [Customer, Agent, Admin].into_iter().zip(allowed) {
                assert_eq!(role.may_enter(area), ok, "{role:?} {area:?}");
            }
        }
    }

    #[test]
    fn roles_round_trip_through_their_names() {
        for role in [Role::Customer, Role::Agent, Role::Admin] {
            assert_eq!(Role::parse(role.as_str()), Some(role));
        }
        assert_eq!(Role::parse("root"), None);
        assert_eq!(Role::parse("Admin"), None);
    }
}
