//! What the vendors' wire → domain mappings share (Iden, Truto, Rezolve): a vendor string made
//! a [`SafeText`] that counts as missing when nothing visible is left, ISO timestamps, a field of
//! the Detail pane, and a status the catalog does not know shown by its own words.

use chrono::{DateTime, NaiveDateTime, Utc};

use crate::domain::{Catalog, CustomFieldValue, Status, StatusId, StatusKind};
use crate::text::SafeText;

/// The cleaned text, or `None` when it is missing or nothing visible is left of it (so the
/// caller's placeholder shows, never a blank).
pub fn text(raw: Option<&str>) -> Option<SafeText> {
    raw.map(SafeText::line)
        .filter(|t| !t.as_str().trim().is_empty())
}

/// ISO 8601 with or without a zone, or the `2024-09-01 10:00:00` some platforms use.
pub fn timestamp(raw: Option<&str>) -> Option<DateTime<Utc>> {
    let raw = raw?.trim();
    DateTime::parse_from_rfc3339(raw)
        .map(|t| t.with_timezone(&Utc))
        .ok()
        .or_else(|| {
            NaiveDateTime::parse_from_str(raw, "%Y-%m-%d %H:%M:%S")
                .ok()
                .map(|t| t.and_utc())
        })
}

/// One line of the Detail pane's fields; the label is ours.
pub fn field(id: &str, label: &str, value: SafeText) -> CustomFieldValue {
    CustomFieldValue {
        field_id: id.to_string(),
        label: SafeText::ours(label),
        value,
    }
}

/// A due date as a field, in UTC.
pub fn due_field(id: &str, due: DateTime<Utc>) -> CustomFieldValue {
    field(
        id,
        "Due",
        SafeText::ours(due.format("%Y-%m-%d %H:%M UTC").to_string()),
    )
}

/// The status for `raw`: the catalog's, else one of the vendor's `documented` ones (known even
/// before the catalog is), else one it may add later, shown by its own words and counted as
/// open so it is seen rather than hidden.
pub fn status(raw: Option<&str>, catalog: &Catalog, documented: Vec<Status>) -> Status {
    let raw = raw.map(str::trim).unwrap_or_default();
    if let Some(known) = catalog
        .status(raw)
        .cloned()
        .or_else(|| documented.into_iter().find(|s| s.id == raw))
    {
        return known;
    }
    let name = text(Some(raw)).unwrap_or_else(|| SafeText::ours("(no status)"));
    Status {
        id: StatusId::from(name.as_str()),
        name,
        kind: StatusKind::Open,
    }
}
