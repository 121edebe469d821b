package jsonata

import (
	"math"
	"strings"
	"unicode/utf8"
)

// toBoolean is fn.boolean; ok is false for undefined.
func toBoolean(v any) (bool, bool) {
	switch x := v.(type) {
	case undefinedType:
		return false, false
	case *array:
		switch len(x.items) {
		case 0:
			return false, true
		case 1:
			b, _ := toBoolean(x.items[0])
			return b, true
		}
		for _, it := range x.items {
			if b, _ := toBoolean(it); b {
				return true, true
			}
		}
		return false, true
	case string:
		return x != "", true
	case float64:
		return x != 0 && !math.IsNaN(x), true
	case *object:
		return len(x.keys) > 0, true
	case tuple:
		return len(x) > 0, true
	case bool:
		return x, true
	case callable:
		// functions reach fn.boolean wrapped as JavaScript functions: false
		return false, true
	}
	return false, true
}

// jsTruthy is JavaScript truthiness.
func jsTruthy(v any) bool {
	switch x := v.(type) {
	case undefinedType, nil:
		return false
	case bool:
		return x
	case float64:
		return x != 0 && !math.IsNaN(x)
	case string:
		return x != ""
	}
	return true
}

// toStringValue is fn.string for a defined argument.
func toStringValue(v any, prettify bool) (string, error) {
	switch x := v.(type) {
	case string:
		return x, nil
	case callable:
		return "", nil
	case float64:
		if math.IsInf(x, 0) || math.IsNaN(x) {
			return "", errVal("D3001", x)
		}
	case *array:
		if x.outerWrapper && len(x.items) > 0 {
			v = x.items[0]
		}
	}
	if f, ok := findInfinite(v, 0); ok {
		return "", errVal("D1001", f)
	}
	indent := ""
	if prettify {
		indent = "  "
	}
	var b strings.Builder
	writeJSON(&b, v, true, indent, "")
	return b.String(), nil
}

func fnString(_ *evaluator, args []any, _ *callCtx) (any, error) {
	if isUndef(args[0]) {
		return Undefined, nil
	}
	pretty, _ := args[1].(bool)
	return toStringValue(args[0], pretty)
}

func runesOf(s string) []rune { return []rune(s) }

// jsSliceIndex resolves a JavaScript slice index against length n.
func jsSliceIndex(f float64, n int) int {
	if math.IsNaN(f) {
		return 0
	}
	f = math.Trunc(f)
	if f < 0 {
		f += float64(n)
		if f < 0 {
			return 0
		}
		return int(f)
	}
	if f > float64(n) {
		return n
	}
	return int(f)
}

func fnSubstring(_ *evaluator, args []any, _ *callCtx) (any, error) {
	s, ok := args[0].(string)
	if !ok {
		return Undefined, nil
	}
	rs := runesOf(s)
	n := len(rs)
	start, _ := args[1].(float64)
	if float64(n)+start < 0 {
		start = 0
	}
	if l, ok := args[2].(float64); ok {
		if l <= 0 {
			return "", nil
		}
		end := start + l
		if start < 0 {
			end = float64(n) + start + l
		}
		a, b := jsSliceIndex(start, n), jsSliceIndex(end, n)
		if a >= b {
			return "", nil
		}
		return string(rs[a:b]), nil
	}
	return string(rs[jsSliceIndex(start, n):]), nil
}

func fnSubstringBefore(_ *evaluator, args []any, _ *callCtx) (any, error) {
	s, ok := args[0].(string)
	if !ok {
		return Undefined, nil
	}
	chars, _ := args[1].(string)
	if i := strings.Index(s, chars); i >= 0 {
		return s[:i], nil
	}
	return s, nil
}

func fnSubstringAfter(_ *evaluator, args []any, _ *callCtx) (any, error) {
	s, ok := args[0].(string)
	if !ok {
		return Undefined, nil
	}
	chars, _ := args[1].(string)
	if i := strings.Index(s, chars); i >= 0 {
		return s[i+len(chars):], nil
	}
	return s, nil
}

func strFn(f func(string) (any, error)) func(*evaluator, []any, *callCtx) (any, error) {
	return func(_ *evaluator, args []any, _ *callCtx) (any, error) {
		s, ok := args[0].(string)
		if !ok {
			return Undefined, nil
		}
		return f(s)
	}
}

func fnTrim(s string) (any, error) {
	var b strings.Builder
	inWS := false
	for _, r := range s {
		if r == ' ' || r == '\t' || r == '\n' || r == '\r' {
			if !inWS {
				b.WriteByte(' ')
			}
			inWS = true
			continue
		}
		inWS = false
		b.WriteRune(r)
	}
	out := b.String()
	out = strings.TrimPrefix(out, " ")
	out = strings.TrimSuffix(out, " ")
	return out, nil
}

func fnPad(_ *evaluator, args []any, _ *callCtx) (any, error) {
	s, ok := args[0].(string)
	if !ok {
		return Undefined, nil
	}
	width, _ := args[1].(float64)
	char, _ := args[2].(string)
	if char == "" {
		char = " "
	}
	padLen := math.Trunc(math.Abs(width)) - float64(utf8.RuneCountInString(s))
	if padLen <= 0 {
		return s, nil
	}
	if padLen > MaxSize {
		return nil, errMsg("U1003", "string too long")
	}
	cr := runesOf(char)
	pad := make([]rune, 0, int(padLen))
	for len(pad) < int(padLen) {
		pad = append(pad, cr[len(pad)%len(cr)])
	}
	if width > 0 {
		return s + string(pad), nil
	}
	return string(pad) + s, nil
}

// matchesOf iterates the matches of a matcher argument (a regex, or a
// function following the matcher protocol).
// byteOffset converts a JavaScript string index to a byte offset.
// parseLeadingInt is parseInt(s, 10) on a short digit string.
func fnJoin(_ *evaluator, args []any, _ *callCtx) (any, error) {
	a, ok := args[0].(*array)
	if !ok {
		return Undefined, nil
	}
	sep, _ := args[1].(string)
	parts := make([]string, len(a.items))
	for i, it := range a.items {
		parts[i], _ = it.(string)
	}
	return strings.Join(parts, sep), nil
}

// findInfinite finds an infinite number inside v (JSON.stringify's replacer
// in $string raises D1001 for it).
func findInfinite(v any, depth int) (float64, bool) {
	if depth > MaxDepth {
		return 0, false
	}
	switch x := v.(type) {
	case float64:
		return x, math.IsInf(x, 0)
	case *array:
		for _, it := range x.items {
			if f, ok := findInfinite(it, depth+1); ok {
				return f, true
			}
		}
	case *object:
		for _, k := range x.keys {
			if f, ok := findInfinite(x.m[k], depth+1); ok {
				return f, true
			}
		}
	}
	return 0, false
}
