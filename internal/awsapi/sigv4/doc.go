// Package sigv4 parses and verifies AWS Signature Version 4 on incoming
// requests, the way AWS's query and JSON services (SQS, SNS, STS, ...) do.
//
// [Parse] reads who a request claims to be (access key id and credential
// scope) without checking anything cryptographic; fogbank uses it in
// permissive mode to pick the account and region. [Verifier.Verify] checks the
// signature against configured secrets; fogbank uses it in strict mode.
//
// # What is checked, in AWS's order
//
// AWS reports the first failing check, so the order is part of the contract.
// It follows what AWS was recorded to return (dynalite's recorded DynamoDB
// responses, scratchstack-aws-signature's AWS-compatible error tests):
//
//  1. Authorization header and X-Amz-Algorithm query parameter both present.
//  2. Neither present, or a header that is not AWS4-*: MissingAuthenticationToken.
//  3. Algorithm other than AWS4-HMAC-SHA256.
//  4. Header parameters that are not key=value.
//  5. Missing Credential / Signature / SignedHeaders / date (one message naming all).
//  6. host not among the signed headers.
//  7. Date not in ISO-8601 basic format.
//  8. Date more than 15 minutes away from now (or past X-Amz-Expires).
//  9. Credential without exactly five slash-separated elements.
//  10. Credential scope: empty region, wrong service, wrong terminator, date mismatch.
//  11. Unknown access key id: InvalidClientTokenId.
//  12. Signature mismatch: SignatureDoesNotMatch.
//
// Parse runs steps 1–5 and 9; Verify runs all of them.
//
// # Error codes: query versus JSON services
//
// [Error.Code] is the code the awsQuery protocol puts in <Code> (SQS's legacy
// protocol, SNS, STS), which is also what SQS's awsJson1_0 protocol reports
// in x-amzn-query-error because SQS is awsQueryCompatible. Plain JSON services
// (DynamoDB, Kinesis, ...) name the same conditions differently and answer
// with HTTP 400; [Error.JSONType] gives those names:
//
//	query code                  JSON __type (com.amazon.coral.service#...)
//	IncompleteSignature         IncompleteSignatureException
//	InvalidClientTokenId        UnrecognizedClientException
//	SignatureDoesNotMatch       InvalidSignatureException
//	MissingAuthenticationToken  MissingAuthenticationTokenException
//
// HTTP statuses are the query protocol's: 400 for IncompleteSignature, 403
// for the rest (SQS API reference, Common Errors; recorded STS responses).
//
// # Canonical request
//
// The canonical request follows the SigV4 specification for services other
// than S3: the request path as received is URI-encoded once more (so it is
// double-encoded relative to the decoded path) and is not normalised; the query
// string is decoded, re-encoded with RFC 3986 rules and sorted after encoding
// (X-Amz-Signature is left out for presigned URLs); signed headers are read
// in the order the client listed them, with values trimmed and runs of spaces
// collapsed, several values joined by commas, and host taken from
// [net/http.Request.Host] without a default port.
// The payload hash is X-Amz-Content-Sha256 when the client sent it (header or,
// for presigned URLs, query parameter), including UNSIGNED-PAYLOAD, otherwise
// the SHA-256 of the body.
//
// # Not covered
//
// S3's path rules and its aws-chunked (STREAMING-*) chunk signatures, SigV4a,
// and Signature Version 2.
package sigv4
