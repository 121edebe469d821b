package events

import (
	"context"

	"github.com/fogbank/fogbank/internal/awsapi"
	"github.com/fogbank/fogbank/internal/bus"
)

type putPermissionInput struct {
	EventBusName string         `json:"EventBusName"`
	Action       string         `json:"Action"`
	Principal    string         `json:"Principal"`
	StatementID  string         `json:"StatementId"`
	Condition    *bus.Condition `json:"Condition"`
	Policy       *string        `json:"Policy"`
}

func (h *Handler) putPermission(ctx context.Context, r *awsapi.Request, in *putPermissionInput) (any, error) {
	return struct{}{}, h.svc.PutPermission(ctx, bus.PutPermissionInput{
		Caller: caller(r), EventBusName: in.EventBusName, Action: in.Action,
		Principal: in.Principal, StatementID: in.StatementID, Condition: in.Condition, Policy: in.Policy,
	})
}

type removePermissionInput struct {
	EventBusName         string `json:"EventBusName"`
	StatementID          string `json:"StatementId"`
	RemoveAllPermissions bool   `json:"RemoveAllPermissions"`
}

func (h *Handler) removePermission(ctx context.Context, r *awsapi.Request, in *removePermissionInput) (any, error) {
	return struct{}{}, h.svc.RemovePermission(ctx, bus.RemovePermissionInput{
		Caller: caller(r), EventBusName: in.EventBusName,
		StatementID: in.StatementID, RemoveAll: in.RemoveAllPermissions,
	})
}
