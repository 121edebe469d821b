package schema

import (
	"encoding/json"
	"fmt"
	"sort"
	"strconv"
	"time"
)

// shape is the inferred shape of JSON values: discovery merges the shapes
// of the events it sees and renders the result as OpenAPI 3.
type shape struct {
	Type     string            `json:"t"` // object, array, string, integer, number, boolean, null, mixed
	Format   string            `json:"f,omitempty"`
	Props    map[string]*shape `json:"p,omitempty"`
	Optional map[string]bool   `json:"o,omitempty"` // properties missing from some object
	Items    *shape            `json:"i,omitempty"`
}

// infer is the shape of one decoded value (numbers as json.Number).
func infer(v any) *shape {
	switch x := v.(type) {
	case map[string]any:
		s := &shape{Type: "object", Props: make(map[string]*shape, len(x))}
		for k, val := range x {
			s.Props[k] = infer(val)
		}
		return s
	case []any:
		s := &shape{Type: "array"}
		for _, val := range x {
			s.Items = merge(s.Items, infer(val))
		}
		return s
	case string:
		if _, err := time.Parse(time.RFC3339Nano, x); err == nil {
			return &shape{Type: "string", Format: "date-time"}
		}
		return &shape{Type: "string"}
	case json.Number:
		if isInteger(x) {
			return &shape{Type: "integer"}
		}
		return &shape{Type: "number"}
	case float64:
		return infer(json.Number(strconv.FormatFloat(x, 'g', -1, 64)))
	case bool:
		return &shape{Type: "boolean"}
	}
	return &shape{Type: "null"}
}

// merge is the shape of values of shape a or b: null yields to any type,
// integer widens to number, other conflicts make a "mixed" shape (any
// value); a property seen once stays, and is optional unless every object
// had it.
func merge(a, b *shape) *shape {
	switch {
	case a == nil:
		return b
	case b == nil:
		return a
	case a.Type == "null":
		return b
	case b.Type == "null":
		return a
	case a.Type == "integer" && b.Type == "number" || a.Type == "number" && b.Type == "integer":
		return &shape{Type: "number"}
	case a.Type != b.Type || a.Type == "mixed":
		return &shape{Type: "mixed"}
	}
	out := &shape{Type: a.Type}
	switch a.Type {
	case "string":
		if a.Format == b.Format {
			out.Format = a.Format
		}
	case "array":
		out.Items = merge(a.Items, b.Items)
	case "object":
		out.Props = map[string]*shape{}
		out.Optional = map[string]bool{}
		for k, v := range a.Props {
			_, inB := b.Props[k]
			out.Props[k] = merge(v, b.Props[k])
			if a.Optional[k] || b.Optional[k] || !inB {
				out.Optional[k] = true
			}
		}
		for k, v := range b.Props {
			if _, inA := a.Props[k]; !inA {
				out.Props[k] = v
				out.Optional[k] = true
			}
		}
		if len(out.Optional) == 0 {
			out.Optional = nil
		}
	}
	return out
}

// renderer turns shapes into OpenAPI components, naming nested objects
// after their property, made unique.
type renderer struct {
	components map[string]any
}

func (r *renderer) name(want string) string {
	if want == "" {
		want = "Object"
	}
	name := want
	for i := 1; r.components[name] != nil; i++ {
		name = want + strconv.Itoa(i)
	}
	r.components[name] = true // reserved until filled
	return name
}

func (r *renderer) schema(s *shape, name string) map[string]any {
	if s == nil {
		return map[string]any{}
	}
	switch s.Type {
	case "object":
		comp := r.name(name)
		r.components[comp] = r.object(s)
		return map[string]any{"$ref": "#/components/schemas/" + comp}
	case "array":
		return map[string]any{"type": "array", "items": r.schema(s.Items, name+"Item")}
	case "null", "mixed":
		return map[string]any{}
	case "string":
		if s.Format != "" {
			return map[string]any{"type": "string", "format": s.Format}
		}
	}
	return map[string]any{"type": s.Type}
}

