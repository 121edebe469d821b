package schema

import (
	"bytes"
	"encoding/json"
	"fmt"
	"math"
	"regexp"
	"sort"
	"strconv"
	"strings"
	"time"
)

// Schema is a compiled JSON Schema (draft 4, with OpenAPI 3's nullable):
// the subset event schemas use — types, properties, required,
// additionalProperties, items, enum, format date-time, numeric and length
// bounds, pattern, allOf/anyOf/oneOf/not and local $ref.
type Schema struct {
	types      []string // allowed types; nil: any
	nullable   bool
	props      map[string]*Schema
	required   []string
	additional *Schema // nil: any
	noExtra    bool    // additionalProperties: false
	items      *Schema
	enum       []any
	format     string
	minimum    *float64
	maximum    *float64
	exclMin    bool
	exclMax    bool
	minLen     *int
	maxLen     *int
	minItems   *int
	maxItems   *int
	pattern    *regexp.Regexp
	allOf      []*Schema
	anyOf      []*Schema
	oneOf      []*Schema
	not        *Schema
}

var knownTypes = map[string]bool{"object": true, "array": true, "string": true, "number": true, "integer": true, "boolean": true, "null": true}

// DecodeJSON decodes a document keeping numbers exact (json.Number).
func DecodeJSON(b []byte) (any, error) {
	d := json.NewDecoder(bytes.NewReader(b))
	d.UseNumber()
	var v any
	if err := d.Decode(&v); err != nil {
		return nil, err
	}
	if d.More() {
		return nil, fmt.Errorf("unexpected data after the JSON value")
	}
	return v, nil
}

// maxDepth bounds validation through recursive $refs.
const maxDepth = 256

// Validate checks a decoded value (numbers as json.Number) and returns the
// first problem found as "<JSON path>: <what is wrong>", or nil.
func (s *Schema) Validate(v any) error {
	return s.check(v, "$", 0)
}

func (s *Schema) check(v any, path string, depth int) error {
	if depth > maxDepth {
		return fmt.Errorf("%s: schema nesting is too deep", path)
	}
	if v == nil && s.nullable {
		return nil
	}
	if len(s.types) > 0 && !s.typeOK(v) {
		return fmt.Errorf("%s: expected %s, got %s", path, strings.Join(s.types, " or "), typeOf(v))
	}
	if len(s.enum) > 0 && !inEnum(v, s.enum) {
		return fmt.Errorf("%s: %s is not one of %s", path, render(v), render(s.enum))
	}
	var err error
	switch x := v.(type) {
	case map[string]any:
		err = s.checkObject(x, path, depth)
	case []any:
		err = s.checkArray(x, path, depth)
	case string:
		err = s.checkString(x, path)
	case json.Number:
		err = s.checkNumber(x, path)
	}
	if err != nil {
		return err
	}
	return s.checkCombinators(v, path, depth)
}

func (s *Schema) typeOK(v any) bool {
	got := typeOf(v)
	for _, t := range s.types {
		if t == got || t == "number" && got == "integer" {
			return true
		}
	}
	return v == nil && s.nullable
}

func typeOf(v any) string {
	switch x := v.(type) {
	case nil:
		return "null"
	case bool:
		return "boolean"
	case string:
		return "string"
	case json.Number:
		if isInteger(x) {
			return "integer"
		}
		return "number"
	case float64:
		if x == math.Trunc(x) {
			return "integer"
		}
		return "number"
	case []any:
		return "array"
	default:
		return "object"
	}
}

func isInteger(n json.Number) bool {
	if !strings.ContainsAny(string(n), ".eE") {
		return true
	}
	f, err := n.Float64()
	return err == nil && f == math.Trunc(f) && !math.IsInf(f, 0)
}

