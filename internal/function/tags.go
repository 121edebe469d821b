package function

import (
	"context"
	"maps"
	"regexp"
	"strings"

	"github.com/fogbank/fogbank/internal/store"
)

// Tag limits, as AWS has them.
const (
	MaxTags        = 50
	maxTagKeyLen   = 128
	maxTagValueLen = 256
)

const taggablePattern = `arn:(aws[a-zA-Z-]*):lambda:(eusc-)?[a-z]{2}((-gov)|(-iso([a-z]?)))?-[a-z]+-\d{1}:\d{12}:(function:[a-zA-Z0-9-_]+(:(\$LATEST|[a-zA-Z0-9-_]+))?|layer:([a-zA-Z0-9-_]+)|code-signing-config:csc-[a-z0-9]{17}|event-source-mapping:[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}|capacity-provider:[a-zA-Z0-9-_]+)`

var taggableRE = regexp.MustCompile(`^` + taggablePattern + `$`)

// validateTags checks tags against AWS's limits.
func validateTags(tags map[string]string) error {
	if len(tags) > MaxTags {
		return invalidParameter("Number of tags exceeds resource tag limit.")
	}
	for k, v := range tags {
		switch {
		case len(k) < 1 || len(k) > maxTagKeyLen:
			return constraint(k, "tags.key", "Member must have length less than or equal to 128")
		case len(v) > maxTagValueLen:
			return constraint(v, "tags.value", "Member must have length less than or equal to 256")
		case strings.HasPrefix(strings.ToLower(k), "aws:"):
			return invalidParameter("Tag keys must not start with the reserved prefix aws:.")
		}
	}
	return nil
}

// taggedFunction resolves a taggable resource ARN to its function; only
// unqualified function ARNs are taggable here. Callers hold s.mu.
func (s *Service) taggedFunction(c Caller, resource string) (*function, error) {
	if !taggableRE.MatchString(resource) {
		return nil, constraint(resource, "resource", "Member must satisfy regular expression pattern: "+taggablePattern)
	}
	r, err := parseName(c, resource, "")
	if err != nil {
		return nil, err
	}
	if !strings.Contains(resource, ":function:") {
		return nil, errorf(CodeResourceNotFound, "Resource not found: %s", resource)
	}
	if r.qualifier != "" {
		return nil, invalidParameter("Tags on function aliases and versions are not supported. Please specify a function ARN.")
	}
	return s.lookup(c, r)
}

// TagResource adds or replaces tags of a function.
func (s *Service) TagResource(ctx context.Context, c Caller, resource string, tags map[string]string) error {
	if len(tags) == 0 {
		return invalidParameter("An error occurred and the request cannot be processed.")
	}
	if err := validateTags(tags); err != nil {
		return err
	}
	return s.retag(ctx, c, resource, func(t map[string]string) { maps.Copy(t, tags) })
}

// UntagResource removes tags of a function; keys it does not have are
// ignored.
func (s *Service) UntagResource(ctx context.Context, c Caller, resource string, keys []string) error {
	if keys == nil {
		return errorf(CodeValidation, "1 validation error detected: Value null at 'tagKeys' failed to satisfy constraint: Member must not be null")
	}
	return s.retag(ctx, c, resource, func(t map[string]string) {
		for _, k := range keys {
			delete(t, k)
		}
	})
}

// retag applies change to a copy of the function's tags and stores it.
func (s *Service) retag(ctx context.Context, c Caller, resource string, change func(map[string]string)) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	f, err := s.taggedFunction(c, resource)
	if err != nil {
		return err
	}
	next := f.cfg
	next.Tags = maps.Clone(next.Tags)
	if next.Tags == nil {
		next.Tags = map[string]string{}
	}
	change(next.Tags)
	if len(next.Tags) > MaxTags {
		return invalidParameter("Number of tags exceeds resource tag limit.")
	}
	if len(next.Tags) == 0 {
		next.Tags = nil
	}
	next.RevisionID = s.ids.UUID() // tagging revises the function, as on AWS
	if err := s.store.Apply(ctx, []store.Change{putRecord(&next)}...); err != nil {
		return err
	}
	nf := *f
	nf.cfg = next
	s.functions[keyOf(&next)] = &nf
	return nil
}

// ListTags returns a function's tags.
func (s *Service) ListTags(_ context.Context, c Caller, resource string) (map[string]string, error) {
	s.mu.RLock()
	defer s.mu.RUnlock()
	f, err := s.taggedFunction(c, resource)
	if err != nil {
		return nil, err
	}
	return maps.Clone(f.cfg.Tags), nil
}
