package engine_test

import (
	"bytes"
	"encoding/json"
	"fmt"
	"math/big"
	"regexp"
	"sort"
	"strconv"
	"strings"
	"time"

	"github.com/fogbank/fogbank/internal/flow/engine"
)

func decodeJSON(s string) (any, error) {
	dec := json.NewDecoder(strings.NewReader(s))
	dec.UseNumber()
	var v any
	if err := dec.Decode(&v); err != nil {
		return nil, err
	}
	if dec.More() {
		return nil, fmt.Errorf("trailing data")
	}
	return v, nil
}

func encodeJSON(v any) string {
	var b bytes.Buffer
	enc := json.NewEncoder(&b)
	enc.SetEscapeHTML(false)
	_ = enc.Encode(v)
	return strings.TrimSuffix(b.String(), "\n")
}

// parseDictStrings is normalisation step 1: string values inside dicts
// (also dicts inside lists) that start with "{" and parse become objects;
// the parsed objects are not descended into.
func parseDictStrings(v any) any {
	switch t := v.(type) {
	case map[string]any:
		for k, e := range t {
			if s, ok := e.(string); ok && strings.HasPrefix(s, "{") {
				if p, err := decodeJSON(s); err == nil {
					t[k] = p
					continue
				}
			}
			t[k] = parseDictStrings(e)
		}
	case []any:
		for i, e := range t {
			t[i] = parseDictStrings(e)
		}
	}
	return v
}

// actualDoc renders an engine result in the corpus' expect shape.
func actualDoc(res engine.Result) map[string]any {
	doc := map[string]any{"status": res.Status}
	if res.Output != nil {
		doc["output"] = *res.Output
	}
	if res.Status == engine.StatusFailed || res.Error != "" {
		if res.Error != "" {
			doc["error"] = res.Error
		}
		if res.Cause != "" {
			doc["cause"] = res.Cause
		}
	}
	hist := make([]any, 0, len(res.Events))
	for _, ev := range res.Events {
		e := map[string]any{"type": ev.Type, "id": json.Number(strconv.FormatInt(ev.ID, 10)), "previousEventId": json.Number(strconv.FormatInt(ev.PreviousEventID, 10))}
		if ev.Details != nil {
			d, _ := decodeJSON(encodeJSON(ev.Details))
			e["detailsKey"] = ev.DetailsKey
			e["details"] = d
		}
		hist = append(hist, e)
	}
	doc["history"] = hist
	wrapped := map[string]any{"doc": doc}
	parseDictStrings(wrapped)
	return wrapped["doc"].(map[string]any)
}

var (
	isoRe  = regexp.MustCompile(`\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?(Z|[+-]\d{2}:\d{2})`)
	uuidRe = regexp.MustCompile(`^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$`)
	mrRe   = regexp.MustCompile(`(mapRun:[^/"]+/)([^:"]+):([^"\\]+)`)
)

