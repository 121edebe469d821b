package function

import (
	"time"

	"github.com/fogbank/fogbank/internal/arn"
)

// Caller is who calls an operation and where.
type Caller struct {
	Account string
	Region  string
}

// Defaults and limits, as AWS has them.
const (
	DefaultTimeout    = 3   // seconds
	DefaultMemorySize = 128 // MB
	MaxTimeout        = 900
	MinMemorySize     = 128
	MaxMemorySize     = 10240
	MaxZipSize        = 50 << 20 // a direct upload
	MaxSyncPayload    = 6 << 20  // 6291456 bytes
	MaxAsyncPayload   = 1 << 20
	maxEnvSize        = 4096
	latest            = "$LATEST"
)

// Function is a function's configuration as stored and as reported.
type Function struct {
	Account       string            `json:"account"`
	Region        string            `json:"region"`
	Name          string            `json:"name"`
	Runtime       string            `json:"runtime"`
	Role          string            `json:"role"`
	Handler       string            `json:"handler"`
	Description   string            `json:"description,omitempty"`
	Timeout       int               `json:"timeout"`
	MemorySize    int               `json:"memorySize"`
	Environment   map[string]string `json:"environment"`
	Architectures []string          `json:"architectures"`
	Tags          map[string]string `json:"tags,omitempty"`
	CodeSha256    string            `json:"codeSha256"` // base64, as AWS reports it
	CodeSize      int64             `json:"codeSize"`
	CodeKey       string            `json:"codeKey"` // hex SHA-256: the code's file name
	LastModified  time.Time         `json:"lastModified"`
	RevisionID    string            `json:"revisionId"`
	// Layers are the function's layer versions, merged in order into the
	// directory that stands in for /opt.
	Layers []FunctionLayer `json:"layers,omitempty"`
	// HotReloadDir is a host directory run as the code (S3Bucket
	// "hot-reload"), read afresh at each cold start.
	HotReloadDir string `json:"hotReloadDir,omitempty"`
	// DeadLetterArn is DeadLetterConfig.TargetArn: the SQS queue or SNS
	// topic failed asynchronous events go to.
	DeadLetterArn string `json:"deadLetterArn,omitempty"`
	// SnapStart is SnapStart.ApplyOn: PublishedVersions, or "" for None.
	SnapStart string `json:"snapStart,omitempty"`
	// VersionID is a published version's number; empty for $LATEST.
	VersionID string `json:"version,omitempty"`
	// PublishedFrom is a version's $LATEST description when it was
	// published: a description of $LATEST changed since makes the next
	// publish a new version, as on AWS.
	PublishedFrom string `json:"publishedFrom,omitempty"`
	// Qualifier is the version or alias the configuration was asked for
	// through (it qualifies FunctionArn); never stored.
	Qualifier string `json:"-"`
	// Reserved is the function's reserved concurrency, if any; reported
	// by GetFunction, stored in the function's state record.
	Reserved *int `json:"-"`
	// Progress is the state a create or update answers with; never
	// stored (see Progress).
	Progress Progress `json:"-"`
}

// Progress is how far a change of a function had come when it was
// answered. fogbank settles a function before it answers, but answers as
// AWS does: a create with State Pending, an update with LastUpdateStatus
// InProgress, each under the revision the change was accepted as; the
// settled configuration it stores carries a new revision.
type Progress int

// Progress values.
const (
	Settled  Progress = iota // State Active, LastUpdateStatus Successful
	Creating                 // State Pending (reason Creating), no LastUpdateStatus
	Updating                 // State Active, LastUpdateStatus InProgress
)

// FunctionLayer is one layer version of a function.
type FunctionLayer struct {
	Arn      string `json:"arn"`
	CodeSize int64  `json:"codeSize"`
	CodeKey  string `json:"codeKey"`
}

// ARN is the function's unqualified ARN.
func (f *Function) ARN() string { return functionARN(f.Region, f.Account, f.Name) }

// QualifiedARN is the ARN the configuration was asked for through: the
// unqualified ARN, or the ARN qualified with a version or alias.
func (f *Function) QualifiedARN() string {
	if f.Qualifier == "" {
		return f.ARN()
	}
	return f.ARN() + ":" + f.Qualifier
}

// Version is the version the configuration describes: a number, or $LATEST.
func (f *Function) Version() string {
	if f.VersionID != "" {
		return f.VersionID
	}
	return latest
}

// LogGroup is the function's CloudWatch log group name.
func (f *Function) LogGroup() string { return "/aws/lambda/" + f.Name }

func functionARN(region, account, name string) string {
	return arn.ARN{Partition: arn.Partition(region), Service: "lambda", Region: region, Account: account, Resource: "function:" + name}.String()
}

// CreateInput is CreateFunction's input.
type CreateInput struct {
	Name          string
	Runtime       string
	Role          *string
	Handler       string
	Description   string
	Timeout       *int
	MemorySize    *int
	Environment   map[string]string
	Architectures []string
	Tags          map[string]string
	PackageType   string
	ZipFile       []byte
	HasS3Code     bool     // S3Bucket/S3Key or ImageUri given: not supported yet
	HotReloadDir  string   // S3Key with S3Bucket "hot-reload": a host directory as code
	Layers        []string // layer version ARNs
	Publish       bool     // publish version 1 with the function
	DeadLetterArn string   // DeadLetterConfig.TargetArn; "" for none
	SnapStart     *string  // SnapStart.ApplyOn; nil for none
}

// UpdateConfigInput is UpdateFunctionConfiguration's input; nil leaves a
// field unchanged.
type UpdateConfigInput struct {
	Name        string
	Runtime     *string
	Role        *string
	Handler     *string
	Description *string
	Timeout     *int
	MemorySize  *int
	Environment *map[string]string
	RevisionID  string
	Layers      *[]string // layer version ARNs; an empty list removes them
	// DeadLetterArn is DeadLetterConfig.TargetArn; "" removes it.
	DeadLetterArn *string
	SnapStart     *string // SnapStart.ApplyOn
}

// UpdateCodeInput is UpdateFunctionCode's input.
type UpdateCodeInput struct {
	Name       string
	ZipFile    []byte
	RevisionID string
	HasS3Code  bool
	// HotReloadDir is S3Key with S3Bucket "hot-reload".
	HotReloadDir string
	Publish      bool // publish a version of the new code
}

// ListOutput is one page of ListFunctions.
type ListOutput struct {
	Functions  []Function
	NextMarker string
}
