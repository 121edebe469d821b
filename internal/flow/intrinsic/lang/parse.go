package lang

import (
	"encoding/json"
	"strings"
)

type argKind int

const (
	argString argKind = iota
	argNumber
	argBool
	argNull
	argPath
	argCall
)

// Arg is one argument of a call.
type Arg struct {
	kind argKind
	str  string // unescaped string literal, or the path text
	raw  string // string literal as written between the quotes (escapes kept)
	num  json.Number
	b    bool
	call *Call
}

// Call is a parsed intrinsic function call. It is immutable and safe for
// concurrent use.
type Call struct {
	name string
	fn   *function
	args []Arg
	src  string
}

// Name returns the function name, for example "States.Format".
func (c *Call) Name() string { return c.name }

// String returns the call as written.
func (c *Call) String() string { return c.src }

// Parse parses an intrinsic function call. checkPath validates each path
// argument (it returns an error for a path AWS would reject); it may be nil.
// Unknown functions, wrong argument counts, illegal escapes in string literals
// and nesting deeper than MaxNesting are parse errors, as in AWS's definition
// validation.
func Parse(expr string, checkPath func(string) error) (*Call, error) {
	p := &parser{src: expr, checkPath: checkPath}
	p.skipSpace()
	c, err := p.call(1)
	if err != nil {
		return nil, err
	}
	p.skipSpace()
	if p.pos != len(p.src) {
		return nil, p.fail("unexpected text after the call")
	}
	return c, nil
}

type parser struct {
	src       string
	pos       int
	checkPath func(string) error
}

func (p *parser) fail(reason string) error {
	return &SyntaxError{Expr: p.src, Reason: reason}
}

func (p *parser) skipSpace() {
	for p.pos < len(p.src) && isSpace(p.src[p.pos]) {
		p.pos++
	}
}

func isSpace(c byte) bool { return c == ' ' || c == '\t' || c == '\n' || c == '\r' }

func (p *parser) peek() byte {
	if p.pos < len(p.src) {
		return p.src[p.pos]
	}
	return 0
}

func (p *parser) call(depth int) (*Call, error) {
	if depth > MaxNesting {
		return nil, p.fail("intrinsic functions nested more than 10 deep")
	}
	start := p.pos
	if !strings.HasPrefix(p.src[p.pos:], Prefix) {
		return nil, p.fail("expected States.<function>(")
	}
	p.pos += len(Prefix)
	for p.pos < len(p.src) && isIdent(p.src[p.pos]) {
		p.pos++
	}
	name := p.src[start:p.pos]
	fn := lookup(name)
	if fn == nil {
		return nil, p.fail("unknown function " + name)
	}
	p.skipSpace()
	if p.peek() != '(' {
		return nil, p.fail("expected ( after " + name)
	}
	p.pos++
	args, err := p.args(depth)
	if err != nil {
		return nil, err
	}
	if len(args) < fn.minArgs || (fn.maxArgs >= 0 && len(args) > fn.maxArgs) {
		return nil, p.fail("wrong number of arguments for " + name)
	}
	return &Call{name: name, fn: fn, args: args, src: p.src[start:p.pos]}, nil
}

func isIdent(c byte) bool {
	return c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9'
}

func (p *parser) args(depth int) ([]Arg, error) {
	var args []Arg
	p.skipSpace()
	if p.peek() == ')' {
		p.pos++
		return args, nil
	}
	for {
		p.skipSpace()
		a, err := p.arg(depth)
		if err != nil {
			return nil, err
		}
		args = append(args, a)
		p.skipSpace()
		switch p.peek() {
		case ',':
			p.pos++
		case ')':
			p.pos++
			return args, nil
		default:
			return nil, p.fail("expected , or ) after an argument")
		}
	}
}

func (p *parser) arg(depth int) (Arg, error) {
	c := p.peek()
	switch {
	case c == '\'':
		return p.stringLit()
	case c == '$':
		return p.pathArg()
	case c == 'S':
		sub, err := p.call(depth + 1)
		if err != nil {
			return Arg{}, err
		}
		return Arg{kind: argCall, call: sub}, nil
	case c == '-' || c >= '0' && c <= '9':
		return p.number()
	}
	for _, kw := range []string{"true", "false", "null"} {
		if strings.HasPrefix(p.src[p.pos:], kw) {
			p.pos += len(kw)
			if kw == "null" {
				return Arg{kind: argNull}, nil
			}
			return Arg{kind: argBool, b: kw == "true"}, nil
		}
	}
	return Arg{}, p.fail("invalid argument")
}

// stringLit reads a single-quoted literal. The only escapes are \' \{ \} and
// \\; any other backslash sequence is illegal, as in AWS.
func (p *parser) stringLit() (Arg, error) {
	p.pos++ // opening quote
	start := p.pos
	var b strings.Builder
	for p.pos < len(p.src) {
		c := p.src[p.pos]
		switch c {
		case '\'':
			raw := p.src[start:p.pos]
			p.pos++
			return Arg{kind: argString, str: b.String(), raw: raw}, nil
		case '\\':
			if p.pos+1 >= len(p.src) {
				return Arg{}, p.fail("unterminated string literal")
			}
			n := p.src[p.pos+1]
			if n != '\'' && n != '{' && n != '}' && n != '\\' {
				return Arg{}, p.fail("illegal escape sequence in string literal")
			}
			b.WriteByte(n)
			p.pos += 2
		default:
			b.WriteByte(c)
			p.pos++
		}
	}
	return Arg{}, p.fail("unterminated string literal")
}

// pathArg reads a path up to the next top-level , or ).
func (p *parser) pathArg() (Arg, error) {
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
			if depth > 0 {
				quote = c
			}
		case '[', '(':
			depth++
		case ']':
			depth--
		case ')':
			if depth == 0 {
				return p.finishPath(start)
			}
			depth--
		case ',':
			if depth == 0 {
				return p.finishPath(start)
			}
		}
	}
	return Arg{}, p.fail("unterminated call")
}

func (p *parser) finishPath(start int) (Arg, error) {
	text := strings.TrimRight(p.src[start:p.pos], " \t\r\n")
	if p.checkPath != nil {
		if err := p.checkPath(text); err != nil {
			return Arg{}, p.fail("invalid path argument " + text + ": " + err.Error())
		}
	}
	return Arg{kind: argPath, str: text}, nil
}

// number reads a JSON number (so "1." and ".5" are rejected).
func (p *parser) number() (Arg, error) {
	start := p.pos
	if p.peek() == '-' {
		p.pos++
	}
	digits := func() int {
		n := 0
		for p.pos < len(p.src) && p.src[p.pos] >= '0' && p.src[p.pos] <= '9' {
			p.pos++
			n++
		}
		return n
	}
	intStart := p.pos
	if digits() == 0 {
		return Arg{}, p.fail("invalid number")
	}
	if p.src[intStart] == '0' && p.pos-intStart > 1 {
		return Arg{}, p.fail("invalid number")
	}
	if p.peek() == '.' {
		p.pos++
		if digits() == 0 {
			return Arg{}, p.fail("invalid number")
		}
	}
	if c := p.peek(); c == 'e' || c == 'E' {
		p.pos++
		if c := p.peek(); c == '+' || c == '-' {
			p.pos++
		}
		if digits() == 0 {
			return Arg{}, p.fail("invalid number")
		}
	}
	return Arg{kind: argNumber, num: json.Number(p.src[start:p.pos])}, nil
}
