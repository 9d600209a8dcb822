//! Job workers (filled in by the worker work).
