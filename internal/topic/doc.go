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
// endpoint with SNS's headers; "sns-lambda" fails until fogbank serves
// Lambda, so such messages retry and then reach the subscription DLQ.
// Email, SMS and mobile push subscriptions are accepted and left pending
// confirmation: fogbank never pretends to deliver them.
//
// # FIFO topics
//
// A FIFO topic numbers its messages (SequenceNumber, persisted with the
// topic) and deduplicates them for five minutes. Each dedup entry is an
// "sns-dedup" record committed with its publish, so a restart keeps the
// window. Jobs of one subscription and message group are delivered in
// sequence order: the SQS handler defers a job while an earlier one of its
// group is pending.
//
// # Lock order
//
// Service.mu before topic.mu; the FIFO ordering lock (fifoOrder.mu) is
// never held while taking either.
package topic
