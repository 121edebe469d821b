package lambda

import (
	"maps"

	"github.com/fogbank/fogbank/internal/function"
)

// lastModified is AWS's LastModified format, e.g. 2024-01-01T12:00:00.000+0000.
const lastModified = "2006-01-02T15:04:05.000-0700"

type environment struct {
	Variables map[string]string `json:"Variables"`
}

type createFunctionInput struct {
	FunctionName  string            `json:"FunctionName"`
	Runtime       string            `json:"Runtime"`
	Role          *string           `json:"Role"`
	Handler       string            `json:"Handler"`
	Description   string            `json:"Description"`
	Timeout       *int              `json:"Timeout"`
	MemorySize    *int              `json:"MemorySize"`
	Publish       bool              `json:"Publish"`
	PackageType   string            `json:"PackageType"`
	Environment   *environment      `json:"Environment"`
	Architectures []string          `json:"Architectures"`
	Tags          map[string]string `json:"Tags"`
	Layers        []string          `json:"Layers"`
	DeadLetter    *deadLetterConfig `json:"DeadLetterConfig"`
	SnapStart     *snapStartInput   `json:"SnapStart"`
	Code          struct {
		ZipFile         []byte  `json:"ZipFile"`
		S3Bucket        *string `json:"S3Bucket"`
		S3Key           *string `json:"S3Key"`
		S3ObjectVersion *string `json:"S3ObjectVersion"`
		ImageURI        *string `json:"ImageUri"`
	} `json:"Code"`
}

type updateCodeInput struct {
	ZipFile    []byte  `json:"ZipFile"`
	S3Bucket   *string `json:"S3Bucket"`
	S3Key      *string `json:"S3Key"`
	ImageURI   *string `json:"ImageUri"`
	RevisionID string  `json:"RevisionId"`
	Publish    bool    `json:"Publish"`
}

type updateConfigInput struct {
	Runtime     *string           `json:"Runtime"`
	Role        *string           `json:"Role"`
	Handler     *string           `json:"Handler"`
	Description *string           `json:"Description"`
	Timeout     *int              `json:"Timeout"`
	MemorySize  *int              `json:"MemorySize"`
	Environment *environment      `json:"Environment"`
	RevisionID  string            `json:"RevisionId"`
	Layers      *[]string         `json:"Layers"`
	DeadLetter  *deadLetterConfig `json:"DeadLetterConfig"`
	SnapStart   *snapStartInput   `json:"SnapStart"`
}

// snapStartInput is the SnapStart shape.
type snapStartInput struct {
	ApplyOn *string `json:"ApplyOn"`
}

// applyOn is ApplyOn; nil when not given.
func (s *snapStartInput) applyOn() *string {
	if s == nil {
		return nil
	}
	return s.ApplyOn
}

// deadLetterConfig is the DeadLetterConfig shape.
type deadLetterConfig struct {
	TargetArn *string `json:"TargetArn,omitempty"`
}

// target is TargetArn; "" for an empty config.
func (d *deadLetterConfig) target() string {
	if d == nil || d.TargetArn == nil {
		return ""
	}
	return *d.TargetArn
}

// configuration is the FunctionConfiguration shape.
type configuration struct {
	FunctionName         string            `json:"FunctionName"`
	FunctionArn          string            `json:"FunctionArn"`
	Runtime              string            `json:"Runtime"`
	Role                 string            `json:"Role"`
	Handler              string            `json:"Handler"`
	CodeSize             int64             `json:"CodeSize"`
	Description          string            `json:"Description"`
	Timeout              int               `json:"Timeout"`
	MemorySize           int               `json:"MemorySize"`
	LastModified         string            `json:"LastModified"`
	CodeSha256           string            `json:"CodeSha256"`
	Version              string            `json:"Version"`
	Environment          *environment      `json:"Environment,omitempty"`
	TracingConfig        map[string]string `json:"TracingConfig"`
	RevisionID           string            `json:"RevisionId"`
	State                string            `json:"State,omitempty"`
	StateReason          string            `json:"StateReason,omitempty"`
	StateReasonCode      string            `json:"StateReasonCode,omitempty"`
	LastUpdateStatus     string            `json:"LastUpdateStatus,omitempty"`
	LastUpdateReason     string            `json:"LastUpdateStatusReason,omitempty"`
	LastUpdateReasonCode string            `json:"LastUpdateStatusReasonCode,omitempty"`
	PackageType          string            `json:"PackageType"`
	Architectures        []string          `json:"Architectures"`
	EphemeralStorage     map[string]int    `json:"EphemeralStorage"`
	SnapStart            map[string]string `json:"SnapStart"`
	RuntimeVersionConfig map[string]string `json:"RuntimeVersionConfig,omitempty"`
	LoggingConfig        map[string]string `json:"LoggingConfig"`
	Layers               []functionLayer   `json:"Layers,omitempty"`
	DeadLetterConfig     *deadLetterConfig `json:"DeadLetterConfig,omitempty"`
}