// normalise applies the case's transformers and the global rules.
func normalise(c *corpusCase, doc map[string]any, execName string) map[string]any {
	text := encodeJSON(doc)
	for _, t := range c.Normalisation.Transformers {
		typ, _ := t["type"].(string)
		switch typ {
		case "regex":
			re, _ := t["regex"].(string)
			repl, _ := t["replacement"].(string)
			if lit, _ := t["regex_is_literal_token"].(bool); lit {
				tok := re[2 : len(re)-1]
				val := tokenValue(tok, execName)
				if strings.HasPrefix(tok, "Execution") && strings.HasSuffix(tok, "Name") && val != execName {
					continue
				}
				text = strings.ReplaceAll(text, val, repl)
				continue
			}
			if rx, err := regexp.Compile(re); err == nil {
				text = rx.ReplaceAllLiteralString(text, repl)
			}
		case "map_run_arn_all":
			seen := map[string]int{}
			text = mrRe.ReplaceAllStringFunc(text, func(m string) string {
				sub := mrRe.FindStringSubmatch(m)
				key := sub[2] + ":" + sub[3]
				i, ok := seen[key]
				if !ok {
					i = len(seen)
					seen[key] = i
				}
				part0 := sub[2]
				if uuidRe.MatchString(part0) {
					part0 = fmt.Sprintf("<MapRunArnPart0_%didx>", i)
				}
				return fmt.Sprintf("%s%s:<MapRunArnPart1_%didx>", sub[1], part0, i)
			})
		}
	}
	text = strings.ReplaceAll(text, "arn:aws:", "arn:<partition>:")
	text = strings.ReplaceAll(text, testRegion, "<region>")
	text = isoRe.ReplaceAllStringFunc(text, func(m string) string {
		if _, err := time.Parse(time.RFC3339Nano, m); err != nil {
			return m
		}
		return "date"
	})
	v, err := decodeJSON(text)
	if err != nil {
		return doc
	}
	for _, t := range c.Normalisation.Transformers {
		if typ, _ := t["type"].(string); typ == "jsonpath" {
			p, _ := t["jsonpath"].(string)
			set := func(m map[string]any, k string) { m[k] = t["replacement"] }
			applyPath(v, p, set)
			if rest, ok := strings.CutPrefix(p, "$..events.."); ok {
				// The path is written against the snapshot's events; apply it
				// to the history details, and to the output it mirrors.
				doc := v.(map[string]any)
				applyPath(map[string]any{"events": snapshotEvents(doc["history"])}, p, set)
				if out, ok := strings.CutPrefix(rest, "executionSucceededEventDetails."); ok {
					applyPath(doc, "$."+out, set)
				}
			}
		}
	}
	uuids := map[string]string{}
	globalRules(v, "", uuids)
	return v.(map[string]any)
}

func globalRules(v any, key string, uuids map[string]string) any {
	switch t := v.(type) {
	case map[string]any:
		for k, e := range t {
			t[k] = globalRules(e, k, uuids)
		}
	case []any:
		for i, e := range t {
			t[i] = globalRules(e, key, uuids)
		}
	case string:
		lk := strings.ToLower(key)
		if strings.HasSuffix(lk, "id") && uuidRe.MatchString(t) {
			if _, ok := uuids[t]; !ok {
				uuids[t] = fmt.Sprintf("<uuid:%d>", len(uuids)+1)
			}
			return uuids[t]
		}
		if strings.Contains(lk, "timestamp") && t != "date" {
			return "timestamp"
		}
	}
	return v
}

// applyPath visits the members a simple JSONPath names: $..key,
// $..a..b.c, $..events[4].key.
func applyPath(root any, p string, fn func(m map[string]any, k string)) {
	p = strings.TrimPrefix(p, "$")
	type seg struct {
		deep bool
		name string
		idx  int
	}
	var segs []seg
	for p != "" {
		deep := strings.HasPrefix(p, "..")
		p = strings.TrimLeft(p, ".")
		end := strings.IndexAny(p, ".")
		if end < 0 {
			end = len(p)
		}
		part := p[:end]
		p = p[end:]
		idx := -1
		if i := strings.Index(part, "["); i >= 0 {
			fmt.Sscanf(part[i:], "[%d]", &idx)
			part = part[:i]
		}
		segs = append(segs, seg{deep, part, idx})
	}
	var walk func(v any, i int)
	walk = func(v any, i int) {
		if i >= len(segs) {
			return
		}
		s := segs[i]
		if m, ok := v.(map[string]any); ok {
			if x, ok := m[s.name]; ok {
				switch {
				case s.idx >= 0:
					if l, ok := x.([]any); ok && s.idx < len(l) {
						if i == len(segs)-1 {
							return
						}
						walk(l[s.idx], i+1)
					}
				case i == len(segs)-1:
					fn(m, s.name)
				default:
					walk(x, i+1)
				}
			}
		}
		if !s.deep {
			return
		}
		switch t := v.(type) {
		case map[string]any:
			for k, e := range t {
				if k != s.name {
					walk(e, i)
				}
			}
		case []any:
			for _, e := range t {
				walk(e, i)
			}
		}
	}
	walk(root, 0)
}

