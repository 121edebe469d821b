package topic

import (
	"context"
	"encoding/json"
	"maps"
	"slices"
)

const maxTags = 50

// tagged finds the topic a tag operation addresses; call with s.mu held.
func (s *Service) tagged(c Caller, resource string) (*topic, error) {
	if _, err := checkArn("ResourceArn", resource); err != nil {
		return nil, err
	}
	t := s.topics[resource]
	if t == nil || t.rec.Account != c.Account {
		return nil, errResourceNotFound
	}
	return t, nil
}

// TagResource adds or replaces tags of a topic.
func (s *Service) TagResource(ctx context.Context, c Caller, resource string, tags map[string]string) error {
	s.mu.Lock()
	t, err := s.tagged(c, resource)
	if err != nil {
		s.mu.Unlock()
		return err
	}
	next := maps.Clone(t.rec.Tags)
	if next == nil {
		next = map[string]string{}
	}
	maps.Copy(next, tags)
	if len(next) > maxTags {
		s.mu.Unlock()
		return &Error{Code: CodeTagLimitExceeded, Message: "Could not complete request: tag quota of per resource exceeded"}
	}
	t.rec.Tags = next
	done := s.store.Submit(putTopic(t))
	s.mu.Unlock()
	return commit(done)
}

// UntagResource removes tags of a topic.
func (s *Service) UntagResource(ctx context.Context, c Caller, resource string, keys []string) error {
	s.mu.Lock()
	t, err := s.tagged(c, resource)
	if err != nil {
		s.mu.Unlock()
		return err
	}
	next := maps.Clone(t.rec.Tags)
	for _, k := range keys {
		delete(next, k)
	}
	t.rec.Tags = next
	done := s.store.Submit(putTopic(t))
	s.mu.Unlock()
	return commit(done)
}

// ListTagsForResource returns a topic's tags sorted by key.
func (s *Service) ListTagsForResource(_ context.Context, c Caller, resource string) ([][2]string, error) {
	s.mu.RLock()
	defer s.mu.RUnlock()
	t, err := s.tagged(c, resource)
	if err != nil {
		return nil, err
	}
	out := make([][2]string, 0, len(t.rec.Tags))
	for _, k := range slices.Sorted(maps.Keys(t.rec.Tags)) {
		out = append(out, [2]string{k, t.rec.Tags[k]})
	}
	return out, nil
}

// AddPermission adds a statement to the topic policy.
func (s *Service) AddPermission(ctx context.Context, c Caller, topicArn, label string, accounts, actions []string) error {
	if label == "" || len(accounts) == 0 || len(actions) == 0 {
		return invalidParameter("Label")
	}
	return s.editPolicy(c, topicArn, func(stmts []any) ([]any, error) {
		for _, st := range stmts {
			if m, ok := st.(map[string]any); ok && m["Sid"] == label {
				return nil, invalidParameter("Statement already exists")
			}
		}
		principals := make([]string, 0, len(accounts))
		for _, a := range accounts {
			principals = append(principals, "arn:aws:iam::"+a+":root")
		}
		acts := make([]string, 0, len(actions))
		for _, a := range actions {
			acts = append(acts, "SNS:"+a)
		}
		return append(stmts, map[string]any{"Sid": label, "Effect": "Allow", "Principal": map[string]any{"AWS": principals}, "Action": acts, "Resource": topicArn}), nil
	})
}

// RemovePermission removes a statement from the topic policy.
func (s *Service) RemovePermission(ctx context.Context, c Caller, topicArn, label string) error {
	return s.editPolicy(c, topicArn, func(stmts []any) ([]any, error) {
		return slices.DeleteFunc(stmts, func(st any) bool {
			m, ok := st.(map[string]any)
			return ok && m["Sid"] == label
		}), nil
	})
}

func (s *Service) editPolicy(c Caller, topicArn string, edit func([]any) ([]any, error)) error {
	s.mu.Lock()
	t, err := s.lookupTopic(c, topicArn)
	if err != nil {
		s.mu.Unlock()
		return err
	}
	raw := t.rec.Attrs["Policy"]
	if raw == "" {
		raw = defaultPolicy(t.rec.Arn, t.rec.Account)
	}
	var pol map[string]any
	if json.Unmarshal([]byte(raw), &pol) != nil {
		pol = map[string]any{"Version": "2008-10-17"}
	}
	stmts, _ := pol["Statement"].([]any)
	stmts, err = edit(stmts)
	if err != nil {
		s.mu.Unlock()
		return err
	}
	pol["Statement"] = stmts
	b, _ := json.Marshal(pol)
	t.rec.Attrs = maps.Clone(t.rec.Attrs)
	t.rec.Attrs["Policy"] = string(b)
	done := s.store.Submit(putTopic(t))
	s.mu.Unlock()
	return commit(done)
}
