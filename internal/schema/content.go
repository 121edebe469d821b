package schema

import (
	"encoding/json"
	"fmt"
	"sort"
	"strings"
	"unicode"
)

// MaxContent is the largest schema content AWS accepts, in characters.
const MaxContent = 100000

// CheckContent checks that content is a plausible document of the type:
// JSON, an OpenAPI 3 document (openapi 3.x, components.schemas of valid
// schemas) or a JSON Schema draft 4 document, whose schemas compile.
func CheckContent(typ, content string) error {
	if typ != TypeOpenAPI3 && typ != TypeJSONSchema {
		return badRequest("Type must be one of %s, %s.", TypeOpenAPI3, TypeJSONSchema)
	}
	if n := len([]rune(content)); n < 1 || n > MaxContent {
		return badRequest("Content must be between 1 and %d characters long.", MaxContent)
	}
	if _, err := compileDocument(typ, content); err != nil {
		return badRequest("Invalid %s content: %v", typ, err)
	}
	return nil
}

// document is a parsed schema document and the name of its root schema.
type document struct {
	doc  map[string]any
	root string         // OpenAPI 3: the root component; "" for JSON Schema
	node map[string]any // the root schema
}

func parseDocument(typ, content string) (document, error) {
	v, err := DecodeJSON([]byte(content))
	if err != nil {
		return document{}, fmt.Errorf("not valid JSON: %w", err)
	}
	doc, ok := v.(map[string]any)
	if !ok {
		return document{}, fmt.Errorf("the document must be a JSON object")
	}
	if typ == TypeJSONSchema {
		if sch, ok := doc["$schema"]; ok {
			str, isStr := sch.(string)
			if !isStr || !strings.Contains(str, "draft-04") {
				return document{}, fmt.Errorf("$schema must be http://json-schema.org/draft-04/schema#")
			}
		}
		return document{doc: doc, node: doc}, nil
	}
	ver, _ := doc["openapi"].(string)
	if !strings.HasPrefix(ver, "3.") {
		return document{}, fmt.Errorf("openapi must be a 3.x.y version string")
	}
	comps, _ := doc["components"].(map[string]any)
	if c, ok := doc["components"]; ok && comps == nil {
		return document{}, fmt.Errorf("components must be an object, not %s", typeOf(c))
	}
	schemas, _ := comps["schemas"].(map[string]any)
	if c, ok := comps["schemas"]; ok && schemas == nil {
		return document{}, fmt.Errorf("components.schemas must be an object, not %s", typeOf(c))
	}
	root := rootComponent(schemas)
	d := document{doc: doc, root: root}
	if root != "" {
		d.node, _ = schemas[root].(map[string]any)
	}
	return d, nil
}

// rootComponent picks the component an event conforms to: the one naming
// its event source, else AWSEvent, else the only one.
func rootComponent(schemas map[string]any) string {
	names := make([]string, 0, len(schemas))
	for n := range schemas {
		names = append(names, n)
	}
	sort.Strings(names)
	for _, n := range names {
		if m, ok := schemas[n].(map[string]any); ok && m["x-amazon-events-source"] != nil {
			return n
		}
	}
	if _, ok := schemas["AWSEvent"]; ok {
		return "AWSEvent"
	}
	if len(names) == 1 {
		return names[0]
	}
	return ""
}

// compileDocument compiles every schema of a document and returns the root
// (nil when an OpenAPI document names none).
func compileDocument(typ, content string) (*Schema, error) {
	d, err := parseDocument(typ, content)
	if err != nil {
		return nil, err
	}
	c := &compiler{root: d.doc, refs: map[string]*Schema{}}
	if typ == TypeJSONSchema {
		return c.compile(d.doc, "#")
	}
	schemas, _ := d.doc["components"].(map[string]any)["schemas"].(map[string]any)
	names := make([]string, 0, len(schemas))
	for n := range schemas {
		names = append(names, n)
	}
	sort.Strings(names)
	var root *Schema
	for _, n := range names {
		s, err := c.ref("#/components/schemas/"+escapePointer(n), "#")
		if err != nil {
			return nil, err
		}
		if n == d.root {
			root = s
		}
	}
	return root, nil
}

func escapePointer(s string) string {
	return strings.ReplaceAll(strings.ReplaceAll(s, "~", "~0"), "/", "~1")
}

// eventKey reads the source and detail-type a document's root declares.
func eventKey(typ, content string) (source, detailType string) {
	d, err := parseDocument(typ, content)
	if err != nil || d.node == nil {
		return "", ""
	}
	source, _ = d.node["x-amazon-events-source"].(string)
	detailType, _ = d.node["x-amazon-events-detail-type"].(string)
	return source, detailType
}

// ToJSONSchema converts an OpenAPI 3 document to JSON Schema draft 4 as AWS
// exports it: the root component at the top with its title, the others
// under definitions, $refs rewritten, nullable as a "null" type.
func ToJSONSchema(content string) (string, error) {
	d, err := parseDocument(TypeOpenAPI3, content)
	if err != nil {
		return "", err
	}
	if d.node == nil {
		return "", fmt.Errorf("the document has no root schema")
	}
	schemas, _ := d.doc["components"].(map[string]any)["schemas"].(map[string]any)
	out := map[string]any{}
	for k, v := range convert(d.node).(map[string]any) {
		out[k] = v
	}
	out["$schema"] = "http://json-schema.org/draft-04/schema#"
	out["title"] = d.root
	defs := map[string]any{}
	for n, v := range schemas {
		if n != d.root {
			defs[n] = convert(v)
		}
	}
	if len(defs) > 0 {
		out["definitions"] = defs
	}
	b, err := json.MarshalIndent(out, "", "  ")
	return string(b), err
}

func convert(v any) any {
	switch x := v.(type) {
	case map[string]any:
		out := make(map[string]any, len(x))
		for k, val := range x {
			if k == "$ref" {
				if s, ok := val.(string); ok {
					out[k] = strings.Replace(s, "#/components/schemas/", "#/definitions/", 1)
					continue
				}
			}
			if k == "nullable" {
				continue
			}
			out[k] = convert(val)
		}
		if n, _ := x["nullable"].(bool); n {
			if t, ok := x["type"].(string); ok {
				out["type"] = []any{t, "null"}
			}
		}
		return out
	case []any:
		out := make([]any, len(x))
		for i, val := range x {
			out[i] = convert(val)
		}
		return out
	}
	return v
}

// Pascal turns text into a PascalCase identifier as AWS names discovered
// schemas and types: words split at anything not a letter or digit, each
// word's first letter upper-cased ("EC2 Instance State-change
// Notification" → "EC2InstanceStateChangeNotification").
func Pascal(text string) string {
	var b strings.Builder
	upper := true
	for _, r := range text {
		if !unicode.IsLetter(r) && !unicode.IsDigit(r) || r > unicode.MaxASCII {
			upper = true
			continue
		}
		if upper {
			r = unicode.ToUpper(r)
			upper = false
		}
		b.WriteRune(r)
	}
	return b.String()
}

// DiscoveredName is the name discovery gives the schema of a source and
// detail-type.
func DiscoveredName(source, detailType string) string {
	return source + "@" + Pascal(detailType)
}
