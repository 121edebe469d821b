package schema

import (
	"context"
	"regexp"
	"strings"

	"github.com/fogbank/fogbank/internal/store"
)

// registryRecord is a registry as stored.
type registryRecord struct {
	Account     string            `json:"account"`
	Region      string            `json:"region"`
	Name        string            `json:"name"`
	Description string            `json:"description,omitempty"`
	Tags        map[string]string `json:"tags,omitempty"`
	Created     int64             `json:"created"`
}

func (r registryRecord) key() string { return r.Account + "/" + r.Region + "/" + r.Name }

// registry is one registry with its schemas by name.
type registry struct {
	rec     registryRecord
	schemas map[string]*schemaEntry
	aws     bool // aws.events: read-only
}

// RegistryInfo describes a registry.
type RegistryInfo struct {
	Arn         string
	Name        string
	Description string
	Tags        map[string]string
}

var namePattern = regexp.MustCompile(`^[A-Za-z0-9._@-]{1,64}$`)

func (s *Service) registryInfo(c Caller, r *registry) RegistryInfo {
	return RegistryInfo{Arn: s.arn(c, "registry/"+r.rec.Name), Name: r.rec.Name, Description: r.rec.Description, Tags: copyTags(r.rec.Tags)}
}

// getLocked finds a registry, built-in ones included (an untouched
// discovered-schemas registry is returned without being kept).
func (s *Service) getLocked(c Caller, name string) *registry {
	if name == AWSRegistry {
		return s.awsEvents(c)
	}
	if r := s.registries[c.key(name)]; r != nil {
		return r
	}
	if name == DiscoveredRegistry {
		return &registry{rec: registryRecord{Account: c.Account, Region: c.Region, Name: name}, schemas: map[string]*schemaEntry{}}
	}
	return nil
}

// localLocked finds a registry the account can write, keeping a
// discovered-schemas registry in memory once touched. aws.events is nil.
func (s *Service) localLocked(c Caller, name string) *registry {
	if name == AWSRegistry {
		return nil
	}
	r := s.getLocked(c, name)
	if r != nil && name == DiscoveredRegistry {
		s.registries[c.key(name)] = r
	}
	return r
}

func registryNotFound(name string) error {
	return notFound("Registry with name %s does not exist.", name)
}

// CreateRegistryInput creates a registry.
type CreateRegistryInput struct {
	Caller
	Name        string
	Description string
	Tags        map[string]string
}

// CreateRegistry creates a registry.
func (s *Service) CreateRegistry(ctx context.Context, in CreateRegistryInput) (RegistryInfo, error) {
	if !namePattern.MatchString(in.Name) {
		return RegistryInfo{}, badRequest("RegistryName must match pattern %s.", namePattern)
	}
	if err := validDescription(in.Description); err != nil {
		return RegistryInfo{}, err
	}
	if strings.HasPrefix(in.Name, "aws.") || in.Name == DiscoveredRegistry {
		if in.Name == AWSRegistry || in.Name == DiscoveredRegistry {
			return RegistryInfo{}, conflict("Registry with name %s already exists.", in.Name)
		}
		return RegistryInfo{}, badRequest("Registry names starting with aws. are reserved.")
	}
	s.mu.Lock()
	if s.registries[in.key(in.Name)] != nil {
		s.mu.Unlock()
		return RegistryInfo{}, conflict("Registry with name %s already exists.", in.Name)
	}
	r := &registry{rec: registryRecord{
		Account: in.Account, Region: in.Region, Name: in.Name, Description: in.Description,
		Tags: copyTags(in.Tags), Created: millis(s.clock.Now()),
	}, schemas: map[string]*schemaEntry{}}
	s.registries[in.key(in.Name)] = r
	info := s.registryInfo(in.Caller, r)
	wait := s.commit(put(RecordRegistry, r.rec.key(), r.rec))
	s.mu.Unlock()
	return info, wait(ctx)
}

