package function

import (
	"encoding/json"
	"regexp"
	"slices"
	"strings"

	"github.com/fogbank/fogbank/internal/arn"
)

var (
	// nameRE is namePattern, anchored, with its parts named.
	nameRE       = regexp.MustCompile(`^(arn:(aws[a-zA-Z-]*)?:lambda:)?(?P<region>(eusc-)?[a-z]{2}((-gov)|(-iso([a-z]?)))?-[a-z]+-\d{1}:)?(?P<account>\d{12}:)?(function:)?(?P<name>[a-zA-Z0-9-_\.]+)(:(?P<qualifier>\$LATEST(\.PUBLISHED)?|[a-zA-Z0-9-_]+))?$`)
	createNameRE = regexp.MustCompile(`^(?:` + createNamePattern + `)$`)
	roleRE       = regexp.MustCompile(`^arn:(aws[a-zA-Z-]*)?:iam::\d{12}:role/?[a-zA-Z_0-9+=,.@\-_/]+$`)
)

var (
	nameRegion    = nameRE.SubexpIndex("region")
	nameAccount   = nameRE.SubexpIndex("account")
	nameName      = nameRE.SubexpIndex("name")
	nameQualifier = nameRE.SubexpIndex("qualifier")
)

const (
	// namePattern is NamespacedFunctionName's, as AWS reports it.
	namePattern = `(arn:(aws[a-zA-Z-]*)?:lambda:)?((eusc-)?[a-z]{2}((-gov)|(-iso([a-z]?)))?-[a-z]+-\d{1}:)?(\d{12}:)?(function:)?([a-zA-Z0-9-_\.]+)(:(\$LATEST(\.PUBLISHED)?|[a-zA-Z0-9-_]+))?`
	// createNamePattern is CreateFunction's FunctionName pattern.
	createNamePattern = `(arn:(aws[a-zA-Z-]*)?:lambda:)?((eusc-)?[a-z]{2}((-gov)|(-iso([a-z]?)))?-[a-z]+-\d{1}:)?(\d{12}:)?(function:)?([a-zA-Z0-9-_]+)(:(\$LATEST|[a-zA-Z0-9-_]+))?`
	qualifierPattern  = `\$(LATEST(\.PUBLISHED)?)|[a-zA-Z0-9-_$]+`
	rolePattern       = `arn:(aws[a-zA-Z-]*)?:iam::\d{12}:role/?[a-zA-Z_0-9+=,.@\-_/]+`
	maxNameLen        = 64  // a function's own name
	maxARNLen         = 256 // NamespacedFunctionName
	maxCreateNameLen  = 140 // CreateFunction's FunctionName
	maxQualifierLen   = 128
)

// runtimes are the runtimes fogbank runs (nodejs* and python3* with the
// host's node and python3, see package runtime).
var runtimes = []string{
	"provided.al2023", "provided.al2", "nodejs18.x", "nodejs20.x", "nodejs22.x", "nodejs24.x",
	"python3.8", "python3.9", "python3.10", "python3.11", "python3.12", "python3.13", "python3.14", "nodejs16.x",
}

// deprecated are runtimes AWS no longer accepts for new functions.
var deprecated = []string{
	"go1.x", "provided", "python3.7", "java8", "ruby2.7", "nodejs14.x",
	"nodejs12.x", "python3.6", "python2.7", "dotnetcore3.1",
}

// known are the other runtimes AWS accepts, which fogbank does not run yet.
var known = []string{"dotnet6", "java8.al2", "java11", "java17", "java21", "java25", "dotnet8", "dotnet10", "ruby3.2", "ruby3.3", "ruby3.4"}

// runtimeEnum is the enum value set AWS's message for an unknown runtime
// lists, in its order.
const runtimeEnum = "nodejs20.x, python3.14, provided.al2023, python3.12, python3.13, nodejs24.x, nodejs22.x, java25, " +
	"python3.10, python3.11, java21, ruby3.3, ruby3.4, ruby3.2, python3.8, python3.9, java17, nodejs16.x, dotnet10, " +
	"dotnet8, java11, dotnet6, nodejs18.x, provided.al2, java8.al2"

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
// qualified) and Qualifier for the caller, as GetFunction, DeleteFunction
// and Invoke check them: the qualifier's constraints before the name's,
// all of them in one ValidationException; then the region. A name longer
// than a function's can be passes, to be not found.
func parseName(c Caller, s string, qualifier string) (ref, error) {
	var errs []string
	if qualifier != "" {
		switch {
		case len(qualifier) > maxQualifierLen:
			errs = append(errs, violation(qualifier, "qualifier", "Member must have length less than or equal to 128"))
		case !qualifierRE.MatchString(qualifier):
			errs = append(errs, violation(qualifier, "qualifier", "Member must satisfy regular expression pattern: "+qualifierPattern))
		}
	}
	m := nameRE.FindStringSubmatch(s)
	switch {
	case len(s) > maxARNLen:
		errs = append(errs, violation(s, "functionName", "Member must have length less than or equal to 256"))
	case s == "" || m == nil:
		errs = append(errs, violation(s, "functionName", "Member must satisfy regular expression pattern: "+namePattern))
	}
	if len(errs) > 0 {
		return ref{}, validation(errs...)
	}
	r := ref{name: m[nameName], qualifier: m[nameQualifier]}
	if region := strings.TrimSuffix(m[nameRegion], ":"); region != "" && region != c.Region {
		return ref{}, errorf(CodeResourceNotFound, "Functions from '%s' are not reachable in this region ('%s')", region, c.Region)
	}
	if acct := strings.TrimSuffix(m[nameAccount], ":"); acct != "" && acct != c.Account {
		return ref{}, notFound(s)
	}
	if qualifier != "" {
		if r.qualifier != "" && r.qualifier != qualifier {
			return ref{}, invalidParameter("The derived qualifier from the function name does not match the specified qualifier.")
		}
		r.qualifier = qualifier
	}
	return r, nil
}

