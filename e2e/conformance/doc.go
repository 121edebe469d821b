// Package conformance replays LocalStack's AWS-recorded SQS and SNS snapshot
// tests against an in-process fogbank and compares the normalised responses
// with what AWS returned. The recordings (Apache-2.0, LocalStack) are read
// from $FOGBANK_CONFORMANCE_DIR, by default ../shared/conformance next to the
// repository root; see raw-snapshots/sqs and raw-snapshots/sns there.
//
// Every case is a subtest named by its pytest node id. SQS "[sqs]" variants
// use aws-sdk-go-v2's SQS client (AWS JSON 1.0); "[sqs_query]" variants and
// the SNS cases use small signed query-protocol clients in this package.
// Responses are turned into the dicts botocore would have produced and
// normalised the way localstack-snapshot does (with the sqs_api or sns_api
// transformers of the recording test) before the deep comparison. Cases
// fogbank does not pass yet are skipped with a "fogbank gap:" reason.
package conformance
