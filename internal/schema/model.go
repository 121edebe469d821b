package schema

import (
	"fmt"
	"sort"
	"strconv"
	"strings"
)

// model is a schema document as types, for code bindings: the root type
// first, then every named object type.
type model struct {
	source, detailType string
	root               string
	types              []*objectType
}

type objectType struct {
	name   string
	fields []field
}

type field struct {
	json     string
	typ      typeRef
	required bool
}

// typeRef is a field's type: a scalar kind, an array of elem, or an object
// type by name.
type typeRef struct {
	kind string // string, time, integer, number, boolean, any, array, object
	elem *typeRef
	name string // object
}

type modeler struct {
	doc    map[string]any
	prefix string // where named schemas live: #/components/schemas/ or #/definitions/
	named  map[string]string
	types  []*objectType
	taken  map[string]bool
	depth  int

	resolving map[string]bool // $refs being resolved
}

// buildModel builds the type model of a schema version.
func buildModel(typ, content string) (model, error) {
	d, err := parseDocument(typ, content)
	if err != nil {
		return model{}, err
	}
	m := &modeler{doc: d.doc, named: map[string]string{}, taken: map[string]bool{}, resolving: map[string]bool{}}
	rootName := d.root
	if typ == TypeJSONSchema {
		m.prefix = "#/definitions/"
		rootName, _ = d.doc["title"].(string)
		rootName = Pascal(rootName)
		if rootName == "" {
			rootName = "Event"
		}
	} else {
		m.prefix = "#/components/schemas/"
		if d.node == nil {
			return model{}, fmt.Errorf("the document has no root schema")
		}
	}
	src, dt := eventKey(typ, content)
	out := model{source: src, detailType: dt}
	at := "#"
	if typ == TypeOpenAPI3 {
		at = m.prefix + escapePointer(d.root)
	}
	ref, err := m.object(d.node, rootName, at)
	if err != nil {
		return model{}, err
	}
	if ref.kind != "object" {
		return model{}, fmt.Errorf("the root schema is not an object")
	}
	out.root, out.types = ref.name, m.types
	return out, nil
}

func (m *modeler) unique(want string) string {
	want = Pascal(want)
	if want == "" || want[0] >= '0' && want[0] <= '9' {
		want = "T" + want
	}
	name := want
	for i := 1; m.taken[name]; i++ {
		name = want + strconv.Itoa(i)
	}
	m.taken[name] = true
	return name
}

// typeOfNode maps a schema node to a type; name suggests a name for an
// inline object.
func (m *modeler) typeOfNode(node any, name, at string) (typeRef, error) {
	n, _ := node.(map[string]any)
	if ref, ok := n["$ref"].(string); ok {
		if t, ok := m.named[ref]; ok {
			return typeRef{kind: "object", name: t}, nil
		}
		if m.resolving[ref] {
			return typeRef{kind: "any"}, nil // a $ref chain back to itself
		}
		target, err := pointer(m.doc, strings.TrimPrefix(ref, "#"))
		if err != nil {
			return typeRef{}, fmt.Errorf("%s: $ref %s: %w", at, ref, err)
		}
		m.resolving[ref] = true
		defer delete(m.resolving, ref)
		return m.object(target, strings.TrimPrefix(ref, m.prefix), ref)
	}
	t, _ := n["type"].(string)
	switch t {
	case "object":
		return m.object(n, name, at)
	case "array":
		elem, err := m.typeOfNode(n["items"], name+"Item", at+"/items")
		if err != nil {
			return typeRef{}, err
		}
		return typeRef{kind: "array", elem: &elem}, nil
	case "string":
		if f, _ := n["format"].(string); f == "date-time" {
			return typeRef{kind: "time"}, nil
		}
		return typeRef{kind: "string"}, nil
	case "integer", "number", "boolean":
		return typeRef{kind: t}, nil
	}
	if n["properties"] != nil {
		return m.object(n, name, at)
	}
	return typeRef{kind: "any"}, nil
}

// object names an object schema (a $ref target once) and models its fields.
func (m *modeler) object(node any, name, at string) (typeRef, error) {
	n, _ := node.(map[string]any)
	if n == nil {
		return typeRef{kind: "any"}, nil
	}
	if _, isRef := n["$ref"]; isRef {
		return m.typeOfNode(n, name, at)
	}
	props, _ := n["properties"].(map[string]any)
	if props == nil && n["type"] != "object" {
		return m.typeOfNode(n, name, at)
	}
	if props == nil {
		return typeRef{kind: "any"}, nil // a free-form object
	}
	m.depth++
	defer func() { m.depth-- }()
	if m.depth > 64 {
		return typeRef{}, fmt.Errorf("%s: objects nest too deeply", at)
	}
	t := &objectType{name: m.unique(name)}
	if strings.HasPrefix(at, "#/") {
		m.named[at] = t.name
	}
	m.types = append(m.types, t)
	required := map[string]bool{}
	list, _ := n["required"].([]any)
	for _, r := range list {
		if s, ok := r.(string); ok {
			required[s] = true
		}
	}
	keys := make([]string, 0, len(props))
	for k := range props {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	for _, k := range keys {
		ft, err := m.typeOfNode(props[k], k, at+"/properties/"+k)
		if err != nil {
			return typeRef{}, err
		}
		t.fields = append(t.fields, field{json: k, typ: ft, required: required[k]})
	}
	return typeRef{kind: "object", name: t.name}, nil
}
