package schema

import (
	"context"
	"regexp"
	"strconv"
	"strings"
	"time"

	"github.com/fogbank/fogbank/internal/store"
)

// schemaRecord is a schema with every version, as stored.
type schemaRecord struct {
	Account     string            `json:"account"`
	Region      string            `json:"region"`
	Registry    string            `json:"registry"`
	Name        string            `json:"name"`
	Description string            `json:"description,omitempty"`
	Tags        map[string]string `json:"tags,omitempty"`
	Modified    int64             `json:"modified"`
	Next        int               `json:"next"` // the next version number
	Versions    []version         `json:"versions"`
	Bindings    []binding         `json:"bindings,omitempty"`
	Shape       *shape            `json:"shape,omitempty"` // discovered schemas: the merged shape
}

func (r schemaRecord) key() string {
	return r.Account + "/" + r.Region + "/" + r.Registry + "/" + r.Name
}

// version is one version of a schema.
type version struct {
	Version string `json:"version"`
	Type    string `json:"type"`
	Content string `json:"content"`
	Created int64  `json:"created"`
}

// schemaEntry is a schema in memory.
type schemaEntry struct {
	rec      schemaRecord
	compiled *compiledVersion // the latest version's validator, built on first use
}

type compiledVersion struct {
	version string
	root    *Schema
	err     error

	source, detailType string // what the root declares
}

func (e *schemaEntry) latest() version { return e.rec.Versions[len(e.rec.Versions)-1] }

func (e *schemaEntry) find(v string) (version, bool) {
	if v == "" {
		return e.latest(), true
	}
	for _, x := range e.rec.Versions {
		if x.Version == v {
			return x, true
		}
	}
	return version{}, false
}

// SchemaInfo describes one version of a schema.
type SchemaInfo struct {
	Arn          string
	Name         string
	Description  string
	Content      string
	Type         string
	Version      string
	VersionDate  time.Time
	LastModified time.Time
	Tags         map[string]string
}

var schemaNamePattern = regexp.MustCompile(`^[A-Za-z0-9._@-]{1,385}$`)

func (s *Service) schemaInfo(c Caller, e *schemaEntry, v version) SchemaInfo {
	return SchemaInfo{
		Arn: s.arn(c, "schema/"+e.rec.Registry+"/"+e.rec.Name), Name: e.rec.Name, Description: e.rec.Description,
		Content: v.Content, Type: v.Type, Version: v.Version, VersionDate: Time(v.Created),
		LastModified: Time(e.rec.Modified), Tags: copyTags(e.rec.Tags),
	}
}

func schemaNotFound(name string) error { return notFound("Schema with name %s does not exist.", name) }

// findLocked finds a schema (and its registry) for reading.
func (s *Service) findLocked(c Caller, registryName, name string) (*schemaEntry, error) {
	r := s.getLocked(c, registryName)
	if r == nil {
		return nil, registryNotFound(registryName)
	}
	e := r.schemas[name]
	if e == nil {
		return nil, schemaNotFound(name)
	}
	return e, nil
}

// writableLocked finds a registry a schema can be written into.
func (s *Service) writableLocked(c Caller, registryName string) (*registry, error) {
	if registryName == AWSRegistry {
		return nil, forbidden("Registry %s is managed by AWS and cannot be modified.", registryName)
	}
	r := s.localLocked(c, registryName)
	if r == nil {
		return nil, registryNotFound(registryName)
	}
	return r, nil
}

// CreateSchemaInput creates a schema with its first version.
type CreateSchemaInput struct {
	Caller
	Registry    string
	Name        string
	Type        string
	Content     string
	Description string
	Tags        map[string]string
}

// CreateSchema creates a schema.
func (s *Service) CreateSchema(ctx context.Context, in CreateSchemaInput) (SchemaInfo, error) {
	if !schemaNamePattern.MatchString(in.Name) {
		return SchemaInfo{}, badRequest("SchemaName must match pattern %s.", schemaNamePattern)
	}
	if err := validDescription(in.Description); err != nil {
		return SchemaInfo{}, err
	}
	if err := CheckContent(in.Type, in.Content); err != nil {
		return SchemaInfo{}, err
	}
	s.mu.Lock()
	r, err := s.writableLocked(in.Caller, in.Registry)
	if err != nil {
		s.mu.Unlock()
		return SchemaInfo{}, err
	}
	if r.schemas[in.Name] != nil {
		s.mu.Unlock()
		return SchemaInfo{}, conflict("Schema with name %s already exists.", in.Name)
	}
	now := millis(s.clock.Now())
	e := &schemaEntry{rec: schemaRecord{
		Account: in.Account, Region: in.Region, Registry: in.Registry, Name: in.Name,
		Description: in.Description, Tags: copyTags(in.Tags), Modified: now, Next: 2,
		Versions: []version{{Version: "1", Type: in.Type, Content: in.Content, Created: now}},
	}}
	r.schemas[in.Name] = e
	info := s.schemaInfo(in.Caller, e, e.latest())
	info.Content = ""
	wait := s.commit(put(RecordSchema, e.rec.key(), e.rec))
	s.mu.Unlock()
	return info, wait(ctx)
}