func (s *Schema) checkObject(m map[string]any, path string, depth int) error {
	for _, r := range s.required {
		if _, ok := m[r]; !ok {
			return fmt.Errorf("%s: required property %q is missing", path, r)
		}
	}
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	for _, k := range keys {
		sub := s.props[k]
		if sub == nil {
			if s.noExtra {
				return fmt.Errorf("%s: property %q is not allowed", path, k)
			}
			sub = s.additional
		}
		if sub != nil {
			if err := sub.check(m[k], childPath(path, k), depth+1); err != nil {
				return err
			}
		}
	}
	return nil
}

func childPath(path, key string) string {
	for _, r := range key {
		if !(r == '_' || r == '-' || r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z' || r >= '0' && r <= '9') {
			b, _ := json.Marshal(key)
			return path + "[" + string(b) + "]"
		}
	}
	return path + "." + key
}

func (s *Schema) checkArray(a []any, path string, depth int) error {
	if s.minItems != nil && len(a) < *s.minItems {
		return fmt.Errorf("%s: expected at least %d items, got %d", path, *s.minItems, len(a))
	}
	if s.maxItems != nil && len(a) > *s.maxItems {
		return fmt.Errorf("%s: expected at most %d items, got %d", path, *s.maxItems, len(a))
	}
	if s.items == nil {
		return nil
	}
	for i, x := range a {
		if err := s.items.check(x, path+"["+strconv.Itoa(i)+"]", depth+1); err != nil {
			return err
		}
	}
	return nil
}

func (s *Schema) checkString(str, path string) error {
	n := len([]rune(str))
	if s.minLen != nil && n < *s.minLen {
		return fmt.Errorf("%s: expected at least %d characters, got %d", path, *s.minLen, n)
	}
	if s.maxLen != nil && n > *s.maxLen {
		return fmt.Errorf("%s: expected at most %d characters, got %d", path, *s.maxLen, n)
	}
	if s.pattern != nil && !s.pattern.MatchString(str) {
		return fmt.Errorf("%s: %s does not match pattern %s", path, render(str), s.pattern)
	}
	if s.format == "date-time" {
		if _, err := time.Parse(time.RFC3339Nano, str); err != nil {
			return fmt.Errorf("%s: %s is not a date-time (RFC 3339)", path, render(str))
		}
	}
	return nil
}

func (s *Schema) checkNumber(n json.Number, path string) error {
	f, err := n.Float64()
	if err != nil {
		return fmt.Errorf("%s: %s is not a number", path, n)
	}
	if s.minimum != nil && (f < *s.minimum || s.exclMin && f == *s.minimum) {
		return fmt.Errorf("%s: %s is less than the minimum %v", path, n, *s.minimum)
	}
	if s.maximum != nil && (f > *s.maximum || s.exclMax && f == *s.maximum) {
		return fmt.Errorf("%s: %s is greater than the maximum %v", path, n, *s.maximum)
	}
	return nil
}

func (s *Schema) checkCombinators(v any, path string, depth int) error {
	for _, sub := range s.allOf {
		if err := sub.check(v, path, depth+1); err != nil {
			return err
		}
	}
	if len(s.anyOf) > 0 {
		var first error
		for _, sub := range s.anyOf {
			err := sub.check(v, path, depth+1)
			if err == nil {
				first = nil
				break
			}
			if first == nil {
				first = err
			}
		}
		if first != nil {
			return fmt.Errorf("%s: matches none of anyOf (first: %w)", path, first)
		}
	}
	if len(s.oneOf) > 0 {
		n := 0
		for _, sub := range s.oneOf {
			if sub.check(v, path, depth+1) == nil {
				n++
			}
		}
		if n != 1 {
			return fmt.Errorf("%s: matches %d of oneOf, expected exactly 1", path, n)
		}
	}
	if s.not != nil && s.not.check(v, path, depth+1) == nil {
		return fmt.Errorf("%s: must not match the schema under not", path)
	}
	return nil
}

func inEnum(v any, enum []any) bool {
	want := render(v)
	for _, e := range enum {
		if render(e) == want {
			return true
		}
	}
	return false
}

func render(v any) string {
	b, err := json.Marshal(v)
	if err != nil {
		return fmt.Sprint(v)
	}
	return string(b)
}
