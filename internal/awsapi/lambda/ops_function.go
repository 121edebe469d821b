package lambda

import (
	"context"
	"encoding/json"
	"net/http"
	"strconv"

	"github.com/fogbank/fogbank/internal/awsapi"
	"github.com/fogbank/fogbank/internal/function"
)

func decode(r *awsapi.Request, in any) error {
	if len(r.Body) == 0 {
		return nil
	}
	if err := json.Unmarshal(r.Body, in); err != nil {
		return invalidContent("Could not parse request body into json: " + err.Error())
	}
	return nil
}

func ok(status int, out any) (awsapi.Response, error) {
	b, err := json.Marshal(out)
	if err != nil {
		return awsapi.Response{}, err
	}
	return awsapi.Response{Status: status, ContentType: "application/json", Body: b}, nil
}

func (h *Handler) createFunction(ctx context.Context, r *awsapi.Request, _ string) (awsapi.Response, error) {
	var in createFunctionInput
	if err := decode(r, &in); err != nil {
		return awsapi.Response{}, err
	}
	f, err := h.svc.CreateFunction(ctx, caller(r), function.CreateInput{
		Name: in.FunctionName, Runtime: in.Runtime, Role: in.Role, Handler: in.Handler, Description: in.Description,
		Timeout: in.Timeout, MemorySize: in.MemorySize, Environment: variables(in.Environment),
		Architectures: in.Architectures, Tags: in.Tags, PackageType: in.PackageType, ZipFile: in.Code.ZipFile,
		DeadLetterArn: in.DeadLetter.target(),
		SnapStart:     in.SnapStart.applyOn(),
		Publish:       in.Publish,
		HasS3Code:     hasS3Code(in.Code.S3Bucket, in.Code.S3Key, in.Code.ImageURI),
		HotReloadDir:  hotReload(in.Code.S3Bucket, in.Code.S3Key),
		Layers:        in.Layers,
	})
	if err != nil {
		return awsapi.Response{}, err
	}
	return ok(http.StatusCreated, toConfiguration(f))
}

func variables(e *environment) map[string]string {
	if e == nil {
		return nil
	}
	return e.Variables
}

// CodePath is where GetFunction's Code.Location points: fogbank serves each
// stored deployment package there by its hex SHA-256 (AWS hands out a
// presigned S3 URL; the content hash plays the same unguessable role).
const CodePath = "/_fogbank/lambda/code/"

func (h *Handler) getFunction(ctx context.Context, r *awsapi.Request, name string) (awsapi.Response, error) {
	f, err := h.svc.GetFunction(ctx, caller(r), name, r.HTTP.URL.Query().Get("Qualifier"))
	if err != nil {
		return awsapi.Response{}, err
	}
	return ok(http.StatusOK, getFunctionOutput{
		Configuration: toConfiguration(f), Tags: f.Tags, Concurrency: toConcurrency(f.Reserved),
		Code: codeLocation{RepositoryType: "S3", Location: "http://" + r.Host + CodePath + f.CodeKey + ".zip"},
	})
}

func (h *Handler) getFunctionConfiguration(ctx context.Context, r *awsapi.Request, name string) (awsapi.Response, error) {
	f, err := h.svc.GetFunction(ctx, caller(r), name, r.HTTP.URL.Query().Get("Qualifier"))
	if err != nil {
		return awsapi.Response{}, err
	}
	return ok(http.StatusOK, toConfiguration(f))
}

func (h *Handler) listFunctions(ctx context.Context, r *awsapi.Request, _ string) (awsapi.Response, error) {
	q := r.HTTP.URL.Query()
	maxItems := 0
	if s := q.Get("MaxItems"); s != "" {
		n, err := strconv.Atoi(s)
		if err != nil {
			return awsapi.Response{}, &function.Error{Code: function.CodeInvalidParameterValue, Message: "Invalid MaxItems: " + s}
		}
		maxItems = n
	}
	list := h.svc.ListFunctions
	switch v := q.Get("FunctionVersion"); v {
	case "":
	case "ALL":
		list = h.svc.ListAllVersions
	default:
		return awsapi.Response{}, &function.Error{
			Code:    function.CodeValidation,
			Message: "1 validation error detected: Value '" + v + "' at 'functionVersion' failed to satisfy constraint: Member must satisfy enum value set: [ALL]",
		}
	}
	page, err := list(ctx, caller(r), q.Get("Marker"), maxItems)
	if err != nil {
		return awsapi.Response{}, err
	}
	out := listFunctionsOutput{Functions: make([]configuration, 0, len(page.Functions)), NextMarker: page.NextMarker}
	for _, f := range page.Functions {
		out.Functions = append(out.Functions, toListed(f))
	}
	return ok(http.StatusOK, out)
}

func (h *Handler) deleteFunction(ctx context.Context, r *awsapi.Request, name string) (awsapi.Response, error) {
	if err := h.svc.DeleteFunction(ctx, caller(r), name, r.HTTP.URL.Query().Get("Qualifier")); err != nil {
		return awsapi.Response{}, err
	}
	return awsapi.Response{Status: http.StatusNoContent, ContentType: "application/json"}, nil
}

func (h *Handler) updateFunctionCode(ctx context.Context, r *awsapi.Request, name string) (awsapi.Response, error) {
	var in updateCodeInput
	if err := decode(r, &in); err != nil {
		return awsapi.Response{}, err
	}
	f, err := h.svc.UpdateFunctionCode(ctx, caller(r), function.UpdateCodeInput{
		Name: name, ZipFile: in.ZipFile, RevisionID: in.RevisionID, Publish: in.Publish,
		HasS3Code: hasS3Code(in.S3Bucket, in.S3Key, in.ImageURI), HotReloadDir: hotReload(in.S3Bucket, in.S3Key),
	})
	if err != nil {
		return awsapi.Response{}, err
	}
	return ok(http.StatusOK, toConfiguration(f))
}

func (h *Handler) updateFunctionConfiguration(ctx context.Context, r *awsapi.Request, name string) (awsapi.Response, error) {
	var in updateConfigInput
	if err := decode(r, &in); err != nil {
		return awsapi.Response{}, err
	}
	up := function.UpdateConfigInput{
		Name: name, Runtime: in.Runtime, Role: in.Role, Handler: in.Handler, Description: in.Description,
		Timeout: in.Timeout, MemorySize: in.MemorySize, RevisionID: in.RevisionID, Layers: in.Layers,
		SnapStart: in.SnapStart.applyOn(),
	}
	if in.Environment != nil {
		vars := in.Environment.Variables
		up.Environment = &vars
	}
	if in.DeadLetter != nil {
		up.DeadLetterArn = new(in.DeadLetter.target())
	}
	f, err := h.svc.UpdateFunctionConfiguration(ctx, caller(r), up)
	if err != nil {
		return awsapi.Response{}, err
	}
	return ok(http.StatusOK, toConfiguration(f))
}
