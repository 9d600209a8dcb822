//! Authentication strategies (filled in by the auth work).
