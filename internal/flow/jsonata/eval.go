package jsonata

import (
	"math"
	"time"
)

// evaluator holds the state of one evaluation.
type evaluator struct {
	steps    int
	depth    int
	maxDepth int
	now      time.Time
	rand     func() float64
}

// frame is a scope of variable bindings.
type frame struct {
	vars   map[string]any
	parent *frame
}

func newFrame(parent *frame) *frame { return &frame{parent: parent} }

func (f *frame) bind(name string, v any) {
	if f.vars == nil {
		f.vars = make(map[string]any, 4)
	}
	f.vars[name] = v
}

func (f *frame) lookup(name string) any {
	for fr := f; fr != nil; fr = fr.parent {
		if v, ok := fr.vars[name]; ok {
			return v
		}
	}
	return Undefined
}

func (e *Expr) evalInternal(input any, bindings map[string]any, opts EvalOptions) (any, error) {
	ev := &evaluator{now: opts.Now, rand: opts.Rand, maxDepth: MaxDepth}
	if opts.MaxDepth > 0 && opts.MaxDepth < MaxDepth {
		ev.maxDepth = opts.MaxDepth
	}
	if ev.now.IsZero() {
		ev.now = time.Unix(0, 0).UTC()
	}
	if ev.rand == nil {
		ev.rand = func() float64 { return 0.5 }
	}
	env := newFrame(&frame{vars: builtinTable})
	env.bind("now", ev.nowFn())
	env.bind("millis", ev.millisFn())
	for k, v := range bindings {
		if f, ok := v.(Function); ok {
			env.bind(k, &native{name: k, user: f})
			continue
		}
		env.bind(k, fromJSON(v))
	}
	in := fromJSON(input)
	env.bind("$", in)
	if a, ok := in.(*array); ok && !a.sequence {
		in = &array{items: []any{a}, sequence: true, outerWrapper: true}
	}
	v, err := ev.eval(e.ast, in, env)
	if err != nil {
		return nil, fill(err)
	}
	if a, ok := v.(*array); ok && a.sequence && !a.tupleStream && !a.keepSingleton {
		// a top-level sequence is returned as a plain array
		return a, nil
	}
	return v, nil
}

func (ev *evaluator) eval(expr *node, input any, env *frame) (any, error) {
	ev.steps++
	if ev.steps > MaxSteps {
		return nil, &Error{Code: "U1002", Position: expr.pos}
	}
	ev.depth++
	defer func() { ev.depth-- }()
	if ev.depth > ev.maxDepth {
		return nil, &Error{Code: "U1001", Position: expr.pos}
	}
	result, err := ev.evalNode(expr, input, env)
	if err != nil {
		return nil, err
	}
	for _, p := range expr.predicate {
		if result, err = ev.filter(p.expr, result, env); err != nil {
			return nil, err
		}
	}
	if expr.typ != "path" && expr.group != nil {
		if result, err = ev.group(expr.group, result, env); err != nil {
			return nil, err
		}
	}
	if a, ok := result.(*array); ok && a.sequence && !a.tupleStream {
		if expr.keepArray {
			a.keepSingleton = true
		}
		switch len(a.items) {
		case 0:
			return Undefined, nil
		case 1:
			if !a.keepSingleton {
				return a.items[0], nil
			}
		}
	}
	return result, nil
}

func (ev *evaluator) evalNode(expr *node, input any, env *frame) (any, error) {
	switch expr.typ {
	case "path":
		return ev.path(expr, input, env)
	case "binary":
		return ev.binary(expr, input, env)
	case "unary":
		return ev.unary(expr, input, env)
	case "name":
		return lookupKey(input, expr.value.(string)), nil
	case "string", "number", "value":
		return expr.value, nil
	case "wildcard":
		return wildcard(input), nil
	case "descendant":
		return descendants(input), nil
	case "parent":
		return env.lookup(expr.slot.label), nil
	case "condition":
		c, err := ev.eval(expr.condition, input, env)
		if err != nil {
			return nil, err
		}
		if b, _ := toBoolean(c); b {
			return ev.eval(expr.then, input, env)
		}
		if expr.els != nil {
			return ev.eval(expr.els, input, env)
		}
		return Undefined, nil
	case "block":
		fr := newFrame(env)
		result := Undefined
		for _, e := range expr.expressions {
			var err error
			if result, err = ev.eval(e, input, fr); err != nil {
				return nil, err
			}
		}
		return result, nil
	case "bind":
		v, err := ev.eval(expr.rhs, input, env)
		if err != nil {
			return nil, err
		}
		env.bind(expr.lhs.value.(string), v)
		return v, nil
	case "regex":
		return &matcher{re: expr.value.(*jsRegex), pos: expr.pos}, nil
	case "function":
		return ev.function(expr, input, env, nil)
	case "variable":
		name := expr.value.(string)
		if name == "" {
			if a, ok := input.(*array); ok && a.outerWrapper && len(a.items) > 0 {
				return a.items[0], nil
			}
			return input, nil
		}
		return env.lookup(name), nil
	case "lambda":
		return &lambda{input: input, env: env, params: expr.params, sig: expr.signature, body: expr.body, thunk: expr.thunk}, nil
	case "partial":
		return ev.partial(expr, input, env)
	case "apply":
		return ev.applyExpr(expr, input, env)
	case "transform":
		return &transformer{expr: expr, env: env}, nil
	}
	return Undefined, nil
}

