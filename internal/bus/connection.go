package bus

import (
	"context"
	"encoding/json"
	"regexp"
	"slices"
	"strings"
	"time"

	"github.com/fogbank/fogbank/internal/arn"
	"github.com/fogbank/fogbank/internal/store"
)

// Store record kinds of connections and API destinations.
const (
	RecordConnection     = "events-connection"
	RecordAPIDestination = "events-api-destination"
)

// Connection authorization types.
const (
	AuthAPIKey = "API_KEY"
	AuthBasic  = "BASIC"
	AuthOAuth  = "OAUTH_CLIENT_CREDENTIALS"
)

// Connection states fogbank reports.
const (
	ConnectionAuthorized   = "AUTHORIZED"
	ConnectionDeauthorized = "DEAUTHORIZED"
)

var connectionNamePattern = regexp.MustCompile(`^[\.\-_A-Za-z0-9]{1,64}$`)

// KeyValue is one HTTP parameter of a connection.
type KeyValue struct {
	Key           string `json:"Key"`
	Value         string `json:"Value,omitempty"`
	IsValueSecret bool   `json:"IsValueSecret,omitempty"`
}

// HTTPParameters are the extra headers, query string and body parameters a
// connection adds to every request (and to its OAuth token request).
type HTTPParameters struct {
	HeaderParameters      []KeyValue `json:"HeaderParameters,omitempty"`
	QueryStringParameters []KeyValue `json:"QueryStringParameters,omitempty"`
	BodyParameters        []KeyValue `json:"BodyParameters,omitempty"`
}

// AuthParameters are a connection's credentials. Secrets are stored with
// the connection (AWS keeps them in Secrets Manager) and never described.
type AuthParameters struct {
	APIKeyAuthParameters *struct {
		APIKeyName  string `json:"ApiKeyName"`
		APIKeyValue string `json:"ApiKeyValue,omitempty"`
	} `json:"ApiKeyAuthParameters,omitempty"`
	BasicAuthParameters *struct {
		Username string `json:"Username"`
		Password string `json:"Password,omitempty"`
	} `json:"BasicAuthParameters,omitempty"`
	OAuthParameters *struct {
		AuthorizationEndpoint string `json:"AuthorizationEndpoint"`
		HTTPMethod            string `json:"HttpMethod"`
		ClientParameters      *struct {
			ClientID     string `json:"ClientID"`
			ClientSecret string `json:"ClientSecret,omitempty"`
		} `json:"ClientParameters,omitempty"`
		OAuthHTTPParameters *HTTPParameters `json:"OAuthHttpParameters,omitempty"`
	} `json:"OAuthParameters,omitempty"`
	InvocationHTTPParameters *HTTPParameters `json:"InvocationHttpParameters,omitempty"`
}

// redacted returns the parameters without secret values, as Describe
// shows them.
func (p AuthParameters) redacted() AuthParameters {
	b, _ := json.Marshal(p)
	var out AuthParameters
	_ = json.Unmarshal(b, &out)
	if out.APIKeyAuthParameters != nil {
		out.APIKeyAuthParameters.APIKeyValue = ""
	}
	if out.BasicAuthParameters != nil {
		out.BasicAuthParameters.Password = ""
	}
	if out.OAuthParameters != nil && out.OAuthParameters.ClientParameters != nil {
		out.OAuthParameters.ClientParameters.ClientSecret = ""
	}
	return out
}

// connectionRecord is a connection as stored.
type connectionRecord struct {
	Account     string         `json:"account"`
	Region      string         `json:"region"`
	Name        string         `json:"name"`
	ID          string         `json:"id"`
	Description string         `json:"description,omitempty"`
	AuthType    string         `json:"authType"`
	Auth        AuthParameters `json:"auth"`
	State       string         `json:"state"`
	Created     int64          `json:"created"`
	Modified    int64          `json:"modified"`
	Authorized  int64          `json:"authorized,omitempty"`
}

