// Package intrinsic is the public face of the Amazon States Language
// intrinsic functions (States.Format, States.Array, ... — all 18). The
// language itself lives in package lang, which package path's payload
// templates also use; see lang's documentation for the number rules.
package intrinsic

import (
	"github.com/fogbank/fogbank/internal/flow/intrinsic/lang"
	"github.com/fogbank/fogbank/internal/flow/path"
)

// Error is an intrinsic function failure as AWS reports it: Name is the error
// name ("States.Runtime") and Cause the cause text, without the "An error
// occurred while executing the state ..." prefix the engine adds.
type Error = lang.Error

// SyntaxError reports a call that does not parse (definition time).
type SyntaxError = lang.SyntaxError

// Call is a parsed intrinsic function call. It is immutable and safe for
// concurrent use.
type Call struct{ c *lang.Call }

// Parse parses an intrinsic function call such as
// "States.Format('{}', $.x)". Unknown functions, wrong argument counts,
// illegal escapes in string literals (only \' \{ \} \\ are allowed), invalid
// path arguments and nesting deeper than 10 fail here, as AWS's definition
// validation fails them.
func Parse(expr string) (*Call, error) {
	c, err := lang.Parse(expr, func(s string) error {
		_, err := path.Parse(s)
		return err
	})
	if err != nil {
		return nil, err
	}
	return &Call{c: c}, nil
}

// IsIntrinsic reports whether expr is meant as an intrinsic function call
// (it starts with "States."), whether or not it parses.
func IsIntrinsic(expr string) bool { return lang.IsCall(expr) }

// Name returns the function name, for example "States.Format".
func (c *Call) Name() string { return c.c.Name() }

// String returns the call as written.
func (c *Call) String() string { return c.c.String() }

// Eval evaluates the call; path arguments resolve against env, and
// States.UUID / States.MathRandom draw on env.Rand. Every failure is an
// *Error.
func (c *Call) Eval(env path.Env) (any, error) { return c.c.Eval(env.Runtime()) }
