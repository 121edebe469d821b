package schema

import (
	"context"
	"strings"

	"github.com/fogbank/fogbank/internal/arn"
)

// taggedLocked finds the tags of a registry, schema or discoverer by ARN and
// the record change that persists them.
func (s *Service) taggedLocked(c Caller, resourceArn string) (*map[string]string, func() any, string, error) {
	a, err := arn.Parse(resourceArn)
	if err != nil || a.Service != "schemas" {
		return nil, nil, "", badRequest("Invalid ResourceArn %s.", resourceArn)
	}
	if a.Account != c.Account || a.Region != c.Region {
		return nil, nil, "", notFound("Resource %s does not exist.", resourceArn)
	}
	kind, rest, _ := strings.Cut(a.Resource, "/")
	switch kind {
	case "registry":
		r := s.localLocked(c, rest)
		if r == nil {
			return nil, nil, "", notFound("Resource %s does not exist.", resourceArn)
		}
		return &r.rec.Tags, func() any { return r.rec }, RecordRegistry + "\x00" + r.rec.key(), nil
	case "schema":
		reg, name, _ := strings.Cut(rest, "/")
		r := s.localLocked(c, reg)
		if r == nil || r.schemas[name] == nil {
			return nil, nil, "", notFound("Resource %s does not exist.", resourceArn)
		}
		e := r.schemas[name]
		return &e.rec.Tags, func() any { return e.rec }, RecordSchema + "\x00" + e.rec.key(), nil
	case "discoverer":
		d := s.discoverers[c.key(rest)]
		if d == nil {
			return nil, nil, "", notFound("Resource %s does not exist.", resourceArn)
		}
		return &d.Tags, func() any { return *d }, RecordDiscoverer + "\x00" + d.key(), nil
	}
	return nil, nil, "", badRequest("Invalid ResourceArn %s.", resourceArn)
}

// TagResource adds or replaces tags of a registry, schema or discoverer.
func (s *Service) TagResource(ctx context.Context, c Caller, resourceArn string, tags map[string]string) error {
	if len(tags) == 0 {
		return badRequest("Tags must not be empty.")
	}
	return s.retag(ctx, c, resourceArn, func(t map[string]string) {
		for k, v := range tags {
			t[k] = v
		}
	})
}

// UntagResource removes tags.
func (s *Service) UntagResource(ctx context.Context, c Caller, resourceArn string, keys []string) error {
	if len(keys) == 0 {
		return badRequest("TagKeys must not be empty.")
	}
	return s.retag(ctx, c, resourceArn, func(t map[string]string) {
		for _, k := range keys {
			delete(t, k)
		}
	})
}

func (s *Service) retag(ctx context.Context, c Caller, resourceArn string, change func(map[string]string)) error {
	s.mu.Lock()
	tags, rec, key, err := s.taggedLocked(c, resourceArn)
	if err != nil {
		s.mu.Unlock()
		return err
	}
	t := copyTags(*tags)
	if t == nil {
		t = map[string]string{}
	}
	change(t)
	if len(t) > 50 {
		s.mu.Unlock()
		return badRequest("A resource can have at most 50 tags.")
	}
	*tags = copyTags(t)
	kind, k, _ := strings.Cut(key, "\x00")
	wait := s.commit(put(kind, k, rec()))
	s.mu.Unlock()
	return wait(ctx)
}

// ListTagsForResource lists a resource's tags.
func (s *Service) ListTagsForResource(_ context.Context, c Caller, resourceArn string) (map[string]string, error) {
	s.mu.Lock() // taggedLocked may keep the discovered-schemas registry
	defer s.mu.Unlock()
	tags, _, _, err := s.taggedLocked(c, resourceArn)
	if err != nil {
		return nil, err
	}
	out := copyTags(*tags)
	if out == nil {
		out = map[string]string{}
	}
	return out, nil
}
