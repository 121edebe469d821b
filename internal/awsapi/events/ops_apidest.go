package events

import (
	"context"

	"github.com/fogbank/fogbank/internal/awsapi"
	"github.com/fogbank/fogbank/internal/bus"
)

type connectionInput struct {
	Name              string              `json:"Name"`
	Description       *string             `json:"Description"`
	AuthorizationType *string             `json:"AuthorizationType"`
	AuthParameters    *bus.AuthParameters `json:"AuthParameters"`
	NamePrefix        string              `json:"NamePrefix"`
	ConnectionState   string              `json:"ConnectionState"`
	NextToken         string              `json:"NextToken"`
	Limit             int                 `json:"Limit"`
}

func (in *connectionInput) domain(r *awsapi.Request) bus.ConnectionInput {
	return bus.ConnectionInput{Caller: caller(r), Name: in.Name, Description: in.Description, AuthType: in.AuthorizationType, Auth: in.AuthParameters}
}

type connectionOut struct {
	ConnectionArn      string              `json:"ConnectionArn"`
	Name               string              `json:"Name,omitempty"`
	Description        string              `json:"Description,omitempty"`
	ConnectionState    string              `json:"ConnectionState"`
	AuthorizationType  string              `json:"AuthorizationType,omitempty"`
	SecretArn          string              `json:"SecretArn,omitempty"`
	AuthParameters     *bus.AuthParameters `json:"AuthParameters,omitempty"`
	CreationTime       epoch               `json:"CreationTime"`
	LastModifiedTime   epoch               `json:"LastModifiedTime"`
	LastAuthorizedTime *epoch              `json:"LastAuthorizedTime,omitempty"`
}

// connectionShape renders a connection: the state (Create, Update, Delete,
// Deauthorize), a list item, or the whole description.
func connectionShape(c bus.ConnectionInfo, detail int) connectionOut {
	out := connectionOut{
		ConnectionArn: c.Arn, ConnectionState: c.State, CreationTime: epoch(c.Created), LastModifiedTime: epoch(c.Modified),
		LastAuthorizedTime: optEpoch(c.Authorized),
	}
	if detail > 0 {
		out.Name, out.AuthorizationType = c.Name, c.AuthType
	}
	if detail > 1 {
		out.Description, out.SecretArn, out.AuthParameters = c.Description, c.SecretArn, &c.Auth
	}
	return out
}

func (h *Handler) createConnection(ctx context.Context, r *awsapi.Request, in *connectionInput) (any, error) {
	c, err := h.svc.CreateConnection(ctx, in.domain(r))
	if err != nil {
		return nil, err
	}
	out := connectionShape(c, 0)
	out.LastAuthorizedTime = nil
	return out, nil
}

func (h *Handler) describeConnection(ctx context.Context, r *awsapi.Request, in *connectionInput) (any, error) {
	c, err := h.svc.DescribeConnection(ctx, caller(r), in.Name)
	return shapeOrErr(c, err, 2)
}

func (h *Handler) updateConnection(ctx context.Context, r *awsapi.Request, in *connectionInput) (any, error) {
	c, err := h.svc.UpdateConnection(ctx, in.domain(r))
	return shapeOrErr(c, err, 0)
}

func (h *Handler) deleteConnection(ctx context.Context, r *awsapi.Request, in *connectionInput) (any, error) {
	c, err := h.svc.DeleteConnection(ctx, caller(r), in.Name)
	return shapeOrErr(c, err, 0)
}

func (h *Handler) deauthorizeConnection(ctx context.Context, r *awsapi.Request, in *connectionInput) (any, error) {
	c, err := h.svc.DeauthorizeConnection(ctx, caller(r), in.Name)
	return shapeOrErr(c, err, 0)
}

func shapeOrErr(c bus.ConnectionInfo, err error, detail int) (any, error) {
	if err != nil {
		return nil, err
	}
	return connectionShape(c, detail), nil
}

func (h *Handler) listConnections(ctx context.Context, r *awsapi.Request, in *connectionInput) (any, error) {
	all, next, err := h.svc.ListConnections(ctx, caller(r), in.NamePrefix, in.ConnectionState, in.Limit, in.NextToken)
	if err != nil {
		return nil, err
	}
	out := struct {
		Connections []connectionOut `json:"Connections"`
		NextToken   string          `json:"NextToken,omitempty"`
	}{Connections: make([]connectionOut, 0, len(all)), NextToken: next}
	for _, c := range all {
		out.Connections = append(out.Connections, connectionShape(c, 1))
	}
	return out, nil
}

