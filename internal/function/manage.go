package function

import (
	"cmp"
	"context"
	"maps"
	"slices"

	"github.com/fogbank/fogbank/internal/store"
)

// CreateFunction creates a function from a zip. It answers once the code
// and the configuration are durable.
func (s *Service) CreateFunction(ctx context.Context, c Caller, in CreateInput) (Function, error) {
	r, err := parseCreateName(c, in.Name)
	if err != nil {
		return Function{}, err
	}
	if r.qualifier != "" {
		return Function{}, invalidParameter("Unsupported function name: %s", in.Name)
	}
	if err := validateCreate(&in); err != nil {
		return Function{}, err
	}
	if err := validateTags(in.Tags); err != nil {
		return Function{}, err
	}
	layers, err := s.resolveLayers(c, in.Layers)
	if err != nil {
		return Function{}, err
	}
	info, err := s.storeCode(in.ZipFile, in.HotReloadDir)
	if err != nil {
		return Function{}, err
	}
	f := Function{
		Account: c.Account, Region: c.Region, Name: r.name, Runtime: in.Runtime, Role: *in.Role, Handler: in.Handler,
		Description: in.Description, Timeout: DefaultTimeout, MemorySize: DefaultMemorySize,
		Environment: in.Environment, Architectures: in.Architectures, Tags: in.Tags,
		DeadLetterArn: in.DeadLetterArn, Layers: layers,
	}
	if in.SnapStart != nil {
		f.SnapStart = snapStart(*in.SnapStart)
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
	accepted := f
	accepted.Progress = Creating
	f.RevisionID = s.ids.UUID() // settled
	s.mu.Lock()
	defer s.mu.Unlock()
	if _, ok := s.functions[keyOf(&f)]; ok {
		return Function{}, errorf(CodeResourceConflict, "Function already exist: %s", f.Name)
	}
	fn := s.newFunction(f)
	changes := []store.Change{putRecord(&f)}
	var v *version
	if in.Publish {
		v, changes = s.newVersion(fn, "", changes)
	}
	if err := s.store.Apply(ctx, changes...); err != nil {
		return Function{}, err
	}
	s.functions[keyOf(&f)] = fn
	if v != nil {
		s.addVersion(fn, v)
		accepted.VersionID = v.cfg.VersionID
	}
	return accepted, nil
}

func (s *Service) setCode(f *Function, info codeInfo) {
	f.CodeKey, f.CodeSha256, f.CodeSize, f.HotReloadDir = info.key, info.sha256, info.size, info.dir
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
	return f.configOf(r.qualifier), nil
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

// ListAllVersions is ListFunctions with FunctionVersion ALL: every
// function's $LATEST (qualified) and published versions, by name and
// version, at most 50 a page; the marker is the last entry's qualified
// name (name:version) of the previous page.
func (s *Service) ListAllVersions(_ context.Context, c Caller, marker string, maxItems int) (ListOutput, error) {
	if maxItems < 0 || maxItems > 10000 {
		return ListOutput{}, constraint(maxItems, "maxItems", "Member must have value less than or equal to 10000")
	}
	limit := min(cmp.Or(maxItems, 50), 50)
	s.mu.RLock()
	var all []Function
	for k, f := range s.functions {
		if k.account != c.Account || k.region != c.Region {
			continue
		}
		all = append(all, f.configOf(latest))
		for v := range f.versions {
			all = append(all, f.configOf(v))
		}
	}
	s.mu.RUnlock()
	slices.SortFunc(all, func(a, b Function) int {
		return cmp.Or(cmp.Compare(a.Name, b.Name), cmp.Compare(versionNumber(a.VersionID), versionNumber(b.VersionID)))
	})
	if marker != "" {
		i := slices.IndexFunc(all, func(f Function) bool { return f.Name+":"+f.Version() == marker })
		all = all[i+1:]
	}
	out := ListOutput{Functions: all}
	if len(all) > limit {
		last := all[limit-1]
		out.Functions, out.NextMarker = all[:limit], last.Name+":"+last.Version()
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
	if isAliasName(r.qualifier) {
		return invalidParameter("Deletion of aliases is not currently supported.")
	}
	if r.qualifier != "" {
		return s.deleteVersion(ctx, c, r)
	}
	s.mu.Lock()
	f, err := s.lookup(c, r)
	if err != nil {
		s.mu.Unlock()
		return err
	}
	changes := []store.Change{deleteRecord(&f.cfg), store.DeleteRecord{Kind: RecordState, Key: recordKey(&f.cfg)}}
	keys := []string{f.cfg.CodeKey}
	for _, v := range f.versions {
		changes = append(changes, store.DeleteRecord{Kind: RecordVersion, Key: versionKey(&v.cfg)})
		keys = append(keys, v.cfg.CodeKey)
	}
	for _, a := range f.aliases {
		changes = append(changes, store.DeleteRecord{Kind: RecordAlias, Key: a.recordKey()})
	}
	changes, forget := s.deleting(keyOf(&f.cfg), "", changes)
	if err := s.store.Apply(ctx, changes...); err != nil {
		s.mu.Unlock()
		return err
	}
	delete(s.functions, keyOf(&f.cfg))
	forget()
	var orphans []string
	for _, k := range keys {
		if !s.codeInUse(k) && !slices.Contains(orphans, k) {
			orphans = append(orphans, k)
		}
	}
	s.mu.Unlock()
	for _, p := range f.pools() {
		p.close(false)
	}
	for _, k := range orphans {
		s.code.remove(k)
	}
	return nil
}

// CodeZip returns the deployment package stored under a function's CodeKey
// (what GetFunction's Code.Location downloads); os.ErrNotExist if none is.
func (s *Service) CodeZip(key string) ([]byte, error) { return s.code.zip(key) }

// codeInUse reports whether any function or version runs the code, or a
// layer (published, or attached to a function) holds it: identical zips
// share one stored file. Callers hold s.mu.
func (s *Service) codeInUse(key string) bool {
	if s.layerCodeInUse(key) || s.layerVersionsUse(key) {
		return true
	}
	for _, f := range s.functions {
		if f.cfg.CodeKey == key {
			return true
		}
		for _, v := range f.versions {
			if v.cfg.CodeKey == key {
				return true
			}
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
	if len(in.ZipFile) == 0 && in.HotReloadDir == "" {
		return Function{}, invalidParameter("Please specify a source for function code.")
	}
	info, err := s.storeCode(in.ZipFile, in.HotReloadDir)
	if err != nil {
		return Function{}, err
	}
	f, err := s.update(ctx, c, r, in.RevisionID, func(f *Function) error {
		s.setCode(f, info)
		return nil
	})
	if err != nil || !in.Publish {
		return f, err
	}
	// AWS answers the new version, as being created.
	v, err := s.PublishVersion(ctx, c, PublishInput{Name: in.Name})
	if err != nil {
		return Function{}, err
	}
	v.Progress = Creating
	return v, nil
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
	var layers []FunctionLayer
	if in.Layers != nil {
		if layers, err = s.resolveLayers(c, *in.Layers); err != nil {
			return Function{}, err
		}
	}
	return s.update(ctx, c, r, in.RevisionID, func(f *Function) error {
		applyUpdate(f, &in)
		if in.Layers != nil {
			f.Layers = layers
		}
		f.LastModified = s.clock.Now().UTC()
		f.RevisionID = s.ids.UUID()
		return nil
	})
}

func validateUpdate(in *UpdateConfigInput) error {
	if in.Role != nil && !roleRE.MatchString(*in.Role) {
		return constraint(*in.Role, "role", "Member must satisfy regular expression pattern: "+rolePattern)
	}
	if err := validateSnapStart(in.SnapStart); err != nil {
		return err
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
	if in.DeadLetterArn != nil {
		if err := validateDeadLetter(*in.DeadLetterArn); err != nil {
			return err
		}
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
	setIf(&f.DeadLetterArn, in.DeadLetterArn)
	if in.Environment != nil {
		f.Environment = maps.Clone(*in.Environment)
	}
	if in.SnapStart != nil {
		f.SnapStart = snapStart(*in.SnapStart)
	}
}

func setIf[T any](dst *T, v *T) {
	if v != nil {
		*dst = *v
	}
}

// update applies change to a copy of the function, stores it settled
// under a new revision, and retires the function's pool so that new
// invocations see the change. It answers the change as accepted (see
// Progress).
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
	accepted := next
	accepted.Progress = Updating
	next.RevisionID = s.ids.UUID() // settled
	if err := s.store.Apply(ctx, putRecord(&next)); err != nil {
		s.mu.Unlock()
		return Function{}, err
	}
	old := f.pool
	oldKey := f.cfg.CodeKey
	// A new entry: an old one's cfg is read without s.mu by invokers.
	nf := *f
	nf.cfg, nf.pool = next, s.newPool(next)
	s.functions[keyOf(&next)] = &nf
	orphan := oldKey != next.CodeKey && !s.codeInUse(oldKey)
	s.mu.Unlock()
	old.close(false)
	if orphan {
		s.code.remove(oldKey)
	}
	return accepted, nil
}
