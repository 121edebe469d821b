package asl

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"strings"
	"unicode/utf8"
)

// MaxDefinitionBytes is AWS's limit on a definition's size.
const MaxDefinitionBytes = 1 << 20

// Options adjust validation to the state machine's settings.
type Options struct {
	// Express applies the EXPRESS type's restrictions (no activities,
	// .sync or .waitForTaskToken).
	Express bool
}

// Parse decodes and validates a definition. Invalid definitions return
// *Error carrying AWS's diagnostics.
func Parse(text string, opts Options) (*StateMachine, error) {
	doc, derr := decode(text)
	if derr != nil {
		return nil, derr
	}
	p := &parser{opts: opts, text: text, topQL: JSONPath}
	if ql, ok := doc["QueryLanguage"].(string); ok {
		p.topQL = ql
	}
	sm := p.machine(doc, "", "", true)
	if p.raw != "" {
		return nil, &Error{Raw: p.raw}
	}
	if len(p.diags) > 0 {
		return nil, &Error{Diagnostics: p.diags}
	}
	return sm, nil
}

// Decode reads JSON text with numbers kept as json.Number.
func Decode(text string) (any, error) {
	dec := json.NewDecoder(strings.NewReader(text))
	dec.UseNumber()
	var v any
	if err := dec.Decode(&v); err != nil {
		return nil, err
	}
	if dec.More() {
		return nil, errors.New("trailing data after JSON value")
	}
	return v, nil
}

func decode(text string) (map[string]any, error) {
	if len(text) > MaxDefinitionBytes {
		return nil, &Error{Diagnostics: []Diagnostic{{Code: CodeSchema, Message: "Definition exceeds the maximum size of 1048576 bytes"}}}
	}
	trimmed := bytes.TrimSpace([]byte(text))
	if len(trimmed) == 0 {
		return nil, &Error{Diagnostics: []Diagnostic{{Code: CodeSchema, Message: "Definition must be a valid JSON object"}}}
	}
	v, err := Decode(text)
	if err != nil {
		return nil, &Error{Diagnostics: []Diagnostic{jsonDiagnostic(text, err)}}
	}
	m, ok := v.(map[string]any)
	if !ok {
		return nil, &Error{Diagnostics: []Diagnostic{{Code: CodeSchema, Message: "Definition must be a valid JSON object"}}}
	}
	return m, nil
}

// jsonDiagnostic imitates the Jackson parser message AWS returns for text
// that is not JSON.
func jsonDiagnostic(text string, err error) Diagnostic {
	tok := text
	if i := strings.IndexAny(tok, " \t\r\n{}[],:\""); i > 0 {
		tok = tok[:i]
	}
	loc := fmt.Sprintf("[Source: (String)%q; line: 1, column: %d]", text, utf8.RuneCountInString(tok)+1)
	var syn *json.SyntaxError
	if tok != "" && errors.As(err, &syn) && int(syn.Offset) <= len(tok)+1 {
		return Diagnostic{
			Code:     CodeInvalidJSON,
			Location: loc,
			Message:  fmt.Sprintf("Unrecognized token '%s': was expecting (JSON String, Number, Array, Object or token 'null', 'true' or 'false')\n at %s", tok, loc),
		}
	}
	return Diagnostic{Code: CodeInvalidJSON, Location: loc, Message: err.Error()}
}

type parser struct {
	opts  Options
	text  string
	diags []Diagnostic
	raw   string
	// topQL is the top-level QueryLanguage.
	topQL string
}

func (p *parser) fail(code, loc, format string, args ...any) {
	p.diags = append(p.diags, Diagnostic{Code: code, Location: loc, Message: fmt.Sprintf(format, args...)})
}

