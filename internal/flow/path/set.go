package path

import (
	"errors"

	"github.com/fogbank/fogbank/internal/flow/intrinsic/lang"
)

// ErrResultPath is wrapped by every error reporting that a ResultPath could
// not be applied.
var ErrResultPath = errors.New("ResultPath cannot be applied")

// ResultPathError reports a ResultPath that cannot be applied to the input:
// the input, or a field on the way, is not an object (or, for [n], not an
// array with that index). The States Language names this failure
// States.ResultPathMatchFailure.
type ResultPathError struct {
	Path  string // the ResultPath as written
	Input any    // the state input it was applied to
}

// Error returns the cause text. (Not yet compared with an AWS recording: the
// public corpus has no ResultPathMatchFailure case.)
func (e *ResultPathError) Error() string {
	return "Unable to apply ResultPath '" + e.Path + "' to input '" + lang.JSON(e.Input) + "'"
}

// Unwrap returns ErrResultPath.
func (e *ResultPathError) Unwrap() error { return ErrResultPath }

// ResultPathMatchFailure is the AWS error name for a ResultPathError.
const ResultPathMatchFailure = "States.ResultPathMatchFailure"

// Set returns a new document: doc with value placed at ref (ResultPath
// semantics). "$" replaces the whole document; "$.a.b" sets field b of field
// a, creating the objects that are missing; "[n]" replaces an existing array
// element. doc itself is not modified. ref must be a Reference Path on the
// state input (see ParseReference); anything else, or a document that is not
// an object where a field is to be set, yields a *ResultPathError.
// (ResultPath null — discard the result — is the engine's business.)
func Set(doc any, ref *Path, value any) (any, error) {
	if ref.root != RootInput {
		return nil, &ResultPathError{Path: ref.src, Input: doc}
	}
	out, ok := setIn(doc, ref.segs, value)
	if !ok {
		return nil, &ResultPathError{Path: ref.src, Input: doc}
	}
	return out, nil
}

func setIn(n any, segs []segment, value any) (any, bool) {
	if len(segs) == 0 {
		return value, true
	}
	sg := segs[0]
	if sg.scan {
		return nil, false
	}
	switch {
	case sg.kind == segProp && len(sg.names) == 1:
		m, ok := n.(map[string]any)
		if !ok {
			return nil, false
		}
		name := sg.names[0]
		child, exists := m[name]
		if !exists && len(segs) > 1 {
			child = map[string]any{}
		}
		v, ok := setIn(child, segs[1:], value)
		if !ok {
			return nil, false
		}
		out := make(map[string]any, len(m)+1)
		for k, e := range m {
			out[k] = e
		}
		out[name] = v
		return out, true
	case sg.kind == segIndex && len(sg.indexes) == 1:
		arr, ok := n.([]any)
		if !ok {
			return nil, false
		}
		idx := sg.indexes[0]
		if idx < 0 {
			idx += len(arr)
		}
		if idx < 0 || idx >= len(arr) {
			return nil, false
		}
		v, ok := setIn(arr[idx], segs[1:], value)
		if !ok {
			return nil, false
		}
		out := make([]any, len(arr))
		copy(out, arr)
		out[idx] = v
		return out, true
	}
	return nil, false
}
