package function

import (
	"context"
	"sync"
)

// Account concurrency, as AWS has it by default.
const (
	AccountConcurrency = 1000 // concurrent executions per account and region
	MinUnreserved      = 100  // what reservations must leave unreserved
)

// Throttle reasons of TooManyRequestsException.
const (
	ReasonReserved = "ReservedFunctionConcurrentInvocationLimitExceeded"
	ReasonAccount  = "ConcurrentInvocationLimitExceeded"
)

// AccountSettings is GetAccountSettings's output.
type AccountSettings struct {
	ConcurrentExecutions           int
	UnreservedConcurrentExecutions int
	FunctionCount                  int
	TotalCodeSize                  int64
}

// PutFunctionConcurrency reserves concurrency for a function: at most that
// many of its invocations run at once, and the account's other functions
// share what is left.
func (s *Service) PutFunctionConcurrency(ctx context.Context, c Caller, name string, n *int) (int, error) {
	r, err := s.unqualified(c, name)
	if err != nil {
		return 0, err
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	f, ok := s.functions[funcKey{c.Account, c.Region, r.name}]
	if !ok {
		return 0, notFound(functionARN(c.Region, c.Account, r.name) + ":" + latest)
	}
	if n == nil {
		return 0, constraint("null", "reservedConcurrentExecutions", "Member must not be null")
	}
	if *n < 0 {
		return 0, constraint(*n, "reservedConcurrentExecutions", "Member must have value greater than or equal to 0")
	}
	if AccountConcurrency-s.reservedBy(c, f)-*n < MinUnreserved {
		return 0, invalidParameter("Specified ReservedConcurrentExecutions for function decreases account's UnreservedConcurrentExecution below its minimum value of [%d].", MinUnreserved)
	}
	if total := f.provisionedTotal(""); *n < total {
		return 0, invalidParameter("ReservedConcurrentExecutions %d should not be lower than function's total provisioned concurrency [%d].", *n, total)
	}
	st := f.state
	v := *n
	st.Reserved = &v
	if err := s.store.Apply(ctx, putStateRecord(&f.cfg, st)); err != nil {
		return 0, err
	}
	f.state = st
	return v, nil
}

// unqualified parses a name that MUST NOT carry a version or alias.
func (s *Service) unqualified(c Caller, name string) (ref, error) {
	r, err := parseName(c, name, "")
	if err != nil {
		return ref{}, err
	}
	if r.qualifier != "" {
		return ref{}, invalidParameter("This operation is permitted on Lambda functions only. Aliases and versions do not support this operation. Please specify either a function name or an unqualified function ARN.")
	}
	return r, nil
}

// reservedBy is the concurrency the caller's functions other than except
// reserve. Callers hold s.mu.
func (s *Service) reservedBy(c Caller, except *function) int {
	total := 0
	for k, f := range s.functions {
		if k.account == c.Account && k.region == c.Region && f != except && f.state.Reserved != nil {
			total += *f.state.Reserved
		}
	}
	return total
}

// GetFunctionConcurrency returns a function's reserved concurrency, nil
// when it has none.
func (s *Service) GetFunctionConcurrency(_ context.Context, c Caller, name string) (*int, error) {
	r, err := s.unqualified(c, name)
	if err != nil {
		return nil, err
	}
	s.mu.RLock()
	defer s.mu.RUnlock()
	f, err := s.lookup(c, r)
	if err != nil {
		return nil, err
	}
	return f.state.Reserved, nil
}

// DeleteFunctionConcurrency removes a function's reservation.
func (s *Service) DeleteFunctionConcurrency(ctx context.Context, c Caller, name string) error {
	r, err := s.unqualified(c, name)
	if err != nil {
		return err
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	f, err := s.lookup(c, r)
	if err != nil {
		return err
	}
	st := f.state
	st.Reserved = nil
	if err := s.store.Apply(ctx, putStateRecord(&f.cfg, st)); err != nil {
		return err
	}
	f.state = st
	return nil
}

// GetAccountSettings counts the caller's functions and code, and the
// concurrency reservations leave unreserved.
func (s *Service) GetAccountSettings(_ context.Context, c Caller) AccountSettings {
	s.mu.RLock()
	defer s.mu.RUnlock()
	out := AccountSettings{ConcurrentExecutions: AccountConcurrency, UnreservedConcurrentExecutions: AccountConcurrency - s.reservedBy(c, nil)}
	for k, f := range s.functions {
		if k.account != c.Account || k.region != c.Region {
			continue
		}
		out.FunctionCount++
		out.TotalCodeSize += f.cfg.CodeSize
		for _, v := range f.versions {
			out.TotalCodeSize += v.cfg.CodeSize
		}
	}
	return out
}

// concurrency counts running invocations per function and the unreserved
// ones per account, and wakes waiters when one ends.
type concurrency struct {
	mu         sync.Mutex
	running    map[funcKey]int
	unreserved map[Caller]int
	freed      chan struct{} // closed and replaced whenever an invocation ends
}

func newConcurrency() *concurrency {
	return &concurrency{running: map[funcKey]int{}, unreserved: map[Caller]int{}, freed: make(chan struct{})}
}

// slot is one invocation's claim on concurrency.
type slot struct {
	key      funcKey
	reserved *int // the function's reservation when claimed
	pool     int  // the account's unreserved pool then
}

// errThrottled is the error of a claim beyond a limit.
func errThrottled(reason string) *Error {
	e := errorf(CodeTooManyRequests, "Rate Exceeded.")
	e.Reason = reason
	return e
}

// tryAcquire claims a slot, or returns why it cannot.
func (c *concurrency) tryAcquire(sl slot) (<-chan struct{}, error) {
	c.mu.Lock()
	defer c.mu.Unlock()
	acct := Caller{Account: sl.key.account, Region: sl.key.region}
	switch {
	case sl.reserved != nil && c.running[sl.key] >= *sl.reserved:
		return c.freed, errThrottled(ReasonReserved)
	case sl.reserved == nil && c.unreserved[acct] >= sl.pool:
		return c.freed, errThrottled(ReasonAccount)
	}
	c.running[sl.key]++
	if sl.reserved == nil {
		c.unreserved[acct]++
	}
	return nil, nil
}

// acquire claims a slot, waiting for one with wait; without wait a claim
// beyond a limit fails with TooManyRequestsException.
func (c *concurrency) acquire(ctx context.Context, sl slot, wait bool) error {
	for {
		freed, err := c.tryAcquire(sl)
		if err == nil || !wait {
			return err
		}
		select {
		case <-freed:
		case <-ctx.Done():
			return err
		}
	}
}

// release ends a claim and wakes waiters.
func (c *concurrency) release(sl slot) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.running[sl.key]--; c.running[sl.key] <= 0 {
		delete(c.running, sl.key)
	}
	if sl.reserved == nil {
		acct := Caller{Account: sl.key.account, Region: sl.key.region}
		if c.unreserved[acct]--; c.unreserved[acct] <= 0 {
			delete(c.unreserved, acct)
		}
	}
	close(c.freed)
	c.freed = make(chan struct{})
}

// slotFor is the claim an invocation of f makes. Callers hold s.mu.
func (s *Service) slotFor(f *function) slot {
	c := Caller{Account: f.cfg.Account, Region: f.cfg.Region}
	return slot{key: keyOf(&f.cfg), reserved: f.state.Reserved, pool: AccountConcurrency - s.reservedBy(c, nil)}
}
