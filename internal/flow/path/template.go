package path

import (
	"sort"
	"strconv"
	"strings"

	"github.com/fogbank/fogbank/internal/flow/intrinsic/lang"
)

// InvalidFieldError reports, at definition time, a template key ending in
// ".$" whose value is not a path or an intrinsic function call.
type InvalidFieldError struct {
	Field   string // the key, with its ".$"
	Pointer string // where the key's object sits below the template, "" or "/a/0/b"
	Err     error  // why the value does not parse (nil when it is not a string)
}

// Error returns AWS's text; the validator appends " at /States/<state>/<field>"
// followed by Pointer.
func (e *InvalidFieldError) Error() string {
	return "The value for the field '" + e.Field + "' must be a valid JSONPath or a valid intrinsic function call"
}

// Unwrap returns the parse error.
func (e *InvalidFieldError) Unwrap() error { return e.Err }

// FieldError reports, at run time, a template path that matched nothing.
// Error returns AWS's cause text: "The JSONPath '$.x' specified for the field
// 'x.$' could not be found in the input '{...}'".
type FieldError struct {
	Field string // the key, with its ".$"
	Path  string
	Input any // the document the path was evaluated against
	Err   error
}

func (e *FieldError) Error() string {
	return "The JSONPath '" + e.Path + "' specified for the field '" + e.Field +
		"' could not be found in the input '" + lang.JSON(e.Input) + "'"
}

// Unwrap returns the underlying *NotFoundError.
func (e *FieldError) Unwrap() error { return e.Err }

// Template is a compiled payload template (Parameters, ResultSelector,
// ItemSelector, Assign and the like in JSONPath mode): a JSON value whose
// object keys ending in ".$" hold a path or an intrinsic function call. It is
// immutable and safe for concurrent use.
type Template struct{ root tnode }

type tnode interface{ eval(env Env) (any, error) }

type tLiteral struct{ v any }

func (t tLiteral) eval(Env) (any, error) { return t.v, nil }

type tArray []tnode

func (t tArray) eval(env Env) (any, error) {
	out := make([]any, len(t))
	for i, n := range t {
		v, err := n.eval(env)
		if err != nil {
			return nil, err
		}
		out[i] = v
	}
	return out, nil
}

type tField struct {
	key  string
	node tnode
}

type tObject []tField

func (t tObject) eval(env Env) (any, error) {
	out := make(map[string]any, len(t))
	for _, f := range t {
		v, err := f.node.eval(env)
		if err != nil {
			return nil, err
		}
		out[f.key] = v
	}
	return out, nil
}

type tPath struct {
	field string
	path  *Path
}

func (t tPath) eval(env Env) (any, error) {
	doc, err := env.Doc(t.path)
	if err == nil {
		var v any
		if v, err = t.path.Get(doc); err == nil {
			return v, nil
		}
	}
	return nil, &FieldError{Field: t.field, Path: t.path.src, Input: doc, Err: err}
}

type tCall struct{ call *lang.Call }

func (t tCall) eval(env Env) (any, error) { return t.call.Eval(env.Runtime()) }

// CompileTemplate compiles a payload template. It fails with an
// *InvalidFieldError when a ".$" key holds something that is neither a path
// nor a valid intrinsic function call.
func CompileTemplate(v any) (*Template, error) {
	root, err := compile(v, "")
	if err != nil {
		return nil, err
	}
	return &Template{root: root}, nil
}

// ValidateTemplate checks a payload template of a definition; the error is
// an *InvalidFieldError.
func ValidateTemplate(v any) error {
	_, err := CompileTemplate(v)
	return err
}

func checkPath(s string) error {
	_, err := Parse(s)
	return err
}

func compile(v any, pointer string) (tnode, error) {
	switch t := v.(type) {
	case map[string]any:
		keys := make([]string, 0, len(t))
		for k := range t {
			keys = append(keys, k)
		}
		sort.Strings(keys)
		obj := make(tObject, 0, len(t))
		for _, k := range keys {
			n, err := compileField(k, t[k], pointer)
			if err != nil {
				return nil, err
			}
			obj = append(obj, tField{key: strings.TrimSuffix(k, ".$"), node: n})
		}
		return obj, nil
	case []any:
		arr := make(tArray, len(t))
		for i, e := range t {
			n, err := compile(e, pointer+"/"+strconv.Itoa(i))
			if err != nil {
				return nil, err
			}
			arr[i] = n
		}
		return arr, nil
	}
	return tLiteral{v}, nil
}

func compileField(key string, v any, pointer string) (tnode, error) {
	if !strings.HasSuffix(key, ".$") {
		return compile(v, pointer+"/"+key)
	}
	s, ok := v.(string)
	if !ok {
		return nil, &InvalidFieldError{Field: key, Pointer: pointer}
	}
	if lang.IsCall(s) {
		c, err := lang.Parse(s, checkPath)
		if err != nil {
			return nil, &InvalidFieldError{Field: key, Pointer: pointer, Err: err}
		}
		return tCall{c}, nil
	}
	p, err := Parse(s)
	if err != nil {
		return nil, &InvalidFieldError{Field: key, Pointer: pointer, Err: err}
	}
	return tPath{field: key, path: p}, nil
}

// Eval evaluates the template against env. A path that matches nothing
// fails with a *FieldError; an intrinsic function fails with a *lang.Error
// (intrinsic.Error), whose Name and Cause AWS reports.
func (t *Template) Eval(env Env) (any, error) { return t.root.eval(env) }
