package queue

import (
	"cmp"
	"encoding/json"
	"maps"
	"slices"
	"strconv"
	"strings"

	"github.com/fogbank/fogbank/internal/arn"
)

// Queue attribute names as AWS spells them.
const (
	AttrAll                                   = "All"
	AttrPolicy                                = "Policy"
	AttrVisibilityTimeout                     = "VisibilityTimeout"
	AttrMaximumMessageSize                    = "MaximumMessageSize"
	AttrMessageRetentionPeriod                = "MessageRetentionPeriod"
	AttrApproximateNumberOfMessages           = "ApproximateNumberOfMessages"
	AttrApproximateNumberOfMessagesNotVisible = "ApproximateNumberOfMessagesNotVisible"
	AttrCreatedTimestamp                      = "CreatedTimestamp"
	AttrLastModifiedTimestamp                 = "LastModifiedTimestamp"
	AttrQueueArn                              = "QueueArn"
	AttrApproximateNumberOfMessagesDelayed    = "ApproximateNumberOfMessagesDelayed"
	AttrDelaySeconds                          = "DelaySeconds"
	AttrReceiveMessageWaitTimeSeconds         = "ReceiveMessageWaitTimeSeconds"
	AttrRedrivePolicy                         = "RedrivePolicy"
	AttrFifoQueue                             = "FifoQueue"
	AttrContentBasedDeduplication             = "ContentBasedDeduplication"
	AttrKmsMasterKeyID                        = "KmsMasterKeyId"
	AttrKmsDataKeyReusePeriodSeconds          = "KmsDataKeyReusePeriodSeconds"
	AttrDeduplicationScope                    = "DeduplicationScope"
	AttrFifoThroughputLimit                   = "FifoThroughputLimit"
	AttrRedriveAllowPolicy                    = "RedriveAllowPolicy"
	AttrSqsManagedSseEnabled                  = "SqsManagedSseEnabled"
)

// attributeOrder is the order GetQueueAttributes reports attributes in.
var attributeOrder = []string{
	AttrApproximateNumberOfMessages, AttrApproximateNumberOfMessagesDelayed,
	AttrApproximateNumberOfMessagesNotVisible, AttrContentBasedDeduplication, AttrCreatedTimestamp,
	AttrDeduplicationScope, AttrDelaySeconds, AttrFifoQueue, AttrFifoThroughputLimit,
	AttrKmsDataKeyReusePeriodSeconds, AttrKmsMasterKeyID, AttrLastModifiedTimestamp,
	AttrMaximumMessageSize, AttrMessageRetentionPeriod, AttrPolicy, AttrQueueArn,
	AttrReceiveMessageWaitTimeSeconds, AttrRedriveAllowPolicy, AttrRedrivePolicy,
	AttrSqsManagedSseEnabled, AttrVisibilityTimeout,
}

// readOnly attributes exist but cannot be set.
var readOnly = map[string]bool{
	AttrApproximateNumberOfMessages: true, AttrApproximateNumberOfMessagesNotVisible: true,
	AttrApproximateNumberOfMessagesDelayed: true, AttrCreatedTimestamp: true,
	AttrLastModifiedTimestamp: true, AttrQueueArn: true,
}

type intRange struct{ min, max int64 }

var intAttrs = map[string]intRange{
	AttrVisibilityTimeout:             {0, 43200},
	AttrMaximumMessageSize:            {1024, MaxMessageSize},
	AttrMessageRetentionPeriod:        {60, 1209600},
	AttrDelaySeconds:                  {0, 900},
	AttrReceiveMessageWaitTimeSeconds: {0, 20},
	AttrKmsDataKeyReusePeriodSeconds:  {60, 86400},
}

var defaults = map[string]string{
	AttrVisibilityTimeout:             "30",
	AttrMaximumMessageSize:            "1048576",
	AttrMessageRetentionPeriod:        "345600",
	AttrDelaySeconds:                  "0",
	AttrReceiveMessageWaitTimeSeconds: "0",
	AttrSqsManagedSseEnabled:          "true",
}

var fifoDefaults = map[string]string{
	AttrContentBasedDeduplication: "false",
	AttrDeduplicationScope:        "queue",
	AttrFifoThroughputLimit:       "perQueue",
}

// MaxMessageSize is the largest message body plus attributes SQS accepts.
const MaxMessageSize = 1 << 20

