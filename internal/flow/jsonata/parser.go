package jsonata

import "errors"

// node is an expression tree node. The parser builds raw nodes; process
// turns them into the evaluated form (paths, stages, tuple flags), following
// jsonata-js's parser and its ast post-processing.
type node struct {
	id    string // symbol id while parsing
	typ   string
	value any
	pos   int

	lhs, rhs    *node
	expression  *node   // unary operand
	expressions []*node // block, array constructor
	pairs       [][2]*node
	terms       []sortTerm // ^(...) while parsing and on sort steps
	steps       []*node
	predicate   []*stage
	stages      []*stage
	group       *groupSpec

	keepArray          bool
	keepSingletonArray bool
	consarray          bool
	tuple              bool
	focus              string
	index              string
	ancestor           *slot
	seekingParent      []*slot
	slot               *slot
	stepsChecked       int // leading steps a "." already validated

	condition, then, els *node
	procedure            *node
	arguments            []*node
	params               []string
	signature            *signature
	body                 *node
	thunk                bool

	pattern, update, delete *node
}

type stage struct {
	typ   string // filter or index
	expr  *node
	value string
	pos   int
}

type groupSpec struct {
	pairs [][2]*node
	pos   int
}

type sortTerm struct {
	descending bool
	expr       *node
}

type slot struct {
	label string
	level int
	index int
}

type parser struct {
	lx   lexer
	node *node
	n    int // nesting depth guard

	ancestorLabel int
	ancestorIndex int
	ancestry      []*node
}

const maxParseDepth = 500

func parse(src string) (*node, error) {
	p := &parser{lx: lexer{src: []rune(src)}}
	if err := p.advance("", false); err != nil {
		return nil, fill(err)
	}
	ast, err := p.expression(0)
	if err != nil {
		return nil, fill(err)
	}
	if p.node.id != "(end)" {
		return nil, fill(errTok("S0201", p.node.pos, p.node.value))
	}
	ast, err = p.process(ast)
	if err != nil {
		return nil, fill(err)
	}
	if ast.typ == "parent" || ast.seekingParent != nil {
		return nil, fill(errTok("S0217", ast.pos, ast.typ))
	}
	return ast, nil
}

func fill(err error) error {
	if e := (*Error)(nil); errors.As(err, &e) {
		e.populate()
	}
	return err
}

func lbp(id string) int {
	switch id {
	case ".":
		return 75
	case "[", "(", "@", "#":
		return 80
	case "{":
		return 70
	case "*", "/", "%":
		return 60
	case "+", "-", "&":
		return 50
	case "=", "<", ">", "!=", "<=", ">=", "in", "~>", "^":
		return 40
	case "and":
		return 30
	case "or":
		return 25
	case "?":
		return 20
	case ":=":
		return 10
	}
	return 0
}

func knownSymbol(id string) bool {
	switch id {
	case ":", ";", ",", ")", "]", "}", "..", ".", "+", "-", "*", "/", "%", "=", "<", ">",
		"!=", "<=", ">=", "&", "and", "or", "in", "~>", "**", "(", "[", "^", "{", ":=", "@", "#", "?", "|":
		return true
	}
	return false
}

func (p *parser) advance(id string, infix bool) error {
	if id != "" && p.node.id != id {
		code := "S0202"
		if p.node.id == "(end)" {
			code = "S0203"
		}
		e := errTok(code, p.node.pos, p.node.value)
		e.value = id
		return e
	}
	t, err := p.lx.next(infix)
	if err != nil {
		return err
	}
	if t == nil {
		p.node = &node{id: "(end)", typ: "(end)", value: "(end)", pos: len(p.lx.src)}
		return nil
	}
	n := &node{typ: t.typ, value: t.value, pos: t.pos}
	switch t.typ {
	case "name", "variable":
		n.id = "(name)"
	case "operator":
		op, _ := t.value.(string)
		if !knownSymbol(op) {
			return errTok("S0204", t.pos, op)
		}
		n.id = op
	case "string", "number", "value":
		n.id = "(literal)"
	case "regex":
		n.id = "(regex)"
	}
	p.node = n
	return nil
}

