// Package store defines fogbank's durable storage contract and the group
// committer shared by its drivers.
//
// # Model
//
// Domain services keep their working state in memory and describe every
// mutation as a Change. Store.Apply writes a list of changes atomically and
// durably: when it returns nil, the changes survive kill -9 (and, for the
// sqlite driver, power loss, because each commit is fsynced). At start-up a
// service reads its whole state back with the Load* methods.
//
// # Group commit
//
// Apply calls from concurrent requests are batched by one writer goroutine
// into a single transaction, so durability costs one fsync per batch, not one
// per request. A batch preserves submission order: changes submitted earlier
// are applied earlier. A change that fails at the database (which the domain
// layer never expects) fails the whole batch; every caller in it gets the error.
//
// # Drivers
//
// sqlite (embedded, pure Go) and postgres (pgx) implement Store, each with a
// Committer in front of its transaction code. storetest holds the one
// conformance suite both must pass.
package store