// config is the typed view of a queue's attributes.
type config struct {
	fifo               bool
	contentDedup       bool
	dedupPerGroup      bool
	visibility         int64 // seconds
	maxSize            int64
	retention          int64
	delay              int64
	waitTime           int64
	redrive            *redrivePolicy
	redriveAllowPolicy *redriveAllowPolicy
}

type redrivePolicy struct {
	DeadLetterTargetArn string `json:"deadLetterTargetArn"`
	MaxReceiveCount     int64  `json:"maxReceiveCount"`
}

// UnmarshalJSON accepts maxReceiveCount as a number or a numeric string
// ("maxReceiveCount":"5"), as AWS and checkRedrivePolicy do.
func (p *redrivePolicy) UnmarshalJSON(b []byte) error {
	var raw struct {
		DeadLetterTargetArn string `json:"deadLetterTargetArn"`
		MaxReceiveCount     any    `json:"maxReceiveCount"`
	}
	if err := json.Unmarshal(b, &raw); err != nil {
		return err
	}
	p.DeadLetterTargetArn = raw.DeadLetterTargetArn
	p.MaxReceiveCount, _ = jsonInt(raw.MaxReceiveCount)
	return nil
}

type redriveAllowPolicy struct {
	RedrivePermission string   `json:"redrivePermission"`
	SourceQueueArns   []string `json:"sourceQueueArns,omitempty"`
}

func parseConfig(attrs map[string]string) config {
	num := func(k string) int64 {
		n, _ := strconv.ParseInt(attrs[k], 10, 64)
		return n
	}
	c := config{
		fifo:          attrs[AttrFifoQueue] == "true",
		contentDedup:  attrs[AttrContentBasedDeduplication] == "true",
		dedupPerGroup: attrs[AttrDeduplicationScope] == "messageGroup",
		visibility:    num(AttrVisibilityTimeout),
		maxSize:       num(AttrMaximumMessageSize),
		retention:     num(AttrMessageRetentionPeriod),
		delay:         num(AttrDelaySeconds),
		waitTime:      num(AttrReceiveMessageWaitTimeSeconds),
	}
	if s := attrs[AttrRedrivePolicy]; s != "" {
		var p redrivePolicy
		if json.Unmarshal([]byte(s), &p) == nil {
			c.redrive = &p
		}
	}
	if s := attrs[AttrRedriveAllowPolicy]; s != "" {
		var p redriveAllowPolicy
		if json.Unmarshal([]byte(s), &p) == nil {
			c.redriveAllowPolicy = &p
		}
	}
	return c
}

// initialAttributes validates CreateQueue attributes and fills defaults.
func initialAttributes(name string, in map[string]string) (map[string]string, error) {
	fifo := strings.HasSuffix(name, ".fifo")
	if v, ok := in[AttrFifoQueue]; ok {
		v = strings.ToLower(v) // AWS accepts "True"
		if v == "false" && !fifo {
			return nil, errorf(CodeInvalidAttributeName, "Unknown Attribute FifoQueue.")
		}
		if v != "true" && v != "false" {
			return nil, errorf(CodeInvalidAttributeValue, "Invalid value for the parameter FifoQueue.")
		}
		if (v == "true") != fifo {
			return nil, errorf(CodeInvalidParameterValue, "Can only include alphanumeric characters, hyphens, or underscores. 1 to 80 in length")
		}
	}
	out := maps.Clone(defaults)
	if fifo {
		maps.Copy(out, fifoDefaults)
		out[AttrFifoQueue] = "true"
	}
	for _, k := range applyOrder(in) {
		v := normalizeBool(k, in[k])
		if k == AttrFifoQueue {
			continue
		}
		if err := checkAttribute(k, v, fifo); err != nil {
			return nil, err
		}
		setAttribute(out, k, v)
	}
	return out, checkCombination(out)
}

// updatedAttributes validates SetQueueAttributes and returns the new set.
func updatedAttributes(cur map[string]string, in map[string]string) (map[string]string, error) {
	fifo := cur[AttrFifoQueue] == "true"
	out := maps.Clone(cur)
	for _, k := range applyOrder(in) {
		v := normalizeBool(k, in[k])
		if k == AttrFifoQueue {
			if _, ok := cur[AttrFifoQueue]; !ok {
				return nil, errorf(CodeInvalidAttributeName, "Unknown Attribute FifoQueue.")
			}
			if v == cur[AttrFifoQueue] {
				continue // setting the current type is accepted
			}
			return nil, errorf(CodeInvalidAttributeValue, "Invalid value for the parameter FifoQueue. Reason: Modifying queue type is not supported.")
		}
		if err := checkAttribute(k, v, fifo); err != nil {
			return nil, err
		}
		setAttribute(out, k, v)
	}
	return out, checkCombination(out)
}

