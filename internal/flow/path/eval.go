package path

import (
	"encoding/json"
	"errors"
	"fmt"
	"sort"
	"strconv"
	"strings"

	"github.com/fogbank/fogbank/internal/flow/intrinsic/lang"
)

// ErrNotFound is wrapped by every error reporting that a path matched
// nothing or could not be followed.
var ErrNotFound = errors.New("path not found")

// NotFoundError reports a definite path that does not resolve. Reason is
// Jayway JsonPath's message, which AWS quotes: "Missing property in path
// $['a']", "No results for path: $['a']['b']", ...
type NotFoundError struct {
	Path   string // the path as written
	Reason string
}

// Error returns AWS's cause text for an InputPath/OutputPath/ItemsPath
// failure: "Invalid path '$.a.b' : Missing property in path $['a']".
func (e *NotFoundError) Error() string {
	return "Invalid path '" + e.Path + "' : " + e.Reason
}

// Unwrap returns ErrNotFound.
func (e *NotFoundError) Unwrap() error { return ErrNotFound }

// jsonProvider is the Jayway JSON provider whose class name Jayway puts in
// its "not a json object" message.
const jsonProvider = "com.jayway.jsonpath.spi.json.JsonSmartJsonProvider"

// Get evaluates the path against doc. A definite path returns the value it
// identifies or a *NotFoundError; an indefinite path returns the list of its
// matches ([]any, possibly empty) and never fails. Get ignores the path's
// root: the caller passes the document the root stands for (see Env).
func (p *Path) Get(doc any) (any, error) {
	if p.definite {
		return p.getDefinite(doc)
	}
	out := []any{}
	collect(p.segs, doc, doc, &out)
	return out, nil
}

func (p *Path) notFound(reason string) error {
	return &NotFoundError{Path: p.src, Reason: reason}
}

func (p *Path) getDefinite(doc any) (any, error) {
	cur := "$"
	n := doc
	for i, sg := range p.segs {
		leaf := i == len(p.segs)-1
		switch sg.kind {
		case segProp:
			m, ok := n.(map[string]any)
			if !ok {
				return nil, p.notFound(fmt.Sprintf(
					"Expected to find an object with property %s in path %s but found '%s'. "+
						"This is not a json object according to the JsonProvider: '%s'.",
					fragment(sg), cur, javaClass(n), jsonProvider))
			}
			if len(sg.names) > 1 { // Jayway merges a multi-name leaf into an object
				merged := map[string]any{}
				for _, name := range sg.names {
					if v, ok := m[name]; ok {
						merged[name] = v
					}
				}
				return merged, nil
			}
			v, ok := m[sg.names[0]]
			if !ok {
				if leaf {
					return nil, p.notFound("No results for path: " + canonical(p.segs))
				}
				return nil, p.notFound("Missing property in path " + cur + fragment(sg))
			}
			cur += fragment(sg)
			n = v
		case segIndex:
			if n == nil {
				return nil, p.notFound("The path " + cur + " is null")
			}
			arr, ok := n.([]any)
			if !ok {
				return nil, p.notFound("Filter: " + canonicalFrom(p.segs[i:]) +
					" can only be applied to arrays. Current context is: " + lang.JSON(n))
			}
			idx := sg.indexes[0]
			if idx < 0 {
				idx += len(arr)
			}
			if idx < 0 || idx >= len(arr) {
				return nil, p.notFound("No results for path: " + canonical(p.segs))
			}
			cur += fragment(sg)
			n = arr[idx]
		default: // a function: AWS does not evaluate JSONPath functions
			return nil, p.notFound("Function " + sg.fn + "() is not supported")
		}
	}
	return n, nil
}

// collect appends every match of segs under n to out (indefinite paths).
func collect(segs []segment, n, root any, out *[]any) {
	if len(segs) == 0 {
		*out = append(*out, n)
		return
	}
	sg := segs[0]
	if !sg.scan {
		apply(sg, segs[1:], n, root, out)
		return
	}
	sg.scan = false
	walk(n, func(v any) { apply(sg, segs[1:], v, root, out) })
}

