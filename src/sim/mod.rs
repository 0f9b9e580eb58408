//! The vendor simulator (placeholder; being written).
