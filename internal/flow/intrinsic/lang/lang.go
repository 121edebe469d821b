package lang

import (
	"errors"
	"fmt"
	"strings"
)

// Error is an intrinsic function failure: Name is the AWS error name (for
// example "States.Runtime") and Cause the text AWS puts in the failure event,
// without the "An error occurred while executing the state ..." prefix the
// engine adds.
type Error struct {
	Name  string
	Cause string
}

func (e *Error) Error() string { return e.Name + ": " + e.Cause }

// ErrSyntax is wrapped by every parse error.
var ErrSyntax = errors.New("invalid intrinsic function call")

// SyntaxError reports an intrinsic call that does not parse.
type SyntaxError struct {
	Expr   string // the whole expression
	Reason string
}

func (e *SyntaxError) Error() string {
	return fmt.Sprintf("invalid intrinsic function call %q: %s", e.Expr, e.Reason)
}

// Unwrap returns ErrSyntax.
func (e *SyntaxError) Unwrap() error { return ErrSyntax }

// Runtime supplies what evaluation needs from its surroundings.
type Runtime struct {
	// Resolve evaluates a path argument ("$.x", "$$.Execution.Id", "$var").
	// Its error text becomes the detail of the intrinsic failure's cause.
	Resolve func(path string) (any, error)
	// Rand returns uniformly random bits for States.UUID and an unseeded
	// States.MathRandom. When nil, crypto/rand is used.
	Rand func() uint64
}

// MaxNesting is how deeply intrinsic calls may nest in one field (AWS: "up to
// 10 nested intrinsic functions").
const MaxNesting = 10

// Prefix starts every intrinsic function call.
const Prefix = "States."

// IsCall reports whether s is meant as an intrinsic call (starts with
// "States."). It does not check that it parses.
func IsCall(s string) bool { return strings.HasPrefix(s, Prefix) }
