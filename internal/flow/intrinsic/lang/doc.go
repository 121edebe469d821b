// Package lang is the intrinsic function language of the Amazon States
// Language: the parser of calls such as "States.Format('{}', $.x)" and the 18
// States.* functions, with AWS's argument rules, limits and error texts.
//
// It knows nothing of JSONPath: path arguments are kept as text and resolved
// through a [Runtime] at evaluation time, so that package path (payload
// templates) and package intrinsic (the public facade) can both use it
// without an import cycle.
//
// # Values
//
// Values are those of encoding/json with UseNumber: nil, bool, string,
// json.Number, []any and map[string]any. Values passed in are never
// modified; results may share structure with them.
//
// # Numbers
//
// AWS evaluates intrinsics in Java. States.MathAdd rounds its arguments with
// Java's Math.round (half up); the other integer arguments (ArrayRange,
// ArrayPartition, ArrayGetItem, MathRandom) are truncated towards zero, as
// AWS does. Integer results are json.Number in decimal form.
package lang
