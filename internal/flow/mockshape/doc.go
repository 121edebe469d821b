// Package mockshape checks a TestState mock's result against the output
// shape of the AWS operation the mocked Task state calls, as the
// TestState API does with its mock.fieldValidationMode.
//
// # Sections
//
// Shapes: shapes.json holds the output shapes of every operation of the
// services Step Functions' optimized integrations call, the ones fogbank
// serves and the aws-sdk services the conformance corpus names. It is
// generated from the botocore models by internal/shapegen (`make
// generate`); member names are capitalised as Step Functions returns
// them (StartExecution's executionArn is ExecutionArn).
//
// Resources: an aws-sdk resource (arn:aws:states:::aws-sdk:s3:getObject)
// names the service and the action; an optimized integration
// (arn:aws:states:::lambda:invoke, dynamodb:putItem, events:putEvents,
// sqs:sendMessage, sns:publish, states:startExecution[.sync[:2]]) names
// the operation whose output it returns, with the members it returns as
// JSON rather than as the model's type (lambda:invoke's Payload,
// startExecution.sync:2's Input and Output). A .waitForTaskToken result
// is whatever the task token's sender returns, and other resources
// (Lambda function ARNs, activities, HTTP and API Gateway tasks) have no
// model: their mocks are not checked.
//
// Modes: STRICT checks types, enum values, numeric ranges and required
// members; PRESENT checks only the members present; NONE checks nothing.
// Members the shape does not have are accepted in every mode.
package mockshape

//go:generate go run ./internal/shapegen -out shapes.json