// DescribeRegistry describes a registry.
func (s *Service) DescribeRegistry(_ context.Context, c Caller, name string) (RegistryInfo, error) {
	s.mu.RLock()
	defer s.mu.RUnlock()
	r := s.getLocked(c, name)
	if r == nil {
		return RegistryInfo{}, registryNotFound(name)
	}
	return s.registryInfo(c, r), nil
}

// UpdateRegistry sets a registry's description.
func (s *Service) UpdateRegistry(ctx context.Context, c Caller, name, description string) (RegistryInfo, error) {
	if err := validDescription(description); err != nil {
		return RegistryInfo{}, err
	}
	s.mu.Lock()
	if name == AWSRegistry {
		s.mu.Unlock()
		return RegistryInfo{}, forbidden("Registry %s is managed by AWS and cannot be modified.", name)
	}
	r := s.localLocked(c, name)
	if r == nil {
		s.mu.Unlock()
		return RegistryInfo{}, registryNotFound(name)
	}
	r.rec.Description = description
	info := s.registryInfo(c, r)
	wait := s.commit(put(RecordRegistry, r.rec.key(), r.rec))
	s.mu.Unlock()
	return info, wait(ctx)
}

// DeleteRegistry deletes a registry with its schemas and policy.
func (s *Service) DeleteRegistry(ctx context.Context, c Caller, name string) error {
	s.mu.Lock()
	if name == AWSRegistry || name == DiscoveredRegistry {
		s.mu.Unlock()
		return badRequest("Registry %s is a built-in registry and cannot be deleted.", name)
	}
	r := s.registries[c.key(name)]
	if r == nil {
		s.mu.Unlock()
		return registryNotFound(name)
	}
	changes := []store.Change{store.DeleteRecord{Kind: RecordRegistry, Key: r.rec.key()}}
	for _, e := range r.schemas {
		changes = append(changes, store.DeleteRecord{Kind: RecordSchema, Key: e.rec.key()})
	}
	if p := s.policies[c.key(name)]; p != nil {
		changes = append(changes, store.DeleteRecord{Kind: RecordPolicy, Key: p.key()})
		delete(s.policies, c.key(name))
	}
	delete(s.registries, c.key(name))
	wait := s.commit(changes...)
	s.mu.Unlock()
	return wait(ctx)
}

// Registry scopes of ListRegistries.
const (
	ScopeLocal = "LOCAL"
	ScopeAWS   = "AWS"
)

// ListRegistriesInput lists registries.
type ListRegistriesInput struct {
	Caller
	Prefix string
	Scope  string // LOCAL, AWS or "" for both
	Page
}

// ListRegistries lists registries by name.
func (s *Service) ListRegistries(_ context.Context, in ListRegistriesInput) ([]RegistryInfo, string, error) {
	if in.Scope != "" && in.Scope != ScopeLocal && in.Scope != ScopeAWS {
		return nil, "", badRequest("Scope must be one of LOCAL, AWS.")
	}
	s.mu.RLock()
	defer s.mu.RUnlock()
	byName := map[string]*registry{}
	if in.Scope != ScopeLocal {
		byName[AWSRegistry] = s.getLocked(in.Caller, AWSRegistry)
	}
	if in.Scope != ScopeAWS {
		byName[DiscoveredRegistry] = s.getLocked(in.Caller, DiscoveredRegistry)
		for k, r := range s.registries {
			if k.account == in.Account && k.region == in.Region {
				byName[k.name] = r
			}
		}
	}
	var names []string
	for n := range byName {
		if strings.HasPrefix(n, in.Prefix) {
			names = append(names, n)
		}
	}
	names, next, err := page(names, in.Page)
	if err != nil {
		return nil, "", err
	}
	out := make([]RegistryInfo, 0, len(names))
	for _, n := range names {
		out = append(out, s.registryInfo(in.Caller, byName[n]))
	}
	return out, next, nil
}

func validDescription(d string) error {
	if len(d) > 256 {
		return badRequest("Description must be at most 256 characters long.")
	}
	return nil
}

func copyTags(t map[string]string) map[string]string {
	if len(t) == 0 {
		return nil
	}
	out := make(map[string]string, len(t))
	for k, v := range t {
		out[k] = v
	}
	return out
}
