// Package topic is the Amazon SNS domain: topics (standard and FIFO),
// subscriptions, filter policies and Publish/PublishBatch, delivering every
// notification through the durable outbox of package delivery.
//
// # State and durability
//
// Topics and subscriptions live in memory under Service.mu and are persisted
// as store records ("sns-topic", "sns-subscription", JSON). Every mutation
// submits its records while holding the lock and waits for the commit after
// releasing it. The RSA signing key is a record too ("sns-key"), so
// signatures stay verifiable with the same certificate across restarts.
//
// # Publish
//
// Publish validates the message, evaluates every subscription's filter
// policy, and commits one delivery job per matching subscription (the
// acceptance) before it answers; the dispatcher then delivers them. Jobs of
// kind "sns-sqs" go into fogbank's own queues with queue.Deliver, removing
// the job in the same transaction (exactly once); "sns-http" POSTs to the
// endpoint with SNS's headers; "sns-lambda" hands the event to Lambda as an
// asynchronous invocation, committed with the job's removal (exactly once),
// and a missing function sends the message to the subscription DLQ.
// Email, SMS and mobile push subscriptions are accepted and left pending
// confirmation: fogbank never pretends to deliver them.
//
// # FIFO topics
//
// A FIFO topic numbers its messages (SequenceNumber, persisted with the
// topic) and deduplicates them for five minutes. Each dedup entry is an
// "sns-dedup" record committed with its publish, so a restart keeps the
// window. Jobs of one subscription and message group share a delivery
// OrderKey, so the dispatcher delivers them one at a time in publish order.
//
// # Lock order
//
// Service.mu before topic.mu.
package topic
