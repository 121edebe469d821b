package sfn

import (
	"context"

	"github.com/fogbank/fogbank/internal/awsapi"
	"github.com/fogbank/fogbank/internal/flow"
)

type redriveExecutionInput struct {
	ExecutionArn *string `json:"executionArn"`
	ClientToken  string  `json:"clientToken"`
}

func (h *Handler) redriveExecution(ctx context.Context, _ *awsapi.Request, in *redriveExecutionInput) (any, error) {
	if in.ExecutionArn == nil {
		return nil, missing("executionArn")
	}
	date, err := h.svc.RedriveExecution(ctx, flow.RedriveExecutionInput{ExecutionArn: *in.ExecutionArn, ClientToken: in.ClientToken})
	if err != nil {
		return nil, err
	}
	return struct {
		RedriveDate epoch `json:"redriveDate"`
	}{epoch(date)}, nil
}
