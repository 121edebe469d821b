// Package queue implements Amazon SQS semantics: standard and FIFO queues,
// visibility, long polling, delays, deduplication, dead-letter queues and
// message move tasks.
//
// # State and durability
//
// Each queue's working state lives in memory, guarded by the queue's mutex.
// An operation validates, mutates memory and submits the matching store
// changes while it holds the lock (fixing their order), then releases the lock
// and waits for the group commit. It answers only after the changes are
// durable, so a success response means the work survives kill -9. Start loads
// the stored state back.
//
// # Locks
//
// Service.mu guards the registry of queues. Lock order: Service.mu before any
// queue.mu; two queues are locked in order of their ids (see lockPair).
//
// # Time
//
// The service reads time only from its injected clock; long polls wait on a
// per-queue notification channel and on timers for the next visibility change,
// never in sleep loops.
package queue
