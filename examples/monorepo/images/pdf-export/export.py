def handler(event, context):
    return {"pages": 0}