func (r connectionRecord) arn() string {
	return arn.ARN{Partition: arn.Partition(r.Region), Service: "events", Region: r.Region, Account: r.Account, Resource: "connection/" + r.Name + "/" + r.ID}.String()
}

func (r connectionRecord) secretArn() string {
	return arn.ARN{Partition: arn.Partition(r.Region), Service: "secretsmanager", Region: r.Region, Account: r.Account, Resource: "secret:events!connection/" + r.Name + "/" + r.ID}.String()
}

// ConnectionInfo describes a connection.
type ConnectionInfo struct {
	Name, Arn, Description, AuthType, State, SecretArn string
	Auth                                               AuthParameters
	Created, Modified, Authorized                      time.Time
}

func (r connectionRecord) info() ConnectionInfo {
	return ConnectionInfo{
		Name: r.Name, Arn: r.arn(), Description: r.Description, AuthType: r.AuthType, State: r.State, SecretArn: r.secretArn(),
		Auth: r.Auth.redacted(), Created: msTime(r.Created), Modified: msTime(r.Modified), Authorized: msTime(r.Authorized),
	}
}

// ConnectionInput creates or updates a connection.
type ConnectionInput struct {
	Caller
	Name        string
	Description *string
	AuthType    *string
	Auth        *AuthParameters
}

// CreateConnection creates a connection.
func (s *Service) CreateConnection(ctx context.Context, in ConnectionInput) (ConnectionInfo, error) {
	if !connectionNamePattern.MatchString(in.Name) {
		return ConnectionInfo{}, constraint(in.Name, "name", "Member must satisfy regular expression pattern: [\\.\\-_A-Za-z0-9]+")
	}
	now := s.clock.Now().UnixMilli()
	rec := connectionRecord{
		Account: in.Account, Region: in.Region, Name: in.Name, ID: s.ids.UUID(), State: ConnectionAuthorized,
		Created: now, Modified: now, Authorized: now,
	}
	if in.AuthType == nil || in.Auth == nil {
		return ConnectionInfo{}, validation("Parameters AuthorizationType and AuthParameters are required.")
	}
	if err := applyConnection(&rec, in); err != nil {
		return ConnectionInfo{}, err
	}
	s.mu.Lock()
	k := archiveKey{in.Account, in.Region, in.Name}
	if s.connections[k] != nil {
		s.mu.Unlock()
		return ConnectionInfo{}, errorf(CodeResourceAlreadyExists, "Connection %s already exists.", in.Name)
	}
	s.connections[k] = &rec
	done := s.store.Submit(connectionChange(rec))
	s.mu.Unlock()
	return rec.info(), commit(done)
}

func applyConnection(rec *connectionRecord, in ConnectionInput) error {
	if in.Description != nil {
		rec.Description = *in.Description
	}
	if in.AuthType != nil {
		rec.AuthType = *in.AuthType
	}
	if in.Auth != nil {
		rec.Auth = *in.Auth
	}
	a := rec.Auth
	switch rec.AuthType {
	case AuthAPIKey:
		if a.APIKeyAuthParameters == nil {
			return validation("ApiKeyAuthParameters are required for the authorization type API_KEY.")
		}
	case AuthBasic:
		if a.BasicAuthParameters == nil {
			return validation("BasicAuthParameters are required for the authorization type BASIC.")
		}
	case AuthOAuth:
		if a.OAuthParameters == nil || a.OAuthParameters.ClientParameters == nil {
			return validation("OAuthParameters are required for the authorization type OAUTH_CLIENT_CREDENTIALS.")
		}
	default:
		return constraint(rec.AuthType, "authorizationType", "Member must satisfy enum value set: [BASIC, OAUTH_CLIENT_CREDENTIALS, API_KEY]")
	}
	return nil
}

func connectionChange(rec connectionRecord) store.Change {
	b, _ := json.Marshal(rec)
	return store.PutRecord{Record: store.Record{Kind: RecordConnection, Key: rec.Account + "/" + rec.Region + "/" + rec.Name, Data: b}}
}

