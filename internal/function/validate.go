package function

import (
	"regexp"
	"slices"
	"strings"

	"github.com/fogbank/fogbank/internal/arn"
)

var (
	nameRE = regexp.MustCompile(`^(arn:(aws[a-zA-Z-]*)?:lambda:)?([a-z]{2}(-gov)?-[a-z]+-\d{1}:)?(\d{12}:)?(function:)?([a-zA-Z0-9-_]+)(:(\$LATEST|[a-zA-Z0-9-_]+))?$`)
	roleRE = regexp.MustCompile(`^arn:(aws[a-zA-Z-]*)?:iam::\d{12}:role/?[a-zA-Z_0-9+=,.@\-_/]+$`)
)

const (
	namePattern = `(arn:(aws[a-zA-Z-]*)?:lambda:)?((eusc-)?[a-z]{2}((-gov)|(-iso([a-z]?)))?-[a-z]+-\d{1}:)?(\d{12}:)?(function:)?([a-zA-Z0-9-_\.]+)(:(\$LATEST(\.PUBLISHED)?|[a-zA-Z0-9-_]+))?`
	rolePattern = `arn:(aws[a-zA-Z-]*)?:iam::\d{12}:role/?[a-zA-Z_0-9+=,.@\-_/]+`
)

// runtimes are the runtimes fogbank runs (nodejs* and python3* with the
// host's node and python3, see package runtime).
var runtimes = []string{
	"provided.al2023", "provided.al2", "nodejs18.x", "nodejs20.x", "nodejs22.x", "nodejs24.x",
	"python3.9", "python3.10", "python3.11", "python3.12", "python3.13", "python3.14",
}

// deprecated are runtimes AWS no longer accepts for new functions.
var deprecated = []string{"go1.x", "provided", "nodejs16.x", "python3.7", "python3.8", "java8", "dotnet6", "ruby2.7", "nodejs14.x", "nodejs12.x", "python3.6", "python2.7"}

// known are the other runtimes AWS accepts, which fogbank does not run yet.
var known = []string{"java11", "java17", "java21", "dotnet8", "ruby3.2", "ruby3.3"}

// reservedEnv are the variables a function's configuration cannot set.
var reservedEnv = []string{
	"AWS_REGION", "AWS_DEFAULT_REGION", "AWS_LAMBDA_FUNCTION_NAME", "AWS_LAMBDA_FUNCTION_MEMORY_SIZE",
	"AWS_LAMBDA_FUNCTION_VERSION", "AWS_LAMBDA_RUNTIME_API", "TZ", "_HANDLER", "AWS_EXECUTION_ENV",
	"AWS_LAMBDA_LOG_GROUP_NAME", "AWS_LAMBDA_LOG_STREAM_NAME", "LAMBDA_TASK_ROOT", "LAMBDA_RUNTIME_DIR",
	"AWS_ACCESS_KEY_ID", "AWS_SECRET_ACCESS_KEY", "AWS_SESSION_TOKEN",
}

// ref is a function reference resolved from a name, ARN or partial ARN.
type ref struct {
	name, qualifier string
}

// parseName resolves FunctionName (name, ARN or partial ARN, optionally
// qualified) for the caller.
func parseName(c Caller, s string, qualifier string) (ref, error) {
	if s == "" || len(s) > 140 || !nameRE.MatchString(s) {
		return ref{}, constraint(s, "functionName", "Member must satisfy regular expression pattern: "+namePattern)
	}
	m := nameRE.FindStringSubmatch(s)
	r := ref{name: m[7], qualifier: m[9]}
	if a, err := arn.Parse(s); err == nil && (a.Region != c.Region || a.Account != c.Account) {
		return ref{}, notFound(s)
	}
	if acct := strings.TrimSuffix(m[5], ":"); acct != "" && acct != c.Account {
		return ref{}, notFound(s)
	}
	if qualifier != "" {
		if r.qualifier != "" && r.qualifier != qualifier {
			return ref{}, invalidParameter("The derived qualifier from the function name does not match the specified qualifier.")
		}
		r.qualifier = qualifier
	}
	if len(r.name) > 64 {
		return ref{}, constraint(s, "functionName", "Member must have length less than or equal to 64")
	}
	return r, nil
}

