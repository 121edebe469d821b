package schema

import (
	"encoding/json"
	"fmt"
	"math"
	"net/url"
	"regexp"
	"strconv"
	"strings"
)

// compiler compiles the schemas of one document; refs are JSON pointers
// resolved against root, compiled once (so recursive schemas work).
type compiler struct {
	root any
	refs map[string]*Schema
}

// Compile compiles node, a decoded schema, whose $refs resolve against root.
func Compile(root, node any) (*Schema, error) {
	c := &compiler{root: root, refs: map[string]*Schema{}}
	return c.compile(node, "#")
}

func (c *compiler) compile(node any, at string) (*Schema, error) {
	m, ok := node.(map[string]any)
	if !ok {
		if b, isBool := node.(bool); isBool && b {
			return &Schema{}, nil
		}
		return nil, fmt.Errorf("%s: a schema must be an object", at)
	}
	if ref, ok := m["$ref"]; ok {
		p, isStr := ref.(string)
		if !isStr {
			return nil, fmt.Errorf("%s: $ref must be a string", at)
		}
		return c.ref(p, at)
	}
	s := &Schema{}
	if err := c.fill(s, m, at); err != nil {
		return nil, err
	}
	return s, nil
}

func (c *compiler) ref(p, at string) (*Schema, error) {
	if s := c.refs[p]; s != nil {
		return s, nil
	}
	if !strings.HasPrefix(p, "#") {
		return nil, fmt.Errorf("%s: $ref %s is not local to the document", at, p)
	}
	target, err := pointer(c.root, p[1:])
	if err != nil {
		return nil, fmt.Errorf("%s: $ref %s: %w", at, p, err)
	}
	m, ok := target.(map[string]any)
	if !ok {
		return nil, fmt.Errorf("%s: $ref %s is not a schema", at, p)
	}
	s := &Schema{}
	c.refs[p] = s
	if inner, ok := m["$ref"].(string); ok {
		t, err := c.ref(inner, p)
		if err != nil {
			return nil, err
		}
		s.allOf = []*Schema{t}
		return s, nil
	}
	return s, c.fill(s, m, p)
}

// pointer resolves a JSON pointer (RFC 6901, possibly URL-escaped).
func pointer(root any, p string) (any, error) {
	p, err := url.PathUnescape(p)
	if err != nil {
		return nil, err
	}
	if p == "" {
		return root, nil
	}
	if !strings.HasPrefix(p, "/") {
		return nil, fmt.Errorf("not a JSON pointer")
	}
	cur := root
	for _, tok := range strings.Split(p[1:], "/") {
		tok = strings.ReplaceAll(strings.ReplaceAll(tok, "~1", "/"), "~0", "~")
		switch v := cur.(type) {
		case map[string]any:
			next, ok := v[tok]
			if !ok {
				return nil, fmt.Errorf("%q not found", tok)
			}
			cur = next
		case []any:
			i, err := strconv.Atoi(tok)
			if err != nil || i < 0 || i >= len(v) {
				return nil, fmt.Errorf("%q not found", tok)
			}
			cur = v[i]
		default:
			return nil, fmt.Errorf("%q not found", tok)
		}
	}
	return cur, nil
}

func (c *compiler) fill(s *Schema, m map[string]any, at string) error {
	if err := c.fillTypes(s, m, at); err != nil {
		return err
	}
	if err := c.fillObject(s, m, at); err != nil {
		return err
	}
	if err := c.fillBounds(s, m, at); err != nil {
		return err
	}
	return c.fillCombinators(s, m, at)
}

