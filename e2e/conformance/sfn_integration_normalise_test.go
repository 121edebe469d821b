package conformance

import (
	"encoding/json"
	"fmt"
	"math/big"
	"regexp"
	"sort"
	"strings"
	"time"
)

// This file applies the Step Functions corpus normalisation (README
// "Normalisation") to a fogbank execution and compares it with the
// recording. Reference transformers (a value replaced everywhere by a
// numbered placeholder) are matched loosely: a recorded string holding a
// placeholder "<...>" or a transformer's replacement name matches any text
// in its place.

var (
	sfncISORE   = regexp.MustCompile(`\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?(Z|[+-]\d{2}:?\d{2})`)
	sfncPlaceRE = regexp.MustCompile(`<[^<>"]+>`)
)

// sfncTextFields hold JSON text in history details and results.
var sfncTextFields = map[string]bool{"input": true, "output": true, "parameters": true, "result": true, "cause": true}

func sfncDecode(s string) (any, bool) {
	d := json.NewDecoder(strings.NewReader(s))
	d.UseNumber()
	var v any
	if err := d.Decode(&v); err != nil || d.More() {
		return nil, false
	}
	return v, true
}

// sfncParseDictStrings is step 1: dict string values starting with "{"
// that parse become objects (not recursively).
func sfncParseDictStrings(v any) {
	switch t := v.(type) {
	case map[string]any:
		for k, e := range t {
			if s, ok := e.(string); ok && strings.HasPrefix(s, "{") {
				if p, ok := sfncDecode(s); ok {
					t[k] = p
					continue
				}
			}
			sfncParseDictStrings(e)
		}
	case []any:
		for _, e := range t {
			sfncParseDictStrings(e)
		}
	}
}

// sfncDecodeText parses the remaining JSON text of payload fields (arrays,
// scalars) so both sides compare as values.
func sfncDecodeText(v any) {
	switch t := v.(type) {
	case map[string]any:
		for k, e := range t {
			if s, ok := e.(string); ok && sfncTextFields[k] {
				if p, ok := sfncDecode(s); ok {
					t[k] = p
				}
				continue
			}
			sfncDecodeText(e)
		}
	case []any:
		for _, e := range t {
			sfncDecodeText(e)
		}
	}
}

// sfncNormalise applies the case's literal and regex transformers and the
// global rules to a fogbank result.
//
// A literal token transformer applies only when its replacement occurs in
// the recording: where it does not, another transformer (LocalStack's
// resource_name, which numbers names) ran first, and the recorded
// placeholder matches the raw value.
func sfncNormalise(c *sfncCase, doc map[string]any, tokens map[string]string, smNames []string) map[string]any {
	recorded := string(mustJSON(c.Expect))
	wrapped := map[string]any{"doc": doc}
	sfncParseDictStrings(wrapped)
	text := string(mustJSON(wrapped["doc"]))
	for _, tr := range c.Normalisation.Transformers {
		if tr["type"] != "regex" {
			continue
		}
		re, _ := tr["regex"].(string)
		repl, _ := tr["replacement"].(string)
		if lit, _ := tr["regex_is_literal_token"].(bool); lit {
			if v, ok := tokens[re]; ok && v != "" && strings.Contains(recorded, repl) {
				text = strings.ReplaceAll(text, v, repl)
			}
			continue
		}
		if rx, err := regexp.Compile(re); err == nil {
			text = rx.ReplaceAllLiteralString(text, repl)
		}
	}
	for _, n := range smNames {
		text = strings.ReplaceAll(text, n, "<ArnPart_0idx>")
	}
	text = strings.ReplaceAll(text, "arn:aws:", "arn:<partition>:")
	text = strings.ReplaceAll(text, account, "111111111111")
	text = strings.ReplaceAll(text, region, "<region>")
	text = sfncISORE.ReplaceAllStringFunc(text, func(m string) string {
		if _, err := time.Parse(time.RFC3339Nano, m); err != nil {
			return m
		}
		return "date"
	})
	out, ok := sfncDecode(text)
	if !ok {
		return doc
	}
	m := out.(map[string]any)
	for _, tr := range c.Normalisation.Transformers {
		repl, _ := tr["replacement"].(string)
		if ref, _ := tr["reference"].(bool); ref || tr["type"] == "regex" || repl == "" || !strings.Contains(recorded, repl) {
			continue
		}
		key, _ := tr["key"].(string)
		if p, ok := tr["jsonpath"].(string); ok {
			key = p[strings.LastIndex(p, ".")+1:]
			if parent := strings.TrimSuffix(strings.TrimPrefix(p, "$.."), "."+key); strings.HasSuffix(parent, "EventDetails") {
				// Written against the snapshot's events; the execution's
				// output mirrors executionSucceededEventDetails.output.
				if _, ok := m[key]; ok && parent == "executionSucceededEventDetails" {
					m[key] = repl
				}
				sfncSetDetails(m, parent, key, repl)
				continue
			}
		}
		if key != "" {
			sfncSet(m, key, repl)
		}
	}
	sfncDecodeText(m)
	return m
}

