"""One screen per job; each takes an `AppContext` and reads and writes only through it."""