type apiDestInput struct {
	Name                         string  `json:"Name"`
	Description                  *string `json:"Description"`
	ConnectionArn                *string `json:"ConnectionArn"`
	InvocationEndpoint           *string `json:"InvocationEndpoint"`
	HTTPMethod                   *string `json:"HttpMethod"`
	InvocationRateLimitPerSecond *int32  `json:"InvocationRateLimitPerSecond"`
	NamePrefix                   string  `json:"NamePrefix"`
	NextToken                    string  `json:"NextToken"`
	Limit                        int     `json:"Limit"`
}

func (in *apiDestInput) domain(r *awsapi.Request) bus.APIDestinationInput {
	return bus.APIDestinationInput{
		Caller: caller(r), Name: in.Name, Description: in.Description, ConnectionArn: in.ConnectionArn,
		Endpoint: in.InvocationEndpoint, Method: in.HTTPMethod, Rate: in.InvocationRateLimitPerSecond,
	}
}

type apiDestOut struct {
	APIDestinationArn            string `json:"ApiDestinationArn"`
	Name                         string `json:"Name,omitempty"`
	Description                  string `json:"Description,omitempty"`
	APIDestinationState          string `json:"ApiDestinationState"`
	ConnectionArn                string `json:"ConnectionArn,omitempty"`
	InvocationEndpoint           string `json:"InvocationEndpoint,omitempty"`
	HTTPMethod                   string `json:"HttpMethod,omitempty"`
	InvocationRateLimitPerSecond int32  `json:"InvocationRateLimitPerSecond,omitempty"`
	CreationTime                 epoch  `json:"CreationTime"`
	LastModifiedTime             epoch  `json:"LastModifiedTime"`
}

func apiDestShape(d bus.APIDestinationInfo, full bool) apiDestOut {
	out := apiDestOut{APIDestinationArn: d.Arn, APIDestinationState: d.State, CreationTime: epoch(d.Created), LastModifiedTime: epoch(d.Modified)}
	if full {
		out.Name, out.Description, out.ConnectionArn, out.InvocationEndpoint, out.HTTPMethod, out.InvocationRateLimitPerSecond =
			d.Name, d.Description, d.ConnectionArn, d.Endpoint, d.Method, d.Rate
	}
	return out
}

func (h *Handler) createAPIDestination(ctx context.Context, r *awsapi.Request, in *apiDestInput) (any, error) {
	d, err := h.svc.CreateAPIDestination(ctx, in.domain(r))
	if err != nil {
		return nil, err
	}
	return apiDestShape(d, false), nil
}

func (h *Handler) describeAPIDestination(ctx context.Context, r *awsapi.Request, in *apiDestInput) (any, error) {
	d, err := h.svc.DescribeAPIDestination(ctx, caller(r), in.Name)
	if err != nil {
		return nil, err
	}
	return apiDestShape(d, true), nil
}

func (h *Handler) updateAPIDestination(ctx context.Context, r *awsapi.Request, in *apiDestInput) (any, error) {
	d, err := h.svc.UpdateAPIDestination(ctx, in.domain(r))
	if err != nil {
		return nil, err
	}
	return apiDestShape(d, false), nil
}

func (h *Handler) deleteAPIDestination(ctx context.Context, r *awsapi.Request, in *apiDestInput) (any, error) {
	return struct{}{}, h.svc.DeleteAPIDestination(ctx, caller(r), in.Name)
}

func (h *Handler) listAPIDestinations(ctx context.Context, r *awsapi.Request, in *apiDestInput) (any, error) {
	conn := ""
	if in.ConnectionArn != nil {
		conn = *in.ConnectionArn
	}
	all, next, err := h.svc.ListAPIDestinations(ctx, caller(r), in.NamePrefix, conn, in.Limit, in.NextToken)
	if err != nil {
		return nil, err
	}
	out := struct {
		APIDestinations []apiDestOut `json:"ApiDestinations"`
		NextToken       string       `json:"NextToken,omitempty"`
	}{APIDestinations: make([]apiDestOut, 0, len(all)), NextToken: next}
	for _, d := range all {
		out.APIDestinations = append(out.APIDestinations, apiDestShape(d, true))
	}
	return out, nil
}
