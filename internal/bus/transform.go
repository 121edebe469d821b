package bus

import (
	"bytes"
	"encoding/json"
	"errors"
	"regexp"
	"strconv"
	"strings"
)

// Predefined transformer variables.
const (
	varRuleArn       = "aws.events.rule-arn"
	varRuleName      = "aws.events.rule-name"
	varIngestionTime = "aws.events.event.ingestion-time"
	varEvent         = "aws.events.event"
	varEventJSON     = "aws.events.event.json"
)

var placeholderPattern = regexp.MustCompile(`<([^<>]+)>`)

var inputPathsKeyPattern = regexp.MustCompile(`^[A-Za-z0-9_\-]+$`)

func isPredefined(name string) bool {
	switch name {
	case varRuleArn, varRuleName, varIngestionTime, varEvent, varEventJSON:
		return true
	}
	return false
}

func validateTransformer(id string, t InputTransformer) error {
	if t.InputTemplate == "" || len(t.InputTemplate) > 8192 {
		return constraint(t.InputTemplate, "inputTemplate", "Member must have length less than or equal to 8192")
	}
	if len(t.InputPathsMap) > 100 {
		return validation("InputPathsMap for target %s has more than 100 entries.", id)
	}
	for k, v := range t.InputPathsMap {
		if !inputPathsKeyPattern.MatchString(k) || len(k) > 256 || strings.HasPrefix(k, "AWS.") {
			return validation("InputPathsMap for target %s contains invalid key %s.", id, k)
		}
		if _, err := parsePath(v); err != nil || len(v) > 256 {
			return validation("InputPathsMap for target %s contains invalid path %s.", id, v)
		}
	}
	for _, m := range placeholderPattern.FindAllStringSubmatch(t.InputTemplate, -1) {
		name := m[1]
		if _, ok := t.InputPathsMap[name]; !ok && !isPredefined(name) {
			return validation("InputTemplate for target %s contains invalid placeholder %s.", id, name)
		}
	}
	return nil
}

// renderContext holds the values of the predefined variables.
type renderContext struct {
	RuleArn       string
	RuleName      string
	IngestionTime string
}

// renderInput computes what a target receives for an event: the whole event,
// the fixed Input, the InputPath's value, or the rendered InputTransformer
// template. ok is false when nothing is delivered (AWS drops invocations
// whose rendered input is not valid JSON or whose InputPath finds nothing).
func renderInput(t Target, event []byte, rc renderContext) (payload []byte, ok bool) {
	switch {
	case t.Input != nil:
		return []byte(*t.Input), true
	case t.InputPath != nil:
		doc, err := decode(event)
		if err != nil {
			return nil, false
		}
		v, found := lookup(doc, *t.InputPath)
		if !found {
			return nil, false
		}
		b, err := marshal(v)
		return b, err == nil
	case t.InputTransformer != nil:
		out, err := transform(*t.InputTransformer, event, rc)
		if err != nil || !json.Valid(out) {
			return nil, false
		}
		return out, true
	default:
		return event, true
	}
}

// transform renders an InputTransformer template by AWS's quoting rules:
//   - in a JSON template (one that starts with { or [), a placeholder outside
//     a string is replaced by its value as JSON (a string value quoted, a
//     missing value as ""); inside a string by the raw text of a string or the
//     JSON of any other value (so an object in a string breaks the JSON);
//   - in any other template (a quoted string), by the raw text of a string or
//     scalar, and by the JSON of an object or array with its quotes removed;
//   - a missing value is the empty string.
func transform(t InputTransformer, event []byte, rc renderContext) ([]byte, error) {
	doc, err := decode(event)
	if err != nil {
		return nil, err
	}
	values := map[string]any{}
	for k, p := range t.InputPathsMap {
		if v, ok := lookup(doc, p); ok {
			values[k] = v
		}
	}
	tmpl := t.InputTemplate
	trimmed := strings.TrimSpace(tmpl)
	jsonMode := strings.HasPrefix(trimmed, "{") || strings.HasPrefix(trimmed, "[")
	var out bytes.Buffer
	inString, escaped := false, false
	for i := 0; i < len(tmpl); i++ {
		c := tmpl[i]
		if c == '<' {
			if m := placeholderPattern.FindStringSubmatchIndex(tmpl[i:]); m != nil && m[0] == 0 {
				name := tmpl[i+m[2] : i+m[3]]
				v, found := predefinedValue(name, doc, event, rc)
				if !found {
					v, found = values[name]
				}
				if err := writeValue(&out, v, found, jsonMode, inString); err != nil {
					return nil, err
				}
				i += m[1] - 1
				escaped = false
				continue
			}
		}
		out.WriteByte(c)
		switch {
		case escaped:
			escaped = false
		case c == '\\' && inString:
			escaped = true
		case c == '"':
			inString = !inString
		}
	}
	return out.Bytes(), nil
}

