package jsonata

import (
	"errors"
	"testing"
)

func seedFuzz(f *testing.F) {
	for _, c := range loadGolden(f) {
		f.Add(c.Expr, c.Input)
	}
}

// FuzzCompile: the parser never panics, and every failure is a JSONata error.
func FuzzCompile(f *testing.F) {
	seedFuzz(f)
	f.Fuzz(func(t *testing.T, src, _ string) {
		_, err := Compile(src)
		var je *Error
		if err != nil && !errors.As(err, &je) {
			t.Fatalf("non-JSONata error %T %v", err, err)
		}
	})
}

// FuzzEval: evaluation never panics or hangs and fails only with JSONata
// errors, on any expression and any JSON input.
func FuzzEval(f *testing.F) {
	seedFuzz(f)
	f.Fuzz(func(t *testing.T, src, input string) {
		e, err := Compile(src)
		if err != nil {
			return
		}
		in := Undefined
		if v, err := ParseJSON([]byte(input)); err == nil {
			in = v
		}
		if _, _, err := e.EvalString(in, map[string]any{"states": in}, EvalOptions{}); err != nil {
			var je *Error
			if !errors.As(err, &je) {
				t.Fatalf("non-JSONata error %T %v", err, err)
			}
			_ = je.Error()
		}
	})
}
