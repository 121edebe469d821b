package lang

import (
	"errors"
)

// errInvalid marks a function's argument failure; Eval turns it into AWS's
// "Invalid arguments in States.X" cause.
var errInvalid = errors.New("invalid arguments")

// Eval evaluates the call. Every failure is an *Error whose Name is
// "States.Runtime" (what AWS reports for intrinsic failures) and whose Cause
// names the failing call.
func (c *Call) Eval(rt Runtime) (any, error) {
	args := make([]any, len(c.args))
	for i, a := range c.args {
		v, err := a.eval(c, rt)
		if err != nil {
			return nil, err
		}
		args[i] = v
		if i == 0 && a.kind == argString && c.name == "States.Format" {
			args[i] = template(a.raw)
		}
	}
	v, err := c.fn.impl(args, rt)
	if err != nil {
		return nil, c.failure("Invalid arguments in " + c.name)
	}
	return v, nil
}

func (c *Call) failure(detail string) *Error {
	return &Error{
		Name:  "States.Runtime",
		Cause: "There was an error while evaluating the intrinsic function: " + c.src + ". " + detail,
	}
}

func (a Arg) eval(c *Call, rt Runtime) (any, error) {
	switch a.kind {
	case argString:
		return a.str, nil
	case argNumber:
		return a.num, nil
	case argBool:
		return a.b, nil
	case argNull:
		return nil, nil
	case argCall:
		return a.call.Eval(rt)
	case argPath:
		if rt.Resolve == nil {
			return nil, c.failure("The JsonPath argument for the field '" + a.str + "' could not be resolved")
		}
		v, err := rt.Resolve(a.str)
		if err != nil {
			return nil, c.failure(err.Error())
		}
		return v, nil
	}
	return nil, c.failure("invalid argument")
}
