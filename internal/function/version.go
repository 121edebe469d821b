package function

import (
	"cmp"
	"context"
	"maps"
	"slices"
	"strconv"

	"github.com/fogbank/fogbank/internal/store"
)

// PublishInput is PublishVersion's input.
type PublishInput struct {
	Name        string
	CodeSha256  string // if set, MUST match $LATEST's
	Description string // the version's; $LATEST's when empty
	RevisionID  string // if set, MUST match $LATEST's
}

// VersionsOutput is one page of ListVersionsByFunction.
type VersionsOutput struct {
	Versions   []Function
	NextMarker string
}

// PublishVersion snapshots $LATEST as a new immutable version. Publishing
// unchanged code and configuration returns the latest version instead.
func (s *Service) PublishVersion(ctx context.Context, c Caller, in PublishInput) (Function, error) {
	r, err := parseName(c, in.Name, "")
	if err != nil {
		return Function{}, err
	}
	r.qualifier = ""
	if len(in.Description) > 256 {
		return Function{}, constraint(in.Description, "description", "Member must have length less than or equal to 256")
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	f, err := s.lookup(c, r)
	if err != nil {
		return Function{}, err
	}
	if in.RevisionID != "" && in.RevisionID != f.cfg.RevisionID {
		return Function{}, errorf(CodePreconditionFailed, "The Revision Id provided does not match the latest Revision Id. Call the GetFunction/GetAlias API to retrieve the latest Revision Id")
	}
	if in.CodeSha256 != "" && in.CodeSha256 != f.cfg.CodeSha256 {
		return Function{}, invalidParameter("CodeSHA256 (%s) is different from current CodeSHA256 in $LATEST (%s). Please try again with the CodeSHA256 in $LATEST.", in.CodeSha256, f.cfg.CodeSha256)
	}
	if last := f.versions[strconv.Itoa(f.state.LastVersion)]; last != nil && sameConfig(&last.cfg, &f.cfg) {
		return f.configOf(last.cfg.VersionID), nil
	}
	// Publishing gives $LATEST a new revision too.
	latestCfg := f.cfg
	latestCfg.RevisionID = s.ids.UUID()
	v, changes := s.newVersion(f, in.Description, []store.Change{putRecord(&latestCfg)})
	if err := s.store.Apply(ctx, changes...); err != nil {
		return Function{}, err
	}
	// A new entry: an old one's cfg is read without s.mu by invokers.
	nf := *f
	nf.cfg = latestCfg
	s.functions[keyOf(&latestCfg)] = &nf
	s.addVersion(&nf, v)
	return nf.configOf(v.cfg.VersionID), nil
}

// newVersion builds the function's next version and the changes that
// store it (appended to changes). Callers hold s.mu and call addVersion
// once the changes are durable.
func (s *Service) newVersion(f *function, description string, changes []store.Change) (*version, []store.Change) {
	cfg := f.cfg
	cfg.VersionID = strconv.Itoa(f.state.LastVersion + 1)
	cfg.Description = cmp.Or(description, f.cfg.Description)
	cfg.PublishedFrom = f.cfg.Description
	cfg.RevisionID = s.ids.UUID()
	cfg.LastModified = s.clock.Now().UTC()
	cfg.Environment = maps.Clone(cfg.Environment)
	cfg.Tags = nil
	st := f.state
	st.LastVersion++
	changes = append(changes, putVersionRecord(&cfg), putStateRecord(&f.cfg, st))
	return &version{cfg: cfg, pool: s.newPool(cfg)}, changes
}

func (s *Service) addVersion(f *function, v *version) {
	f.versions[v.cfg.VersionID] = v
	f.state.LastVersion++
}

// sameConfig reports whether a version holds $LATEST's code and
// configuration, $LATEST's description included.
func sameConfig(v, l *Function) bool {
	return v.PublishedFrom == l.Description && v.CodeSha256 == l.CodeSha256 && v.Runtime == l.Runtime && v.Role == l.Role && v.Handler == l.Handler &&
		v.Timeout == l.Timeout && v.MemorySize == l.MemorySize && maps.Equal(v.Environment, l.Environment) &&
		slices.Equal(v.Architectures, l.Architectures) && v.SnapStart == l.SnapStart
}

// ListVersions lists $LATEST and the published versions in order, at most
// 50 a page; the marker is the last version of the previous page.
func (s *Service) ListVersions(_ context.Context, c Caller, name, marker string, maxItems int) (VersionsOutput, error) {
	r, err := parseName(c, name, "")
	if err != nil {
		return VersionsOutput{}, err
	}
	if maxItems < 0 || maxItems > 10000 {
		return VersionsOutput{}, constraint(maxItems, "maxItems", "Member must have value less than or equal to 10000")
	}
	r.qualifier = ""
	s.mu.RLock()
	f, err := s.lookup(c, r)
	if err != nil {
		s.mu.RUnlock()
		return VersionsOutput{}, err
	}
	all := []Function{f.configOf(latest)}
	for _, v := range f.versions {
		all = append(all, f.configOf(v.cfg.VersionID))
	}
	s.mu.RUnlock()
	slices.SortFunc(all[1:], func(a, b Function) int { return cmp.Compare(versionNumber(a.VersionID), versionNumber(b.VersionID)) })
	if marker != "" {
		i := slices.IndexFunc(all, func(v Function) bool { return v.Version() == marker })
		all = all[i+1:]
	}
	limit := min(cmp.Or(maxItems, 50), 50)
	out := VersionsOutput{Versions: all}
	if len(all) > limit {
		out.Versions, out.NextMarker = all[:limit], all[limit-1].Version()
	}
	return out, nil
}

func versionNumber(v string) int {
	n, _ := strconv.Atoi(v)
	return n
}

// deleteVersion deletes one published version, unless an alias uses it.
func (s *Service) deleteVersion(ctx context.Context, c Caller, r ref) error {
	s.mu.Lock()
	f, ok := s.functions[funcKey{c.Account, c.Region, r.name}]
	if !ok {
		s.mu.Unlock()
		return notFound(functionARN(c.Region, c.Account, r.name))
	}
	v, ok := f.versions[r.qualifier]
	if !ok {
		s.mu.Unlock()
		return notFound(f.cfg.ARN() + ":" + r.qualifier)
	}
	var users []string
	for _, a := range f.aliases {
		if a.uses(r.qualifier) {
			users = append(users, a.Name)
		}
	}
	if len(users) > 0 {
		s.mu.Unlock()
		slices.Sort(users)
		return errorf(CodeResourceConflict, "Unable to delete version because the following aliases reference it: %v", users)
	}
	st := f.state
	st.Provisioned = withoutKey(st.Provisioned, r.qualifier)
	st.Policies = withoutKey(st.Policies, r.qualifier)
	changes, forget := s.deleting(keyOf(&f.cfg), r.qualifier, []store.Change{
		store.DeleteRecord{Kind: RecordVersion, Key: versionKey(&v.cfg)}, putStateRecord(&f.cfg, st),
	})
	if err := s.store.Apply(ctx, changes...); err != nil {
		s.mu.Unlock()
		return err
	}
	delete(f.versions, r.qualifier)
	forget()
	f.state = st
	orphan := !s.codeInUse(v.cfg.CodeKey)
	s.mu.Unlock()
	v.pool.close(false)
	if orphan {
		s.code.remove(v.cfg.CodeKey)
	}
	return nil
}

// withoutKey is a copy of m without k.
func withoutKey[V any](m map[string]V, k string) map[string]V {
	if _, ok := m[k]; !ok {
		return m
	}
	m = maps.Clone(m)
	delete(m, k)
	return m
}

func versionKey(v *Function) string { return recordKey(v) + "/" + v.VersionID }

func putVersionRecord(v *Function) store.Change {
	return putJSON(RecordVersion, versionKey(v), v)
}
