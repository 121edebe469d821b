// Package jsonata evaluates JSONata 2.0.6 expressions with the semantics of
// the reference implementation (jsonata-js v2.0.6), as AWS Step Functions
// does in JSONata-mode states.
//
// # Values
//
// Inputs and bindings use the shared JSON value model: nil, bool, string,
// json.Number (float64 and int are accepted too), []any and map[string]any.
// Results use the same model with numbers as json.Number printed as
// JavaScript prints them (FormatNumber). An expression that yields no value
// returns the sentinel Undefined with a nil error. A result that is a
// function is returned as a FunctionValue (AWS rejects such results).
//
// # Object key order
//
// JSONata objects keep the order of their keys as JavaScript objects do
// (array-index keys such as "2" first, in numeric order, then the others in
// insertion order); inside one evaluation this package does too ($keys,
// $string, $each, $spread, wildcards, grouping). A map[string]any has no
// order: its keys are read in sorted order, and the order of a result object
// is lost when it is converted back to map[string]any. To keep the order end
// to end, decode the input with ParseJSON (a Value is accepted wherever a
// JSON value is, including binding values) and serialise the result with
// EvalString.
//
// # Limits
//
// Evaluation is bounded: nesting deeper than MaxDepth is the error U1001
// (stack overflow), more than MaxSteps evaluation steps is U1002, and strings
// or sequences larger than MaxSize elements are U1003 (ranges keep JSONata's
// own limit, D2014). jsonata-js has no such limits of its own (only the
// host's memory and stack); MaxSize is far above what fits in a 256 KiB Step
// Functions payload.
//
// # Differences from jsonata-js
//
// $eval is not bound (as in AWS; calling it is T1006). Regular expressions
// run on Go's RE2 engine: JavaScript constructs it lacks (lookaround,
// backreferences) are the error S0303 at compile time. Strings are UTF-8, so
// lone UTF-16 surrogates cannot occur ($split(s, "") splits by code point).
// When several items of one array or object constructor fail, jsonata-js
// reports whichever fails first in its concurrent evaluation; this package
// reports the first in source order. A time without an offset in $toMillis
// is UTC.
package jsonata

import (
	"strings"
	"time"
)

// Limits on one evaluation.
const (
	MaxDepth = 10000
	MaxSteps = 10_000_000
	MaxSize  = 10_000_000
)

// Error is a JSONata error: Code is JSONata's error code (e.g. "S0201",
// "T2009"), Message the message jsonata-js produces, Position the character
// offset jsonata-js reports.
type Error struct {
	Code     string
	Message  string
	Position int

	token    any
	hasToken bool
	value    any
	value2   any
	index    int
	extra    map[string]any
}

func (e *Error) Error() string {
	if e.Message == "" {
		e.populate()
	}
	return e.Message
}

type undefinedType struct{}

// Undefined is the result of an expression that yields no value (JavaScript
// undefined); it is distinct from null (nil).
var Undefined any = undefinedType{}

// Function is a native function bindable as $name. It receives the evaluated
// arguments in the shared value model (missing arguments are Undefined) and
// returns a value in that model, or Undefined.
type Function func(args []any) (any, error)

// FunctionValue is returned by Eval when the result of the expression is a
// function.
type FunctionValue struct{ v any }

// IsFunction reports whether v, a result of Eval, is a function.
func IsFunction(v any) bool {
	_, ok := v.(FunctionValue)
	return ok
}

// Expr is a compiled JSONata expression. It is safe for concurrent use.
type Expr struct {
	src string
	ast *node
}

// EvalOptions are the environment of one evaluation. Now is the instant
// $now() and $millis() report (constant within the evaluation); Rand yields
// numbers in [0, 1) for $random() and $shuffle(). Zero values use the Unix
// epoch and a constant 0.5 so evaluation stays deterministic.
type EvalOptions struct {
	Now  time.Time
	Rand func() float64
	// MaxDepth lowers the nesting limit (U1001) below the package's MaxDepth.
	MaxDepth int
}

// Compile parses a JSONata 2.0.6 expression. Syntax errors are *Error with
// JSONata's codes (S01xx, S02xx, S03xx, S04xx).
func Compile(src string) (*Expr, error) {
	ast, err := parse(src)
	if err != nil {
		return nil, err
	}
	return &Expr{src: src, ast: ast}, nil
}

// String returns the source of the expression.
func (e *Expr) String() string { return e.src }

// Eval evaluates the expression against input with the given variable
// bindings (name without "$"; values in the shared model or Function), using
// the zero EvalOptions.
func (e *Expr) Eval(input any, bindings map[string]any) (any, error) {
	return e.EvalWith(input, bindings, EvalOptions{})
}

// EvalWith evaluates the expression with explicit options.
func (e *Expr) EvalWith(input any, bindings map[string]any, opts EvalOptions) (any, error) {
	v, err := e.evalInternal(input, bindings, opts)
	if err != nil {
		return nil, err
	}
	if isUndef(v) {
		return Undefined, nil
	}
	return toJSON(v), nil
}

// EvalString evaluates the expression and returns its result as JSON text
// with object keys in JSONata's order (as JSON.stringify prints it), or ok
// false when the result is undefined.
func (e *Expr) EvalString(input any, bindings map[string]any, opts EvalOptions) (string, bool, error) {
	v, err := e.evalInternal(input, bindings, opts)
	if err != nil || isUndef(v) {
		return "", false, err
	}
	var b strings.Builder
	writeJSON(&b, v, false, "", "")
	return b.String(), true, nil
}
