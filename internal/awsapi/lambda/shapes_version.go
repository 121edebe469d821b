package lambda

import (
	"github.com/fogbank/fogbank/internal/function"
)

type publishVersionInput struct {
	CodeSha256  string `json:"CodeSha256"`
	Description string `json:"Description"`
	RevisionID  string `json:"RevisionId"`
}

type listVersionsOutput struct {
	Versions   []configuration `json:"Versions"`
	NextMarker string          `json:"NextMarker,omitempty"`
}

type routingConfig struct {
	AdditionalVersionWeights map[string]float64 `json:"AdditionalVersionWeights"`
}

type aliasInput struct {
	Name            string         `json:"Name"`
	FunctionVersion *string        `json:"FunctionVersion"`
	Description     *string        `json:"Description"`
	RoutingConfig   *routingConfig `json:"RoutingConfig"`
	RevisionID      string         `json:"RevisionId"`
}

// aliasConfiguration is the AliasConfiguration shape.
type aliasConfiguration struct {
	AliasArn        string         `json:"AliasArn"`
	Name            string         `json:"Name"`
	FunctionVersion string         `json:"FunctionVersion"`
	Description     string         `json:"Description"`
	RoutingConfig   *routingConfig `json:"RoutingConfig,omitempty"`
	RevisionID      string         `json:"RevisionId"`
}

func toAlias(a function.Alias) aliasConfiguration {
	out := aliasConfiguration{
		AliasArn: a.ARN(), Name: a.Name, FunctionVersion: a.FunctionVersion,
		Description: a.Description, RevisionID: a.RevisionID,
	}
	if len(a.Weights) > 0 {
		out.RoutingConfig = &routingConfig{AdditionalVersionWeights: a.Weights}
	}
	return out
}

type listAliasesOutput struct {
	Aliases    []aliasConfiguration `json:"Aliases"`
	NextMarker string               `json:"NextMarker,omitempty"`
}

type concurrencyOutput struct {
	ReservedConcurrentExecutions *int `json:"ReservedConcurrentExecutions,omitempty"`
}

func toConcurrency(n *int) *concurrencyOutput {
	if n == nil {
		return nil
	}
	return &concurrencyOutput{ReservedConcurrentExecutions: n}
}

type accountSettingsOutput struct {
	AccountLimit struct {
		TotalCodeSize                  int64 `json:"TotalCodeSize"`
		CodeSizeUnzipped               int64 `json:"CodeSizeUnzipped"`
		CodeSizeZipped                 int64 `json:"CodeSizeZipped"`
		ConcurrentExecutions           int   `json:"ConcurrentExecutions"`
		UnreservedConcurrentExecutions int   `json:"UnreservedConcurrentExecutions"`
	} `json:"AccountLimit"`
	AccountUsage struct {
		TotalCodeSize int64 `json:"TotalCodeSize"`
		FunctionCount int   `json:"FunctionCount"`
	} `json:"AccountUsage"`
}

// provisionedConfig is GetProvisionedConcurrencyConfig's output and, with
// FunctionArn, an item of ListProvisionedConcurrencyConfigs.
type provisionedConfig struct {
	FunctionArn                              string `json:"FunctionArn,omitempty"`
	RequestedProvisionedConcurrentExecutions int    `json:"RequestedProvisionedConcurrentExecutions"`
	AvailableProvisionedConcurrentExecutions int    `json:"AvailableProvisionedConcurrentExecutions"`
	AllocatedProvisionedConcurrentExecutions int    `json:"AllocatedProvisionedConcurrentExecutions"`
	Status                                   string `json:"Status"`
	StatusReason                             string `json:"StatusReason,omitempty"`
	LastModified                             string `json:"LastModified"`
}

func toProvisioned(p function.ProvisionedStatus, withArn bool) provisionedConfig {
	out := provisionedConfig{
		RequestedProvisionedConcurrentExecutions: p.Requested, AvailableProvisionedConcurrentExecutions: p.Available,
		AllocatedProvisionedConcurrentExecutions: p.Allocated, Status: p.Status, StatusReason: p.StatusReason,
		LastModified: p.LastModified.Format(lastModified),
	}
	if withArn {
		out.FunctionArn = p.FunctionArn
	}
	return out
}

type addPermissionInput struct {
	StatementID         string `json:"StatementId"`
	Action              string `json:"Action"`
	Principal           string `json:"Principal"`
	SourceArn           string `json:"SourceArn"`
	SourceAccount       string `json:"SourceAccount"`
	EventSourceToken    string `json:"EventSourceToken"`
	PrincipalOrgID      string `json:"PrincipalOrgID"`
	FunctionURLAuthType string `json:"FunctionUrlAuthType"`
	RevisionID          string `json:"RevisionId"`
}

type tagsBody struct {
	Tags map[string]string `json:"Tags"`
}
