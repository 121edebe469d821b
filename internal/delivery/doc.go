// Package delivery is fogbank's durable at-least-once dispatcher: "send this
// somewhere and make sure it arrives". EventBridge targets, SNS subscriptions
// (and later Lambda async invokes and Step Functions integrations) hand it
// jobs; it attempts them, retries within a retry policy (exponential backoff
// with full jitter, or one of SNS's backoff functions and phases), and
// dead-letters what cannot be delivered.
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
// # Ordered delivery
//
// Jobs sharing a non-empty OrderKey (an SNS FIFO subscription's message
// group, an EventBridge FIFO target's group) are attempted one at a time in
// (FirstAt, OrderSeq, ID) order. Jobs stamps OrderSeq and reserves the job's
// place before the commit, so concurrent acceptances that commit in one order
// and wake in another cannot overtake each other; a caller whose commit fails
// calls Abandon. A retrying head blocks its key and no other; the jobs behind
// it wait outside the heap, burning no attempts and holding no worker. Start
// rebuilds every key's order from the stored jobs.
//
// # Time
//
// The dispatcher reads the injected clock only; pending jobs sit in a heap by
// due time and one goroutine sleeps on a timer until the earliest.
package delivery