// walk calls f on n and every value below it, parents first, object keys in
// sorted order.
func walk(n any, f func(any)) {
	f(n)
	switch t := n.(type) {
	case map[string]any:
		for _, k := range sortedKeys(t) {
			walk(t[k], f)
		}
	case []any:
		for _, e := range t {
			walk(e, f)
		}
	}
}

func apply(sg segment, rest []segment, n, root any, out *[]any) {
	switch sg.kind {
	case segProp:
		m, ok := n.(map[string]any)
		if !ok {
			return
		}
		if len(sg.names) > 1 && len(rest) == 0 {
			merged := map[string]any{}
			for _, name := range sg.names {
				if v, ok := m[name]; ok {
					merged[name] = v
				}
			}
			*out = append(*out, merged)
			return
		}
		for _, name := range sg.names {
			if v, ok := m[name]; ok {
				collect(rest, v, root, out)
			}
		}
	case segIndex:
		arr, ok := n.([]any)
		if !ok {
			return
		}
		for _, idx := range sg.indexes {
			if idx < 0 {
				idx += len(arr)
			}
			if idx >= 0 && idx < len(arr) {
				collect(rest, arr[idx], root, out)
			}
		}
	case segSlice:
		arr, ok := n.([]any)
		if !ok {
			return
		}
		from, to := sliceBounds(sg, len(arr))
		for i := from; i < to; i++ {
			collect(rest, arr[i], root, out)
		}
	case segWild:
		switch t := n.(type) {
		case map[string]any:
			for _, k := range sortedKeys(t) {
				collect(rest, t[k], root, out)
			}
		case []any:
			for _, e := range t {
				collect(rest, e, root, out)
			}
		}
	case segFilter:
		switch t := n.(type) {
		case map[string]any:
			if sg.filter.test(t, root) {
				collect(rest, t, root, out)
			}
		case []any:
			for _, e := range t {
				if sg.filter.test(e, root) {
					collect(rest, e, root, out)
				}
			}
		}
	case segFunc:
	}
}

// sliceBounds applies Jayway's slice rules: negative bounds count from the
// end, and bounds are clamped to the array.
func sliceBounds(sg segment, n int) (from, to int) {
	from, to = 0, n
	if sg.hasFrom {
		from = sg.from
		if from < 0 {
			from = max(n+from, 0)
		}
	}
	if sg.hasTo {
		to = sg.to
		if to < 0 {
			to = n + to
		}
	}
	to = max(min(to, n), 0)
	from = min(from, to)
	return from, to
}

func sortedKeys(m map[string]any) []string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	return keys
}

// canonical renders segments the way Jayway prints a path: $['a'][0].
func canonical(segs []segment) string { return "$" + canonicalFrom(segs) }

func canonicalFrom(segs []segment) string {
	var b strings.Builder
	for _, sg := range segs {
		if sg.scan {
			b.WriteString("..")
		}
		b.WriteString(fragment(sg))
	}
	return b.String()
}

func fragment(sg segment) string {
	switch sg.kind {
	case segProp:
		return "['" + strings.Join(sg.names, "','") + "']"
	case segIndex:
		parts := make([]string, len(sg.indexes))
		for i, n := range sg.indexes {
			parts[i] = strconv.Itoa(n)
		}
		return "[" + strings.Join(parts, ",") + "]"
	case segSlice:
		var from, to string
		if sg.hasFrom {
			from = strconv.Itoa(sg.from)
		}
		if sg.hasTo {
			to = strconv.Itoa(sg.to)
		}
		return "[" + from + ":" + to + "]"
	case segWild:
		return "[*]"
	case segFilter:
		return "[?]"
	}
	return "." + sg.fn + "()"
}

// javaClass names the Java class Jayway's JSON provider would hold for v.
func javaClass(v any) string {
	switch t := v.(type) {
	case nil:
		return "null"
	case string:
		return "java.lang.String"
	case bool:
		return "java.lang.Boolean"
	case []any:
		return "net.minidev.json.JSONArray"
	case json.Number:
		if strings.ContainsAny(string(t), ".eE") {
			return "java.lang.Double"
		}
		n, err := strconv.ParseInt(string(t), 10, 64)
		switch {
		case err != nil:
			return "java.math.BigInteger"
		case n >= -1<<31 && n < 1<<31:
			return "java.lang.Integer"
		}
		return "java.lang.Long"
	}
	return "java.lang.Object"
}
