// Package function is fogbank's Lambda: the function registry, invocation
// (synchronous, asynchronous through the delivery outbox, dry run), and a
// pool of warm sandboxes per function.
//
// # Functions
//
// A function is a store record (kind RecordFunction) holding its
// configuration; its code is a zip under Config.CodeDir named by the hex
// SHA-256 of the zip, written and synced before the record is committed, and
// unpacked once beside it. Acknowledged CreateFunction and UpdateFunctionCode
// calls survive a crash.
//
// # Sandboxes
//
// Each function has a pool of sandboxes (package sandbox): one process per
// execution environment, one invocation at a time. An invocation takes an
// idle sandbox or starts one (a cold start); a sandbox that timed out or
// exited is discarded; an idle one expires after Config.IdleTimeout. A code
// or configuration update retires the pool: new invocations start fresh
// sandboxes, old ones end when their invocation does.
//
// # Lock order
//
// Service.mu before pool.mu. Neither is held while a sandbox runs.
package function
