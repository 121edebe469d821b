package function

import (
	"cmp"
	"context"
	"maps"
	"math/rand/v2"
	"regexp"
	"slices"
	"strconv"

	"github.com/fogbank/fogbank/internal/store"
)

// Alias is a named pointer to a version, optionally routing a share of
// invocations to one more version.
type Alias struct {
	Account         string             `json:"account"`
	Region          string             `json:"region"`
	Function        string             `json:"function"`
	Name            string             `json:"name"`
	FunctionVersion string             `json:"functionVersion"`
	Description     string             `json:"description,omitempty"`
	Weights         map[string]float64 `json:"weights,omitempty"` // AdditionalVersionWeights
	RevisionID      string             `json:"revisionId"`
}

// ARN is the alias's ARN: the function's, qualified with the alias name.
func (a *Alias) ARN() string { return functionARN(a.Region, a.Account, a.Function) + ":" + a.Name }

func (a *Alias) recordKey() string {
	return a.Account + "/" + a.Region + "/" + a.Function + "/" + a.Name
}

// uses reports whether the alias routes to version v.
func (a *Alias) uses(v string) bool {
	_, ok := a.Weights[v]
	return a.FunctionVersion == v || ok
}

// pick chooses the version one invocation runs: an additional version
// with its weight's probability, else the primary one.
func (a *Alias) pick() string {
	for v, w := range a.Weights {
		if rand.Float64() < w { //nolint:gosec // traffic shifting, not security
			return v
		}
	}
	return a.FunctionVersion
}

// AliasInput is CreateAlias's and UpdateAlias's input; for an update, nil
// leaves a field unchanged.
type AliasInput struct {
	Function        string
	Name            string
	FunctionVersion *string
	Description     *string
	Weights         *map[string]float64
	RevisionID      string
}

// AliasesOutput is one page of ListAliases.
type AliasesOutput struct {
	Aliases    []Alias
	NextMarker string
}

var (
	aliasRE     = regexp.MustCompile(`^[a-zA-Z0-9-_]+$`)
	versionRE   = regexp.MustCompile(`^(\$LATEST|[0-9]+)$`)
	weightKeyRE = regexp.MustCompile(`^[0-9]+$`)
)

// isAliasName reports whether a qualifier names an alias rather than a
// version.
func isAliasName(q string) bool { return aliasRE.MatchString(q) && !weightKeyRE.MatchString(q) }

func validateAliasName(name string) error {
	if len(name) < 1 || len(name) > 128 || !aliasRE.MatchString(name) || weightKeyRE.MatchString(name) {
		return constraint(name, "name", "Member must satisfy regular expression pattern: (?!^[0-9]+$)([a-zA-Z0-9-_]+)")
	}
	return nil
}

// validateWeights checks the model's constraints on AdditionalVersionWeights.
func validateWeights(w map[string]float64) error {
	keys := slices.Sorted(maps.Keys(w))
	for _, k := range keys {
		if len(k) < 1 || len(k) > 1024 || !weightKeyRE.MatchString(k) {
			return constraint(javaMap(w), "routingConfig.additionalVersionWeights", "Map keys must satisfy constraint: [Member must have length less than or equal to 1024, Member must have length greater than or equal to 1, Member must satisfy regular expression pattern: [0-9]+]")
		}
	}
	for _, k := range keys {
		if w[k] < 0 || w[k] > 1 {
			return constraint(javaMap(w), "routingConfig.additionalVersionWeights", "Map value must satisfy constraint: [Member must have value less than or equal to 1.0, Member must have value greater than or equal to 0.0, Member must not be null]")
		}
	}
	return nil
}

// javaMap renders a map as AWS's Java-side messages do: {2=0.5}.
func javaMap(w map[string]float64) string {
	s := "{"
	for i, k := range slices.Sorted(maps.Keys(w)) {
		if i > 0 {
			s += ", "
		}
		f := strconv.FormatFloat(w[k], 'f', -1, 64)
		if !slices.ContainsFunc([]rune(f), func(r rune) bool { return r == '.' }) {
			f += ".0"
		}
		s += k + "=" + f
	}
	return s + "}"
}

