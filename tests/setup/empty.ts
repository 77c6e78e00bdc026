// Stands in for the "server-only" package in tests: its real entry throws outside Next's server
// bundler, and the modules under test are server code anyway.
export {};
