// Package path implements JSONPath processing of the Amazon States Language:
// JSONPath in AWS's (Jayway JsonPath) dialect, Reference Paths, payload
// templates (keys ending ".$") and ResultPath placement.
//
// # Values
//
// Values are those of encoding/json with UseNumber: nil, bool, string,
// json.Number, []any and map[string]any. Nothing here modifies a value it is
// given; results may share structure with their inputs, so callers MUST treat
// values as immutable.
//
// # Dialect
//
// A path starts at $ (the state input), $$ (the context object) or $name (a
// variable set by Assign). It continues with .name, ['name'] (several names
// separated by commas), [n] and [-n], [*] or .*, [start:end], [n,m], ..name
// (deep scan) and [?(filter)]. A definite path (only names and single
// indexes) yields its value or fails with Jayway's message ("Missing property
// in path $['a']", "No results for path: $['a']['b']"); any other path yields
// a list of the matches, possibly empty, and never fails — AWS answers [] for
// a wildcard or slice over a missing field.
//
// # Errors
//
// Evaluation errors wrap ErrNotFound. *NotFoundError carries the path and
// Jayway's reason; its Error text is AWS's "Invalid path '<path>' : <reason>"
// used for InputPath, OutputPath and ItemsPath failures. Payload templates
// fail with *FieldError ("The JSONPath '$.x' specified for the field 'x.$'
// could not be found in the input '{...}'"). Definitions are checked with
// ValidateTemplate and ParseReference.
package path
