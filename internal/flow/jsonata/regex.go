package jsonata

import (
	"regexp"
	"strings"
	"unicode/utf16"
	"unicode/utf8"
)

// jsRegex is a JavaScript regular expression literal translated to Go's
// RE2 syntax.
type jsRegex struct {
	source string
	flags  string
	re     *regexp.Regexp
	// anchored matches only at the start of its input: it finds the match
	// JavaScript's exec would report at a given lastIndex
	anchored *regexp.Regexp
}

// compileJSRegex translates pattern (JavaScript syntax) with flags (i, m).
func compileJSRegex(pattern, flags string) (*jsRegex, *Error) {
	goPat, err := translateRegex(pattern)
	if err != nil {
		return nil, err
	}
	prefix := ""
	if strings.Contains(flags, "i") {
		prefix += "i"
	}
	if strings.Contains(flags, "m") {
		prefix += "m"
	}
	if prefix != "" {
		goPat = "(?" + prefix + ")" + goPat
	}
	re, cerr := regexp.Compile(goPat)
	if cerr != nil {
		return nil, errMsg("S0303", "Invalid regular expression: /"+pattern+"/: "+cerr.Error())
	}
	anchored, cerr := regexp.Compile(`\A(?:` + goPat + `)`)
	if cerr != nil {
		return nil, errMsg("S0303", "Invalid regular expression: /"+pattern+"/: "+cerr.Error())
	}
	return &jsRegex{source: pattern, flags: flags, re: re, anchored: anchored}, nil
}

func unsupported(pattern, what string) *Error {
	return errMsg("S0303", "Unsupported regular expression construct in /"+pattern+"/: "+what)
}

// translateRegex rewrites the JavaScript constructs RE2 spells differently
// and rejects the ones it lacks.
func translateRegex(p string) (string, *Error) {
	var b strings.Builder
	inClass := false
	for i := 0; i < len(p); i++ {
		c := p[i]
		switch {
		case c == '\\' && i+1 < len(p):
			n := p[i+1]
			switch {
			case n >= '1' && n <= '9' && !inClass:
				return "", unsupported(p, "backreference \\"+string(n))
			case n == 'k' && i+2 < len(p) && p[i+2] == '<':
				return "", unsupported(p, "named backreference")
			case n == 'u' && i+5 < len(p) && isHex(p[i+2:i+6]):
				b.WriteString(`\x{` + p[i+2:i+6] + `}`)
				i += 5
				continue
			case n == 'u' && i+2 < len(p) && p[i+2] == '{':
				end := strings.IndexByte(p[i:], '}')
				if end > 0 && isHex(p[i+3:i+end]) {
					b.WriteString(`\x{` + p[i+3:i+end] + `}`)
					i += end
					continue
				}
			case n == 'c' && i+2 < len(p):
				b.WriteString(`\x{` + string("0123456789abcdef"[(p[i+2]%32)>>4]) + string("0123456789abcdef"[(p[i+2]%32)&15]) + `}`)
				i += 2
				continue
			case n == '/':
				b.WriteByte('/')
				i++
				continue
			case n == '0':
				b.WriteString(`\x00`)
				i++
				continue
			case n == 'd' || n == 'D' || n == 'w' || n == 'W' || n == 's' || n == 'S' || n == 'b' || n == 'B' ||
				n == 'n' || n == 'r' || n == 't' || n == 'f' || n == 'v' || n == 'x':
				b.WriteByte('\\')
				b.WriteByte(n)
				i++
				continue
			case isPunct(n):
				b.WriteByte('\\')
				b.WriteByte(n)
				i++
				continue
			}
			// an identity escape of a letter: the letter itself
			r, size := utf8.DecodeRuneInString(p[i+1:])
			b.WriteString(regexp.QuoteMeta(string(r)))
			i += size
		case inClass:
			if c == ']' {
				inClass = false
			} else if c == '[' {
				b.WriteString(`\[`)
				continue
			}
			b.WriteByte(c)
		case c == '[':
			if strings.HasPrefix(p[i:], "[^]") {
				b.WriteString(`[\x{0}-\x{10FFFF}]`)
				i += 2
				continue
			}
			if strings.HasPrefix(p[i:], "[]") {
				b.WriteString(`[^\x{0}-\x{10FFFF}]`)
				i++
				continue
			}
			inClass = true
			b.WriteByte(c)
			if i+1 < len(p) && p[i+1] == '^' {
				b.WriteByte('^')
				i++
			}
			if i+1 < len(p) && p[i+1] == ']' {
				b.WriteString(`\]`)
				i++
			}
		case c == '(' && strings.HasPrefix(p[i:], "(?="):
			return "", unsupported(p, "lookahead (?=")
		case c == '(' && strings.HasPrefix(p[i:], "(?!"):
			return "", unsupported(p, "negative lookahead (?!")
		case c == '(' && strings.HasPrefix(p[i:], "(?<="):
			return "", unsupported(p, "lookbehind (?<=")
		case c == '(' && strings.HasPrefix(p[i:], "(?<!"):
			return "", unsupported(p, "negative lookbehind (?<!")
		default:
			b.WriteByte(c)
		}
	}
	return b.String(), nil
}

