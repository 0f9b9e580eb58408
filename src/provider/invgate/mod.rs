//! InvGate Service Management API v1 (placeholder; being written).