// snapshotEvents turns history into the snapshot's "events" shape, so
// unverified paths (written against it) apply.
func snapshotEvents(hist any) []any {
	list, _ := hist.([]any)
	out := make([]any, 0, len(list))
	for _, e := range list {
		m, _ := e.(map[string]any)
		ev := map[string]any{"type": m["type"], "id": m["id"], "previousEventId": m["previousEventId"]}
		if k, ok := m["detailsKey"].(string); ok {
			ev[k] = m["details"]
		}
		out = append(out, ev)
	}
	return out
}

// unorderParallel applies parallelEventsUnordered.
func unorderParallel(events []any) []any {
	out := []any{}
	for i := 0; i < len(events); i++ {
		m, _ := events[i].(map[string]any)
		out = append(out, m)
		if m["type"] != "ParallelStateStarted" {
			continue
		}
		j := i + 1
		depth := 0
		for ; j < len(events); j++ {
			t, _ := events[j].(map[string]any)["type"].(string)
			if t == "ParallelStateStarted" {
				depth++
			}
			if t == "ParallelStateSucceeded" || t == "ParallelStateFailed" || t == "ParallelStateAborted" || t == "ParallelStateExited" {
				if depth == 0 {
					break
				}
				if t != "ParallelStateExited" {
					depth--
				}
			}
		}
		inner := make([]any, 0, j-i-1)
		for _, e := range events[i+1 : min(j, len(events))] {
			em := e.(map[string]any)
			em["id"] = []any{json.Number("0")}
			em["previousEventId"] = json.Number("0")
			inner = append(inner, em)
		}
		sort.SliceStable(inner, func(a, b int) bool { return encodeJSON(inner[a]) < encodeJSON(inner[b]) })
		out = append(out, inner...)
		i = j
	}
	return out
}

// jsonEqual compares decoded JSON; numbers compare by value.
func jsonEqual(a, b any) bool {
	switch x := a.(type) {
	case map[string]any:
		y, ok := b.(map[string]any)
		if !ok || len(x) != len(y) {
			return false
		}
		for k, v := range x {
			w, ok := y[k]
			if !ok || !jsonEqual(v, w) {
				return false
			}
		}
		return true
	case []any:
		y, ok := b.([]any)
		if !ok || len(x) != len(y) {
			return false
		}
		for i := range x {
			if !jsonEqual(x[i], y[i]) {
				return false
			}
		}
		return true
	case json.Number:
		y, ok := b.(json.Number)
		if !ok {
			return false
		}
		p, _, e1 := big.ParseFloat(string(x), 10, 200, big.ToNearestEven)
		q, _, e2 := big.ParseFloat(string(y), 10, 200, big.ToNearestEven)
		return e1 == nil && e2 == nil && p.Cmp(q) == 0
	case string:
		y, ok := b.(string)
		if !ok {
			return false
		}
		return x == y
	}
	return a == b
}

// textFields are the fields AWS fills with JSON text (payloads).
var textFields = map[string]bool{
	"input": true, "output": true, "parameters": true, "result": true,
	"afterInputPath": true, "afterParameters": true, "afterResultSelector": true,
	"afterResultPath": true, "afterArguments": true, "afterItemsPath": true,
	"afterItemSelector": true, "variables": true,
}

// decodeTextFields replaces the JSON text of payload fields (and of each
// assigned variable) by its value, so payloads compare as JSON: AWS keeps
// keys in insertion order and sometimes the input's own spacing, which
// text comparison would wrongly count as differences, and newer
// recordings parse scalars that older ones kept as text.
func decodeTextFields(v any) {
	switch t := v.(type) {
	case map[string]any:
		for k, e := range t {
			if s, ok := e.(string); ok && textFields[k] {
				if d, err := decodeJSON(s); err == nil {
					t[k] = d
				}
				continue
			}
			if k == "assignedVariables" {
				if m, ok := e.(map[string]any); ok {
					for vk, vv := range m {
						if s, ok := vv.(string); ok {
							if d, err := decodeJSON(s); err == nil {
								m[vk] = d
							}
						}
					}
				}
			}
			decodeTextFields(e)
		}
	case []any:
		for _, e := range t {
			decodeTextFields(e)
		}
	}
}
