package path

import (
	"encoding/json"
	"regexp"
	"strconv"
	"strings"

	"github.com/fogbank/fogbank/internal/flow/intrinsic/lang"
)

// node is a filter expression: [?(<node>)].
type node interface {
	test(item, root any) bool
}

type orNode struct{ l, r node }

func (n orNode) test(item, root any) bool { return n.l.test(item, root) || n.r.test(item, root) }

type andNode struct{ l, r node }

func (n andNode) test(item, root any) bool { return n.l.test(item, root) && n.r.test(item, root) }

type notNode struct{ x node }

func (n notNode) test(item, root any) bool { return !n.x.test(item, root) }

// existsNode is [?(@.x)]: true when the path matches something.
type existsNode struct{ o operand }

func (n existsNode) test(item, root any) bool {
	v, ok := n.o.value(item, root)
	if l, isList := v.([]any); ok && isList && !n.o.path.definite {
		return len(l) > 0
	}
	return ok
}

type relNode struct {
	op   string
	l, r operand
}

// operand is a literal, a regex or a path relative to @ (the item) or $.
type operand struct {
	lit      any
	re       *regexp.Regexp
	path     *Path
	relative bool
}

func (o operand) value(item, root any) (any, bool) {
	if o.path == nil {
		return o.lit, true
	}
	doc := root
	if o.relative {
		doc = item
	}
	if !o.path.definite {
		out := []any{}
		collect(o.path.segs, doc, root, &out)
		return out, true
	}
	v, err := o.path.getDefinite(doc)
	return v, err == nil
}

func (n relNode) test(item, root any) bool {
	l, lok := n.l.value(item, root)
	if n.op == "=~" {
		s, ok := l.(string)
		return lok && ok && n.r.re != nil && n.r.re.MatchString(s)
	}
	r, rok := n.r.value(item, root)
	if n.op == "!=" {
		return !(lok && rok && lang.Equal(l, r))
	}
	if !lok || !rok {
		return false
	}
	return relate(n.op, l, r)
}

func relate(op string, l, r any) bool {
	switch op {
	case "==":
		return lang.Equal(l, r)
	case "<", "<=", ">", ">=":
		c, ok := compare(l, r)
		if !ok {
			return false
		}
		switch op {
		case "<":
			return c < 0
		case "<=":
			return c <= 0
		case ">":
			return c > 0
		}
		return c >= 0
	case "in", "nin":
		in := contains(r, l)
		return in == (op == "in")
	case "contains":
		if s, ok := l.(string); ok {
			sub, ok := r.(string)
			return ok && strings.Contains(s, sub)
		}
		return contains(l, r)
	case "subsetof", "anyof", "noneof":
		return setRelation(op, l, r)
	case "size":
		size := -1
		switch t := l.(type) {
		case string:
			size = len([]rune(t))
		case []any:
			size = len(t)
		}
		c, ok := lang.CompareNumbers(json.Number(strconv.Itoa(size)), r)
		return size >= 0 && ok && c == 0
	case "empty":
		want, ok := r.(bool)
		if !ok {
			return false
		}
		switch t := l.(type) {
		case string:
			return (t == "") == want
		case []any:
			return (len(t) == 0) == want
		}
	}
	return false
}

func compare(l, r any) (int, bool) {
	if c, ok := lang.CompareNumbers(l, r); ok {
		return c, true
	}
	ls, ok1 := l.(string)
	rs, ok2 := r.(string)
	if ok1 && ok2 {
		return strings.Compare(ls, rs), true
	}
	return 0, false
}

func contains(list, v any) bool {
	arr, ok := list.([]any)
	if !ok {
		return false
	}
	for _, e := range arr {
		if lang.Equal(e, v) {
			return true
		}
	}
	return false
}

func setRelation(op string, l, r any) bool {
	la, ok1 := l.([]any)
	ra, ok2 := r.([]any)
	if !ok1 || !ok2 {
		return false
	}
	switch op {
	case "subsetof":
		for _, e := range la {
			if !contains(ra, e) {
				return false
			}
		}
		return true
	case "anyof":
		for _, e := range la {
			if contains(ra, e) {
				return true
			}
		}
		return false
	}
	for _, e := range la {
		if contains(ra, e) {
			return false
		}
	}
	return true
}

// filterParser parses the inside of [?( ... )] on the path parser's text.
type filterParser struct{ p *pathParser }

func (f *filterParser) or() (node, error) {
	l, err := f.and()
	if err != nil {
		return nil, err
	}
	for f.skip(); strings.HasPrefix(f.rest(), "||"); f.skip() {
		f.p.pos += 2
		r, err := f.and()
		if err != nil {
			return nil, err
		}
		l = orNode{l, r}
	}
	return l, nil
}

func (f *filterParser) and() (node, error) {
	l, err := f.unary()
	if err != nil {
		return nil, err
	}
	for f.skip(); strings.HasPrefix(f.rest(), "&&"); f.skip() {
		f.p.pos += 2
		r, err := f.unary()
		if err != nil {
			return nil, err
		}
		l = andNode{l, r}
	}
	return l, nil
}

func (f *filterParser) rest() string { return f.p.src[f.p.pos:] }

func (f *filterParser) skip() { f.p.skipSpace() }

func (f *filterParser) unary() (node, error) {
	f.skip()
	switch f.p.peek() {
	case '!':
		f.p.pos++
		x, err := f.unary()
		if err != nil {
			return nil, err
		}
		return notNode{x}, nil
	case '(':
		f.p.pos++
		x, err := f.or()
		if err != nil {
			return nil, err
		}
		f.skip()
		if f.p.peek() != ')' {
			return nil, f.p.fail("expected ) in filter")
		}
		f.p.pos++
		return x, nil
	}
	return f.relation()
}

