package jsonata

import "errors"

// callable is a JSONata function value.
type callable interface {
	// arity is the number of declared parameters (JavaScript's
	// function.length), used by the higher-order functions.
	arity() int
}

// lambda is a user-defined function (or a partial application).
type lambda struct {
	input  any
	env    *frame
	params []string
	sig    *signature
	body   *node
	thunk  bool
	native callable // partial application of a native function
	// nativeParams are all parameters of the native function, bound or not
	nativeParams []string
}

func (l *lambda) arity() int { return len(l.params) }

// native is a built-in function or one bound by the caller.
type native struct {
	name string
	sig  *signature
	n    int // JavaScript implementation.length
	impl func(ev *evaluator, args []any, c *callCtx) (any, error)
	user Function // a caller-bound Function (its arity is taken as 1)
}

func (n *native) arity() int {
	if n.user != nil {
		return 1
	}
	return n.n
}

// callCtx is what a built-in sees besides its arguments.
type callCtx struct {
	input any
	env   *frame
}

// composed is f ~> g for two functions: function($x){ $g($f($x)) }.
type composed struct{ f, g any }

func (c *composed) arity() int { return 1 }

// transformer is the function a transform expression |...|...| yields.
type transformer struct {
	expr *node
	env  *frame
}

func (t *transformer) arity() int { return 1 }

// placeholder marks a ? argument of a partial application.
type placeholder struct{}

// procName is the token jsonata-js reports for a call: the function's name,
// or undefined for an anonymous procedure.
func procName(expr *node) any {
	if expr.procedure.typ == "path" && len(expr.procedure.steps) > 0 {
		if s, ok := expr.procedure.steps[0].value.(string); ok {
			return s
		}
	}
	if s, ok := expr.procedure.value.(string); ok {
		return s
	}
	return Undefined
}

func (ev *evaluator) function(expr *node, input any, env *frame, applyTo *any) (any, error) {
	proc, err := ev.eval(expr.procedure, input, env)
	if err != nil {
		return nil, err
	}
	if isUndef(proc) && expr.procedure.typ == "path" {
		if name, ok := expr.procedure.steps[0].value.(string); ok && !isUndef(env.lookup(name)) {
			return nil, errTok("T1005", expr.pos, name)
		}
	}
	args := make([]any, 0, len(expr.arguments)+1)
	if applyTo != nil {
		args = append(args, *applyTo)
	}
	for _, a := range expr.arguments {
		v, err := ev.eval(a, input, env)
		if err != nil {
			return nil, err
		}
		args = append(args, v)
	}
	result, err := ev.apply(proc, args, input, env)
	if err != nil {
		if e := (*Error)(nil); errors.As(err, &e) {
			// jsonata-js stamps the position of the call on every error
			// leaving a function, so the outermost call's position wins
			if e.Position < 0 || isFunc(proc) {
				e.Position = expr.pos
			}
			if !e.hasToken {
				e.token, e.hasToken = procName(expr), true
			}
		}
		return nil, err
	}
	return result, nil
}

func (ev *evaluator) apply(proc any, args []any, input any, env *frame) (any, error) {
	result, err := ev.applyInner(proc, args, input, env)
	for err == nil {
		l, ok := result.(*lambda)
		if !ok || !l.thunk {
			break
		}
		call := l.body
		next, err2 := ev.eval(call.procedure, l.input, l.env)
		if err2 != nil {
			return nil, err2
		}
		if isUndef(next) && call.procedure.typ == "path" {
			if name, ok := call.procedure.steps[0].value.(string); ok && !isUndef(l.env.lookup(name)) {
				return nil, errTok("T1005", call.pos, name)
			}
		}
		nargs := make([]any, 0, len(call.arguments))
		for _, a := range call.arguments {
			v, err2 := ev.eval(a, l.input, l.env)
			if err2 != nil {
				return nil, err2
			}
			nargs = append(nargs, v)
		}
		result, err = ev.applyInner(next, nargs, input, env)
		if err != nil {
			if e := (*Error)(nil); errors.As(err, &e) {
				if e.Position < 0 {
					e.Position = call.pos
				}
				if !e.hasToken {
					e.token, e.hasToken = procName(call), true
				}
			}
		}
	}
	return result, err
}

