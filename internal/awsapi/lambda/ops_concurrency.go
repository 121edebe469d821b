package lambda

import (
	"context"
	"net/http"

	"github.com/fogbank/fogbank/internal/awsapi"
	"github.com/fogbank/fogbank/internal/function"
)

func (h *Handler) putConcurrency(ctx context.Context, r *awsapi.Request, name string) (awsapi.Response, error) {
	var in struct {
		ReservedConcurrentExecutions *int `json:"ReservedConcurrentExecutions"`
	}
	if err := decode(r, &in); err != nil {
		return awsapi.Response{}, err
	}
	n, err := h.svc.PutFunctionConcurrency(ctx, caller(r), name, in.ReservedConcurrentExecutions)
	if err != nil {
		return awsapi.Response{}, err
	}
	return ok(http.StatusOK, concurrencyOutput{ReservedConcurrentExecutions: &n})
}

func (h *Handler) getConcurrency(ctx context.Context, r *awsapi.Request, name string) (awsapi.Response, error) {
	n, err := h.svc.GetFunctionConcurrency(ctx, caller(r), name)
	if err != nil {
		return awsapi.Response{}, err
	}
	return ok(http.StatusOK, concurrencyOutput{ReservedConcurrentExecutions: n})
}

func (h *Handler) deleteConcurrency(ctx context.Context, r *awsapi.Request, name string) (awsapi.Response, error) {
	if err := h.svc.DeleteFunctionConcurrency(ctx, caller(r), name); err != nil {
		return awsapi.Response{}, err
	}
	return awsapi.Response{Status: http.StatusNoContent, ContentType: "application/json"}, nil
}

// Account limits AWS reports besides concurrency.
const (
	totalCodeSize    = 80530636800 // 75 GB
	codeSizeUnzipped = 262144000   // 250 MB
)

func (h *Handler) getAccountSettings(ctx context.Context, r *awsapi.Request, _ string) (awsapi.Response, error) {
	s := h.svc.GetAccountSettings(ctx, caller(r))
	var out accountSettingsOutput
	out.AccountLimit.TotalCodeSize, out.AccountLimit.CodeSizeUnzipped = totalCodeSize, codeSizeUnzipped
	out.AccountLimit.CodeSizeZipped = function.MaxZipSize
	out.AccountLimit.ConcurrentExecutions = s.ConcurrentExecutions
	out.AccountLimit.UnreservedConcurrentExecutions = s.UnreservedConcurrentExecutions
	out.AccountUsage.TotalCodeSize, out.AccountUsage.FunctionCount = s.TotalCodeSize, s.FunctionCount
	return ok(http.StatusOK, out)
}

func (h *Handler) putProvisioned(ctx context.Context, r *awsapi.Request, name string) (awsapi.Response, error) {
	var in struct {
		ProvisionedConcurrentExecutions *int `json:"ProvisionedConcurrentExecutions"`
	}
	if err := decode(r, &in); err != nil {
		return awsapi.Response{}, err
	}
	if in.ProvisionedConcurrentExecutions == nil {
		return awsapi.Response{}, &function.Error{Code: function.CodeValidation, Message: "1 validation error detected: Value null at 'provisionedConcurrentExecutions' failed to satisfy constraint: Member must not be null"}
	}
	p, err := h.svc.PutProvisionedConcurrency(ctx, caller(r), name, r.HTTP.URL.Query().Get("Qualifier"), *in.ProvisionedConcurrentExecutions)
	if err != nil {
		return awsapi.Response{}, err
	}
	return ok(http.StatusAccepted, toProvisioned(p, false))
}

func (h *Handler) getProvisioned(ctx context.Context, r *awsapi.Request, name string) (awsapi.Response, error) {
	q := r.HTTP.URL.Query()
	if q.Get("List") == "ALL" {
		return h.listProvisioned(ctx, r, name)
	}
	p, err := h.svc.GetProvisionedConcurrency(ctx, caller(r), name, q.Get("Qualifier"))
	if err != nil {
		return awsapi.Response{}, err
	}
	return ok(http.StatusOK, toProvisioned(p, false))
}

func (h *Handler) listProvisioned(ctx context.Context, r *awsapi.Request, name string) (awsapi.Response, error) {
	r.Operation = "ListProvisionedConcurrencyConfigs"
	all, err := h.svc.ListProvisionedConcurrency(ctx, caller(r), name)
	if err != nil {
		return awsapi.Response{}, err
	}
	out := struct {
		ProvisionedConcurrencyConfigs []provisionedConfig `json:"ProvisionedConcurrencyConfigs"`
	}{ProvisionedConcurrencyConfigs: []provisionedConfig{}}
	for _, p := range all {
		out.ProvisionedConcurrencyConfigs = append(out.ProvisionedConcurrencyConfigs, toProvisioned(p, true))
	}
	return ok(http.StatusOK, out)
}

func (h *Handler) deleteProvisioned(ctx context.Context, r *awsapi.Request, name string) (awsapi.Response, error) {
	if err := h.svc.DeleteProvisionedConcurrency(ctx, caller(r), name, r.HTTP.URL.Query().Get("Qualifier")); err != nil {
		return awsapi.Response{}, err
	}
	return awsapi.Response{Status: http.StatusNoContent, ContentType: "application/json"}, nil
}
