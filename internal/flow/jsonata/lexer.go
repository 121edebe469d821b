package jsonata

import (
	"regexp"
	"strconv"
	"strings"
	"unicode/utf16"
)

// token is one lexical token. pos is the offset just after the token, as
// jsonata-js reports it.
type token struct {
	typ   string // name, variable, operator, string, number, value, regex
	value any
	pos   int
}

type lexer struct {
	src []rune
	pos int
}

// operatorChars are the characters that end a name (jsonata-js operators).
func isOperatorChar(c rune) bool {
	return strings.ContainsRune(".[]{}(),@#;:?+-*/%|=<>^&!~", c)
}

func isSpace(c rune) bool {
	return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\v'
}

var numberRe = regexp.MustCompile(`^-?(0|([1-9][0-9]*))(\.[0-9]+)?([Ee][-+]?[0-9]+)?`)

func (l *lexer) at(i int) rune {
	if i < 0 || i >= len(l.src) {
		return 0
	}
	return l.src[i]
}

func (l *lexer) create(typ string, v any) *token { return &token{typ: typ, value: v, pos: l.pos} }

// next returns the next token or nil at the end. With infix set, a "/" is
// the division operator rather than the start of a regular expression.
func (l *lexer) next(infix bool) (*token, error) {
	for {
		for l.pos < len(l.src) && isSpace(l.src[l.pos]) {
			l.pos++
		}
		if l.pos >= len(l.src) {
			return nil, nil
		}
		if l.at(l.pos) != '/' || l.at(l.pos+1) != '*' {
			break
		}
		start := l.pos
		l.pos += 2
		for l.at(l.pos) != '*' || l.at(l.pos+1) != '/' {
			l.pos++
			if l.pos >= len(l.src) {
				return nil, &Error{Code: "S0106", Position: start}
			}
		}
		l.pos += 2
	}
	c := l.src[l.pos]
	if !infix && c == '/' {
		l.pos++
		return l.scanRegex()
	}
	two := string([]rune{c, l.at(l.pos + 1)})
	switch two {
	case "..", ":=", "!=", ">=", "<=", "**", "~>":
		l.pos += 2
		return l.create("operator", two), nil
	}
	if isOperatorChar(c) {
		l.pos++
		return l.create("operator", string(c)), nil
	}
	if c == '"' || c == '\'' {
		return l.scanString(c)
	}
	if c < '0' || c > '9' {
		// not a number
	} else if m := numberRe.FindString(string(l.src[l.pos:min(len(l.src), l.pos+400)])); m != "" {
		f, err := strconv.ParseFloat(m, 64)
		if err != nil || f > maxFloat || f < -maxFloat {
			return nil, errTok("S0102", l.pos, m)
		}
		l.pos += len(m)
		return l.create("number", f), nil
	}
	if c == '`' {
		l.pos++
		for i := l.pos; i < len(l.src); i++ {
			if l.src[i] == '`' {
				name := string(l.src[l.pos:i])
				l.pos = i + 1
				return l.create("name", name), nil
			}
		}
		l.pos = len(l.src)
		return nil, &Error{Code: "S0105", Position: l.pos}
	}
	i := l.pos
	for i < len(l.src) && !isSpace(l.src[i]) && !isOperatorChar(l.src[i]) {
		i++
	}
	if l.src[l.pos] == '$' {
		name := string(l.src[l.pos+1 : i])
		l.pos = i
		return l.create("variable", name), nil
	}
	name := string(l.src[l.pos:i])
	l.pos = i
	switch name {
	case "or", "in", "and":
		return l.create("operator", name), nil
	case "true":
		return l.create("value", true), nil
	case "false":
		return l.create("value", false), nil
	case "null":
		return l.create("value", nil), nil
	}
	if l.pos == len(l.src) && name == "" {
		return nil, nil
	}
	return l.create("name", name), nil
}

const maxFloat = 1.7976931348623157e308

func (l *lexer) scanString(quote rune) (*token, error) {
	l.pos++
	var b strings.Builder
	for l.pos < len(l.src) {
		c := l.src[l.pos]
		switch {
		case c == '\\':
			l.pos++
			c = l.at(l.pos)
			switch c {
			case '"', '\\', '/':
				b.WriteRune(c)
			case 'b':
				b.WriteByte('\b')
			case 'f':
				b.WriteByte('\f')
			case 'n':
				b.WriteByte('\n')
			case 'r':
				b.WriteByte('\r')
			case 't':
				b.WriteByte('\t')
			case 'u':
				r, ok := l.hex4(l.pos + 1)
				if !ok {
					return nil, &Error{Code: "S0104", Position: l.pos}
				}
				l.pos += 4
				// combine a UTF-16 surrogate pair written as two escapes
				if utf16.IsSurrogate(r) && l.at(l.pos+1) == '\\' && l.at(l.pos+2) == 'u' {
					if r2, ok := l.hex4(l.pos + 3); ok {
						if c2 := utf16.DecodeRune(r, r2); c2 != 0xFFFD {
							b.WriteRune(c2)
							l.pos += 6
							break
						}
					}
				}
				b.WriteRune(r)
			default:
				var tok any = string(c)
				if l.pos >= len(l.src) {
					tok = ""
				}
				return nil, errTok("S0103", l.pos, tok)
			}
		case c == quote:
			l.pos++
			return l.create("string", b.String()), nil
		default:
			b.WriteRune(c)
		}
		l.pos++
	}
	return nil, &Error{Code: "S0101", Position: l.pos}
}

func (l *lexer) hex4(at int) (rune, bool) {
	if at+4 > len(l.src) {
		return 0, false
	}
	n, err := strconv.ParseUint(string(l.src[at:at+4]), 16, 32)
	if err != nil {
		return 0, false
	}
	return rune(n), true
}

func (l *lexer) scanRegex() (*token, error) {
	start := l.pos
	depth := 0
	closing := func(p int) bool {
		if l.at(p) != '/' || depth != 0 {
			return false
		}
		n := 0
		for p-(n+1) >= 0 && l.at(p-(n+1)) == '\\' {
			n++
		}
		return n%2 == 0
	}
	for l.pos < len(l.src) {
		c := l.src[l.pos]
		if closing(l.pos) {
			pattern := string(l.src[start:l.pos])
			if pattern == "" {
				return nil, &Error{Code: "S0301", Position: l.pos}
			}
			l.pos++
			fstart := l.pos
			for l.at(l.pos) == 'i' || l.at(l.pos) == 'm' {
				l.pos++
			}
			flags := string(l.src[fstart:l.pos])
			re, err := compileJSRegex(pattern, flags)
			if err != nil {
				err.Position = l.pos
				return nil, err
			}
			return l.create("regex", re), nil
		}
		prevEsc := l.pos > 0 && l.src[l.pos-1] == '\\'
		if (c == '(' || c == '[' || c == '{') && !prevEsc {
			depth++
		}
		if (c == ')' || c == ']' || c == '}') && !prevEsc {
			depth--
		}
		l.pos++
	}
	return nil, &Error{Code: "S0302", Position: l.pos}
}