func (ev *evaluator) applyInner(proc any, args []any, input any, env *frame) (any, error) {
	ev.steps++
	if ev.steps > MaxSteps {
		return nil, &Error{Code: "U1002", Position: -1}
	}
	switch p := proc.(type) {
	case *lambda:
		if p.sig != nil {
			var err error
			if args, err = p.sig.validate(args, input); err != nil {
				return nil, err
			}
		}
		return ev.applyProcedure(p, args)
	case *native:
		if p.user != nil {
			return callUser(p.user, args)
		}
		if p.sig != nil {
			var err error
			if args, err = p.sig.validate(args, input); err != nil {
				return nil, err
			}
		}
		return p.impl(ev, args, &callCtx{input: input, env: env})
	case *matcher:
		return ev.callMatcher(p, args)
	case *composed:
		x := argAt(args, 0)
		fx, err := ev.apply(p.f, []any{x}, nil, env)
		if err != nil {
			return nil, err
		}
		return ev.apply(p.g, []any{fx}, nil, env)
	case *transformer:
		args, err := transformSig.validate(args, input)
		if err != nil {
			return nil, err
		}
		return ev.transform(p, args[0])
	}
	return nil, &Error{Code: "T1006", Position: -1}
}

var transformSig, _ = parseSignature("<(oa):o>")

func callUser(f Function, args []any) (result any, err error) {
	in := make([]any, len(args))
	for i, a := range args {
		if isUndef(a) {
			in[i] = Undefined
			continue
		}
		in[i] = toJSON(a)
	}
	defer func() {
		if r := recover(); r != nil {
			result, err = nil, errMsg("D3137", "function failed")
		}
	}()
	out, err := f(in)
	if err != nil {
		return nil, err
	}
	if out == nil {
		return nil, nil
	}
	return fromJSON(out), nil
}

func (ev *evaluator) applyProcedure(p *lambda, args []any) (any, error) {
	env := newFrame(p.env)
	for i, name := range p.params {
		env.bind(name, argAt(args, i))
	}
	if p.native != nil {
		nargs := make([]any, len(p.nativeParams))
		for i, name := range p.nativeParams {
			nargs[i] = env.lookup(name)
		}
		for len(nargs) > 0 && isUndef(nargs[len(nargs)-1]) {
			nargs = nargs[:len(nargs)-1]
		}
		return ev.applyInner(p.native, nargs, nil, env)
	}
	return ev.eval(p.body, p.input, env)
}

func (ev *evaluator) partial(expr *node, input any, env *frame) (any, error) {
	args := make([]any, 0, len(expr.arguments))
	for _, a := range expr.arguments {
		if a.typ == "operator" && a.value == "?" {
			args = append(args, placeholder{})
			continue
		}
		v, err := ev.eval(a, input, env)
		if err != nil {
			return nil, err
		}
		args = append(args, v)
	}
	proc, err := ev.eval(expr.procedure, input, env)
	if err != nil {
		return nil, err
	}
	if isUndef(proc) && expr.procedure.typ == "path" {
		if name, ok := expr.procedure.steps[0].value.(string); ok && !isUndef(env.lookup(name)) {
			return nil, errTok("T1007", expr.pos, name)
		}
	}
	switch p := proc.(type) {
	case *lambda:
		return partialApply(p, args), nil
	case callable:
		n := p.arity()
		if nt, ok := p.(*native); ok && nt.user != nil {
			n = len(args)
		}
		params := make([]string, n)
		for i := range params {
			params[i] = "\x00arg" + itoa(i)
		}
		base := &lambda{env: env, params: params, native: p, nativeParams: params}
		return partialApply(base, args), nil
	}
	return nil, errTok("T1008", expr.pos, procName(expr))
}

