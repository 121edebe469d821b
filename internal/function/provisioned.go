package function

import (
	"cmp"
	"context"
	"maps"
	"slices"
	"time"
)

// Provisioned concurrency statuses.
const (
	ProvisionedInProgress = "IN_PROGRESS"
	ProvisionedReady      = "READY"
	ProvisionedFailed     = "FAILED"
)

// ProvisionedStatus is a provisioned concurrency configuration and how far
// its sandboxes are.
type ProvisionedStatus struct {
	FunctionArn  string // the version's or alias's ARN
	Requested    int
	Available    int
	Allocated    int
	Status       string
	StatusReason string
	LastModified time.Time
}

// PutProvisionedConcurrency asks for n sandboxes of a version or alias to
// be initialised ahead and kept warm; it answers IN_PROGRESS and the
// configuration turns READY once they are.
func (s *Service) PutProvisionedConcurrency(ctx context.Context, c Caller, name, qualifier string, n int) (ProvisionedStatus, error) {
	if n < 1 {
		return ProvisionedStatus{}, constraint(n, "provisionedConcurrentExecutions", "Member must have value greater than or equal to 1")
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	f, q, err := s.provisionedTarget(c, name, qualifier, "Provisioned Concurrency Configs cannot be applied to unpublished function versions.")
	if err != nil {
		return ProvisionedStatus{}, err
	}
	if err := f.checkProvisionedConflict(q); err != nil {
		return ProvisionedStatus{}, err
	}
	if err := s.checkProvisionedLimit(c, f, q, n); err != nil {
		return ProvisionedStatus{}, err
	}
	st := f.state
	st.Provisioned = maps.Clone(st.Provisioned)
	if st.Provisioned == nil {
		st.Provisioned = map[string]Provisioned{}
	}
	st.Provisioned[q] = Provisioned{Requested: n, LastModified: s.clock.Now().UTC()}
	if err := s.store.Apply(ctx, putStateRecord(&f.cfg, st)); err != nil {
		return ProvisionedStatus{}, err
	}
	f.state = st
	s.provision(f)
	out := f.provisionedStatus(q)
	out.Status, out.Available, out.Allocated = ProvisionedInProgress, 0, 0
	return out, nil
}

// provisionedTarget resolves the function and the version or alias a
// provisioned concurrency operation names; latestMsg is the operation's
// refusal of $LATEST. Callers hold s.mu.
func (s *Service) provisionedTarget(c Caller, name, qualifier, latestMsg string) (*function, string, error) {
	r, err := parseName(c, name, qualifier)
	if err != nil {
		return nil, "", err
	}
	switch {
	case r.qualifier == "":
		return nil, "", constraint("null", "qualifier", "Member must not be null")
	case r.qualifier == latest:
		return nil, "", invalidParameter("%s", latestMsg)
	}
	arn := functionARN(c.Region, c.Account, r.name) + ":" + r.qualifier
	f, ok := s.functions[funcKey{c.Account, c.Region, r.name}]
	if weightKeyRE.MatchString(r.qualifier) {
		if !ok || f.versions[r.qualifier] == nil {
			return nil, "", notFound(arn)
		}
		return f, r.qualifier, nil
	}
	if !ok || f.aliases[r.qualifier] == nil {
		return nil, "", errorf(CodeResourceNotFound, "Cannot find alias arn: %s", arn)
	}
	return f, r.qualifier, nil
}

// checkProvisionedConflict refuses provisioned concurrency on both an
// alias and the version it points to. Callers hold s.mu.
func (f *function) checkProvisionedConflict(q string) error {
	if a, ok := f.aliases[q]; ok {
		if _, ok := f.state.Provisioned[a.FunctionVersion]; ok {
			return errorf(CodeResourceConflict, "Alias can't be used for Provisioned Concurrency configuration on an already Provisioned version")
		}
		return nil
	}
	for name := range f.state.Provisioned {
		if a, ok := f.aliases[name]; ok && a.FunctionVersion == q {
			return errorf(CodeResourceConflict, "Version is pointed by a Provisioned Concurrency alias")
		}
	}
	return nil
}

// checkProvisionedLimit checks the function's provisioned total with n for
// q against its reservation, or else the account's unreserved pool.
// Callers hold s.mu.
func (s *Service) checkProvisionedLimit(c Caller, f *function, q string, n int) error {
	total := f.provisionedTotal(q) + n
	if f.state.Reserved != nil {
		if total > *f.state.Reserved {
			return invalidParameter("Requested Provisioned Concurrency should not be greater than the reservedConcurrentExecution for function")
		}
		return nil
	}
	unreserved := AccountConcurrency - s.reservedBy(c, nil)
	if total > unreserved {
		return invalidParameter("Specified ConcurrentExecutions for function is greater than account's unreserved concurrency [%d].", unreserved)
	}
	if unreserved-total < MinUnreserved {
		return invalidParameter("Specified ConcurrentExecutions for function decreases account's UnreservedConcurrentExecution below its minimum value of [%d].", MinUnreserved)
	}
	return nil
}

// provisionedTotal is the provisioned concurrency of the function's
// versions and aliases but except.
func (f *function) provisionedTotal(except string) int {
	total := 0
	for q, p := range f.state.Provisioned {
		if q != except {
			total += p.Requested
		}
	}
	return total
}

// GetProvisionedConcurrency returns one configuration's status.
func (s *Service) GetProvisionedConcurrency(_ context.Context, c Caller, name, qualifier string) (ProvisionedStatus, error) {
	s.mu.RLock()
	defer s.mu.RUnlock()
	f, q, err := s.provisionedTarget(c, name, qualifier, "The function resource provided must be an alias or a published version.")
	if err != nil {
		return ProvisionedStatus{}, err
	}
	if _, ok := f.state.Provisioned[q]; !ok {
		return ProvisionedStatus{}, errorf(CodeProvisionedConfigNotFound, "No Provisioned Concurrency Config found for this function")
	}
	return f.provisionedStatus(q), nil
}

// DeleteProvisionedConcurrency removes a configuration; its sandboxes
// become ordinary ones.
func (s *Service) DeleteProvisionedConcurrency(ctx context.Context, c Caller, name, qualifier string) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	f, q, err := s.provisionedTarget(c, name, qualifier, "The function resource provided must be an alias or a published version.")
	if err != nil {
		return err
	}
	if _, ok := f.state.Provisioned[q]; !ok {
		return nil // as on AWS: nothing to delete is no error
	}
	st := f.state
	st.Provisioned = withoutKey(st.Provisioned, q)
	if err := s.store.Apply(ctx, putStateRecord(&f.cfg, st)); err != nil {
		return err
	}
	f.state = st
	s.provision(f)
	return nil
}