var wordOps = []string{"subsetof", "contains", "noneof", "anyof", "empty", "size", "nin", "in"}

func (f *filterParser) relation() (node, error) {
	l, err := f.operand()
	if err != nil {
		return nil, err
	}
	f.skip()
	op := f.operator()
	if op == "" {
		if l.path == nil {
			return nil, f.p.fail("a filter needs a path or a comparison")
		}
		return existsNode{l}, nil
	}
	f.skip()
	var r operand
	if op == "=~" {
		r, err = f.regex()
	} else {
		r, err = f.operand()
	}
	if err != nil {
		return nil, err
	}
	return relNode{op: op, l: l, r: r}, nil
}

func (f *filterParser) operator() string {
	rest := f.rest()
	for _, op := range []string{"==", "!=", "<=", ">=", "=~", "<", ">"} {
		if strings.HasPrefix(rest, op) {
			f.p.pos += len(op)
			return op
		}
	}
	for _, op := range wordOps {
		if strings.HasPrefix(rest, op) && (len(rest) == len(op) || !isVarChar(rest[len(op)])) {
			f.p.pos += len(op)
			return op
		}
	}
	return ""
}

func (f *filterParser) operand() (operand, error) {
	p := f.p
	switch c := p.peek(); {
	case c == '@' || c == '$':
		p.pos++
		p.inFilter = true
		segs, err := p.segments()
		p.inFilter = false
		if err != nil {
			return operand{}, err
		}
		return operand{path: &Path{segs: segs, definite: definite(segs)}, relative: c == '@'}, nil
	case c == '\'' || c == '"':
		return f.quoted(c)
	case c == '[' || c == '{':
		return f.jsonLiteral()
	case c == '-' || c >= '0' && c <= '9':
		start := p.pos
		p.pos++
		for p.pos < len(p.src) && strings.IndexByte("0123456789.eE+-", p.src[p.pos]) >= 0 {
			p.pos++
		}
		num := json.Number(p.src[start:p.pos])
		if _, err := num.Float64(); err != nil {
			return operand{}, p.fail("invalid number in filter")
		}
		return operand{lit: num}, nil
	}
	for _, kw := range []string{"true", "false", "null"} {
		if strings.HasPrefix(f.rest(), kw) {
			p.pos += len(kw)
			switch kw {
			case "true":
				return operand{lit: true}, nil
			case "false":
				return operand{lit: false}, nil
			}
			return operand{lit: nil}, nil
		}
	}
	return operand{}, p.fail("invalid filter operand")
}

func (f *filterParser) quoted(q byte) (operand, error) {
	p := f.p
	p.pos++
	var b strings.Builder
	for p.pos < len(p.src) {
		c := p.src[p.pos]
		switch {
		case c == '\\' && p.pos+1 < len(p.src):
			b.WriteByte(p.src[p.pos+1])
			p.pos += 2
		case c == q:
			p.pos++
			return operand{lit: b.String()}, nil
		default:
			b.WriteByte(c)
			p.pos++
		}
	}
	return operand{}, p.fail("unterminated string in filter")
}

// jsonLiteral reads a JSON array or object written in a filter (single
// quotes allowed for strings, as Jayway's lenient parser does).
func (f *filterParser) jsonLiteral() (operand, error) {
	p := f.p
	start := p.pos
	depth := 0
	var quote byte
	for ; p.pos < len(p.src); p.pos++ {
		c := p.src[p.pos]
		if quote != 0 {
			if c == '\\' {
				p.pos++
			} else if c == quote {
				quote = 0
			}
			continue
		}
		switch c {
		case '\'', '"':
			quote = c
		case '[', '{':
			depth++
		case ']', '}':
			depth--
			if depth == 0 {
				p.pos++
				text := p.src[start:p.pos]
				v, ok := decodeLenient(text)
				if !ok {
					return operand{}, p.fail("invalid JSON literal in filter")
				}
				return operand{lit: v}, nil
			}
		}
	}
	return operand{}, p.fail("unterminated JSON literal in filter")
}

func decodeLenient(text string) (any, bool) {
	for _, t := range []string{text, strings.ReplaceAll(text, "'", `"`)} {
		dec := json.NewDecoder(strings.NewReader(t))
		dec.UseNumber()
		var v any
		if dec.Decode(&v) == nil {
			return v, true
		}
	}
	return nil, false
}

// regex reads /pattern/flags (flag i: case-insensitive). Like Java's
// matches(), the whole string must match.
func (f *filterParser) regex() (operand, error) {
	p := f.p
	if p.peek() != '/' {
		return operand{}, p.fail("=~ needs a /regex/")
	}
	p.pos++
	start := p.pos
	for p.pos < len(p.src) && p.src[p.pos] != '/' {
		if p.src[p.pos] == '\\' {
			p.pos++
		}
		p.pos++
	}
	if p.pos >= len(p.src) {
		return operand{}, p.fail("unterminated regex")
	}
	pattern := p.src[start:p.pos]
	p.pos++
	flags := ""
	for p.pos < len(p.src) && strings.IndexByte("imsx", p.src[p.pos]) >= 0 {
		if p.src[p.pos] != 'x' {
			flags += string(p.src[p.pos])
		}
		p.pos++
	}
	if flags != "" {
		pattern = "(?" + flags + ")" + pattern
	}
	re, err := regexp.Compile("^(?:" + pattern + ")$")
	if err != nil {
		return operand{}, p.fail("invalid regex: " + err.Error())
	}
	return operand{re: re}, nil
}
