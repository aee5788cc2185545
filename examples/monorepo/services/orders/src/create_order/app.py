import json


def handler(event, context):
    order = json.loads(event.get("body") or "{}")
    return {"statusCode": 201, "body": json.dumps({"id": order.get("id")})}