// applyOrder applies KmsMasterKeyId first, so that a
// KmsDataKeyReusePeriodSeconds sent with it is kept; the rest sorted.
func applyOrder(in map[string]string) []string {
	keys := slices.Sorted(maps.Keys(in))
	slices.SortStableFunc(keys, func(a, b string) int {
		return cmp.Compare(boolInt(b == AttrKmsMasterKeyID), boolInt(a == AttrKmsMasterKeyID))
	})
	return keys
}

func boolInt(b bool) int {
	if b {
		return 1
	}
	return 0
}

// normalizeBool lower-cases boolean attributes: AWS accepts "True"/"False".
func normalizeBool(k, v string) string {
	switch k {
	case AttrFifoQueue, AttrContentBasedDeduplication, AttrSqsManagedSseEnabled:
		return strings.ToLower(v)
	}
	return v
}

func setAttribute(attrs map[string]string, k, v string) {
	switch {
	case v == "" && (k == AttrPolicy || k == AttrRedrivePolicy || k == AttrRedriveAllowPolicy || k == AttrKmsMasterKeyID):
		delete(attrs, k)
		if k == AttrKmsMasterKeyID {
			delete(attrs, AttrKmsDataKeyReusePeriodSeconds)
		}
	case k == AttrKmsMasterKeyID:
		attrs[k] = v
		if _, ok := attrs[AttrKmsDataKeyReusePeriodSeconds]; !ok {
			attrs[AttrKmsDataKeyReusePeriodSeconds] = "300"
		}
		attrs[AttrSqsManagedSseEnabled] = "false"
	case k == AttrKmsDataKeyReusePeriodSeconds && attrs[AttrKmsMasterKeyID] == "":
		// Only meaningful with a KMS key; AWS accepts and does not report it.
	default:
		attrs[k] = v
	}
}

func checkAttribute(k, v string, fifo bool) error {
	if r, ok := intAttrs[k]; ok {
		n, err := strconv.ParseInt(v, 10, 64)
		if err != nil || n < r.min || n > r.max {
			return errorf(CodeInvalidAttributeValue, "Invalid value for the parameter %s.", k)
		}
		return nil
	}
	switch k {
	case AttrPolicy:
		return checkPolicyDocument(v)
	case AttrRedrivePolicy:
		return checkRedrivePolicy(v)
	case AttrRedriveAllowPolicy:
		return checkRedriveAllowPolicy(v)
	case AttrKmsMasterKeyID:
		return nil
	case AttrSqsManagedSseEnabled:
		if v != "true" && v != "false" {
			return errorf(CodeInvalidAttributeValue, "Invalid value for the parameter %s.", k)
		}
		return nil
	case AttrContentBasedDeduplication, AttrDeduplicationScope, AttrFifoThroughputLimit:
		return checkFifoAttribute(k, v, fifo)
	}
	if readOnly[k] {
		return errorf(CodeInvalidAttributeName, "Unknown Attribute %s.", k)
	}
	return errorf(CodeInvalidAttributeName, "Unknown Attribute %s.", k)
}

func checkFifoAttribute(k, v string, fifo bool) error {
	if !fifo {
		if k == AttrContentBasedDeduplication {
			return errorf(CodeInvalidAttributeName, "Unknown Attribute %s.", k)
		}
		return errorf(CodeInvalidAttributeName, "You can specify the %s only when FifoQueue is set to true.", k)
	}
	valid := map[string][]string{
		AttrContentBasedDeduplication: {"true", "false"},
		AttrDeduplicationScope:        {"messageGroup", "queue"},
		AttrFifoThroughputLimit:       {"perQueue", "perMessageGroupId"},
	}[k]
	for _, ok := range valid {
		if v == ok {
			return nil
		}
	}
	return errorf(CodeInvalidAttributeValue, "Invalid value for the parameter %s.", k)
}

