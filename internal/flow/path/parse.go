package path

import (
	"errors"
	"fmt"
	"strconv"
	"strings"
)

// ErrSyntax is wrapped by every error reporting a path that does not parse.
var ErrSyntax = errors.New("invalid JSONPath")

// SyntaxError reports a path that does not parse, or a Reference Path that
// uses an operator Reference Paths do not allow.
type SyntaxError struct {
	Path   string
	Reason string
}

func (e *SyntaxError) Error() string {
	return fmt.Sprintf("invalid JSONPath %q: %s", e.Path, e.Reason)
}

// Unwrap returns ErrSyntax.
func (e *SyntaxError) Unwrap() error { return ErrSyntax }

// Root says what a path is evaluated against.
type Root int

// The roots of a path.
const (
	RootInput    Root = iota // $ — the state input
	RootContext              // $$ — the context object
	RootVariable             // $name — a variable
)

type segKind int

const (
	segProp   segKind = iota // names
	segIndex                 // indexes
	segSlice                 // from:to
	segWild                  // * or [*]
	segFilter                // [?(...)]
	segFunc                  // .name()
)

type segment struct {
	kind     segKind
	scan     bool // preceded by .. (deep scan)
	names    []string
	indexes  []int
	from, to int
	hasFrom  bool
	hasTo    bool
	filter   node
	fn       string
}

// Path is a compiled JSONPath. It is immutable and safe for concurrent use.
type Path struct {
	src      string
	root     Root
	variable string
	segs     []segment
	definite bool
}

// Parse compiles a JSONPath in AWS's dialect (see the package doc).
func Parse(s string) (*Path, error) {
	p := &pathParser{src: s}
	path, err := p.parse()
	if err != nil {
		return nil, err
	}
	return path, nil
}

// ParseReference compiles a Reference Path: a path that identifies a single
// node, written only with .name, ['name'] and [n] (AWS: the operators
// @ .. , : ? * and functions are not supported).
func ParseReference(s string) (*Path, error) {
	p, err := Parse(s)
	if err != nil {
		return nil, err
	}
	for _, sg := range p.segs {
		ok := !sg.scan && (sg.kind == segProp && len(sg.names) == 1 || sg.kind == segIndex && len(sg.indexes) == 1)
		if !ok {
			return nil, &SyntaxError{Path: s, Reason: "a Reference Path allows only .name, ['name'] and [n]"}
		}
	}
	return p, nil
}

// String returns the path as written.
func (p *Path) String() string { return p.src }

// Root returns what the path is evaluated against.
func (p *Path) Root() Root { return p.root }

// Variable returns the variable name of a $name path, or "".
func (p *Path) Variable() string { return p.variable }

// Definite reports whether the path selects a single node (only names and
// single indexes); an indefinite path yields a list.
func (p *Path) Definite() bool { return p.definite }

// IsRoot reports whether the path is just its root ($, $$ or $name).
func (p *Path) IsRoot() bool { return len(p.segs) == 0 }

type pathParser struct {
	src string
	pos int
	// inFilter: names also stop at operator characters.
	inFilter bool
}

func (p *pathParser) fail(reason string) error {
	return &SyntaxError{Path: p.src, Reason: reason}
}

func (p *pathParser) peek() byte {
	if p.pos < len(p.src) {
		return p.src[p.pos]
	}
	return 0
}

func (p *pathParser) parse() (*Path, error) {
	if p.peek() != '$' {
		return nil, p.fail("a path must start with $")
	}
	path := &Path{src: p.src}
	p.pos++
	switch c := p.peek(); {
	case c == '$':
		p.pos++
		path.root = RootContext
	case isVarStart(c):
		start := p.pos
		for p.pos < len(p.src) && isVarChar(p.src[p.pos]) {
			p.pos++
		}
		path.root = RootVariable
		path.variable = p.src[start:p.pos]
	}
	segs, err := p.segments()
	if err != nil {
		return nil, err
	}
	if p.pos != len(p.src) {
		return nil, p.fail(fmt.Sprintf("unexpected character %q at %d", p.src[p.pos], p.pos))
	}
	path.segs = segs
	path.definite = definite(segs)
	return path, nil
}

func isVarStart(c byte) bool {
	return c == '_' || c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z'
}

func isVarChar(c byte) bool { return isVarStart(c) || c >= '0' && c <= '9' }

func definite(segs []segment) bool {
	for i, sg := range segs {
		switch {
		case sg.scan:
			return false
		case sg.kind == segProp && len(sg.names) > 1 && i != len(segs)-1:
			return false
		case sg.kind == segIndex && len(sg.indexes) > 1:
			return false
		case sg.kind == segSlice, sg.kind == segWild, sg.kind == segFilter:
			return false
		}
	}
	return true
}

// segments reads segments until the text can no longer continue a path.
func (p *pathParser) segments() ([]segment, error) {
	var segs []segment
	for p.pos < len(p.src) {
		c := p.src[p.pos]
		if c != '.' && c != '[' {
			break
		}
		scan := false
		if c == '.' {
			p.pos++
			if p.peek() == '.' {
				p.pos++
				scan = true
			}
			if p.peek() != '[' {
				sg, err := p.dotSegment()
				if err != nil {
					return nil, err
				}
				sg.scan = scan
				segs = append(segs, sg)
				continue
			} else if !scan {
				return nil, p.fail("unexpected .[")
			}
		}
		sg, err := p.bracket()
		if err != nil {
			return nil, err
		}
		sg.scan = scan
		segs = append(segs, sg)
	}
	for i, sg := range segs {
		if sg.kind == segFunc && i != len(segs)-1 {
			return nil, p.fail("a function must end the path")
		}
	}
	return segs, nil
}

