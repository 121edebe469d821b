package mockshape

import (
	"encoding/json"
	"fmt"
	"slices"
)

// Mode is a mock's fieldValidationMode.
type Mode string

// The modes of TestState's MockResponseValidationMode.
const (
	Strict  Mode = "STRICT"
	Present Mode = "PRESENT"
	None    Mode = "NONE"
)

// ParseMode reads a fieldValidationMode; empty means STRICT, AWS's
// default. False for a value outside the enum.
func ParseMode(s string) (Mode, bool) {
	switch m := Mode(s); m {
	case "":
		return Strict, true
	case Strict, Present, None:
		return m, true
	}
	return "", false
}

// Error is a mocked result that does not fit the output shape; Message is
// AWS's wording ("Field 'ContentLength' must be a number").
type Error struct{ Message string }

func (e *Error) Error() string { return e.Message }

// Check validates result, a decoded JSON value (numbers as json.Number
// or float64), as the output of the Task state resource under mode. It
// returns an *Error when the result does not fit, nil when it does or
// when no model describes the resource's output.
func Check(resource string, result any, mode Mode) error {
	if mode == None {
		return nil
	}
	t, ok := targetOf(resource)
	if !ok {
		return nil
	}
	cat, err := loadCatalog()
	if err != nil {
		return fmt.Errorf("mockshape: embedded shapes: %w", err)
	}
	svc := cat.Services[t.service]
	if svc == nil {
		return nil
	}
	ref, ok := svc.Operations[t.operation]
	if !ok {
		return nil
	}
	obj, isObj := result.(map[string]any)
	root := svc.Shapes[ref]
	if !isObj || root == nil || root.Type != "structure" {
		return nil
	}
	c := &checker{svc: svc, strict: mode == Strict}
	if msg := c.structure(root, obj, t.asJSON); msg != "" {
		return &Error{Message: msg}
	}
	return nil
}

// checker walks a value along its shape; its methods return the first
// violation's message, or "".
type checker struct {
	svc    *service
	strict bool
}

// structure checks obj's members; those named in asJSON are not checked.
func (c *checker) structure(sh *shape, obj map[string]any, asJSON []string) string {
	for _, m := range sh.Members {
		name, ref := m[0], m[1]
		v, present := obj[name]
		if !present || v == nil {
			if c.strict && slices.Contains(sh.Required, name) {
				return fmt.Sprintf("Required field '%s' is missing", name)
			}
			continue
		}
		if slices.Contains(asJSON, name) {
			continue
		}
		if msg := c.value(ref, name, v); msg != "" {
			return msg
		}
	}
	return ""
}

// value checks v, the value of the member called name, against ref.
func (c *checker) value(ref, name string, v any) string {
	if v == nil {
		return ""
	}
	switch ref {
	case "any":
		return ""
	case "string", "blob", "timestamp":
		return want(isString(v), name, "must be a string")
	case "boolean":
		_, ok := v.(bool)
		return want(ok, name, "must be a boolean")
	case "integer", "long", "float", "double":
		_, ok := number(v)
		return want(ok, name, "must be a number")
	}
	sh := c.svc.Shapes[ref]
	if sh == nil {
		return ""
	}
	switch sh.Type {
	case "structure":
		obj, ok := v.(map[string]any)
		if !ok {
			return fieldMsg(name, "must be an object")
		}
		return c.structure(sh, obj, nil)
	case "list":
		list, ok := v.([]any)
		if !ok {
			return fieldMsg(name, "must be an array")
		}
		for _, e := range list {
			if msg := c.value(sh.Member, name, e); msg != "" {
				return msg
			}
		}
	case "map":
		obj, ok := v.(map[string]any)
		if !ok {
			return fieldMsg(name, "must be an object")
		}
		for _, k := range sortedKeys(obj) {
			if msg := c.value(sh.Value, name, obj[k]); msg != "" {
				return msg
			}
		}
	case "string":
		s, ok := v.(string)
		if !ok {
			return fieldMsg(name, "must be a string")
		}
		return want(len(sh.Enum) == 0 || slices.Contains(sh.Enum, s), name, "is not an expected value")
	case "integer", "long", "float", "double":
		return c.number(sh, name, v)
	}
	return ""
}

func (c *checker) number(sh *shape, name string, v any) string {
	f, ok := number(v)
	if !ok {
		return fieldMsg(name, "must be a number")
	}
	if lo, ok := bound(sh.Min); ok && f < lo {
		return fieldMsg(name, "is less than the minimum value")
	}
	if hi, ok := bound(sh.Max); ok && f > hi {
		return fieldMsg(name, "is greater than the maximum value")
	}
	return ""
}

func bound(n *json.Number) (float64, bool) {
	if n == nil {
		return 0, false
	}
	f, err := n.Float64()
	return f, err == nil
}

func number(v any) (float64, bool) {
	switch n := v.(type) {
	case json.Number:
		f, err := n.Float64()
		return f, err == nil
	case float64:
		return n, true
	case int:
		return float64(n), true
	case int64:
		return float64(n), true
	}
	return 0, false
}

func isString(v any) bool {
	_, ok := v.(string)
	return ok
}

func want(ok bool, name, msg string) string {
	if ok {
		return ""
	}
	return fieldMsg(name, msg)
}

func fieldMsg(name, msg string) string { return fmt.Sprintf("Field '%s' %s", name, msg) }

func sortedKeys(m map[string]any) []string {
	out := make([]string, 0, len(m))
	for k := range m {
		out = append(out, k)
	}
	slices.Sort(out)
	return out
}
