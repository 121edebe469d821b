package jsonata

// process is jsonata-js's processAST: it turns the raw parse tree into the
// evaluated form.
func (p *parser) process(expr *node) (*node, error) {
	var result *node
	var err error
	switch expr.typ {
	case "binary":
		result, err = p.processBinary(expr)
	case "unary":
		result, err = p.processUnary(expr)
	case "function", "partial":
		result = &node{typ: expr.typ, value: expr.value, pos: expr.pos}
		for _, a := range expr.arguments {
			an, err := p.process(a)
			if err != nil {
				return nil, err
			}
			pushAncestry(result, an)
			result.arguments = append(result.arguments, an)
		}
		if result.procedure, err = p.process(expr.procedure); err != nil {
			return nil, err
		}
	case "lambda":
		result = &node{typ: "lambda", params: expr.params, signature: expr.signature, pos: expr.pos}
		body, err := p.process(expr.body)
		if err != nil {
			return nil, err
		}
		result.body = tailCallOptimize(body)
	case "condition":
		result = &node{typ: "condition", pos: expr.pos}
		if result.condition, err = p.process(expr.condition); err != nil {
			return nil, err
		}
		pushAncestry(result, result.condition)
		if result.then, err = p.process(expr.then); err != nil {
			return nil, err
		}
		pushAncestry(result, result.then)
		if expr.els != nil {
			if result.els, err = p.process(expr.els); err != nil {
				return nil, err
			}
			pushAncestry(result, result.els)
		}
	case "transform":
		result = &node{typ: "transform", pos: expr.pos}
		if result.pattern, err = p.process(expr.pattern); err != nil {
			return nil, err
		}
		if result.update, err = p.process(expr.update); err != nil {
			return nil, err
		}
		if expr.delete != nil {
			if result.delete, err = p.process(expr.delete); err != nil {
				return nil, err
			}
		}
	case "block":
		result = &node{typ: "block", pos: expr.pos}
		for _, e := range expr.expressions {
			part, err := p.process(e)
			if err != nil {
				return nil, err
			}
			pushAncestry(result, part)
			if part.consarray || (part.typ == "path" && part.steps[0].consarray) {
				result.consarray = true
			}
			result.expressions = append(result.expressions, part)
		}
	case "name":
		result = &node{typ: "path", steps: []*node{expr}, pos: expr.pos}
		if expr.keepArray {
			result.keepSingletonArray = true
		}
	case "parent":
		result = &node{typ: "parent", pos: expr.pos, slot: &slot{label: "!" + itoa(p.ancestorLabel), level: 1, index: p.ancestorIndex}}
		p.ancestorLabel++
		p.ancestorIndex++
		p.ancestry = append(p.ancestry, result)
	case "string", "number", "value", "wildcard", "descendant", "variable", "regex":
		result = expr
	case "operator":
		switch expr.value {
		case "and", "or", "in":
			expr.typ = "name"
			return p.process(expr)
		case "?":
			result = expr
		default:
			return nil, errTok("S0201", expr.pos, expr.value)
		}
	default:
		code := "S0206"
		if expr.id == "(end)" {
			code = "S0207"
		}
		return nil, errTok(code, expr.pos, expr.value)
	}
	if err != nil {
		return nil, err
	}
	if expr.keepArray {
		result.keepArray = true
	}
	return result, nil
}

func itoa(i int) string { return FormatNumber(float64(i)) }