// CreateAlias creates an alias of a function's version.
func (s *Service) CreateAlias(ctx context.Context, c Caller, in AliasInput) (Alias, error) {
	r, err := parseName(c, in.Function, "")
	if err != nil {
		return Alias{}, err
	}
	if err := validateAliasName(in.Name); err != nil {
		return Alias{}, err
	}
	if in.FunctionVersion == nil || !versionRE.MatchString(*in.FunctionVersion) {
		v := "null"
		if in.FunctionVersion != nil {
			v = *in.FunctionVersion
		}
		return Alias{}, constraint(v, "functionVersion", "Member must satisfy regular expression pattern: (\\$LATEST|[0-9]+)")
	}
	var weights map[string]float64
	if in.Weights != nil {
		weights = *in.Weights
		if err := validateWeights(weights); err != nil {
			return Alias{}, err
		}
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	f, ok := s.functions[funcKey{c.Account, c.Region, r.name}]
	if !ok {
		return Alias{}, notFound(functionARN(c.Region, c.Account, r.name) + ":" + *in.FunctionVersion)
	}
	a := Alias{
		Account: c.Account, Region: c.Region, Function: r.name, Name: in.Name, FunctionVersion: *in.FunctionVersion,
		Description: derefOr(in.Description, ""), RevisionID: s.ids.UUID(),
	}
	if len(weights) > 0 {
		a.Weights = maps.Clone(weights)
	}
	if err := f.checkRouting(&a); err != nil {
		return Alias{}, err
	}
	if _, ok := f.aliases[a.Name]; ok {
		return Alias{}, errorf(CodeResourceConflict, "Alias already exists: %s", a.ARN())
	}
	if err := s.store.Apply(ctx, putJSON(RecordAlias, a.recordKey(), &a)); err != nil {
		return Alias{}, err
	}
	f.aliases[a.Name] = &a
	return a, nil
}

func derefOr[T any](p *T, d T) T {
	if p == nil {
		return d
	}
	return *p
}

// checkRouting checks an alias's versions exist and its routing is one
// more version besides the primary one. Callers hold s.mu.
func (f *function) checkRouting(a *Alias) error {
	if len(a.Weights) > 1 {
		return invalidParameter("Number of items in AdditionalVersionWeights cannot be greater than 1")
	}
	if a.FunctionVersion == latest && len(a.Weights) > 0 {
		e := invalidParameter("$LATEST is not supported for an alias pointing to more than 1 version")
		e.Untyped = true // as AWS answers it
		return e
	}
	if a.FunctionVersion != latest && f.versions[a.FunctionVersion] == nil {
		return notFound(f.cfg.ARN() + ":" + a.FunctionVersion)
	}
	for v := range a.Weights {
		if v == a.FunctionVersion {
			return invalidParameter("Invalid function version %s. Function version %s is already included in routing configuration.", v, v)
		}
		if f.versions[v] == nil {
			return notFound(f.cfg.ARN() + ":" + v)
		}
	}
	return nil
}

// GetAlias returns an alias.
func (s *Service) GetAlias(_ context.Context, c Caller, function, name string) (Alias, error) {
	r, err := parseName(c, function, "")
	if err != nil {
		return Alias{}, err
	}
	if err := validateAliasName(name); err != nil {
		return Alias{}, err
	}
	s.mu.RLock()
	defer s.mu.RUnlock()
	f, ok := s.functions[funcKey{c.Account, c.Region, r.name}]
	if !ok || f.aliases[name] == nil {
		return Alias{}, aliasNotFound(c, r.name, name)
	}
	return *f.aliases[name], nil
}

func aliasNotFound(c Caller, function, alias string) *Error {
	return errorf(CodeResourceNotFound, "Cannot find alias arn: %s:%s", functionARN(c.Region, c.Account, function), alias)
}

// UpdateAlias changes an alias's version, description or routing.
func (s *Service) UpdateAlias(ctx context.Context, c Caller, in AliasInput) (Alias, error) {
	r, err := parseName(c, in.Function, "")
	if err != nil {
		return Alias{}, err
	}
	if err := validateAliasName(in.Name); err != nil {
		return Alias{}, err
	}
	if in.FunctionVersion != nil && !versionRE.MatchString(*in.FunctionVersion) {
		return Alias{}, constraint(*in.FunctionVersion, "functionVersion", "Member must satisfy regular expression pattern: (\\$LATEST|[0-9]+)")
	}
	if in.Weights != nil {
		if err := validateWeights(*in.Weights); err != nil {
			return Alias{}, err
		}
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	f, ok := s.functions[funcKey{c.Account, c.Region, r.name}]
	if !ok || f.aliases[in.Name] == nil {
		if in.Weights != nil {
			// AWS resolves a routing change's alias as GetAlias does.
			return Alias{}, aliasNotFound(c, r.name, in.Name)
		}
		return Alias{}, errorf(CodeResourceNotFound, "Alias not found: %s:%s", functionARN(c.Region, c.Account, r.name), in.Name)
	}
	cur := f.aliases[in.Name]
	if in.RevisionID != "" && in.RevisionID != cur.RevisionID {
		return Alias{}, errorf(CodePreconditionFailed, "The Revision Id provided does not match the latest Revision Id. Call the GetFunction/GetAlias API to retrieve the latest Revision Id")
	}
	a := *cur
	setIf(&a.FunctionVersion, in.FunctionVersion)
	setIf(&a.Description, in.Description)
	if in.Weights != nil {
		a.Weights = nil
		if len(*in.Weights) > 0 {
			a.Weights = maps.Clone(*in.Weights)
		}
	}
	if err := f.checkRouting(&a); err != nil {
		return Alias{}, err
	}
	if err := f.checkAliasProvisioned(&a); err != nil {
		return Alias{}, err
	}
	a.RevisionID = s.ids.UUID()
	if err := s.store.Apply(ctx, putJSON(RecordAlias, a.recordKey(), &a)); err != nil {
		return Alias{}, err
	}
	f.aliases[a.Name] = &a
	s.provision(f)
	return a, nil
}

// checkAliasProvisioned refuses to point a provisioned alias at a version
// with its own provisioned concurrency. Callers hold s.mu.
func (f *function) checkAliasProvisioned(a *Alias) error {
	if _, ok := f.state.Provisioned[a.Name]; !ok {
		return nil
	}
	if _, ok := f.state.Provisioned[a.FunctionVersion]; ok {
		return errorf(CodeResourceConflict, "Alias can't be used for Provisioned Concurrency configuration on an already Provisioned version")
	}
	return nil
}

// DeleteAlias deletes an alias and its provisioned concurrency and policy;
// deleting a missing alias succeeds, as in AWS.
func (s *Service) DeleteAlias(ctx context.Context, c Caller, function, name string) error {
	r, err := parseName(c, function, "")
	if err != nil {
		return err
	}
	if err := validateAliasName(name); err != nil {
		return err
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	f, ok := s.functions[funcKey{c.Account, c.Region, r.name}]
	if !ok {
		return notFound(functionARN(c.Region, c.Account, r.name))
	}
	a, ok := f.aliases[name]
	if !ok {
		return nil
	}
	st := f.state
	st.Provisioned = withoutKey(st.Provisioned, name)
	st.Policies = withoutKey(st.Policies, name)
	if err := s.store.Apply(ctx, store.DeleteRecord{Kind: RecordAlias, Key: a.recordKey()}, putStateRecord(&f.cfg, st)); err != nil {
		return err
	}
	delete(f.aliases, name)
	f.state = st
	s.provision(f)
	return nil
}

// ListAliases lists a function's aliases by name, optionally only those
// routing to one version, at most 50 a page.
func (s *Service) ListAliases(_ context.Context, c Caller, function, version, marker string, maxItems int) (AliasesOutput, error) {
	r, err := parseName(c, function, "")
	if err != nil {
		return AliasesOutput{}, err
	}
	if version != "" && !versionRE.MatchString(version) {
		return AliasesOutput{}, constraint(version, "functionVersion", "Member must satisfy regular expression pattern: (\\$LATEST|[0-9]+)")
	}
	if maxItems < 0 || maxItems > 10000 {
		return AliasesOutput{}, constraint(maxItems, "maxItems", "Member must have value less than or equal to 10000")
	}
	r.qualifier = ""
	s.mu.RLock()
	f, err := s.lookup(c, r)
	if err != nil {
		s.mu.RUnlock()
		return AliasesOutput{}, err
	}
	var all []Alias
	for _, a := range f.aliases {
		if (version == "" || a.uses(version)) && a.Name > marker {
			all = append(all, *a)
		}
	}
	s.mu.RUnlock()
	slices.SortFunc(all, func(a, b Alias) int { return cmp.Compare(a.Name, b.Name) })
	limit := min(cmp.Or(maxItems, 50), 50)
	out := AliasesOutput{Aliases: all}
	if len(all) > limit {
		out.Aliases, out.NextMarker = all[:limit], all[limit-1].Name
	}
	return out, nil
}