func isHex(s string) bool {
	if s == "" {
		return false
	}
	for i := 0; i < len(s); i++ {
		c := s[i]
		if !(c >= '0' && c <= '9' || c >= 'a' && c <= 'f' || c >= 'A' && c <= 'F') {
			return false
		}
	}
	return true
}

func isPunct(c byte) bool { return strings.IndexByte(`^$\.*+?()[]{}|-/,:;=!<>#&~'"%@`+"`", c) >= 0 }

// matcher is the function value a regex literal evaluates to.
type matcher struct {
	re  *jsRegex
	pos int
}

func (m *matcher) arity() int { return 2 }

// regexMatch is one match; offsets are byte offsets into the string.
type regexMatch struct {
	match      string
	start, end int
	groups     []any
}

// matchIter yields the matches of a regex as jsonata-js's matcher closure
// and its next() do, including D1004 for zero-length matches after the first.
type matchIter struct {
	str  string
	all  [][]int
	i    int
	last *regexMatch
	pos  int
	re   *jsRegex
}

func (m *matcher) iter(str string) *matchIter {
	return &matchIter{str: str, all: m.re.re.FindAllStringSubmatchIndex(str, -1), i: -1, pos: m.pos, re: m.re}
}

func (it *matchIter) mk(loc []int) *regexMatch {
	r := &regexMatch{match: it.str[loc[0]:loc[1]], start: loc[0], end: loc[1]}
	for g := 1; g < len(loc)/2; g++ {
		if loc[2*g] < 0 {
			r.groups = append(r.groups, Undefined)
			continue
		}
		r.groups = append(r.groups, it.str[loc[2*g]:loc[2*g+1]])
	}
	return r
}

// next returns the next match, nil when there is none.
func (it *matchIter) next() (*regexMatch, error) {
	if it.i < 0 {
		it.i = 0
		if len(it.all) == 0 {
			return nil, nil
		}
		it.last = it.mk(it.all[0])
		return it.last, nil
	}
	if it.last == nil || it.last.end >= len(it.str) {
		it.last = nil
		return nil, nil
	}
	if it.last.match == "" {
		return nil, &Error{Code: "D1004", Position: it.pos}
	}
	it.i++
	// Go skips an empty match right after the previous one; JavaScript
	// finds it (and jsonata-js rejects it)
	if e := it.last.end; it.i >= len(it.all) || it.all[it.i][0] != e {
		if loc := it.re.anchored.FindStringIndex(it.str[e:]); loc != nil && loc[1] == 0 {
			return nil, &Error{Code: "D1004", Position: it.pos}
		}
	}
	if it.i >= len(it.all) {
		it.last = nil
		return nil, nil
	}
	it.last = it.mk(it.all[it.i])
	if it.last.match == "" {
		return nil, &Error{Code: "D1004", Position: it.pos}
	}
	return it.last, nil
}

// utf16Index converts a byte offset in s to a JavaScript string index.
func utf16Index(s string, byteOff int) int {
	n := 0
	for _, r := range s[:byteOff] {
		n += len(utf16.Encode([]rune{r}))
	}
	return n
}

// callMatcher invokes a regex as a function: /re/(str) returns the first
// match object {match, start, end, groups, next}.
func (ev *evaluator) callMatcher(m *matcher, args []any) (any, error) {
	s := jsToStringValue(argAt(args, 0))
	it := m.iter(s)
	r, err := it.next()
	if err != nil || r == nil {
		return Undefined, err
	}
	return matchObject(it, r), nil
}

func matchObject(it *matchIter, r *regexMatch) *object {
	o := newObject(5)
	o.set("match", r.match)
	o.set("start", float64(utf16Index(it.str, r.start)))
	o.set("end", float64(utf16Index(it.str, r.end)))
	o.set("groups", &array{items: append([]any{}, r.groups...)})
	o.set("next", &native{name: "next", impl: func(ev *evaluator, _ []any, _ *callCtx) (any, error) {
		n, err := it.next()
		if err != nil || n == nil {
			return Undefined, err
		}
		return matchObject(it, n), nil
	}})
	return o
}

// jsToStringValue is JavaScript's String(v), which RegExp.exec applies to
// its argument.
func jsToStringValue(v any) string {
	switch x := v.(type) {
	case string:
		return x
	case float64:
		return FormatNumber(x)
	case bool:
		if x {
			return "true"
		}
		return "false"
	case nil:
		return "null"
	case undefinedType:
		return "undefined"
	case *array:
		parts := make([]string, len(x.items))
		for i, it := range x.items {
			if it == nil || isUndef(it) {
				continue
			}
			parts[i] = jsToStringValue(it)
		}
		return strings.Join(parts, ",")
	}
	return "[object Object]"
}