func (p *parser) processBinary(expr *node) (*node, error) {
	switch expr.value {
	case ".":
		return p.processPath(expr)
	case "[":
		return p.processPredicate(expr)
	case "{":
		result, err := p.process(expr.lhs)
		if err != nil {
			return nil, err
		}
		if result.group != nil {
			return nil, errTok("S0210", expr.pos, expr.value)
		}
		g := &groupSpec{pos: expr.pos}
		for _, pr := range expr.pairs {
			k, err := p.process(pr[0])
			if err != nil {
				return nil, err
			}
			v, err := p.process(pr[1])
			if err != nil {
				return nil, err
			}
			g.pairs = append(g.pairs, [2]*node{k, v})
		}
		result.group = g
		return result, nil
	case "^":
		result, err := p.process(expr.lhs)
		if err != nil {
			return nil, err
		}
		if result.typ != "path" {
			result = &node{typ: "path", steps: []*node{result}, pos: result.pos}
		}
		sortStep := &node{typ: "sort", pos: expr.pos}
		for _, t := range expr.terms {
			e, err := p.process(t.expr)
			if err != nil {
				return nil, err
			}
			pushAncestry(sortStep, e)
			sortStep.terms = append(sortStep.terms, sortTerm{descending: t.descending, expr: e})
		}
		result.steps = append(result.steps, sortStep)
		if err := p.resolveAncestry(result); err != nil {
			return nil, err
		}
		return result, nil
	case ":=":
		result := &node{typ: "bind", value: expr.value, pos: expr.pos}
		var err error
		if result.lhs, err = p.process(expr.lhs); err != nil {
			return nil, err
		}
		if result.rhs, err = p.process(expr.rhs); err != nil {
			return nil, err
		}
		pushAncestry(result, result.rhs)
		return result, nil
	case "@":
		result, err := p.process(expr.lhs)
		if err != nil {
			return nil, err
		}
		step := result
		if result.typ == "path" {
			step = result.steps[len(result.steps)-1]
		}
		if step.stages != nil || step.predicate != nil {
			return nil, errTok("S0215", expr.pos, expr.value)
		}
		if step.typ == "sort" {
			return nil, errTok("S0216", expr.pos, expr.value)
		}
		if expr.keepArray {
			step.keepArray = true
		}
		step.focus = expr.rhs.value.(string)
		step.tuple = true
		return result, nil
	case "#":
		result, err := p.process(expr.lhs)
		if err != nil {
			return nil, err
		}
		step := result
		if result.typ == "path" {
			step = result.steps[len(result.steps)-1]
		} else {
			result = &node{typ: "path", steps: []*node{result}, pos: result.pos}
			if step.predicate != nil {
				step.stages = step.predicate
				step.predicate = nil
			}
		}
		if step.stages == nil {
			step.index = expr.rhs.value.(string)
		} else {
			step.stages = append(step.stages, &stage{typ: "index", value: expr.rhs.value.(string), pos: expr.pos})
		}
		step.tuple = true
		return result, nil
	case "~>":
		result := &node{typ: "apply", value: expr.value, pos: expr.pos}
		var err error
		if result.lhs, err = p.process(expr.lhs); err != nil {
			return nil, err
		}
		if result.rhs, err = p.process(expr.rhs); err != nil {
			return nil, err
		}
		result.keepArray = result.lhs.keepArray || result.rhs.keepArray
		return result, nil
	}
	result := &node{typ: expr.typ, value: expr.value, pos: expr.pos}
	var err error
	if result.lhs, err = p.process(expr.lhs); err != nil {
		return nil, err
	}
	if result.rhs, err = p.process(expr.rhs); err != nil {
		return nil, err
	}
	pushAncestry(result, result.lhs)
	pushAncestry(result, result.rhs)
	return result, nil
}

func (p *parser) processPath(expr *node) (*node, error) {
	lstep, err := p.process(expr.lhs)
	if err != nil {
		return nil, err
	}
	var result *node
	checked := 0
	if lstep.typ == "path" {
		result = lstep
		checked = min(lstep.stepsChecked, len(lstep.steps))
	} else {
		result = &node{typ: "path", steps: []*node{lstep}, pos: lstep.pos}
	}
	if lstep.typ == "parent" {
		result.seekingParent = []*slot{lstep.slot}
	}
	rest, err := p.process(expr.rhs)
	if err != nil {
		return nil, err
	}
	if rest.typ == "path" {
		result.steps = append(result.steps, rest.steps...)
	} else {
		if rest.predicate != nil {
			rest.stages = rest.predicate
			rest.predicate = nil
		}
		result.steps = append(result.steps, rest)
	}
	for _, s := range result.steps[checked:] {
		switch s.typ {
		case "number", "value":
			e := errTok("S0213", s.pos, s.value)
			e.value = s.value
			return nil, e
		case "string":
			s.typ = "name"
		}
	}
	for _, s := range result.steps[checked:] {
		if s.keepArray {
			result.keepSingletonArray = true
			break
		}
	}
	result.stepsChecked = len(result.steps)
	first := result.steps[0]
	if first.typ == "unary" && first.value == "[" {
		first.consarray = true
	}
	last := result.steps[len(result.steps)-1]
	if last.typ == "unary" && last.value == "[" {
		last.consarray = true
	}
	if err := p.resolveAncestry(result); err != nil {
		return nil, err
	}
	return result, nil
}