func (p *parser) expression(rbp int) (*node, error) {
	p.n++
	defer func() { p.n-- }()
	if p.n > maxParseDepth {
		return nil, errTok("S0201", p.node.pos, p.node.value)
	}
	t := p.node
	if err := p.advance("", true); err != nil {
		return nil, err
	}
	left, err := p.nud(t)
	if err != nil {
		return nil, err
	}
	for rbp < lbp(p.node.id) {
		t = p.node
		if err := p.advance("", false); err != nil {
			return nil, err
		}
		left, err = p.led(t, left)
		if err != nil {
			return nil, err
		}
	}
	return left, nil
}

func (p *parser) nud(t *node) (*node, error) {
	switch t.id {
	case "(end)", "(name)", "(literal)", "(regex)", "and", "or", "in":
		return t, nil
	case "-":
		e, err := p.expression(70)
		if err != nil {
			return nil, err
		}
		t.expression, t.typ = e, "unary"
		return t, nil
	case "*":
		t.typ = "wildcard"
		return t, nil
	case "**":
		t.typ = "descendant"
		return t, nil
	case "%":
		t.typ = "parent"
		return t, nil
	case "(":
		return p.block(t)
	case "[":
		return p.arrayCons(t)
	case "{":
		return p.objectCons(t, nil)
	case "|":
		return p.transform(t)
	}
	return nil, errTok("S0211", t.pos, t.value)
}

func (p *parser) led(t, left *node) (*node, error) {
	switch t.id {
	case "(":
		return p.call(t, left)
	case "[":
		return p.predicate(t, left)
	case "^":
		return p.orderBy(t, left)
	case "{":
		return p.objectCons(t, left)
	case ":=":
		if left.typ != "variable" {
			return nil, errTok("S0212", left.pos, left.value)
		}
		r, err := p.expression(lbp(":=") - 1)
		if err != nil {
			return nil, err
		}
		t.lhs, t.rhs, t.typ = left, r, "binary"
		return t, nil
	case "@", "#":
		r, err := p.expression(lbp(t.id))
		if err != nil {
			return nil, err
		}
		if r.typ != "variable" {
			return nil, errTok("S0214", r.pos, t.id)
		}
		t.lhs, t.rhs, t.typ = left, r, "binary"
		return t, nil
	case "?":
		t.typ, t.condition = "condition", left
		th, err := p.expression(0)
		if err != nil {
			return nil, err
		}
		t.then = th
		if p.node.id == ":" {
			if err := p.advance(":", false); err != nil {
				return nil, err
			}
			el, err := p.expression(0)
			if err != nil {
				return nil, err
			}
			t.els = el
		}
		return t, nil
	}
	r, err := p.expression(lbp(t.id))
	if err != nil {
		return nil, err
	}
	t.lhs, t.rhs, t.typ = left, r, "binary"
	return t, nil
}

func (p *parser) call(t, left *node) (*node, error) {
	t.procedure, t.typ = left, "function"
	if p.node.id != ")" {
		for {
			if p.node.typ == "operator" && p.node.id == "?" {
				t.typ = "partial"
				t.arguments = append(t.arguments, p.node)
				if err := p.advance("?", false); err != nil {
					return nil, err
				}
			} else {
				a, err := p.expression(0)
				if err != nil {
					return nil, err
				}
				t.arguments = append(t.arguments, a)
			}
			if p.node.id != "," {
				break
			}
			if err := p.advance(",", false); err != nil {
				return nil, err
			}
		}
	}
	if err := p.advance(")", true); err != nil {
		return nil, err
	}
	if left.typ == "name" && (left.value == "function" || left.value == "\u03BB") {
		return p.lambda(t)
	}
	return t, nil
}

func (p *parser) lambda(t *node) (*node, error) {
	for i, a := range t.arguments {
		if a.typ != "variable" {
			e := errTok("S0208", a.pos, a.value)
			e.value = float64(i + 1)
			return nil, e
		}
		t.params = append(t.params, a.value.(string))
	}
	t.typ = "lambda"
	if p.node.id == "<" {
		sigPos := p.node.pos
		depth := 1
		sig := "<"
		for depth > 0 && p.node.id != "{" && p.node.id != "(end)" {
			if err := p.advance("", false); err != nil {
				return nil, err
			}
			switch p.node.id {
			case ">":
				depth--
			case "<":
				depth++
			}
			sig += rawString(p.node.value)
		}
		if err := p.advance(">", false); err != nil {
			return nil, err
		}
		s, err := parseSignature(sig)
		if err != nil {
			err.Position = sigPos + err.Position
			return nil, err
		}
		t.signature = s
	}
	if err := p.advance("{", false); err != nil {
		return nil, err
	}
	b, err := p.expression(0)
	if err != nil {
		return nil, err
	}
	t.body = b
	if err := p.advance("}", false); err != nil {
		return nil, err
	}
	return t, nil
}