func (ev *evaluator) path(expr *node, input any, env *frame) (any, error) {
	var inputSeq *array
	if a, ok := input.(*array); ok && expr.steps[0].typ != "variable" {
		inputSeq = a
	} else {
		inputSeq = newSeq(input)
	}
	resultSeq := Undefined
	isTuple := false
	var tupleBindings *array
	for i, step := range expr.steps {
		if step.tuple {
			isTuple = true
		}
		var err error
		switch {
		case i == 0 && step.consarray:
			resultSeq, err = ev.eval(step, inputSeq, env)
		case isTuple:
			tupleBindings, err = ev.tupleStep(step, inputSeq, tupleBindings, env)
		default:
			resultSeq, err = ev.step(step, inputSeq, env, i == len(expr.steps)-1)
		}
		if err != nil {
			return nil, err
		}
		if !isTuple {
			ra, ok := resultSeq.(*array)
			if isUndef(resultSeq) || (ok && len(ra.items) == 0) {
				break
			}
		}
		if step.focus == "" {
			switch r := resultSeq.(type) {
			case *array:
				inputSeq = r
			default:
				if isTuple {
					continue
				}
				// a non-array result of a constructor step: treat as sequence
				inputSeq = newSeq(r)
			}
		}
	}
	if isTuple {
		if expr.tuple {
			resultSeq = tupleBindings
		} else {
			out := newSeq()
			if tupleBindings != nil {
				for _, t := range tupleBindings.items {
					out.push(asTuple(t)["@"])
				}
			}
			resultSeq = out
		}
	}
	if expr.keepSingletonArray {
		switch r := resultSeq.(type) {
		case *array:
			switch {
			case r.cons && !r.sequence:
				r = newSeq(r)
			case !r.sequence:
				// jsonata-js flags the input array itself; a copy keeps
				// shared inputs immutable
				c := *r
				r = &c
			}
			r.keepSingleton = true
			resultSeq = r
		default:
			// jsonata-js sets a property on a non-array here, which has no effect
		}
	}
	if expr.group != nil {
		in := resultSeq
		if isTuple {
			in = tupleBindings
		}
		return ev.group(expr.group, in, env)
	}
	return resultSeq, nil
}

func (ev *evaluator) filter(pred *node, input any, env *frame) (any, error) {
	results := newSeq()
	in, ok := input.(*array)
	if ok && in.tupleStream {
		results.tupleStream = true
	}
	if !ok {
		in = newSeq(input) // an undefined input is tested once, as in jsonata-js
	}
	if pred.typ == "number" {
		idx := int(math.Floor(pred.value.(float64)))
		if idx < 0 {
			idx += len(in.items)
		}
		if idx >= 0 && idx < len(in.items) && !isUndef(in.items[idx]) {
			item := in.items[idx]
			if a, ok := item.(*array); ok {
				return a, nil
			}
			results.push(item)
		}
		return results, nil
	}
	for index, item := range in.items {
		context, fenv := item, env
		if in.tupleStream {
			t := asTuple(item)
			context, fenv = t["@"], frameFromTuple(env, t)
		}
		res, err := ev.eval(pred, context, fenv)
		if err != nil {
			return nil, err
		}
		num, err := isNumeric(res)
		if err != nil {
			return nil, err
		}
		if num {
			res = &array{items: []any{res}}
		}
		nums, err := isArrayOfNumbers(res)
		if err != nil {
			return nil, err
		}
		if nums {
			for _, n := range res.(*array).items {
				ii := int(math.Floor(n.(float64)))
				if ii < 0 {
					ii += len(in.items)
				}
				if ii == index {
					results.push(item)
				}
			}
			continue
		}
		if b, _ := toBoolean(res); b {
			results.push(item)
		}
	}
	return results, nil
}
