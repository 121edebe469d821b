// Package delivery is fogbank's durable at-least-once dispatcher: "send this
// somewhere and make sure it arrives". EventBridge targets, SNS subscriptions
// (and later Lambda async invokes and Step Functions integrations) hand it
// jobs; it attempts them, retries with exponential backoff and full jitter
// within a retry policy, and dead-letters what cannot be delivered.
//
// # Outbox
//
// A job is a store record (kind "delivery"). The service that accepts work
// (a Publish, a PutEvents) gets the job records from Jobs and commits them in
// the same transaction as its own acceptance, then calls Wake. A job leaves
// the store only when it was delivered, dead-lettered, or expired by policy.
// After a crash, Start loads every pending job again.
//
// # Exactly-once internal hops
//
// A handler receives the change that removes its job. A handler that delivers
// into fogbank itself (queue.Service.Deliver) commits that change with the
// message it writes and reports committed=true, so the job is gone if and
// only if the message exists. Handlers that call out (HTTP) return
// committed=false and the dispatcher removes the job after success:
// at-least-once.
//
// # Time
//
// The dispatcher reads the injected clock only; pending jobs sit in a heap by
// due time and one goroutine sleeps on a timer until the earliest.
package delivery