func (p *parser) processPredicate(expr *node) (*node, error) {
	result, err := p.process(expr.lhs)
	if err != nil {
		return nil, err
	}
	step := result
	inPath := false
	if result.typ == "path" {
		step = result.steps[len(result.steps)-1]
		inPath = true
	}
	if step.group != nil {
		return nil, errTok("S0209", expr.pos, expr.value)
	}
	pred, err := p.process(expr.rhs)
	if err != nil {
		return nil, err
	}
	if pred.seekingParent != nil {
		for _, s := range pred.seekingParent {
			if s.level == 1 {
				if err := p.seekParent(step, s); err != nil {
					return nil, err
				}
			} else {
				s.level--
			}
		}
		pushAncestry(step, pred)
	}
	st := &stage{typ: "filter", expr: pred, pos: expr.pos}
	if inPath {
		step.stages = append(step.stages, st)
	} else {
		step.predicate = append(step.predicate, st)
	}
	return result, nil
}

func (p *parser) processUnary(expr *node) (*node, error) {
	result := &node{typ: expr.typ, value: expr.value, pos: expr.pos}
	switch expr.value {
	case "[":
		for _, item := range expr.expressions {
			v, err := p.process(item)
			if err != nil {
				return nil, err
			}
			pushAncestry(result, v)
			result.expressions = append(result.expressions, v)
		}
	case "{":
		for _, pr := range expr.pairs {
			k, err := p.process(pr[0])
			if err != nil {
				return nil, err
			}
			pushAncestry(result, k)
			v, err := p.process(pr[1])
			if err != nil {
				return nil, err
			}
			pushAncestry(result, v)
			result.pairs = append(result.pairs, [2]*node{k, v})
		}
	default:
		e, err := p.process(expr.expression)
		if err != nil {
			return nil, err
		}
		if expr.value == "-" && e.typ == "number" {
			e.value = -e.value.(float64)
			return e, nil
		}
		result.expression = e
		pushAncestry(result, e)
	}
	return result, nil
}

func pushAncestry(result, value *node) {
	if value.seekingParent == nil && value.typ != "parent" {
		return
	}
	slots := value.seekingParent
	if value.typ == "parent" {
		slots = append(slots, value.slot)
	}
	result.seekingParent = append(result.seekingParent, slots...)
}

func (p *parser) resolveAncestry(path *node) error {
	index := len(path.steps) - 1
	last := path.steps[index]
	slots := append([]*slot(nil), last.seekingParent...)
	if last.typ == "parent" {
		slots = append(slots, last.slot)
	}
	for _, s := range slots {
		index = len(path.steps) - 2
		for s.level > 0 {
			if index < 0 {
				path.seekingParent = append(path.seekingParent, s)
				break
			}
			step := path.steps[index]
			index--
			for index >= 0 && step.focus != "" && path.steps[index].focus != "" {
				step = path.steps[index]
				index--
			}
			if err := p.seekParent(step, s); err != nil {
				return err
			}
		}
	}
	return nil
}

func (p *parser) seekParent(n *node, s *slot) error {
	switch n.typ {
	case "name", "wildcard":
		s.level--
		if s.level == 0 {
			if n.ancestor == nil {
				n.ancestor = s
			} else {
				p.ancestry[s.index].slot.label = n.ancestor.label
				n.ancestor = s
			}
			n.tuple = true
		}
	case "parent":
		s.level++
	case "block":
		if len(n.expressions) > 0 {
			n.tuple = true
			return p.seekParent(n.expressions[len(n.expressions)-1], s)
		}
	case "path":
		n.tuple = true
		index := len(n.steps) - 1
		step := n.steps[index]
		index--
		if err := p.seekParent(step, s); err != nil {
			return err
		}
		for s.level > 0 && index >= 0 {
			step = n.steps[index]
			index--
			if err := p.seekParent(step, s); err != nil {
				return err
			}
		}
	default:
		return errTok("S0217", n.pos, n.typ)
	}
	return nil
}

func tailCallOptimize(expr *node) *node {
	switch {
	case expr.typ == "function" && expr.predicate == nil:
		return &node{typ: "lambda", thunk: true, pos: expr.pos, body: expr}
	case expr.typ == "condition":
		expr.then = tailCallOptimize(expr.then)
		if expr.els != nil {
			expr.els = tailCallOptimize(expr.els)
		}
	case expr.typ == "block" && len(expr.expressions) > 0:
		n := len(expr.expressions)
		expr.expressions[n-1] = tailCallOptimize(expr.expressions[n-1])
	}
	return expr
}
