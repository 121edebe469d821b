package flow

import (
	"context"
	"slices"
	"strings"

	"github.com/fogbank/fogbank/internal/store"
)

// maxTags is AWS's limit on tags per resource.
const maxTags = 50

func checkTags(tags []Tag) error {
	for _, t := range tags {
		if t.Key == "" || len(t.Key) > 128 {
			return constraint(t.Key, "tags.member.key", "Member must have length less than or equal to 128")
		}
		if len(t.Value) > 256 {
			return constraint(t.Value, "tags.member.value", "Member must have length less than or equal to 256")
		}
	}
	return nil
}

// mergeTags sets tags on old, replacing the values of existing keys.
func mergeTags(old, tags []Tag) []Tag {
	out := slices.Clone(old)
	for _, t := range tags {
		i := slices.IndexFunc(out, func(o Tag) bool { return o.Key == t.Key })
		if i >= 0 {
			out[i].Value = t.Value
			continue
		}
		out = append(out, t)
	}
	return out
}

// taggedLocked finds the tags of a state machine or activity and the
// change that stores them.
func (s *Service) taggedLocked(a string) (*[]Tag, func() store.Change, error) {
	if strings.Contains(a, ":activity:") {
		act := s.activities[a]
		if act == nil {
			return nil, nil, errorf(CodeResourceNotFound, "Resource not found: '%s'", a)
		}
		return &act.rec.Tags, act.rec.change, nil
	}
	base, q, err := machineArnParts(a)
	if err != nil {
		return nil, nil, err
	}
	m := s.machines[base]
	if m == nil || q != "" {
		return nil, nil, errorf(CodeResourceNotFound, "Resource not found: '%s'", a)
	}
	return &m.rec.Tags, m.rec.change, nil
}

// TagResource adds or replaces tags.
func (s *Service) TagResource(ctx context.Context, a string, tags []Tag) error {
	if err := checkTags(tags); err != nil {
		return err
	}
	s.mu.Lock()
	cur, change, err := s.taggedLocked(a)
	if err != nil {
		s.mu.Unlock()
		return err
	}
	merged := mergeTags(*cur, tags)
	if len(merged) > maxTags {
		s.mu.Unlock()
		return errorf(CodeTooManyTags, "Too many tags: a resource can have at most %d tags.", maxTags)
	}
	*cur = merged
	done := s.store.Submit(change())
	s.mu.Unlock()
	return commit(done)
}

// UntagResource removes tags by key.
func (s *Service) UntagResource(ctx context.Context, a string, keys []string) error {
	s.mu.Lock()
	cur, change, err := s.taggedLocked(a)
	if err != nil {
		s.mu.Unlock()
		return err
	}
	*cur = slices.DeleteFunc(slices.Clone(*cur), func(t Tag) bool { return slices.Contains(keys, t.Key) })
	done := s.store.Submit(change())
	s.mu.Unlock()
	return commit(done)
}

// ListTagsForResource returns a resource's tags.
func (s *Service) ListTagsForResource(_ context.Context, a string) ([]Tag, error) {
	s.mu.RLock()
	defer s.mu.RUnlock()
	cur, _, err := s.taggedLocked(a)
	if err != nil {
		return nil, err
	}
	return slices.Clone(*cur), nil
}
