package awsapi

import "context"

// Operation is one entry of a service's operation table: how to make its
// input struct and how to call the domain with it.
type Operation struct {
	NewInput func() any
	Call     func(ctx context.Context, r *Request, in any) (any, error)
}

// Op adapts a typed operation handler to the table.
func Op[I any](f func(context.Context, *Request, *I) (any, error)) Operation {
	return Operation{
		NewInput: func() any { return new(I) },
		Call: func(ctx context.Context, r *Request, in any) (any, error) {
			return f(ctx, r, in.(*I)) //nolint:forcetypeassert // NewInput made it
		},
	}
}