func checkCombination(attrs map[string]string) error {
	if attrs[AttrKmsMasterKeyID] != "" && attrs[AttrSqsManagedSseEnabled] == "true" {
		return errorf(CodeInvalidAttributeName, "You can use one type of server-side encryption (SSE) at one time. You can either enable KMS SSE or SQS SSE.")
	}
	if attrs[AttrFifoThroughputLimit] == "perMessageGroupId" && attrs[AttrDeduplicationScope] == "queue" {
		return errorf(CodeInvalidAttributeValue, "Invalid value for the parameter FifoThroughputLimit. Reason: To set FifoThroughputLimit to perMessageGroupId, the DeduplicationScope must be messageGroup.")
	}
	return nil
}

func checkPolicyDocument(v string) error {
	var doc map[string]any
	if json.Unmarshal([]byte(v), &doc) != nil {
		return errorf(CodeInvalidAttributeValue, "Invalid value for the parameter Policy.")
	}
	return nil
}

func checkRedrivePolicy(v string) error {
	if v == "" {
		return nil
	}
	var raw map[string]any
	if json.Unmarshal([]byte(v), &raw) != nil {
		return errorf(CodeInvalidAttributeValue, "Invalid value for the parameter RedrivePolicy. Reason: Redrive policy is not a valid JSON map.")
	}
	target, _ := raw["deadLetterTargetArn"].(string)
	if target == "" {
		return errorf(CodeInvalidParameterValue, "Value %s for parameter RedrivePolicy is invalid. Reason: Redrive policy does not contain mandatory attribute: deadLetterTargetArn.", v)
	}
	if _, ok := raw["maxReceiveCount"]; !ok {
		return errorf(CodeInvalidParameterValue, "Value %s for parameter RedrivePolicy is invalid. Reason: Redrive policy does not contain mandatory attribute: maxReceiveCount.", v)
	}
	n, ok := jsonInt(raw["maxReceiveCount"])
	if !ok || n < 1 || n > 1000 {
		return errorf(CodeInvalidParameterValue, "Value %s for parameter RedrivePolicy is invalid. Reason: Invalid value for maxReceiveCount: %v, valid values are from 1 to 1000 both inclusive.", v, raw["maxReceiveCount"])
	}
	a, err := arn.Parse(target)
	if err != nil || a.Service != "sqs" {
		return errorf(CodeInvalidParameterValue, "Value %s for parameter RedrivePolicy is invalid. Reason: Invalid value for deadLetterTargetArn.", v)
	}
	return nil
}

func jsonInt(v any) (int64, bool) {
	switch t := v.(type) {
	case float64:
		return int64(t), t == float64(int64(t))
	case string:
		n, err := strconv.ParseInt(t, 10, 64)
		return n, err == nil
	}
	return 0, false
}

func checkRedriveAllowPolicy(v string) error {
	if v == "" {
		return nil
	}
	var p redriveAllowPolicy
	if json.Unmarshal([]byte(v), &p) != nil {
		return errorf(CodeInvalidAttributeValue, "Invalid value for the parameter RedriveAllowPolicy. Reason: Amazon SQS can't process the RedriveAllowPolicy. Make sure the RedriveAllowPolicy is a valid JSON map.")
	}
	switch p.RedrivePermission {
	case "allowAll", "denyAll":
		if len(p.SourceQueueArns) > 0 {
			return errorf(CodeInvalidAttributeValue, "Invalid value for the parameter RedriveAllowPolicy. Reason: You can specify sourceQueueArns only when redrivePermission is set to byQueue.")
		}
	case "byQueue":
		if len(p.SourceQueueArns) == 0 || len(p.SourceQueueArns) > 10 {
			return errorf(CodeInvalidAttributeValue, "Invalid value for the parameter RedriveAllowPolicy. Reason: You must specify between 1 and 10 sourceQueueArns when redrivePermission is set to byQueue.")
		}
	default:
		return errorf(CodeInvalidAttributeValue, "Invalid value for the parameter RedriveAllowPolicy. Reason: Amazon SQS can't process the RedriveAllowPolicy. The redrivePermission must be allowAll, denyAll or byQueue.")
	}
	return nil
}

// sameCreateAttributes reports the first attribute whose requested value
// differs from the existing queue's, for CreateQueue's idempotency check.
func conflictingAttribute(cur map[string]string, in map[string]string) string {
	for _, k := range attributeOrder {
		v, ok := in[k]
		if !ok {
			continue
		}
		have, set := cur[k]
		if !set {
			have = defaults[k]
		}
		if have != v {
			return k
		}
	}
	return ""
}