// parseCreateName checks CreateFunction's FunctionName as AWS does: its
// length and pattern in one ValidationException, then the function's own
// name's length as an InvalidParameterValueException.
func parseCreateName(c Caller, s string) (ref, error) {
	var errs []string
	if len(s) > maxCreateNameLen {
		errs = append(errs, violation(s, "functionName", "Member must have length less than or equal to 140"))
	}
	if s == "" || !createNameRE.MatchString(s) {
		errs = append(errs, violation(s, "functionName", "Member must satisfy regular expression pattern: "+createNamePattern))
	}
	if len(errs) > 0 {
		return ref{}, validation(errs...)
	}
	m := nameRE.FindStringSubmatch(s)
	if acct := strings.TrimSuffix(m[nameAccount], ":"); acct != "" && acct != c.Account {
		return ref{}, &Error{Code: CodeAccessDenied} // another account's function
	}
	if len(m[nameName]) > maxNameLen {
		e := validation(violation(s, "functionName", "Member must have length less than or equal to 64"))
		e.Code = CodeInvalidParameterValue
		return ref{}, e
	}
	return parseName(c, s, "")
}

func validateCreate(in *CreateInput) error {
	if in.Role == nil {
		return constraint("null", "role", "Member must not be null")
	}
	if !roleRE.MatchString(*in.Role) {
		return constraint(*in.Role, "role", "Member must satisfy regular expression pattern: "+rolePattern)
	}
	if err := validateSnapStart(in.SnapStart); err != nil {
		return err
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

// validateSnapStart checks SnapStart.ApplyOn.
func validateSnapStart(applyOn *string) error {
	if applyOn != nil && *applyOn != "PublishedVersions" && *applyOn != "None" {
		return constraint(*applyOn, "snapStart.applyOn", "Member must satisfy enum value set: [PublishedVersions, None]")
	}
	return nil
}

// snapStart is how a function stores SnapStart.ApplyOn: "" for None.
func snapStart(applyOn string) string {
	if applyOn == "None" {
		return ""
	}
	return applyOn
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
	return invalidParameter("Value %s at 'runtime' failed to satisfy constraint: Member must satisfy enum value set: [%s] or be a valid ARN", rt, runtimeEnum)
}

func validateArchitectures(a []string) error {
	if len(a) > 1 {
		return constraint("["+strings.Join(a, ", ")+"]", "architectures", "Member must have length less than or equal to 1")
	}
	if len(a) == 1 && a[0] != "x86_64" && a[0] != "arm64" {
		return constraint("["+a[0]+"]", "architectures", "Member must satisfy constraint: [Member must satisfy enum value set: [x86_64, arm64], Member must not be null]")
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
	for k := range env {
		if slices.Contains(reservedEnv, k) {
			reserved = append(reserved, k)
		}
	}
	if len(reserved) > 0 {
		slices.Sort(reserved)
		return invalidParameter("Lambda was unable to configure your environment variables because the environment variables you have provided contains reserved keys that are currently not supported for modification. Reserved keys used in this request: %s", strings.Join(reserved, ", "))
	}
	if measured := envJSON(env); len(measured) > maxEnvSize {
		return invalidParameter("Lambda was unable to configure your environment variables because the environment variables you have provided exceeded the 4KB limit. String measured: %s", measured)
	}
	return nil
}

// envJSON is the text AWS measures the environment by: the variables as a
// JSON object (here with its keys sorted; AWS keeps the request's order).
func envJSON(env map[string]string) string {
	if len(env) == 0 {
		return "{}"
	}
	var b strings.Builder
	enc := json.NewEncoder(&b)
	enc.SetEscapeHTML(false)
	_ = enc.Encode(env) // a map of strings always encodes
	return strings.TrimSuffix(b.String(), "\n")
}