// UpdateSchemaInput updates a schema: new content (or type) makes a new
// version; a description alone does not.
type UpdateSchemaInput struct {
	Caller
	Registry    string
	Name        string
	Type        *string
	Content     *string
	Description *string
}

// UpdateSchema updates a schema.
func (s *Service) UpdateSchema(ctx context.Context, in UpdateSchemaInput) (SchemaInfo, error) {
	if in.Description != nil {
		if err := validDescription(*in.Description); err != nil {
			return SchemaInfo{}, err
		}
	}
	s.mu.Lock()
	info, wait, err := s.updateLocked(in)
	s.mu.Unlock()
	if err != nil {
		return SchemaInfo{}, err
	}
	return info, wait(ctx)
}

func (s *Service) updateLocked(in UpdateSchemaInput) (SchemaInfo, func(context.Context) error, error) {
	r, err := s.writableLocked(in.Caller, in.Registry)
	if err != nil {
		return SchemaInfo{}, nil, err
	}
	e := r.schemas[in.Name]
	if e == nil {
		return SchemaInfo{}, nil, schemaNotFound(in.Name)
	}
	latest := e.latest()
	typ, content := latest.Type, latest.Content
	if in.Type != nil {
		typ = *in.Type
	}
	if in.Content != nil {
		content = *in.Content
	}
	if err := CheckContent(typ, content); err != nil {
		return SchemaInfo{}, nil, err
	}
	rec := e.rec
	rec.Versions = append([]version(nil), rec.Versions...)
	if in.Description != nil {
		rec.Description = *in.Description
	}
	now := millis(s.clock.Now())
	if typ != latest.Type || content != latest.Content {
		rec.Versions = append(rec.Versions, version{Version: strconv.Itoa(rec.Next), Type: typ, Content: content, Created: now})
		rec.Next++
		e.compiled = nil
	}
	rec.Modified = now
	e.rec = rec
	info := s.schemaInfo(in.Caller, e, e.latest())
	info.Content = ""
	return info, s.commit(put(RecordSchema, e.rec.key(), e.rec)), nil
}

// DescribeSchema describes a version of a schema (the latest when version
// is "").
func (s *Service) DescribeSchema(_ context.Context, c Caller, registryName, name, ver string) (SchemaInfo, error) {
	s.mu.RLock()
	defer s.mu.RUnlock()
	e, err := s.findLocked(c, registryName, name)
	if err != nil {
		return SchemaInfo{}, err
	}
	v, ok := e.find(ver)
	if !ok {
		return SchemaInfo{}, notFound("Schema version %s does not exist for schema %s.", ver, name)
	}
	return s.schemaInfo(c, e, v), nil
}

// DeleteSchema deletes a schema with every version.
func (s *Service) DeleteSchema(ctx context.Context, c Caller, registryName, name string) error {
	s.mu.Lock()
	r, err := s.writableLocked(c, registryName)
	if err != nil {
		s.mu.Unlock()
		return err
	}
	e := r.schemas[name]
	if e == nil {
		s.mu.Unlock()
		return schemaNotFound(name)
	}
	delete(r.schemas, name)
	wait := s.commit(store.DeleteRecord{Kind: RecordSchema, Key: e.rec.key()})
	s.mu.Unlock()
	return wait(ctx)
}

// DeleteSchemaVersion deletes one version; the last one left cannot be.
func (s *Service) DeleteSchemaVersion(ctx context.Context, c Caller, registryName, name, ver string) error {
	s.mu.Lock()
	r, err := s.writableLocked(c, registryName)
	if err != nil {
		s.mu.Unlock()
		return err
	}
	e := r.schemas[name]
	if e == nil {
		s.mu.Unlock()
		return schemaNotFound(name)
	}
	if _, ok := e.find(ver); !ok || ver == "" {
		s.mu.Unlock()
		return notFound("Schema version %s does not exist for schema %s.", ver, name)
	}
	if len(e.rec.Versions) == 1 {
		s.mu.Unlock()
		return badRequest("Schema %s has only version %s; delete the schema instead.", name, ver)
	}
	rec := e.rec
	rec.Versions = nil
	for _, v := range e.rec.Versions {
		if v.Version != ver {
			rec.Versions = append(rec.Versions, v)
		}
	}
	rec.Modified = millis(s.clock.Now())
	e.rec, e.compiled = rec, nil
	wait := s.commit(put(RecordSchema, e.rec.key(), e.rec))
	s.mu.Unlock()
	return wait(ctx)
}