func (p *parser) block(t *node) (*node, error) {
	var exprs []*node
	for p.node.id != ")" {
		e, err := p.expression(0)
		if err != nil {
			return nil, err
		}
		exprs = append(exprs, e)
		if p.node.id != ";" {
			break
		}
		if err := p.advance(";", false); err != nil {
			return nil, err
		}
	}
	if err := p.advance(")", true); err != nil {
		return nil, err
	}
	t.typ, t.expressions = "block", exprs
	return t, nil
}

func (p *parser) arrayCons(t *node) (*node, error) {
	var items []*node
	if p.node.id != "]" {
		for {
			item, err := p.expression(0)
			if err != nil {
				return nil, err
			}
			if p.node.id == ".." {
				r := &node{typ: "binary", value: "..", pos: p.node.pos, lhs: item}
				if err := p.advance("..", false); err != nil {
					return nil, err
				}
				if r.rhs, err = p.expression(0); err != nil {
					return nil, err
				}
				item = r
			}
			items = append(items, item)
			if p.node.id != "," {
				break
			}
			if err := p.advance(",", false); err != nil {
				return nil, err
			}
		}
	}
	if err := p.advance("]", true); err != nil {
		return nil, err
	}
	t.expressions, t.typ = items, "unary"
	return t, nil
}

func (p *parser) predicate(t, left *node) (*node, error) {
	if p.node.id == "]" {
		step := left
		for step != nil && step.typ == "binary" && step.value == "[" {
			step = step.lhs
		}
		step.keepArray = true
		if err := p.advance("]", false); err != nil {
			return nil, err
		}
		return left, nil
	}
	r, err := p.expression(0)
	if err != nil {
		return nil, err
	}
	t.lhs, t.rhs, t.typ = left, r, "binary"
	if err := p.advance("]", true); err != nil {
		return nil, err
	}
	return t, nil
}

func (p *parser) orderBy(t, left *node) (*node, error) {
	if err := p.advance("(", false); err != nil {
		return nil, err
	}
	for {
		term := sortTerm{}
		switch p.node.id {
		case "<":
			if err := p.advance("<", false); err != nil {
				return nil, err
			}
		case ">":
			term.descending = true
			if err := p.advance(">", false); err != nil {
				return nil, err
			}
		}
		e, err := p.expression(0)
		if err != nil {
			return nil, err
		}
		term.expr = e
		t.terms = append(t.terms, term)
		if p.node.id != "," {
			break
		}
		if err := p.advance(",", false); err != nil {
			return nil, err
		}
	}
	if err := p.advance(")", false); err != nil {
		return nil, err
	}
	t.lhs, t.typ = left, "binary"
	return t, nil
}

func (p *parser) objectCons(t, left *node) (*node, error) {
	var pairs [][2]*node
	if p.node.id != "}" {
		for {
			k, err := p.expression(0)
			if err != nil {
				return nil, err
			}
			if err := p.advance(":", false); err != nil {
				return nil, err
			}
			v, err := p.expression(0)
			if err != nil {
				return nil, err
			}
			pairs = append(pairs, [2]*node{k, v})
			if p.node.id != "," {
				break
			}
			if err := p.advance(",", false); err != nil {
				return nil, err
			}
		}
	}
	if err := p.advance("}", true); err != nil {
		return nil, err
	}
	t.pairs = pairs
	if left == nil {
		t.typ = "unary"
	} else {
		t.lhs, t.typ = left, "binary"
	}
	return t, nil
}

func (p *parser) transform(t *node) (*node, error) {
	t.typ = "transform"
	var err error
	if t.pattern, err = p.expression(0); err != nil {
		return nil, err
	}
	if err := p.advance("|", false); err != nil {
		return nil, err
	}
	if t.update, err = p.expression(0); err != nil {
		return nil, err
	}
	if p.node.id == "," {
		if err := p.advance(",", false); err != nil {
			return nil, err
		}
		if t.delete, err = p.expression(0); err != nil {
			return nil, err
		}
	}
	if err := p.advance("|", false); err != nil {
		return nil, err
	}
	return t, nil
}