func (r *renderer) object(s *shape) map[string]any {
	keys := make([]string, 0, len(s.Props))
	for k := range s.Props {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	props := map[string]any{}
	var required []string
	for _, k := range keys {
		props[k] = r.schema(s.Props[k], Pascal(k))
		if !s.Optional[k] {
			required = append(required, k)
		}
	}
	out := map[string]any{"type": "object", "properties": props}
	if len(required) > 0 {
		out["required"] = required
	}
	return out
}

// envelopeFields are the AWSEvent properties besides detail.
var envelopeFields = map[string]any{
	"account":     map[string]any{"type": "string"},
	"detail-type": map[string]any{"type": "string"},
	"id":          map[string]any{"type": "string"},
	"region":      map[string]any{"type": "string"},
	"resources":   map[string]any{"type": "array", "items": map[string]any{"type": "string"}},
	"source":      map[string]any{"type": "string"},
	"time":        map[string]any{"type": "string", "format": "date-time"},
	"version":     map[string]any{"type": "string"},
}

// renderOpenAPI renders the discovered OpenAPI 3 document of events of a
// source and detail-type whose details have the shape.
func renderOpenAPI(source, detailType string, detail *shape) string {
	r := &renderer{components: map[string]any{"AWSEvent": true}}
	title := Pascal(detailType)
	if title == "" || title == "AWSEvent" {
		title = "Detail"
	}
	props := map[string]any{}
	for k, v := range envelopeFields {
		props[k] = v
	}
	props["detail"] = r.schema(detail, title)
	r.components["AWSEvent"] = map[string]any{
		"type":                        "object",
		"required":                    []string{"detail-type", "resources", "detail", "id", "source", "time", "region", "version", "account"},
		"x-amazon-events-detail-type": detailType,
		"x-amazon-events-source":      source,
		"properties":                  props,
	}
	doc := map[string]any{
		"openapi":    "3.0.0",
		"info":       map[string]any{"version": "1.0.0", "title": title},
		"paths":      map[string]any{},
		"components": map[string]any{"schemas": r.components},
	}
	b, _ := json.MarshalIndent(doc, "", "  ")
	return string(b)
}

// eventShape reads an event's source, detail-type and detail shape.
func eventShape(event []byte) (source, detailType string, detail *shape, err error) {
	v, err := DecodeJSON(event)
	if err != nil {
		return "", "", nil, fmt.Errorf("not valid JSON: %w", err)
	}
	m, _ := v.(map[string]any)
	source, _ = m["source"].(string)
	detailType, _ = m["detail-type"].(string)
	d, isObj := m["detail"].(map[string]any)
	if m == nil || source == "" || detailType == "" || !isObj {
		return "", "", nil, fmt.Errorf("not an EventBridge event (source, detail-type and an object detail are required)")
	}
	return source, detailType, infer(d), nil
}

// DiscoverSchema infers the schema of 1 to 10 sample events of one source
// and detail-type, in the type asked (OpenApi3 or JSONSchemaDraft4).
func DiscoverSchema(events []string, typ string) (string, error) {
	if typ != TypeOpenAPI3 && typ != TypeJSONSchema {
		return "", badRequest("Type must be one of %s, %s.", TypeOpenAPI3, TypeJSONSchema)
	}
	if len(events) < 1 || len(events) > 10 {
		return "", badRequest("Events must contain between 1 and 10 events.")
	}
	var src, dt string
	var detail *shape
	for i, e := range events {
		s, d, sh, err := eventShape([]byte(e))
		if err != nil {
			return "", badRequest("Event at index %d is %v.", i, err)
		}
		if i > 0 && (s != src || d != dt) {
			return "", badRequest("Events must share one source and detail-type: event at index %d has %s / %s, not %s / %s.", i, s, d, src, dt)
		}
		src, dt, detail = s, d, merge(detail, sh)
	}
	content := renderOpenAPI(src, dt, detail)
	if typ == TypeJSONSchema {
		return ToJSONSchema(content)
	}
	return content, nil
}
