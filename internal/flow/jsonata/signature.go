package jsonata

import (
	"regexp"
	"strings"
)

// signature is a parsed JSONata function signature such as "<s-nn?:s>".
type signature struct {
	def    string
	params []*sigParam
	re     *regexp.Regexp
}

type sigParam struct {
	regex     string
	typ       string
	array     bool
	context   bool
	contextRe *regexp.Regexp
	subtype   string
}

func parseSignature(sig string) (*signature, *Error) {
	s := &signature{def: sig}
	param := &sigParam{}
	prev := param
	next := func() {
		s.params = append(s.params, param)
		prev = param
		param = &sigParam{}
	}
	closing := func(start int, open, close byte) int {
		depth := 1
		pos := start
		for pos < len(sig) {
			pos++
			if pos >= len(sig) {
				break
			}
			c := sig[pos]
			if c == close {
				depth--
				if depth == 0 {
					break
				}
			} else if c == open {
				depth++
			}
		}
		return pos
	}
	for pos := 1; pos < len(sig); pos++ {
		c := sig[pos]
		if c == ':' {
			break
		}
		switch c {
		case 's', 'n', 'b', 'l', 'o':
			param.regex = "[" + string(c) + "m]"
			param.typ = string(c)
			next()
		case 'a':
			param.regex = "[asnblfom]"
			param.typ = "a"
			param.array = true
			next()
		case 'f':
			param.regex = "f"
			param.typ = "f"
			next()
		case 'j':
			param.regex = "[asnblom]"
			param.typ = "j"
			next()
		case 'x':
			param.regex = "[asnblfom]"
			param.typ = "x"
			next()
		case '-':
			prev.context = true
			prev.contextRe = regexp.MustCompile("^(?:" + orEmpty(prev.regex) + ")")
			prev.regex += "?"
		case '?', '+':
			prev.regex += string(c)
		case '(':
			end := closing(pos, '(', ')')
			choice := sig[pos+1 : min(end, len(sig))]
			if strings.Contains(choice, "<") {
				return nil, &Error{Code: "S0402", Position: pos, value: choice}
			}
			param.regex = "[" + choice + "m]"
			param.typ = "(" + choice + ")"
			pos = end
			next()
		case '<':
			if prev.typ != "a" && prev.typ != "f" {
				return nil, &Error{Code: "S0401", Position: pos, value: prev.typ}
			}
			end := closing(pos, '<', '>')
			prev.subtype = sig[pos+1 : min(end, len(sig))]
			pos = end
		}
	}
	var b strings.Builder
	b.WriteString("^")
	for _, p := range s.params {
		b.WriteString("(" + orEmpty(p.regex) + ")")
	}
	b.WriteString("$")
	re, err := regexp.Compile(b.String())
	if err != nil {
		return nil, &Error{Code: "S0401", Position: 0, value: sig}
	}
	s.re = re
	return s, nil
}

func orEmpty(r string) string {
	if r == "" {
		return "(?:)"
	}
	return r
}

func typeSymbol(v any) byte {
	switch x := v.(type) {
	case callable:
		return 'f'
	case string:
		return 's'
	case float64:
		return 'n'
	case bool:
		return 'b'
	case nil:
		return 'l'
	case *array:
		return 'a'
	case *object, tuple:
		return 'o'
	default:
		_ = x
		return 'm'
	}
}

func arrayTypeName(sub string) string {
	switch sub {
	case "a":
		return "arrays"
	case "b":
		return "booleans"
	case "f":
		return "functions"
	case "n":
		return "numbers"
	case "o":
		return "objects"
	case "s":
		return "strings"
	}
	return "undefined"
}

// validate checks args against the signature and returns the arguments the
// function receives (the context inserted for "-" parameters, single values
// wrapped for array parameters).
func (s *signature) validate(args []any, context any) ([]any, error) {
	supplied := make([]byte, len(args))
	for i, a := range args {
		supplied[i] = typeSymbol(a)
	}
	m := s.re.FindStringSubmatch(string(supplied))
	if m == nil {
		return nil, s.validationError(args, string(supplied))
	}
	out := make([]any, 0, len(s.params))
	argIndex := 0
	for i, p := range s.params {
		match := m[i+1]
		if match == "" {
			if p.context && p.contextRe != nil {
				if !p.contextRe.MatchString(string(typeSymbol(context))) {
					return nil, &Error{Code: "T0411", Position: -1, value: context, index: argIndex + 1}
				}
				out = append(out, context)
			} else {
				out = append(out, argAt(args, argIndex))
				argIndex++
			}
			continue
		}
		for _, single := range []byte(match) {
			arg := argAt(args, argIndex)
			if p.typ == "a" {
				if single == 'm' {
					arg = Undefined
				} else {
					if err := checkArraySubtype(p, single, match, arg, argIndex); err != nil {
						return nil, err
					}
					if single != 'a' {
						arg = &array{items: []any{arg}}
					}
				}
			}
			out = append(out, arg)
			argIndex++
		}
	}
	return out, nil
}

func argAt(args []any, i int) any {
	if i < len(args) {
		return args[i]
	}
	return Undefined
}

func checkArraySubtype(p *sigParam, single byte, match string, arg any, argIndex int) error {
	if p.subtype == "" {
		return nil
	}
	ok := true
	if single != 'a' && match != p.subtype {
		ok = false
	} else if single == 'a' {
		a := arg.(*array)
		if len(a.items) > 0 {
			it := typeSymbol(a.items[0])
			if it != p.subtype[0] {
				ok = false
			} else {
				for _, v := range a.items {
					if typeSymbol(v) != it {
						ok = false
						break
					}
				}
			}
		}
	}
	if ok {
		return nil
	}
	return &Error{Code: "T0412", Position: -1, value: arg, index: argIndex + 1, extra: map[string]any{"type": arrayTypeName(p.subtype)}}
}

func (s *signature) validationError(args []any, bad string) error {
	partial := "^"
	goodTo := 0
	for _, p := range s.params {
		partial += orEmpty(p.regex)
		re, err := regexp.Compile(partial)
		if err != nil {
			break
		}
		m := re.FindString(bad)
		if !re.MatchString(bad) {
			return &Error{Code: "T0410", Position: -1, value: argAt(args, goodTo), index: goodTo + 1}
		}
		goodTo = len(m)
	}
	return &Error{Code: "T0410", Position: -1, value: argAt(args, goodTo), index: goodTo + 1}
}
