// Package bus is the Amazon EventBridge domain: event buses (the default bus
// of each account and region and custom buses), rules with event patterns,
// targets with their input transformations, retry policies and dead-letter
// queues, and PutEvents.
//
// # State and durability
//
// Buses and rules live in memory under Service.mu and are persisted as store
// records (kinds RecordBus and RecordRule, JSON; a rule record carries its
// targets). Every mutation changes memory and submits its store changes while
// holding the lock, then waits for the commit after releasing it, so changes
// to one resource are written in the order they were made.
//
// PutEvents matches each event against its bus's pattern.Matcher (one per
// bus, holding the patterns of the bus's ENABLED rules), renders each matched
// target's input, and commits one delivery job per matched target in a single
// transaction before it answers: an acknowledged event is never lost.
//
// # Delivery
//
// Jobs of kind JobKind are run by internal/delivery with the target's retry
// policy. SQS targets are written through queue.Service.Deliver together with
// the removal of the job (an exactly-once internal hop); event bus targets
// re-enter PutEvents on the destination bus, again removing the job in the
// same commit. Targets of services fogbank does not serve yet are accepted
// and their deliveries fail into the retry and dead-letter path.
package bus
