// Package schema is fogbank's EventBridge Schemas registry: registries,
// versioned schemas (OpenAPI 3 and JSON Schema draft 4), discovery of
// schemas from the events that pass a bus, validation of events against
// registered schemas, and code bindings (Go, TypeScript, Python).
//
// # State
//
// Registries, schemas (with every version's content) and discoverers are
// kept in memory under one mutex and persisted as store records before an
// operation answers. The built-in registries aws.events (AWS's schemas,
// read-only) and discovered-schemas exist in every account and region.
//
// # Discovery
//
// The bus hands every accepted event to Observe, which never blocks: when a
// started discoverer covers the bus, the event is queued for one worker
// goroutine (and dropped when the queue is full, as sampling). The worker
// infers the event's shape, merges it into the shape already known for its
// source and detail-type (a property seen once stays; a property missing
// from some event is no longer required; integer widens to number) and
// writes a new version of <source>@<DetailType> in discovered-schemas when
// the rendered OpenAPI 3 document changes.
//
// # Validation (beyond AWS)
//
// A bus tagged fogbank:validate-schemas=<registry> validates each entry of
// PutEvents whose source and detail-type have a schema in that registry
// against the schema's latest version (see Validate).
package schema