func (c *compiler) fillTypes(s *Schema, m map[string]any, at string) error {
	switch t := m["type"].(type) {
	case nil:
	case string:
		s.types = []string{t}
	case []any:
		for _, x := range t {
			str, ok := x.(string)
			if !ok {
				return fmt.Errorf("%s: type must be a string or an array of strings", at)
			}
			s.types = append(s.types, str)
		}
	default:
		return fmt.Errorf("%s: type must be a string or an array of strings", at)
	}
	for _, t := range s.types {
		if !knownTypes[t] {
			return fmt.Errorf("%s: unknown type %q", at, t)
		}
	}
	s.nullable, _ = m["nullable"].(bool)
	s.format, _ = m["format"].(string)
	if e, ok := m["enum"]; ok {
		list, isList := e.([]any)
		if !isList || len(list) == 0 {
			return fmt.Errorf("%s: enum must be a non-empty array", at)
		}
		s.enum = list
	}
	if p, ok := m["pattern"]; ok {
		str, isStr := p.(string)
		if !isStr {
			return fmt.Errorf("%s: pattern must be a string", at)
		}
		re, err := regexp.Compile(str)
		if err != nil {
			return fmt.Errorf("%s: pattern: %w", at, err)
		}
		s.pattern = re
	}
	return nil
}

func (c *compiler) fillObject(s *Schema, m map[string]any, at string) error {
	if p, ok := m["properties"]; ok {
		props, isMap := p.(map[string]any)
		if !isMap {
			return fmt.Errorf("%s: properties must be an object", at)
		}
		s.props = make(map[string]*Schema, len(props))
		for name, node := range props {
			sub, err := c.compile(node, at+"/properties/"+name)
			if err != nil {
				return err
			}
			s.props[name] = sub
		}
	}
	if r, ok := m["required"]; ok {
		list, isList := r.([]any)
		if !isList {
			return fmt.Errorf("%s: required must be an array of strings", at)
		}
		for _, x := range list {
			str, isStr := x.(string)
			if !isStr {
				return fmt.Errorf("%s: required must be an array of strings", at)
			}
			s.required = append(s.required, str)
		}
	}
	switch a := m["additionalProperties"].(type) {
	case nil:
	case bool:
		s.noExtra = !a
	default:
		sub, err := c.compile(a, at+"/additionalProperties")
		if err != nil {
			return err
		}
		s.additional = sub
	}
	if it, ok := m["items"]; ok {
		sub, err := c.compile(it, at+"/items")
		if err != nil {
			return err
		}
		s.items = sub
	}
	return nil
}

func (c *compiler) fillBounds(s *Schema, m map[string]any, at string) error {
	for _, f := range []struct {
		key string
		dst **float64
	}{{"minimum", &s.minimum}, {"maximum", &s.maximum}} {
		if v, ok := m[f.key]; ok {
			n, isNum := number(v)
			if !isNum {
				return fmt.Errorf("%s: %s must be a number", at, f.key)
			}
			*f.dst = &n
		}
	}
	s.exclMin, _ = m["exclusiveMinimum"].(bool)
	s.exclMax, _ = m["exclusiveMaximum"].(bool)
	for _, f := range []struct {
		key string
		dst **int
	}{{"minLength", &s.minLen}, {"maxLength", &s.maxLen}, {"minItems", &s.minItems}, {"maxItems", &s.maxItems}} {
		if v, ok := m[f.key]; ok {
			n, isNum := number(v)
			if !isNum || n < 0 || n != math.Trunc(n) || n > math.MaxInt32 {
				return fmt.Errorf("%s: %s must be a non-negative integer", at, f.key)
			}
			i := int(n)
			*f.dst = &i
		}
	}
	return nil
}

func (c *compiler) fillCombinators(s *Schema, m map[string]any, at string) error {
	for _, f := range []struct {
		key string
		dst *[]*Schema
	}{{"allOf", &s.allOf}, {"anyOf", &s.anyOf}, {"oneOf", &s.oneOf}} {
		v, ok := m[f.key]
		if !ok {
			continue
		}
		list, isList := v.([]any)
		if !isList || len(list) == 0 {
			return fmt.Errorf("%s: %s must be a non-empty array", at, f.key)
		}
		for i, node := range list {
			sub, err := c.compile(node, at+"/"+f.key+"/"+strconv.Itoa(i))
			if err != nil {
				return err
			}
			*f.dst = append(*f.dst, sub)
		}
	}
	if v, ok := m["not"]; ok {
		sub, err := c.compile(v, at+"/not")
		if err != nil {
			return err
		}
		s.not = sub
	}
	return nil
}

func number(v any) (float64, bool) {
	switch n := v.(type) {
	case float64:
		return n, true
	case json.Number:
		f, err := n.Float64()
		return f, err == nil
	}
	return 0, false
}