func (p *pathParser) nameStop(c byte) bool {
	switch c {
	case '.', '[', '(', ')', ' ', '\t', '\n', '\r', ']', ',':
		return true
	case '=', '!', '<', '>', '&', '|', '~':
		return p.inFilter
	}
	return false
}

func (p *pathParser) dotSegment() (segment, error) {
	if p.peek() == '*' {
		p.pos++
		return segment{kind: segWild}, nil
	}
	start := p.pos
	for p.pos < len(p.src) && !p.nameStop(p.src[p.pos]) {
		p.pos++
	}
	name := p.src[start:p.pos]
	if name == "" {
		return segment{}, p.fail("a path must not end with . or contain an empty name")
	}
	if p.peek() == '(' {
		if !strings.HasPrefix(p.src[p.pos:], "()") {
			return segment{}, p.fail("function arguments are not supported")
		}
		p.pos += 2
		return segment{kind: segFunc, fn: name}, nil
	}
	return segment{kind: segProp, names: []string{name}}, nil
}

func (p *pathParser) skipSpace() {
	for p.pos < len(p.src) && (p.src[p.pos] == ' ' || p.src[p.pos] == '\t') {
		p.pos++
	}
}

func (p *pathParser) bracket() (segment, error) {
	p.pos++ // [
	p.skipSpace()
	var sg segment
	var err error
	switch c := p.peek(); {
	case c == '\'' || c == '"':
		sg, err = p.names()
	case c == '*':
		p.pos++
		sg = segment{kind: segWild}
	case c == '?':
		sg, err = p.filterSegment()
	default:
		sg, err = p.indexes()
	}
	if err != nil {
		return segment{}, err
	}
	p.skipSpace()
	if p.peek() != ']' {
		return segment{}, p.fail("expected ]")
	}
	p.pos++
	return sg, nil
}

// names reads ['a'] or ['a','b']. Like AWS, a backslash only keeps the next
// character from closing the name; it is not removed.
func (p *pathParser) names() (segment, error) {
	var names []string
	for {
		q := p.peek()
		if q != '\'' && q != '"' {
			return segment{}, p.fail("expected a quoted name")
		}
		p.pos++
		start := p.pos
		for p.pos < len(p.src) && p.src[p.pos] != q {
			if p.src[p.pos] == '\\' {
				p.pos++
			}
			p.pos++
		}
		if p.pos >= len(p.src) {
			return segment{}, p.fail("unterminated quoted name")
		}
		names = append(names, p.src[start:p.pos])
		p.pos++
		p.skipSpace()
		if p.peek() != ',' {
			return segment{kind: segProp, names: names}, nil
		}
		p.pos++
		p.skipSpace()
	}
}

func (p *pathParser) integer() (int, bool) {
	start := p.pos
	if p.peek() == '-' {
		p.pos++
	}
	for p.pos < len(p.src) && p.src[p.pos] >= '0' && p.src[p.pos] <= '9' {
		p.pos++
	}
	n, err := strconv.Atoi(p.src[start:p.pos])
	if err != nil || n > 1<<31 || n < -(1<<31) {
		p.pos = start
		return 0, false
	}
	return n, true
}

// indexes reads [n], [n,m,...], [a:b], [:b] or [a:].
func (p *pathParser) indexes() (segment, error) {
	sg := segment{kind: segIndex}
	if p.peek() == ':' {
		return p.slice(sg)
	}
	n, ok := p.integer()
	if !ok {
		return segment{}, p.fail("expected an index, a name, * or a filter in []")
	}
	p.skipSpace()
	if p.peek() == ':' {
		sg.from, sg.hasFrom = n, true
		return p.slice(sg)
	}
	sg.indexes = []int{n}
	for p.peek() == ',' {
		p.pos++
		p.skipSpace()
		n, ok := p.integer()
		if !ok {
			return segment{}, p.fail("expected an index")
		}
		sg.indexes = append(sg.indexes, n)
		p.skipSpace()
	}
	return sg, nil
}

func (p *pathParser) slice(sg segment) (segment, error) {
	sg.kind = segSlice
	p.pos++ // :
	p.skipSpace()
	if p.peek() != ']' {
		n, ok := p.integer()
		if !ok {
			return segment{}, p.fail("expected the end of a slice")
		}
		sg.to, sg.hasTo = n, true
	}
	return sg, nil
}

func (p *pathParser) filterSegment() (segment, error) {
	p.pos++ // ?
	p.skipSpace()
	if p.peek() != '(' {
		return segment{}, p.fail("expected ( after ?")
	}
	p.pos++
	fp := &filterParser{p: p}
	n, err := fp.or()
	if err != nil {
		return segment{}, err
	}
	p.skipSpace()
	if p.peek() != ')' {
		return segment{}, p.fail("expected ) to close the filter")
	}
	p.pos++
	return segment{kind: segFilter, filter: n}, nil
}
