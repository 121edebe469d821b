// Package asl parses and validates Amazon States Language definitions.
//
// Parse turns a definition's JSON text into a StateMachine: its states in
// definition order, each a State whose fields are those of its type. The
// parser keeps dynamic values (payload templates, JSONata "{% %}" strings,
// numbers that may be expressions) as decoded JSON so the engine can
// evaluate them; everything AWS checks statically is checked here.
//
// # Sections
//
// Decoding: definitions are JSON (AWS accepts nothing else) of at most
// 1 MiB; numbers stay json.Number.
//
// Validation: failures return *Error, whose Error() is AWS's exact
// InvalidDefinition message ("Invalid State Machine Definition:
// 'SCHEMA_VALIDATION_FAILED: ... at /States/X'") and whose Diagnostics are
// what ValidateStateMachineDefinition lists. Rules covered: state types,
// Next/End, missing transition targets, unreachable states, QueryLanguage
// downgrades, Credentials, Wait timestamps, Express restrictions,
// optimized-integration names, payload template paths, Map labels.
//
// Query languages: QueryLanguage is inherited from the enclosing scope;
// State.QueryLanguage is the effective language of each state.
package asl
