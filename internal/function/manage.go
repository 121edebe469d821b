package function

import (
	"cmp"
	"context"
	"maps"
	"slices"
)

// CreateFunction creates a function from a zip. It answers once the code
// and the configuration are durable.
func (s *Service) CreateFunction(ctx context.Context, c Caller, in CreateInput) (Function, error) {
	r, err := parseName(c, in.Name, "")
	if err != nil {
		return Function{}, err
	}
	if r.qualifier != "" {
		return Function{}, invalidParameter("Unsupported function name: %s", in.Name)
	}
	if err := validateCreate(&in); err != nil {
		return Function{}, err
	}
	info, err := inspect(in.ZipFile)
	if err != nil {
		return Function{}, err
	}
	if err := s.code.save(info, in.ZipFile); err != nil {
		return Function{}, err
	}
	f := Function{
		Account: c.Account, Region: c.Region, Name: r.name, Runtime: in.Runtime, Role: *in.Role, Handler: in.Handler,
		Description: in.Description, Timeout: DefaultTimeout, MemorySize: DefaultMemorySize,
		Environment: in.Environment, Architectures: in.Architectures, Tags: in.Tags,
	}
	if len(f.Architectures) == 0 {
		f.Architectures = []string{"x86_64"}
	}
	if in.Timeout != nil {
		f.Timeout = *in.Timeout
	}
	if in.MemorySize != nil {
		f.MemorySize = *in.MemorySize
	}
	s.setCode(&f, info)
	s.mu.Lock()
	defer s.mu.Unlock()
	if _, ok := s.functions[keyOf(&f)]; ok {
		return Function{}, errorf(CodeResourceConflict, "Function already exist: %s", f.Name)
	}
	if err := s.store.Apply(ctx, putRecord(&f)); err != nil {
		return Function{}, err
	}
	s.functions[keyOf(&f)] = &function{cfg: f, pool: s.newPool(f)}
	return f, nil
}

func (s *Service) setCode(f *Function, info codeInfo) {
	f.CodeKey, f.CodeSha256, f.CodeSize = info.key, info.sha256, info.size
	f.LastModified = s.clock.Now().UTC()
	f.RevisionID = s.ids.UUID()
}

// GetFunction returns a function's configuration.
func (s *Service) GetFunction(_ context.Context, c Caller, name, qualifier string) (Function, error) {
	r, err := parseName(c, name, qualifier)
	if err != nil {
		return Function{}, err
	}
	s.mu.RLock()
	defer s.mu.RUnlock()
	f, err := s.lookup(c, r)
	if err != nil {
		return Function{}, err
	}
	return f.cfg, nil
}

// ListFunctions lists the caller's functions by name, at most 50 a page.
func (s *Service) ListFunctions(_ context.Context, c Caller, marker string, maxItems int) (ListOutput, error) {
	if maxItems < 0 || maxItems > 10000 {
		return ListOutput{}, constraint(maxItems, "maxItems", "Member must have value less than or equal to 10000")
	}
	limit := min(cmp.Or(maxItems, 50), 50)
	s.mu.RLock()
	var all []Function
	for k, f := range s.functions {
		if k.account == c.Account && k.region == c.Region && k.name > marker {
			all = append(all, f.cfg)
		}
	}
	s.mu.RUnlock()
	slices.SortFunc(all, func(a, b Function) int { return cmp.Compare(a.Name, b.Name) })
	out := ListOutput{Functions: all}
	if len(all) > limit {
		out.Functions, out.NextMarker = all[:limit], all[limit-1].Name
	}
	return out, nil
}

// DeleteFunction deletes a function and stops its sandboxes.
func (s *Service) DeleteFunction(ctx context.Context, c Caller, name, qualifier string) error {
	r, err := parseName(c, name, qualifier)
	if err != nil {
		return err
	}
	if r.qualifier == latest {
		return invalidParameter("$LATEST version cannot be deleted without deleting the function.")
	}
	s.mu.Lock()
	f, err := s.lookup(c, r)
	if err != nil {
		s.mu.Unlock()
		return err
	}
	if err := s.store.Apply(ctx, deleteRecord(&f.cfg)); err != nil {
		s.mu.Unlock()
		return err
	}
	delete(s.functions, keyOf(&f.cfg))
	orphan := !s.codeInUse(f.cfg.CodeKey)
	s.mu.Unlock()
	f.pool.close(false)
	if orphan {
		s.code.remove(f.cfg.CodeKey)
	}
	return nil
}

