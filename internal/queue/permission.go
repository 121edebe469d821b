package queue

import (
	"context"
	"encoding/json"
	"maps"
	"slices"
	"strings"

	"github.com/fogbank/fogbank/internal/arn"
	"github.com/fogbank/fogbank/internal/store"
)

// policyDoc is an SQS access policy as AddPermission writes it.
type policyDoc struct {
	Version   string            `json:"Version"`
	ID        string            `json:"Id"`
	Statement []policyStatement `json:"Statement"`
}

type policyStatement struct {
	Sid       string         `json:"Sid"`
	Effect    string         `json:"Effect"`
	Principal map[string]any `json:"Principal"`
	Action    any            `json:"Action"`
	Resource  string         `json:"Resource"`
}

var permissionActions = []string{
	"*", "SendMessage", "ReceiveMessage", "DeleteMessage", "ChangeMessageVisibility",
	"GetQueueAttributes", "GetQueueUrl", "ListDeadLetterSourceQueues", "PurgeQueue",
	"ListQueueTags", "CancelMessageMoveTask", "ListMessageMoveTasks", "StartMessageMoveTask",
}

// AddPermissionInput is the input of AddPermission.
type AddPermissionInput struct {
	Caller   Caller
	Queue    QueueRef
	Label    string
	Accounts []string
	Actions  []string
}

// AddPermission adds a statement granting accounts the actions.
func (s *Service) AddPermission(ctx context.Context, in AddPermissionInput) error {
	if in.Label == "" {
		return missingParam("Label")
	}
	if len(in.Accounts) == 0 {
		return missingParam("AWSAccountIds")
	}
	if len(in.Actions) == 0 {
		return missingParam("Actions")
	}
	for _, a := range in.Actions {
		if !slices.Contains(permissionActions, a) {
			return invalidValue("ActionName.1", a, "Only the queue owner is allowed to invoke this action.")
		}
	}
	return s.editPolicy(in.Caller, in.Queue, func(q *queue, doc *policyDoc) error {
		for _, st := range doc.Statement {
			if st.Sid == in.Label {
				return invalidValue("Label", in.Label, "Already exists.")
			}
		}
		doc.Statement = append(doc.Statement, permissionStatement(q, in))
		return nil
	})
}

func permissionStatement(q *queue, in AddPermissionInput) policyStatement {
	part := arn.Partition(q.rec.Region)
	principals := make([]string, 0, len(in.Accounts))
	for _, a := range in.Accounts {
		principals = append(principals, "arn:"+part+":iam::"+a+":root")
	}
	actions := make([]string, 0, len(in.Actions))
	for _, a := range in.Actions {
		actions = append(actions, "SQS:"+a)
	}
	st := policyStatement{Sid: in.Label, Effect: "Allow", Resource: q.arn}
	st.Principal = map[string]any{"AWS": oneOrMany(principals)}
	st.Action = oneOrMany(actions)
	return st
}

func oneOrMany(v []string) any {
	if len(v) == 1 {
		return v[0]
	}
	return v
}

// RemovePermission removes the statement with the label.
func (s *Service) RemovePermission(ctx context.Context, c Caller, ref QueueRef, label string) error {
	if label == "" {
		return missingParam("Label")
	}
	return s.editPolicy(c, ref, func(q *queue, doc *policyDoc) error {
		i := slices.IndexFunc(doc.Statement, func(st policyStatement) bool { return st.Sid == label })
		if i < 0 {
			return invalidValue("Label", label, "can't find label.")
		}
		doc.Statement = slices.Delete(doc.Statement, i, i+1)
		return nil
	})
}

func (s *Service) editPolicy(c Caller, ref QueueRef, edit func(*queue, *policyDoc) error) error {
	q, err := s.lookup(c, ref)
	if err != nil {
		return err
	}
	q.mu.Lock()
	if q.deleted {
		q.mu.Unlock()
		return errQueueDoesNotExist
	}
	doc := policyDoc{Version: "2008-10-17", ID: q.arn + "/SQSDefaultPolicy"}
	if raw := q.rec.Attributes[AttrPolicy]; raw != "" {
		_ = json.Unmarshal([]byte(raw), &doc)
	}
	if err := edit(q, &doc); err != nil {
		q.mu.Unlock()
		return err
	}
	attrs := maps.Clone(q.rec.Attributes)
	if len(doc.Statement) == 0 {
		delete(attrs, AttrPolicy)
	} else {
		b, _ := json.Marshal(doc)
		attrs[AttrPolicy] = string(b)
	}
	q.rec.Attributes = attrs
	done := s.store.Submit(store.PutQueue{Queue: q.rec})
	q.mu.Unlock()
	return commit(done)
}

// policyAllows reports whether an access policy allows an account at all. It
// is deliberately coarse (any Allow statement naming the account or "*"),
// which is what cross-account tests against a local emulator need.
func policyAllows(raw, account string) bool {
	if raw == "" {
		return false
	}
	var doc struct {
		Statement []struct {
			Effect    string `json:"Effect"`
			Principal any    `json:"Principal"`
		} `json:"Statement"`
	}
	if json.Unmarshal([]byte(raw), &doc) != nil {
		return false
	}
	for _, st := range doc.Statement {
		if st.Effect == "Allow" && principalNames(st.Principal, account) {
			return true
		}
	}
	return false
}

func principalNames(p any, account string) bool {
	switch v := p.(type) {
	case string:
		return v == "*" || v == account || strings.Contains(v, ":"+account+":")
	case []any:
		for _, e := range v {
			if principalNames(e, account) {
				return true
			}
		}
	case map[string]any:
		for _, e := range v {
			if principalNames(e, account) {
				return true
			}
		}
	}
	return false
}