func (s *Service) findConnection(c Caller, name string) (*connectionRecord, error) {
	rec := s.connections[archiveKey{c.Account, c.Region, name}]
	if rec == nil {
		return nil, errorf(CodeResourceNotFound, "Failed to describe the connection(s). Connection '%s' does not exist.", name)
	}
	return rec, nil
}

// connectionByArn finds a connection by ARN; callers hold s.mu.
func (s *Service) connectionByArn(connArn string) *connectionRecord {
	a, err := arn.Parse(connArn)
	if err != nil {
		return nil
	}
	name, _, _ := strings.Cut(strings.TrimPrefix(a.Resource, "connection/"), "/")
	rec := s.connections[archiveKey{a.Account, a.Region, name}]
	if rec == nil || rec.arn() != connArn {
		return nil
	}
	return rec
}

// DescribeConnection returns a connection without its secrets.
func (s *Service) DescribeConnection(_ context.Context, c Caller, name string) (ConnectionInfo, error) {
	s.mu.RLock()
	defer s.mu.RUnlock()
	rec, err := s.findConnection(c, name)
	if err != nil {
		return ConnectionInfo{}, err
	}
	return rec.info(), nil
}

// UpdateConnection changes a connection; its token cache is dropped.
func (s *Service) UpdateConnection(ctx context.Context, in ConnectionInput) (ConnectionInfo, error) {
	s.mu.Lock()
	cur, err := s.findConnection(in.Caller, in.Name)
	if err != nil {
		s.mu.Unlock()
		return ConnectionInfo{}, err
	}
	rec := *cur
	if err := applyConnection(&rec, in); err != nil {
		s.mu.Unlock()
		return ConnectionInfo{}, err
	}
	rec.Modified = s.clock.Now().UnixMilli()
	rec.State, rec.Authorized = ConnectionAuthorized, rec.Modified
	*cur = rec
	s.tokens.forget(rec.arn())
	done := s.store.Submit(connectionChange(rec))
	s.mu.Unlock()
	return rec.info(), commit(done)
}

// DeauthorizeConnection removes a connection's authorization: its
// deliveries fail until it is updated.
func (s *Service) DeauthorizeConnection(ctx context.Context, c Caller, name string) (ConnectionInfo, error) {
	s.mu.Lock()
	rec, err := s.findConnection(c, name)
	if err != nil {
		s.mu.Unlock()
		return ConnectionInfo{}, err
	}
	rec.State, rec.Modified = ConnectionDeauthorized, s.clock.Now().UnixMilli()
	s.tokens.forget(rec.arn())
	info := rec.info()
	done := s.store.Submit(connectionChange(*rec))
	s.mu.Unlock()
	return info, commit(done)
}

// DeleteConnection deletes a connection.
func (s *Service) DeleteConnection(ctx context.Context, c Caller, name string) (ConnectionInfo, error) {
	s.mu.Lock()
	rec, err := s.findConnection(c, name)
	if err != nil {
		s.mu.Unlock()
		return ConnectionInfo{}, err
	}
	delete(s.connections, archiveKey{c.Account, c.Region, name})
	s.tokens.forget(rec.arn())
	info := rec.info()
	done := s.store.Submit(store.DeleteRecord{Kind: RecordConnection, Key: c.Account + "/" + c.Region + "/" + name})
	s.mu.Unlock()
	return info, commit(done)
}

// ListConnections lists connections by name.
func (s *Service) ListConnections(_ context.Context, c Caller, prefix, state string, limit int, token string) ([]ConnectionInfo, string, error) {
	s.mu.RLock()
	var all []ConnectionInfo
	for k, rec := range s.connections {
		if k.account == c.Account && k.region == c.Region && strings.HasPrefix(k.name, prefix) && (state == "" || rec.State == state) {
			all = append(all, rec.info())
		}
	}
	s.mu.RUnlock()
	slices.SortFunc(all, func(a, b ConnectionInfo) int { return strings.Compare(a.Name, b.Name) })
	return page(all, limit, token, func(x ConnectionInfo) string { return x.Name })
}