func validateCreate(in *CreateInput) error {
	if in.Role == nil {
		return constraint("null", "role", "Member must not be null")
	}
	if !roleRE.MatchString(*in.Role) {
		return constraint(*in.Role, "role", "Member must satisfy regular expression pattern: "+rolePattern)
	}
	if in.PackageType != "" && in.PackageType != "Zip" {
		return invalidParameter("fogbank runs Zip-packaged functions only; PackageType %s is not supported yet.", in.PackageType)
	}
	if in.Runtime == "" || in.Handler == "" {
		return invalidParameter("Runtime and Handler are mandatory parameters for functions created with deployment packages.")
	}
	if err := validateRuntime(in.Runtime); err != nil {
		return err
	}
	if in.HasS3Code {
		return invalidParameter("fogbank accepts function code as ZipFile only; S3Bucket/S3Key and ImageUri are not supported yet.")
	}
	if len(in.ZipFile) == 0 && in.HotReloadDir == "" {
		return invalidParameter("Please provide a source for function code.")
	}
	if err := validateArchitectures(in.Architectures); err != nil {
		return err
	}
	if err := validateDeadLetter(in.DeadLetterArn); err != nil {
		return err
	}
	return validateLimits(in.Timeout, in.MemorySize, in.Environment, in.Description)
}

var deadLetterRE = regexp.MustCompile(`^((arn:(aws[a-zA-Z-]*)?:[a-z0-9-.]+:.*)|())$`)

// validateDeadLetter checks DeadLetterConfig.TargetArn: an SQS queue or SNS
// topic ARN, or "" for none.
func validateDeadLetter(target string) error {
	if !deadLetterRE.MatchString(target) {
		return constraint(target, "deadLetterConfig.targetArn", "Member must satisfy regular expression pattern: (arn:(aws[a-zA-Z-]*)?:[a-z0-9-.]+:.*)|()")
	}
	if a, err := arn.Parse(target); target != "" && (err != nil || (a.Service != "sqs" && a.Service != "sns")) {
		return invalidParameter("The provided target arn %s is invalid. Only SQS queues and SNS topics can be dead-letter targets.", target)
	}
	return nil
}

func validateRuntime(rt string) error {
	switch {
	case slices.Contains(runtimes, rt):
		return nil
	case slices.Contains(deprecated, rt):
		return invalidParameter("The runtime parameter of %s is no longer supported for creating or updating AWS Lambda functions. We recommend you use a supported runtime while creating or updating functions.", rt)
	case slices.Contains(known, rt):
		return invalidParameter("The runtime parameter of %s is not supported by fogbank yet; use provided.al2023 or provided.al2.", rt)
	}
	all := append(append(slices.Clone(known), runtimes...), deprecated...)
	return constraint(rt, "runtime", "Member must satisfy enum value set: ["+strings.Join(all, ", ")+"] or be a valid ARN")
}

func validateArchitectures(a []string) error {
	if len(a) > 1 {
		return constraint("["+strings.Join(a, ", ")+"]", "architectures", "Member must have length less than or equal to 1")
	}
	if len(a) == 1 && a[0] != "x86_64" && a[0] != "arm64" {
		return constraint("["+a[0]+"]", "architectures", "Member must satisfy constraint: [Member must satisfy enum value set: [x86_64, arm64]]")
	}
	return nil
}

func validateLimits(timeout, memory *int, env map[string]string, description string) error {
	switch {
	case timeout != nil && *timeout < 1:
		return constraint(*timeout, "timeout", "Member must have value greater than or equal to 1")
	case timeout != nil && *timeout > MaxTimeout:
		return constraint(*timeout, "timeout", "Member must have value less than or equal to 900")
	case memory != nil && *memory < MinMemorySize:
		return constraint(*memory, "memorySize", "Member must have value greater than or equal to 128")
	case memory != nil && *memory > MaxMemorySize:
		return constraint(*memory, "memorySize", "Member must have value less than or equal to 10240")
	case len(description) > 256:
		return constraint(description, "description", "Member must have length less than or equal to 256")
	}
	return validateEnv(env)
}

func validateEnv(env map[string]string) error {
	var reserved []string
	size := 0
	for k, v := range env {
		if slices.Contains(reservedEnv, k) {
			reserved = append(reserved, k)
		}
		size += len(k) + len(v)
	}
	if len(reserved) > 0 {
		slices.Sort(reserved)
		return invalidParameter("Lambda was unable to configure your environment variables because the environment variables you have provided contains reserved keys that are currently not supported for modification. Reserved keys used in this request: %s", strings.Join(reserved, ", "))
	}
	if size > maxEnvSize {
		return invalidParameter("Lambda was unable to configure your environment variables because the environment variables you have provided exceeded the 4KB limit. String measured: %d", size)
	}
	return nil
}