func predefinedValue(name string, doc any, event []byte, rc renderContext) (any, bool) {
	switch name {
	case varRuleArn:
		return rc.RuleArn, true
	case varRuleName:
		return rc.RuleName, true
	case varIngestionTime:
		return rc.IngestionTime, true
	case varEventJSON:
		return json.RawMessage(event), true
	case varEvent:
		return eventWithoutDetail(doc), true
	}
	return nil, false
}

// eventWithoutDetail is <aws.events.event>: the envelope without detail,
// with detail-type spelled detailType as AWS emits it.
func eventWithoutDetail(doc any) any {
	m, _ := doc.(map[string]any)
	var out bytes.Buffer
	out.WriteByte('{')
	first := true
	for _, k := range [...]struct{ from, to string }{{"id", "id"}, {"account", "account"}, {"detail-type", "detailType"}, {"time", "time"}, {"source", "source"}, {"region", "region"}, {"resources", "resources"}, {"version", "version"}} {
		v, ok := m[k.from]
		if !ok {
			continue
		}
		if !first {
			out.WriteByte(',')
		}
		first = false
		kb, _ := json.Marshal(k.to)
		vb, _ := marshal(v)
		out.Write(kb)
		out.WriteByte(':')
		out.Write(vb)
	}
	out.WriteByte('}')
	return json.RawMessage(out.Bytes())
}

func writeValue(out *bytes.Buffer, v any, found, jsonMode, inString bool) error {
	if !found {
		if jsonMode && !inString {
			out.WriteString(`""`)
		}
		return nil
	}
	if s, ok := v.(string); ok {
		if jsonMode && !inString {
			b, _ := json.Marshal(s)
			out.Write(b)
			return nil
		}
		out.WriteString(s)
		return nil
	}
	b, err := marshal(v)
	if err != nil {
		return err
	}
	if !jsonMode && (bytes.HasPrefix(b, []byte("{")) || bytes.HasPrefix(b, []byte("["))) {
		b = bytes.ReplaceAll(b, []byte(`"`), nil)
	}
	out.Write(b)
	return nil
}

func decode(b []byte) (any, error) {
	d := json.NewDecoder(bytes.NewReader(b))
	d.UseNumber()
	var v any
	err := d.Decode(&v)
	return v, err
}

// marshal renders a decoded value compactly without HTML escaping.
func marshal(v any) ([]byte, error) {
	if r, ok := v.(json.RawMessage); ok {
		var buf bytes.Buffer
		if err := json.Compact(&buf, r); err != nil {
			return nil, err
		}
		return buf.Bytes(), nil
	}
	var buf bytes.Buffer
	e := json.NewEncoder(&buf)
	e.SetEscapeHTML(false)
	if err := e.Encode(v); err != nil {
		return nil, err
	}
	return bytes.TrimRight(buf.Bytes(), "\n"), nil
}

// pathStep is one step of a path: a member name or an array index.
type pathStep struct {
	name  string
	index int // -1 for a member
}

var errBadPath = errors.New("bus: invalid path")

// parsePath parses the JSONPath subset EventBridge accepts: $ followed by
// .name, ['name'] and [n] steps.
func parsePath(p string) ([]pathStep, error) {
	rest, ok := strings.CutPrefix(p, "$")
	if !ok {
		return nil, errBadPath
	}
	var steps []pathStep
	for rest != "" {
		switch rest[0] {
		case '.':
			rest = rest[1:]
			end := strings.IndexAny(rest, ".[")
			if end < 0 {
				end = len(rest)
			}
			if end == 0 {
				return nil, errBadPath
			}
			steps = append(steps, pathStep{name: rest[:end], index: -1})
			rest = rest[end:]
		case '[':
			end := strings.IndexByte(rest, ']')
			if end < 0 {
				return nil, errBadPath
			}
			inner := rest[1:end]
			rest = rest[end+1:]
			if q := strings.Trim(inner, `'"`); len(q)+2 == len(inner) {
				steps = append(steps, pathStep{name: q, index: -1})
				continue
			}
			n, err := strconv.Atoi(inner)
			if err != nil || n < 0 {
				return nil, errBadPath
			}
			steps = append(steps, pathStep{index: n})
		default:
			return nil, errBadPath
		}
	}
	return steps, nil
}

// lookup finds the value at a path in a decoded document.
func lookup(doc any, path string) (any, bool) {
	steps, err := parsePath(path)
	if err != nil {
		return nil, false
	}
	v, ok := doc, false
	for _, s := range steps {
		switch x := v.(type) {
		case map[string]any:
			if s.index >= 0 {
				return nil, false
			}
			if v, ok = x[s.name]; !ok {
				return nil, false
			}
		case []any:
			if s.index < 0 || s.index >= len(x) {
				return nil, false
			}
			v = x[s.index]
		default:
			return nil, false
		}
	}
	return v, true
}