func toConfiguration(f function.Function) configuration {
	c := configuration{
		FunctionName: f.Name, FunctionArn: f.QualifiedARN(), Runtime: f.Runtime, Role: f.Role, Handler: f.Handler,
		CodeSize: f.CodeSize, Description: f.Description, Timeout: f.Timeout, MemorySize: f.MemorySize,
		LastModified: f.LastModified.Format(lastModified), CodeSha256: f.CodeSha256, Version: f.Version(),
		TracingConfig: map[string]string{"Mode": "PassThrough"}, RevisionID: f.RevisionID,
		PackageType: "Zip", Architectures: f.Architectures,
		EphemeralStorage: map[string]int{"Size": 512},
		SnapStart:        snapStartOf(f),
		RuntimeVersionConfig: map[string]string{
			"RuntimeVersionArn": "arn:aws:lambda:" + f.Region + "::runtime:fogbank-" + f.Runtime,
		},
		LoggingConfig: map[string]string{"LogFormat": "Text", "LogGroup": f.LogGroup()},
		Layers:        toFunctionLayers(f.Layers),
	}
	setState(&c, f.Progress)
	if f.DeadLetterArn != "" {
		c.DeadLetterConfig = &deadLetterConfig{TargetArn: &f.DeadLetterArn}
	}
	if f.Environment != nil {
		c.Environment = &environment{Variables: maps.Clone(f.Environment)}
	}
	return c
}

// snapStartOf is the SnapStartResponse shape: optimized for a published
// version when it applies to published versions.
func snapStartOf(f function.Function) map[string]string {
	if f.SnapStart == "" {
		return map[string]string{"ApplyOn": "None", "OptimizationStatus": "Off"}
	}
	status := "Off"
	if f.VersionID != "" {
		status = "On"
	}
	return map[string]string{"ApplyOn": f.SnapStart, "OptimizationStatus": status}
}

// beingCreated is the reason AWS gives for a function being created, and
// (as recorded) for one being updated.
const beingCreated = "The function is being created."

// setState reports a configuration's state as AWS does for its progress.
func setState(c *configuration, p function.Progress) {
	switch p {
	case function.Creating:
		c.State, c.StateReason, c.StateReasonCode = "Pending", beingCreated, "Creating"
	case function.Updating:
		c.State, c.LastUpdateStatus = "Active", "InProgress"
		c.LastUpdateReason, c.LastUpdateReasonCode = beingCreated, "Creating"
	case function.Settled:
		c.State, c.LastUpdateStatus = "Active", "Successful"
	}
}

// toListed is a configuration as ListFunctions and ListVersionsByFunction
// list it: without its state and runtime version.
func toListed(f function.Function) configuration {
	c := toConfiguration(f)
	c.State, c.LastUpdateStatus, c.RuntimeVersionConfig = "", "", nil
	return c
}

type getFunctionOutput struct {
	Configuration configuration      `json:"Configuration"`
	Code          codeLocation       `json:"Code"`
	Tags          map[string]string  `json:"Tags,omitempty"`
	Concurrency   *concurrencyOutput `json:"Concurrency,omitempty"`
}

type codeLocation struct {
	RepositoryType string `json:"RepositoryType"`
	Location       string `json:"Location"`
}

type listFunctionsOutput struct {
	Functions  []configuration `json:"Functions"`
	NextMarker string          `json:"NextMarker,omitempty"`
}
