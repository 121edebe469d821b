package lambda

import (
	"github.com/fogbank/fogbank/internal/function"
)

type publishLayerInput struct {
	Description             string   `json:"Description"`
	LicenseInfo             string   `json:"LicenseInfo"`
	CompatibleRuntimes      []string `json:"CompatibleRuntimes"`
	CompatibleArchitectures []string `json:"CompatibleArchitectures"`
	Content                 *struct {
		ZipFile         []byte  `json:"ZipFile"`
		S3Bucket        *string `json:"S3Bucket"`
		S3Key           *string `json:"S3Key"`
		S3ObjectVersion *string `json:"S3ObjectVersion"`
	} `json:"Content"`
}

type layerContent struct {
	Location   string `json:"Location"`
	CodeSha256 string `json:"CodeSha256"`
	CodeSize   int64  `json:"CodeSize"`
}

// layerVersionOutput is PublishLayerVersion's and GetLayerVersion's output.
type layerVersionOutput struct {
	Content                 layerContent `json:"Content"`
	LayerArn                string       `json:"LayerArn"`
	LayerVersionArn         string       `json:"LayerVersionArn"`
	Description             string       `json:"Description"`
	CreatedDate             string       `json:"CreatedDate"`
	Version                 int64        `json:"Version"`
	CompatibleRuntimes      *[]string    `json:"CompatibleRuntimes,omitempty"`
	LicenseInfo             string       `json:"LicenseInfo,omitempty"`
	CompatibleArchitectures *[]string    `json:"CompatibleArchitectures,omitempty"`
}

func toLayerVersion(v function.LayerVersion, host string) layerVersionOutput {
	return layerVersionOutput{
		Content:  layerContent{Location: "http://" + host + CodePath + v.CodeKey + ".zip", CodeSha256: v.CodeSha256, CodeSize: v.CodeSize},
		LayerArn: v.LayerArn(), LayerVersionArn: v.Arn(), Description: v.Description,
		CreatedDate: v.CreatedDate.Format(lastModified), Version: v.Version,
		CompatibleRuntimes: given(v.CompatibleRuntimes), LicenseInfo: v.LicenseInfo, CompatibleArchitectures: given(v.CompatibleArchitectures),
	}
}

// given is a list that was given (possibly empty), or nil for none: AWS
// reports [] for the one and omits the other.
func given(l []string) *[]string {
	if l == nil {
		return nil
	}
	return &l
}

// layerVersionsListItem is the LayerVersionsListItem shape.
type layerVersionsListItem struct {
	LayerVersionArn         string    `json:"LayerVersionArn"`
	Version                 int64     `json:"Version"`
	Description             string    `json:"Description"`
	CreatedDate             string    `json:"CreatedDate"`
	CompatibleRuntimes      *[]string `json:"CompatibleRuntimes,omitempty"`
	LicenseInfo             string    `json:"LicenseInfo,omitempty"`
	CompatibleArchitectures *[]string `json:"CompatibleArchitectures,omitempty"`
}

func toLayerListItem(v function.LayerVersion) layerVersionsListItem {
	return layerVersionsListItem{
		LayerVersionArn: v.Arn(), Version: v.Version, Description: v.Description, CreatedDate: v.CreatedDate.Format(lastModified),
		CompatibleRuntimes: given(v.CompatibleRuntimes), LicenseInfo: v.LicenseInfo, CompatibleArchitectures: given(v.CompatibleArchitectures),
	}
}

type listLayerVersionsOutput struct {
	LayerVersions []layerVersionsListItem `json:"LayerVersions"`
	NextMarker    string                  `json:"NextMarker,omitempty"`
}

type layersListItem struct {
	LayerName             string                `json:"LayerName"`
	LayerArn              string                `json:"LayerArn"`
	LatestMatchingVersion layerVersionsListItem `json:"LatestMatchingVersion"`
}

type listLayersOutput struct {
	Layers     []layersListItem `json:"Layers"`
	NextMarker string           `json:"NextMarker,omitempty"`
}

type addLayerPermissionInput struct {
	StatementID    string `json:"StatementId"`
	Action         string `json:"Action"`
	Principal      string `json:"Principal"`
	OrganizationID string `json:"OrganizationId"`
}

type addLayerPermissionOutput struct {
	Statement  string `json:"Statement"`
	RevisionID string `json:"RevisionId"`
}

type layerPolicyOutput struct {
	Policy     string `json:"Policy"`
	RevisionID string `json:"RevisionId"`
}

// functionLayer is the Layer shape of a function's configuration.
type functionLayer struct {
	Arn      string `json:"Arn"`
	CodeSize int64  `json:"CodeSize"`
}

func toFunctionLayers(ls []function.FunctionLayer) []functionLayer {
	if len(ls) == 0 {
		return nil
	}
	out := make([]functionLayer, 0, len(ls))
	for _, l := range ls {
		out = append(out, functionLayer{Arn: l.Arn, CodeSize: l.CodeSize})
	}
	return out
}

// HotReloadBucket is the S3Bucket that makes S3Key a directory on the
// fogbank host, run as the function's code (LocalStack's convention).
const HotReloadBucket = "hot-reload"

// hotReload is the hot-reload directory of a code location; "" for none.
func hotReload(bucket, key *string) string {
	if bucket == nil || *bucket != HotReloadBucket || key == nil {
		return ""
	}
	return *key
}

// hasS3Code reports code from S3 or an image, which fogbank does not fetch.
func hasS3Code(bucket, key, image *string) bool {
	if bucket != nil && *bucket == HotReloadBucket {
		return image != nil
	}
	return bucket != nil || key != nil || image != nil
}
