package main

import (
	"context"

	"github.com/aws/aws-lambda-go/lambda"
)

type Order struct {
	ID string `json:"id"`
}

func handle(ctx context.Context, order Order) (string, error) {
	return "accepted " + order.ID, nil
}

func main() {
	lambda.Start(handle)
}