func partialApply(p *lambda, args []any) *lambda {
	env := newFrame(p.env)
	var unbound []string
	for i, name := range p.params {
		a := argAt(args, i)
		if _, ok := a.(placeholder); ok {
			unbound = append(unbound, name)
			continue
		}
		env.bind(name, a)
	}
	return &lambda{input: p.input, env: env, params: unbound, body: p.body, native: p.native, nativeParams: p.nativeParams}
}

func (ev *evaluator) applyExpr(expr *node, input any, env *frame) (any, error) {
	lhs, err := ev.eval(expr.lhs, input, env)
	if err != nil {
		return nil, err
	}
	if expr.rhs.typ == "function" {
		return ev.function(expr.rhs, input, env, &lhs)
	}
	fn, err := ev.eval(expr.rhs, input, env)
	if err != nil {
		return nil, err
	}
	if !isFunc(fn) {
		e := errVal("T2006", fn)
		e.Position = expr.pos
		return nil, e
	}
	if isFunc(lhs) {
		return &composed{f: lhs, g: fn}, nil
	}
	return ev.apply(fn, []any{lhs}, nil, env)
}

func (ev *evaluator) transform(t *transformer, obj any) (any, error) {
	if isUndef(obj) {
		return Undefined, nil
	}
	if !isFunc(t.env.lookup("clone")) {
		return nil, &Error{Code: "T2013", Position: t.expr.pos}
	}
	cloneFn := t.env.lookup("clone")
	result, err := ev.apply(cloneFn, []any{obj}, nil, t.env)
	if err != nil {
		return nil, err
	}
	matches, err := ev.eval(t.expr.pattern, result, t.env)
	if err != nil {
		return nil, err
	}
	if isUndef(matches) {
		return result, nil
	}
	list := []any{matches}
	if a, ok := matches.(*array); ok {
		list = a.items
	}
	for _, match := range list {
		if err := ev.transformOne(t, match); err != nil {
			return nil, err
		}
	}
	return result, nil
}

func (ev *evaluator) transformOne(t *transformer, match any) error {
	update, err := ev.eval(t.expr.update, match, t.env)
	if err != nil {
		return err
	}
	target, isObj := match.(*object)
	if !isUndef(update) {
		u, ok := update.(*object)
		if !ok {
			e := errVal("T2011", update)
			e.Position = t.expr.update.pos
			return e
		}
		if isObj {
			for _, k := range u.keys {
				target.set(k, u.m[k])
			}
		}
	}
	if t.expr.delete == nil {
		return nil
	}
	dels, err := ev.eval(t.expr.delete, match, t.env)
	if err != nil || isUndef(dels) {
		return err
	}
	list := dels
	if _, ok := dels.(*array); !ok {
		list = &array{items: []any{dels}}
	}
	if !isArrayOfStrings(list) {
		e := errVal("T2012", dels)
		e.Position = t.expr.delete.pos
		return e
	}
	if isObj {
		for _, k := range list.(*array).items {
			target.del(k.(string))
		}
	}
	return nil
}

// cloneValue is $clone: JSON.parse($string(v)).
func cloneValue(v any) any {
	switch x := v.(type) {
	case float64:
		return toPrecision15(x)
	case *array:
		out := &array{items: make([]any, 0, len(x.items))}
		for _, it := range x.items {
			if isUndef(it) {
				out.push(nil)
				continue
			}
			out.push(cloneValue(it))
		}
		return out
	case *object:
		out := newObject(len(x.keys))
		for _, k := range x.keys {
			it := x.m[k]
			if isUndef(it) {
				continue
			}
			out.set(k, cloneValue(it))
		}
		return out
	case callable:
		return ""
	}
	return v
}