// SchemaSummary is a schema in ListSchemas.
type SchemaSummary struct {
	Arn          string
	Name         string
	LastModified time.Time
	Tags         map[string]string
	VersionCount int64
}

// ListSchemas lists a registry's schemas by name.
func (s *Service) ListSchemas(_ context.Context, c Caller, registryName, prefix string, p Page) ([]SchemaSummary, string, error) {
	s.mu.RLock()
	defer s.mu.RUnlock()
	r := s.getLocked(c, registryName)
	if r == nil {
		return nil, "", registryNotFound(registryName)
	}
	var names []string
	for n := range r.schemas {
		if strings.HasPrefix(n, prefix) {
			names = append(names, n)
		}
	}
	names, next, err := page(names, p)
	if err != nil {
		return nil, "", err
	}
	out := make([]SchemaSummary, 0, len(names))
	for _, n := range names {
		e := r.schemas[n]
		out = append(out, SchemaSummary{
			Arn: s.arn(c, "schema/"+r.rec.Name+"/"+n), Name: n, LastModified: Time(e.rec.Modified),
			Tags: copyTags(e.rec.Tags), VersionCount: int64(len(e.rec.Versions)),
		})
	}
	return out, next, nil
}

// VersionSummary is one version in ListSchemaVersions and SearchSchemas.
type VersionSummary struct {
	Arn     string
	Name    string
	Version string
	Type    string
	Created time.Time
}

// ListSchemaVersions lists a schema's versions, oldest first.
func (s *Service) ListSchemaVersions(_ context.Context, c Caller, registryName, name string, p Page) ([]VersionSummary, string, error) {
	s.mu.RLock()
	defer s.mu.RUnlock()
	e, err := s.findLocked(c, registryName, name)
	if err != nil {
		return nil, "", err
	}
	all := s.versions(c, e)
	keys := make([]string, len(all))
	for i := range all {
		keys[i] = strconv.Itoa(i + 1e6) // sorts in version order
	}
	keys, next, err := page(keys, p)
	if err != nil {
		return nil, "", err
	}
	out := make([]VersionSummary, 0, len(keys))
	for _, k := range keys {
		i, _ := strconv.Atoi(k)
		out = append(out, all[i-1e6])
	}
	return out, next, nil
}

func (s *Service) versions(c Caller, e *schemaEntry) []VersionSummary {
	out := make([]VersionSummary, 0, len(e.rec.Versions))
	for _, v := range e.rec.Versions {
		out = append(out, VersionSummary{
			Arn: s.arn(c, "schema/"+e.rec.Registry+"/"+e.rec.Name), Name: e.rec.Name,
			Version: v.Version, Type: v.Type, Created: Time(v.Created),
		})
	}
	return out
}

// SearchResult is one schema found by SearchSchemas.
type SearchResult struct {
	Registry string
	Arn      string
	Name     string
	Versions []VersionSummary
}

// SearchSchemas finds the schemas of a registry whose name or description
// contains any of the space-separated keywords, case-insensitively.
func (s *Service) SearchSchemas(_ context.Context, c Caller, registryName, keywords string, p Page) ([]SearchResult, string, error) {
	words := strings.Fields(strings.ToLower(keywords))
	if len(words) == 0 {
		return nil, "", badRequest("Keywords must not be empty.")
	}
	s.mu.RLock()
	defer s.mu.RUnlock()
	r := s.getLocked(c, registryName)
	if r == nil {
		return nil, "", registryNotFound(registryName)
	}
	var names []string
	for n, e := range r.schemas {
		text := strings.ToLower(n + " " + e.rec.Description)
		for _, w := range words {
			if strings.Contains(text, w) {
				names = append(names, n)
				break
			}
		}
	}
	names, next, err := page(names, p)
	if err != nil {
		return nil, "", err
	}
	out := make([]SearchResult, 0, len(names))
	for _, n := range names {
		e := r.schemas[n]
		out = append(out, SearchResult{Registry: registryName, Arn: s.arn(c, "schema/"+registryName+"/"+n), Name: n, Versions: s.versions(c, e)})
	}
	return out, next, nil
}

// ExportSchema returns a version of a schema as JSON Schema draft 4, the
// only export type AWS offers.
func (s *Service) ExportSchema(ctx context.Context, c Caller, registryName, name, ver, typ string) (SchemaInfo, error) {
	if typ != TypeJSONSchema {
		return SchemaInfo{}, badRequest("Type must be %s.", TypeJSONSchema)
	}
	info, err := s.DescribeSchema(ctx, c, registryName, name, ver)
	if err != nil {
		return SchemaInfo{}, err
	}
	if info.Type == TypeOpenAPI3 {
		out, err := ToJSONSchema(info.Content)
		if err != nil {
			return SchemaInfo{}, badRequest("Schema %s version %s cannot be exported: %v", name, info.Version, err)
		}
		info.Content = out
	}
	info.Type = TypeJSONSchema
	return info, nil
}