// machine parses a scope: the top level, a branch or an item processor.
func (p *parser) machine(doc map[string]any, loc, inherited string, top bool) *StateMachine {
	sm := &StateMachine{States: map[string]*State{}, QueryLanguage: JSONPath}
	if inherited != "" {
		sm.QueryLanguage = inherited
	}
	if ql, ok := doc["QueryLanguage"]; ok {
		s, _ := ql.(string)
		if s != JSONPath && s != JSONata {
			p.fail(CodeSchema, loc+"/QueryLanguage", "The value for the field 'QueryLanguage' must be one of: JSONPath, JSONata")
		} else {
			sm.QueryLanguage = s
		}
	}
	sm.Comment, _ = doc["Comment"].(string)
	sm.Version, _ = doc["Version"].(string)
	if top {
		if v, ok := doc["TimeoutSeconds"]; ok {
			if n, ok := number(v); ok {
				sm.TimeoutSeconds = &n
			} else {
				p.fail(CodeSchema, "/TimeoutSeconds", "The value for the field 'TimeoutSeconds' must be a positive integer")
			}
		}
	}
	start, ok := doc["StartAt"].(string)
	hasStart := ok
	if !ok {
		p.fail(CodeSchema, loc, "The field 'StartAt' is required but was missing")
	}
	sm.StartAt = start
	states, ok := doc["States"].(map[string]any)
	if !ok {
		p.fail(CodeSchema, loc, "The field 'States' is required but was missing")
		return sm
	}
	sm.Order = orderedKeys(p.text, states)
	for _, name := range sm.Order {
		sloc := loc + "/States/" + name
		raw, ok := states[name].(map[string]any)
		if !ok {
			p.fail(CodeSchema, sloc, "The value for the field '%s' must be an OBJECT", name)
			continue
		}
		sm.States[name] = p.state(name, raw, sloc, sm.QueryLanguage)
	}
	p.transitions(sm, loc, hasStart)
	return sm
}

// transitions checks StartAt, Next targets and reachability.
func (p *parser) transitions(sm *StateMachine, loc string, hasStart bool) {
	if hasStart {
		if _, ok := sm.States[sm.StartAt]; !ok {
			p.fail(CodeMissingTransition, loc+"/StartAt", "Missing 'Next' target: %s", sm.StartAt)
		}
	}
	for _, name := range sm.Order {
		st := sm.States[name]
		if st == nil {
			continue
		}
		for _, t := range st.targets() {
			if _, ok := sm.States[t.name]; !ok {
				p.fail(CodeMissingTransition, loc+"/States/"+name+t.field, "Missing 'Next' target: %s", t.name)
			}
		}
	}
	seen := map[string]bool{}
	var walk func(string)
	walk = func(n string) {
		st, ok := sm.States[n]
		if !ok || seen[n] {
			return
		}
		seen[n] = true
		for _, t := range st.targets() {
			walk(t.name)
		}
	}
	walk(sm.StartAt)
	if _, ok := sm.States[sm.StartAt]; !ok {
		return
	}
	for _, name := range sm.Order {
		if sm.States[name] != nil && !seen[name] {
			p.fail(CodeUnreachable, loc+"/States/"+name, "State '%s' is not reachable.", name)
		}
	}
}

type target struct{ name, field string }

func (s *State) targets() []target {
	var out []target
	if s.Next != "" {
		out = append(out, target{s.Next, "/Next"})
	}
	if s.Default != "" {
		out = append(out, target{s.Default, "/Default"})
	}
	for i, c := range s.Choices {
		if c.Next != "" {
			out = append(out, target{c.Next, fmt.Sprintf("/Choices[%d]/Next", i)})
		}
	}
	for i, c := range s.Catch {
		if c.Next != "" {
			out = append(out, target{c.Next, fmt.Sprintf("/Catch[%d]/Next", i)})
		}
	}
	return out
}

// orderedKeys returns the keys of m in the order they appear in the text
// when that can be found, else sorted by first occurrence.
func orderedKeys(text string, m map[string]any) []string {
	type kp struct {
		k   string
		pos int
	}
	list := make([]kp, 0, len(m))
	for k := range m {
		q, _ := json.Marshal(k)
		pos := strings.Index(text, string(q))
		if pos < 0 {
			pos = len(text)
		}
		list = append(list, kp{k, pos})
	}
	for i := 1; i < len(list); i++ {
		for j := i; j > 0 && (list[j].pos < list[j-1].pos || (list[j].pos == list[j-1].pos && list[j].k < list[j-1].k)); j-- {
			list[j], list[j-1] = list[j-1], list[j]
		}
	}
	out := make([]string, len(list))
	for i, e := range list {
		out[i] = e.k
	}
	return out
}