// ListProvisionedConcurrency lists a function's configurations by ARN.
func (s *Service) ListProvisionedConcurrency(_ context.Context, c Caller, name string) ([]ProvisionedStatus, error) {
	r, err := parseName(c, name, "")
	if err != nil {
		return nil, err
	}
	r.qualifier = ""
	s.mu.RLock()
	defer s.mu.RUnlock()
	f, err := s.lookup(c, r)
	if err != nil {
		return nil, err
	}
	out := []ProvisionedStatus{}
	for q := range f.state.Provisioned {
		out = append(out, f.provisionedStatus(q))
	}
	slices.SortFunc(out, func(a, b ProvisionedStatus) int { return cmp.Compare(a.FunctionArn, b.FunctionArn) })
	return out, nil
}

// provisionedVersion is the version a provisioned qualifier warms.
func (f *function) provisionedVersion(q string) *version {
	if a, ok := f.aliases[q]; ok {
		q = a.FunctionVersion
	}
	return f.versionOrLatest(q)
}

// provisionedStatus reports a configuration from its version's pool.
// Callers hold s.mu.
func (f *function) provisionedStatus(q string) ProvisionedStatus {
	p := f.state.Provisioned[q]
	out := ProvisionedStatus{FunctionArn: f.cfg.ARN() + ":" + q, Requested: p.Requested, LastModified: p.LastModified, Status: ProvisionedInProgress}
	ready, failure := f.provisionedVersion(q).pool.provisioned()
	out.Available = min(ready, p.Requested)
	out.Allocated = out.Available
	switch {
	case ready >= p.Requested:
		out.Status = ProvisionedReady
	case failure != "":
		out.Status, out.StatusReason = ProvisionedFailed, "FUNCTION_ERROR_INIT_FAILURE"
	}
	return out
}

// provision sets how many sandboxes each version's pool keeps warm, from
// the function's provisioned configurations. Callers hold s.mu.
func (s *Service) provision(f *function) {
	want := map[*pool]int{}
	for q, p := range f.state.Provisioned {
		if v := f.provisionedVersion(q); v.cfg.VersionID != "" {
			want[v.pool] += p.Requested
		}
	}
	for _, v := range f.versions {
		v.pool.setKeep(want[v.pool])
	}
}