// sfncSetDetails sets a field of the details of every history event of
// one details kind.
func sfncSetDetails(doc map[string]any, detailsKey, field string, v any) {
	events, _ := doc["history"].([]any)
	for _, e := range events {
		m, _ := e.(map[string]any)
		if d, ok := m["details"].(map[string]any); ok && m["detailsKey"] == detailsKey {
			if _, has := d[field]; has {
				d[field] = v
			}
		}
	}
}

// sfncSet sets every member named key to v.
func sfncSet(x any, key string, v any) {
	switch t := x.(type) {
	case map[string]any:
		for k, e := range t {
			if k == key {
				t[k] = v
				continue
			}
			sfncSet(e, key, v)
		}
	case []any:
		for _, e := range t {
			sfncSet(e, key, v)
		}
	}
}

// sfncRedriveLaunch is the day AWS launched execution redrive, which added
// $$.Execution.RedriveCount and DescribeExecution's Redrive* fields:
// recordings made before it lack them.
const sfncRedriveLaunch = "2023-11-15"

// sfncCompare compares the recorded result with fogbank's, leaving out the
// unverified paths, and describes the first difference.
func sfncCompare(c *sfncCase, want, got map[string]any) string {
	w := sfncClone(want)
	sfncDecodeText(w)
	loose := sfncLooseNames(c)
	for _, p := range c.Normalisation.UnverifiedPaths {
		if key, ok := strings.CutPrefix(p, "$.."); ok && !strings.ContainsAny(key, ".[") {
			sfncDrop(w, key)
			sfncDrop(got, key)
		}
	}
	if c.Recorded < sfncRedriveLaunch {
		for _, key := range []string{"RedriveCount", "RedriveStatus", "RedriveStatusReason"} {
			sfncDrop(got, key)
		}
	}
	if c.Normalisation.ParallelEventsUnordered {
		if h, ok := got["history"].([]any); ok {
			got["history"] = sfncUnorderParallel(h)
		}
		for _, doc := range []map[string]any{w, got} {
			if h, ok := doc["history"].([]any); ok {
				sfncSortUnordered(h)
			}
		}
	}
	return sfncDiff("$", w, got, loose)
}

// sfncUnorderParallel applies parallelEventsUnordered as LocalStack did:
// the events between a ParallelStateStarted and the event ending it get id
// [0] and previousEventId 0, and the ending event itself is dropped.
func sfncUnorderParallel(events []any) []any {
	out := make([]any, 0, len(events))
	for i := 0; i < len(events); i++ {
		out = append(out, events[i])
		if sfncType(events[i]) != "ParallelStateStarted" {
			continue
		}
		j, depth, retried := i+1, 0, false
	scan:
		for ; j < len(events); j++ {
			t := sfncType(events[j])
			switch {
			case t == "ParallelStateStarted" && depth == 0 && sfncType(events[j-1]) != "ParallelStateEntered":
				// The state's next attempt (Retry): it starts a run of its
				// own and is kept.
				retried = true
				break scan
			case t == "ParallelStateStarted":
				depth++
			case sfncEnds(events[j]) && depth == 0:
				break scan
			case sfncEnds(events[j]) && t != "ParallelStateExited":
				depth--
			}
		}
		for _, e := range events[i+1 : min(j, len(events))] {
			m := e.(map[string]any)
			m["id"] = []any{json.Number("0")}
			m["previousEventId"] = json.Number("0")
			out = append(out, m)
		}
		i = j
		if retried {
			i = j - 1
		}
	}
	return out
}

// sfncSortUnordered sorts each run of unordered (id [0]) events by JSON,
// so both sides list them alike.
func sfncSortUnordered(events []any) {
	zero := func(e any) bool {
		m, _ := e.(map[string]any)
		l, ok := m["id"].([]any)
		return ok && len(l) == 1
	}
	for i := 0; i < len(events); {
		if !zero(events[i]) {
			i++
			continue
		}
		j := i
		for j < len(events) && zero(events[j]) {
			j++
		}
		run := events[i:j]
		sort.SliceStable(run, func(a, b int) bool { return string(mustJSON(run[a])) < string(mustJSON(run[b])) })
		i = j
	}
}

func sfncEnds(e any) bool {
	switch sfncType(e) {
	case "ParallelStateSucceeded", "ParallelStateFailed", "ParallelStateAborted", "ParallelStateExited":
		return true
	}
	return false
}

