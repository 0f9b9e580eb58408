//! Typed ids. A request is addressed as `(ProfileId, TicketId)` everywhere, and help desks,
//! statuses and people have their own id types, so an id of one kind can never be passed where
//! another is meant, and request 1207 of one instance never stands for 1207 of another.
//!
//! Vendor ids are strings shared by reference (`Arc<str>`): a queue of 100,000 requests is
//! copied into views, filters and caches, and cloning an id must not allocate.

use std::borrow::Borrow;
use std::fmt;
use std::sync::Arc;

use serde::{Deserialize, Serialize};

/// One open profile of the configuration, by position; stable for the life of the process only,
/// so it is deliberately not serializable: saved data is keyed by the profile's partition.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct ProfileId(pub u16);

impl fmt::Display for ProfileId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "profile {}", self.0)
    }
}

macro_rules! vendor_id {
    ($(#[$doc:meta])* $name:ident) => {
        $(#[$doc])*
        #[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize)]
        #[serde(transparent)]
        pub struct $name(Arc<str>);

        /// Ids are drawn on screen: one read back (from the store) passes the text boundary
        /// like any other text, whatever wrote the file.
        impl<'de> Deserialize<'de> for $name {
            fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
                let raw = <std::borrow::Cow<'de, str>>::deserialize(d)?;
                Ok($name(crate::text::scrub_line(&raw).into()))
            }
        }

        impl $name {
            pub fn new(id: impl Into<Arc<str>>) -> Self {
                $name(id.into())
            }

            pub fn as_str(&self) -> &str {
                &self.0
            }

            /// Numeric value when the id is a number, for natural sorting (9 before 10).
            pub fn number(&self) -> Option<u64> {
                self.0.parse().ok()
            }
        }

        impl fmt::Display for $name {
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str(&self.0)
            }
        }

        impl From<&str> for $name {
            fn from(id: &str) -> Self {
                $name(id.into())
            }
        }

        impl From<String> for $name {
            fn from(id: String) -> Self {
                $name(id.into())
            }
        }

        impl Borrow<str> for $name {
            fn borrow(&self) -> &str {
                &self.0
            }
        }

        impl PartialEq<str> for $name {
            fn eq(&self, other: &str) -> bool {
                &*self.0 == other
            }
        }

        impl PartialEq<&str> for $name {
            fn eq(&self, other: &&str) -> bool {
                &*self.0 == *other
            }
        }
    };
}

vendor_id!(
    /// A ticket's id as its vendor knows it (InvGate: a number; others: strings or UUIDs).
    TicketId
);
vendor_id!(
    /// A help desk, one of its levels, or whatever a vendor groups tickets into (a queue).
    DeskId
);
vendor_id!(
    /// A ticket status of one profile.
    StatusId
);
vendor_id!(
    /// A person (agent or customer) of one profile.
    UserId
);

/// A request anywhere in the console: which profile, which ticket. Not serializable, as
/// [`ProfileId`] is not.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct TicketKey {
    pub profile: ProfileId,
    pub id: TicketId,
}

impl TicketKey {
    pub fn new(profile: ProfileId, id: TicketId) -> Self {
        TicketKey { profile, id }
    }
}

#[cfg(test)]
mod tests {
    use std::collections::HashMap;

    use super::*;

    #[test]
    fn the_same_number_in_two_profiles_is_two_requests() {
        let a = TicketKey::new(ProfileId(0), TicketId::from("1207"));
        let b = TicketKey::new(ProfileId(1), TicketId::from("1207"));
        assert_ne!(a, b);
        let mut map = HashMap::new();
        map.insert(a.clone(), "Acme IT");
        map.insert(b.clone(), "Acme HR");
        assert_eq!(map[&a], "Acme IT");
        assert_eq!(map[&b], "Acme HR");
    }

    #[test]
    fn ids_look_up_by_str_and_serialize_as_plain_strings() {
        let mut people: HashMap<UserId, &str> = HashMap::new();
        people.insert(UserId::from("12"), "Ada");
        assert_eq!(people.get("12"), Some(&"Ada"));
        let json = serde_json::to_string(&DeskId::from("4")).unwrap();
        assert_eq!(json, "\"4\"");
        let back: DeskId = serde_json::from_str(&json).unwrap();
        assert_eq!(back, "4");
        let hostile: TicketId = serde_json::from_str("\"12\\u001b]0;x\\u0007\"").unwrap();
        assert_eq!(hostile, "12", "an id read back is scrubbed");
        assert_eq!(TicketId::from("10").number(), Some(10));
        assert_eq!(TicketId::from("INC-1").number(), None);
    }
}