// CodeZip returns the deployment package stored under a function's CodeKey
// (what GetFunction's Code.Location downloads); os.ErrNotExist if none is.
func (s *Service) CodeZip(key string) ([]byte, error) { return s.code.zip(key) }

// codeInUse reports whether any function runs the code. Callers hold s.mu.
func (s *Service) codeInUse(key string) bool {
	for _, f := range s.functions {
		if f.cfg.CodeKey == key {
			return true
		}
	}
	return false
}

// UpdateFunctionCode replaces a function's code; new invocations run it.
func (s *Service) UpdateFunctionCode(ctx context.Context, c Caller, in UpdateCodeInput) (Function, error) {
	r, err := parseName(c, in.Name, "")
	if err != nil {
		return Function{}, err
	}
	if in.HasS3Code {
		return Function{}, invalidParameter("fogbank accepts function code as ZipFile only; S3Bucket/S3Key and ImageUri are not supported yet.")
	}
	if len(in.ZipFile) == 0 {
		return Function{}, invalidParameter("Please specify a source for function code.")
	}
	info, err := inspect(in.ZipFile)
	if err != nil {
		return Function{}, err
	}
	if err := s.code.save(info, in.ZipFile); err != nil {
		return Function{}, err
	}
	return s.update(ctx, c, r, in.RevisionID, func(f *Function) error {
		s.setCode(f, info)
		return nil
	})
}

// UpdateFunctionConfiguration changes the given fields of a function.
func (s *Service) UpdateFunctionConfiguration(ctx context.Context, c Caller, in UpdateConfigInput) (Function, error) {
	r, err := parseName(c, in.Name, "")
	if err != nil {
		return Function{}, err
	}
	if err := validateUpdate(&in); err != nil {
		return Function{}, err
	}
	return s.update(ctx, c, r, in.RevisionID, func(f *Function) error {
		applyUpdate(f, &in)
		f.LastModified = s.clock.Now().UTC()
		f.RevisionID = s.ids.UUID()
		return nil
	})
}

func validateUpdate(in *UpdateConfigInput) error {
	if in.Role != nil && !roleRE.MatchString(*in.Role) {
		return constraint(*in.Role, "role", "Member must satisfy regular expression pattern: "+rolePattern)
	}
	if in.Runtime != nil {
		if err := validateRuntime(*in.Runtime); err != nil {
			return err
		}
	}
	var env map[string]string
	if in.Environment != nil {
		env = *in.Environment
	}
	var desc string
	if in.Description != nil {
		desc = *in.Description
	}
	return validateLimits(in.Timeout, in.MemorySize, env, desc)
}

func applyUpdate(f *Function, in *UpdateConfigInput) {
	setIf(&f.Runtime, in.Runtime)
	setIf(&f.Role, in.Role)
	setIf(&f.Handler, in.Handler)
	setIf(&f.Description, in.Description)
	setIf(&f.Timeout, in.Timeout)
	setIf(&f.MemorySize, in.MemorySize)
	if in.Environment != nil {
		f.Environment = maps.Clone(*in.Environment)
	}
}

func setIf[T any](dst *T, v *T) {
	if v != nil {
		*dst = *v
	}
}

// update applies change to a copy of the function, stores it, and retires
// the function's pool so that new invocations see the change.
func (s *Service) update(ctx context.Context, c Caller, r ref, revision string, change func(*Function) error) (Function, error) {
	s.mu.Lock()
	f, err := s.lookup(c, r)
	if err != nil {
		s.mu.Unlock()
		return Function{}, err
	}
	if revision != "" && revision != f.cfg.RevisionID {
		s.mu.Unlock()
		return Function{}, errorf(CodePreconditionFailed, "The Revision Id provided does not match the latest Revision Id. Call the GetFunction/GetAlias API to retrieve the latest Revision Id")
	}
	next := f.cfg
	if err := change(&next); err != nil {
		s.mu.Unlock()
		return Function{}, err
	}
	if err := s.store.Apply(ctx, putRecord(&next)); err != nil {
		s.mu.Unlock()
		return Function{}, err
	}
	old := f.pool
	oldKey := f.cfg.CodeKey
	s.functions[keyOf(&next)] = &function{cfg: next, pool: s.newPool(next)}
	orphan := oldKey != next.CodeKey && !s.codeInUse(oldKey)
	s.mu.Unlock()
	old.close(false)
	if orphan {
		s.code.remove(oldKey)
	}
	return next, nil
}