func sfncType(e any) string {
	m, _ := e.(map[string]any)
	s, _ := m["type"].(string)
	return s
}

func sfncClone(v map[string]any) map[string]any {
	out, _ := sfncDecode(string(mustJSON(v)))
	return out.(map[string]any)
}

// sfncLooseNames are the replacement names of reference transformers.
func sfncLooseNames(c *sfncCase) []string {
	var names []string
	for _, tr := range c.Normalisation.Transformers {
		if tr["type"] == "jsonpath" || tr["type"] == "key_value" {
			if s, ok := tr["replacement"].(string); ok && s != "" {
				names = append(names, s)
			}
		}
	}
	sort.Slice(names, func(i, j int) bool { return len(names[i]) > len(names[j]) })
	return names
}

func sfncDrop(v any, key string) {
	switch t := v.(type) {
	case map[string]any:
		delete(t, key)
		for _, e := range t {
			sfncDrop(e, key)
		}
	case []any:
		for _, e := range t {
			sfncDrop(e, key)
		}
	}
}

func sfncDiff(path string, want, got any, loose []string) string {
	switch w := want.(type) {
	case map[string]any:
		g, ok := got.(map[string]any)
		if !ok {
			return fmt.Sprintf("%s: want an object, got %s", path, trunc(got))
		}
		keys := map[string]bool{}
		for k := range w {
			keys[k] = true
		}
		for k := range g {
			keys[k] = true
		}
		sorted := make([]string, 0, len(keys))
		for k := range keys {
			sorted = append(sorted, k)
		}
		sort.Strings(sorted)
		for _, k := range sorted {
			wv, wok := w[k]
			gv, gok := g[k]
			switch {
			case !wok:
				return fmt.Sprintf("%s.%s: unexpected %s", path, k, trunc(gv))
			case !gok:
				return fmt.Sprintf("%s.%s: missing, want %s", path, k, trunc(wv))
			}
			if d := sfncDiff(path+"."+k, wv, gv, loose); d != "" {
				return d
			}
		}
		return ""
	case []any:
		g, ok := got.([]any)
		if ok && len(g) != len(w) && path == "$.history" {
			return fmt.Sprintf("%s: want events %v, got %v", path, sfncTypes(w), sfncTypes(g))
		}
		if !ok || len(g) != len(w) {
			return fmt.Sprintf("%s: want %d items %s, got %s", path, len(w), trunc(w), trunc(got))
		}
		for i := range w {
			if d := sfncDiff(fmt.Sprintf("%s[%d]", path, i), w[i], g[i], loose); d != "" {
				return d
			}
		}
		return ""
	case json.Number:
		if g, ok := got.(json.Number); ok && sfncSameNumber(w, g) {
			return ""
		}
	case string:
		if sfncStringMatches(w, got, loose) {
			return ""
		}
	default:
		if fmt.Sprint(want) == fmt.Sprint(got) {
			return ""
		}
	}
	return fmt.Sprintf("%s: want %s, got %s", path, trunc(want), trunc(got))
}

func sfncSameNumber(a, b json.Number) bool {
	p, _, e1 := big.ParseFloat(string(a), 10, 200, big.ToNearestEven)
	q, _, e2 := big.ParseFloat(string(b), 10, 200, big.ToNearestEven)
	return e1 == nil && e2 == nil && p.Cmp(q) == 0
}

// sfncStringMatches compares a recorded string: placeholders and reference
// replacement names match any text (strings and numbers alike).
func sfncStringMatches(want string, got any, loose []string) bool {
	g, ok := got.(string)
	if !ok {
		if n, isNum := got.(json.Number); isNum {
			g = string(n)
		} else {
			return false
		}
	}
	if want == g {
		return true
	}
	pattern := regexp.QuoteMeta(want)
	for _, m := range sfncPlaceRE.FindAllString(want, -1) {
		pattern = strings.ReplaceAll(pattern, regexp.QuoteMeta(m), "(?s:.*)")
	}
	for _, n := range loose {
		pattern = strings.ReplaceAll(pattern, regexp.QuoteMeta(n), "(?s:.*)")
	}
	if pattern == regexp.QuoteMeta(want) {
		return false
	}
	re, err := regexp.Compile("^" + pattern + "$")
	return err == nil && re.MatchString(g)
}

// sfncTypes lists the types of history events.
func sfncTypes(events []any) []any {
	out := make([]any, len(events))
	for i, e := range events {
		m, _ := e.(map[string]any)
		out[i] = m["type"]
	}
	return out
}

func trunc(v any) string {
	s := string(mustJSON(v))
	if len(s) > 300 {
		return s[:300] + "..."
	}
	return s
}
