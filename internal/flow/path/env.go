package path

import (
	"fmt"

	"github.com/fogbank/fogbank/internal/flow/intrinsic/lang"
)

// Env is what paths, payload templates and intrinsic functions are
// evaluated against.
type Env struct {
	// Input is the document $ stands for (the effective state input).
	Input any
	// Context is the context object $$ stands for.
	Context any
	// Var looks up a variable set by Assign ($name in JSONPath mode). A nil
	// Var knows no variables.
	Var func(name string) (any, bool)
	// Rand returns uniformly random bits for States.UUID and an unseeded
	// States.MathRandom. The engine MUST supply a deterministic source in
	// tests; when nil, crypto/rand is used.
	Rand func() uint64
}

// Resolve parses and evaluates a path ("$...", "$$..." or "$name...")
// against the env. See Get for the result and errors.
func (e Env) Resolve(expr string) (any, error) {
	p, err := Parse(expr)
	if err != nil {
		return nil, err
	}
	return e.Get(p)
}

// Get evaluates a compiled path against the document its root stands for.
// An undefined variable is a *NotFoundError.
func (e Env) Get(p *Path) (any, error) {
	doc, err := e.Doc(p)
	if err != nil {
		return nil, err
	}
	return p.Get(doc)
}

// Doc returns the document p's root stands for: the input, the context
// object or the variable's value.
func (e Env) Doc(p *Path) (any, error) {
	switch p.root {
	case RootContext:
		return e.Context, nil
	case RootVariable:
		if e.Var != nil {
			if v, ok := e.Var(p.variable); ok {
				return v, nil
			}
		}
		return nil, &NotFoundError{Path: p.src, Reason: "Undefined variable: " + p.variable}
	}
	return e.Input, nil
}

// Runtime adapts the env for package lang: path arguments of intrinsic
// functions resolve against it.
func (e Env) Runtime() lang.Runtime {
	return lang.Runtime{Resolve: e.resolveArgument, Rand: e.Rand}
}

func (e Env) resolveArgument(expr string) (any, error) {
	p, err := Parse(expr)
	if err != nil {
		return nil, err
	}
	doc, err := e.Doc(p)
	if err == nil {
		var v any
		if v, err = p.Get(doc); err == nil {
			return v, nil
		}
	}
	return nil, fmt.Errorf("The JsonPath argument for the field '%s' could not be found in the input '%s'", expr, lang.JSON(doc)) //nolint:staticcheck // AWS's text starts with a capital
}
